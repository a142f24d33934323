/* libFuzzer harness: the .npy parser on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "gyrus/io_npy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gy_mat m = {0};
  gy_array_info info;
  if (gy_npy_parse(&m, &info, data, size) == 0) {
    /* A success must describe exactly the matrix it returned. */
    int64_t n = 1;
    for (int d = 1; d < info.ndim; d++) n *= info.shape[d];
    if (info.ndim >= 2 && m.cols != n) __builtin_trap();
    for (int64_t k = 0; k < m.rows * m.cols; k++) (void)m.data[k];
  }
  gy_mat_clear(&m);
  return 0;
}
