/* libFuzzer harness: the .npz (zip) reader, through a file since it reads by path. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "gyrus/io_npy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char path[64];
  if (!path[0]) snprintf(path, sizeof path, "/tmp/gy_fuzz_npz_%ld.npz", (long)getpid());
  FILE *fp = fopen(path, "wb");
  if (!fp) return 0;
  fwrite(data, 1, size, fp);
  fclose(fp);
  gy_npz *z = NULL;
  if (gy_npz_open(&z, path) == 0) {
    for (int64_t k = 0; k < gy_npz_count(z); k++) {
      if (!gy_npz_name(z, k)) __builtin_trap();
      gy_mat m = {0};
      gy_npz_read(&m, NULL, z, k);
      gy_mat_clear(&m);
    }
    gy_npz_close(z);
  }
  return 0;
}
