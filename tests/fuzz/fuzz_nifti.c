/* libFuzzer harness: the NIfTI-1/2 reader (nifticlib's header parse, gyrus's checks and data
 * reader), through a .nii file since both read by path. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "gyrus/io_nifti.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char path[64];
  if (!path[0]) snprintf(path, sizeof path, "/tmp/gy_fuzz_nifti_%ld.nii", (long)getpid());
  FILE *fp = fopen(path, "wb");
  if (!fp) return 0;
  fwrite(data, 1, size, fp);
  fclose(fp);
  gy_nifti_header h;
  if (gy_nifti_read_header(&h, path) == 0) {
    gy_mat m = {0};
    gy_nifti_read(&m, &h, path);
    gy_mat_clear(&m);
  }
  gy_mat re = {0}, im = {0};
  if (gy_nifti_read_parts(&re, &im, NULL, path) == 0) {
    gy_mat_clear(&re);
    gy_mat_clear(&im);
  }
  gy_nifti_ext *e = NULL;
  int64_t n = 0;
  if (gy_nifti_read_ext(&e, &n, path) == 0) gy_nifti_ext_free(e, n);
  return 0;
}
