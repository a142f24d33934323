/* libFuzzer harness: the atlas label-file parser. */
#include <stddef.h>
#include <stdint.h>

#include "gyrus/io_labels.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gy_labels *l = NULL;
  if (gy_labels_parse(&l, (const char *)data, size) == 0) {
    for (int64_t k = 0; k < gy_labels_count(l); k++)
      if (!gy_labels_name(l, k) || gy_labels_index(l, k) < 0) __builtin_trap();
    gy_labels_free(l);
  }
  return 0;
}
