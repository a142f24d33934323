/* libFuzzer harness: the EDF/EDF+/BDF reader (EDFlib behind gyrus's checks), through a file
 * since EDFlib reads by path. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "gyrus/io_edf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char path[64];
  if (!path[0]) snprintf(path, sizeof path, "/tmp/gy_fuzz_edf_%ld.edf", (long)getpid());
  FILE *fp = fopen(path, "wb");
  if (!fp) return 0;
  fwrite(data, 1, size, fp);
  fclose(fp);
  gy_edf *f = NULL;
  if (gy_edf_open(&f, path) == 0) {
    for (int k = 0; k < gy_edf_signals(f); k++) {
      if (!gy_edf_label(f, k) || !gy_edf_unit(f, k)) __builtin_trap();
      gy_mat m = {0};
      gy_edf_read(&m, f, k);
      gy_mat_clear(&m);
    }
    for (int64_t k = 0; k < gy_edf_annotations(f); k++) {
      double onset, duration;
      const char *text = NULL;
      gy_edf_annotation(f, k, &onset, &duration, &text);
    }
    gy_edf_close(f);
  }
  return 0;
}
