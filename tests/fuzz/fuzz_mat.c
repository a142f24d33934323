/* libFuzzer harness: the MATLAB .mat reader (gyrus's pre-scan of v5 files, then matio),
 * through a file since matio reads by path. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "gyrus/io_mat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char path[64];
  if (!path[0]) snprintf(path, sizeof path, "/tmp/gy_fuzz_mat_%ld.mat", (long)getpid());
  FILE *fp = fopen(path, "wb");
  if (!fp) return 0;
  fwrite(data, 1, size, fp);
  fclose(fp);
  gy_matfile *f = NULL;
  if (gy_matfile_open(&f, path) == 0) {
    for (int64_t k = 0; k < gy_matfile_count(f); k++) {
      if (!gy_matfile_name(f, k)) __builtin_trap();
      if (!gy_matfile_is_numeric(f, k)) continue;
      gy_mat m = {0};
      gy_matfile_read(&m, f, k);
      gy_mat_clear(&m);
    }
    gy_matfile_close(f);
  }
  return 0;
}
