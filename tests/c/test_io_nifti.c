/* NIfTI: fixtures written by nibabel, corrupt headers, round trips; mask, unmask and
 * parcellate on a synthetic grid. Without nifticlib only the image operations run. */
#include "test.h"

#include "gyrus/io_nifti.h"

#include <unistd.h>

#define AT(m, i, j) ((m)->data[(i) + (j) * (m)->ld])

static const char *fx(const char *name) {
  static char buf[1024];
  snprintf(buf, sizeof buf, "%s/tests/fixtures/io/%s", GY_SOURCE_DIR, name);
  return buf;
}

static void check_ops(void) {
  /* 6 voxels x 3 volumes; value = 10 * voxel + volume. */
  gy_mat img = {0}, mask = {0}, out = {0}, back = {0}, labels = {0}, names = {0};
  CHECK_OK(gy_mat_init(&img, 6, 3));
  CHECK_OK(gy_mat_init(&mask, 6, 1));
  CHECK_OK(gy_mat_init(&labels, 6, 1));
  for (int v = 0; v < 6; v++)
    for (int t = 0; t < 3; t++) AT(&img, v, t) = 10 * v + t;
  double m[6] = {0, 1, 0, 1, 1, 0}, l[6] = {0, 7, 7, 2, 2, 2};
  memcpy(mask.data, m, sizeof m);
  memcpy(labels.data, l, sizeof l);
  CHECK_OK(gy_nifti_mask(&out, &img, &mask, 6, 1, 1));
  CHECK(out.rows == 3 && out.cols == 3);
  if (out.data) CHECK(AT(&out, 2, 0) == 12 && AT(&out, 0, 1) == 30 && AT(&out, 1, 2) == 41);
  CHECK_OK(gy_nifti_unmask(&back, &out, &mask, 6, 1, 1));
  CHECK(back.rows == 6 && back.cols == 3);
  if (back.data)
    for (int v = 0; v < 6; v++)
      for (int t = 0; t < 3; t++) CHECK(AT(&back, v, t) == (m[v] ? 10 * v + t : 0));
  gy_mat_clear(&out);
  gy_mat_clear(&back);
  CHECK_OK(gy_nifti_parcellate(&out, &names, &img, &labels));
  CHECK(out.rows == 3 && out.cols == 2 && names.rows == 2);
  if (out.data && names.data) {
    CHECK(names.data[0] == 2 && names.data[1] == 7);
    CHECK_NEAR(AT(&out, 0, 0), 40, 1e-15); /* voxels 3, 4, 5 */
    CHECK_NEAR(AT(&out, 2, 1), 17, 1e-15); /* voxels 1, 2 at volume 3 */
  }
  gy_mat_clear(&out);
  gy_mat_clear(&names);
  /* Mismatched grids and bad labels. */
  gy_mat small = {0};
  CHECK_OK(gy_mat_init(&small, 5, 1));
  CHECK_FAILS(gy_nifti_mask(&out, &img, &small, 5, 1, 1), GY_EINVAL, "different grids");
  CHECK_FAILS(gy_nifti_parcellate(&out, NULL, &img, &small), GY_EINVAL, "different grids");
  labels.data[2] = 1.5;
  CHECK_FAILS(gy_nifti_parcellate(&out, NULL, &img, &labels), GY_EINVAL, "not a label");
  gy_mat wrong = {0};
  CHECK_OK(gy_mat_init(&wrong, 3, 2));
  CHECK_FAILS(gy_nifti_unmask(&out, &wrong, &mask, 6, 1, 1), GY_EINVAL, "3 voxels");
  gy_mat_clear(&wrong);
  CHECK_FAILS(gy_nifti_mask(&out, &img, &mask, 2, 2, 2), GY_EINVAL, "does not have 6 voxels");
  /* A 3 x 2 x 1 grid: C order visits x = 0 (y = 0, 1), then x = 1, ... */
  CHECK_OK(gy_nifti_mask(&out, &img, &labels, 3, 2, 1));
  CHECK(out.cols == 5);
  if (out.data) /* voxels (x, y): (0,1)=3, (1,0)=1, (1,1)=4, (2,0)=2, (2,1)=5 */
    CHECK(AT(&out, 0, 0) == 30 && AT(&out, 0, 1) == 10 && AT(&out, 0, 2) == 40 &&
          AT(&out, 0, 3) == 20 && AT(&out, 0, 4) == 50);
  CHECK_OK(gy_nifti_unmask(&back, &out, &labels, 3, 2, 1));
  if (back.data) CHECK(AT(&back, 3, 1) == 31 && AT(&back, 0, 1) == 0);
  gy_mat_clear(&back);
  gy_mat_clear(&out);
  gy_mat_clear(&small);
  gy_mat_clear(&img);
  gy_mat_clear(&mask);
  gy_mat_clear(&labels);
}

static void check_files(void) {
  gy_mat a = {0}, b = {0};
  gy_nifti_header h, hg;
  /* .nii and .nii.gz, NIfTI-1 and -2, hold the same image. */
  CHECK_OK(gy_nifti_read(&a, &h, fx("nii/float32_v1.nii")));
  CHECK_OK(gy_nifti_read(&b, &hg, fx("nii/float32_v2.nii.gz")));
  CHECK(h.version == 1 && hg.version == 2);
  CHECK(h.ndim == 3 && h.dim[1] == 3 && h.dim[2] == 4 && h.dim[3] == 5 && a.rows == 60);
  CHECK(b.rows == a.rows && b.cols == a.cols);
  for (int64_t k = 0; k < a.rows && a.data && b.data; k++) CHECK(a.data[k] == b.data[k]);
  CHECK(h.sform_code > 0 && h.affine[0] == -2 && h.affine[3] == 90 && h.affine[15] == 1);
  CHECK(strcmp(h.descrip, "gyrus fixture float32") == 0);
  gy_mat_clear(&a);
  gy_mat_clear(&b);
  /* scl_slope 0.5, scl_inter -7.25 on int16. */
  CHECK_OK(gy_nifti_read(&a, &h, fx("nii/int16_v1.nii")));
  CHECK(h.scl_slope == 0.5 && h.scl_inter == -7.25 && h.datatype == GY_NIFTI_INT16);
  for (int64_t k = 0; k < a.rows * a.cols && a.data; k++)
    CHECK(fmod((a.data[k] + 7.25) * 2, 1) == 0);
  gy_mat_clear(&a);
  /* 4-D: voxels x volumes. */
  CHECK_OK(gy_nifti_read(&a, &h, fx("nii/int8_v1.nii.gz")));
  CHECK(h.ndim == 4 && a.rows == 24 && a.cols == 3 && h.pixdim[4] == 2);
  gy_mat_clear(&a);
  CHECK_OK(gy_nifti_read_header(&h, fx("nii/uint64_v2.nii")));
  CHECK(h.datatype == GY_NIFTI_UINT64 && h.version == 2);

  struct { const char *name; int status; const char *part; } bad[] = {
    {"bad/nii_truncated.nii", GY_EFORMAT, "truncated"},
    {"bad/nii_header_only.nii", GY_EFORMAT, ""},
    {"bad/nii_magic.nii", GY_EFORMAT, "bad magic"},
    {"bad/nii_huge.nii", GY_EFORMAT, "absurd"},
    {"bad/nii_mismatch.nii", GY_EFORMAT, "truncated"},
    {"bad/nii_float128.nii", GY_EUNSUPPORTED, "datatype 1536"},
    {"bad/nifti2_bad_dim0.nii", GY_EFORMAT, "dim[0]"}, /* crashed nifticlib (fuzz) */
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    CHECK_FAILS(gy_nifti_read(&a, &h, fx(bad[k].name)), bad[k].status, bad[k].part);
    CHECK(a.data == NULL);
  }
  CHECK_FAILS(gy_nifti_read(&a, &h, "/nonexistent.nii"), GY_EIO, "cannot open");
  CHECK_FAILS(gy_nifti_read(&a, &h, fx("npy/vec.npy")), GY_EINVAL, "not a .nii");

  /* Round trip: geometry, values, datatypes, the .gz path; a failed write keeps the file. */
  CHECK_OK(gy_nifti_read(&a, &h, fx("nii/float64_v1.nii")));
  const char *outs[2] = {"io_nifti_rt.nii", "io_nifti_rt.nii.gz"};
  for (int g = 0; g < 2; g++) {
    strcpy(h.descrip, "round trip");
    CHECK_OK(gy_nifti_write(outs[g], &a, &h, GY_NIFTI_FLOAT64));
    CHECK_OK(gy_nifti_read(&b, &hg, outs[g]));
    CHECK(b.rows == a.rows && b.cols == a.cols);
    for (int64_t k = 0; k < a.rows * a.cols && b.data; k++) CHECK(b.data[k] == a.data[k]);
    for (int k = 0; k < 16; k++) CHECK_NEAR(hg.affine[k], h.affine[k], 1e-6);
    CHECK(strcmp(hg.descrip, "round trip") == 0 && hg.datatype == GY_NIFTI_FLOAT64);
    gy_mat_clear(&b);
  }
  CHECK_FAILS(gy_nifti_write(outs[0], &a, &h, GY_NIFTI_INT16), GY_EINVAL, "does not fit");
  CHECK_OK(gy_nifti_read(&b, &hg, outs[0]));
  CHECK(hg.datatype == GY_NIFTI_FLOAT64);
  gy_mat_clear(&b);
  h.dim[3] = 4;
  CHECK_FAILS(gy_nifti_write(outs[0], &a, &h, 0), GY_EINVAL, "header describes");
  gy_mat_clear(&a);
  unlink(outs[0]);
  unlink(outs[1]);
}

/* Extensions, complex and RGB24 (tests/fixtures/make_io_nifti.py). */
static void check_ext_parts(void) {
  gy_nifti_ext *e = NULL;
  int64_t n = 0;
  CHECK_OK(gy_nifti_read_ext(&e, &n, fx("../io_nifti/ext.nii.gz")));
  CHECK(n == 3);
  if (n == 3) {
    CHECK(e[0].code == 6 && e[0].size == 24 && memcmp(e[0].data, "made by", 7) == 0);
    CHECK(e[1].code == 4 && e[2].code == 40);
  }
  gy_mat a = {0}, b = {0}, im = {0};
  gy_nifti_header h, hb;
  CHECK_OK(gy_nifti_read(&a, &h, fx("../io_nifti/ext.nii")));
  const char *out = "io_nifti_ext_rt.nii";
  CHECK_OK(gy_nifti_write_ext(out, &a, &h, GY_NIFTI_FLOAT32, e, n));
  gy_nifti_ext *e2 = NULL;
  int64_t n2 = 0;
  CHECK_OK(gy_nifti_read_ext(&e2, &n2, out));
  CHECK(n2 == n);
  for (int64_t k = 0; k < n && k < n2; k++)
    CHECK(e2[k].code == e[k].code && e2[k].size == e[k].size &&
          memcmp(e2[k].data, e[k].data, (size_t)e[k].size) == 0);
  CHECK_OK(gy_nifti_read(&b, &hb, out));
  for (int64_t k = 0; k < a.rows && b.data; k++) CHECK(a.data[k] == b.data[k]);
  gy_nifti_ext_free(e2, n2);
  gy_mat_clear(&b);
  /* a short extension is padded to 16 bytes; reading removes the padding */
  gy_nifti_ext one = {.code = 6, .size = 3, .data = "abc"};
  CHECK_OK(gy_nifti_write_ext(out, &a, &h, 0, &one, 1));
  CHECK_OK(gy_nifti_read_ext(&e2, &n2, out));
  CHECK(n2 == 1 && e2 && e2[0].size == 3 && memcmp(e2[0].data, "abc", 3) == 0);
  gy_nifti_ext_free(e2, n2);
  gy_nifti_ext_free(e, n);
  unlink(out);
  gy_mat_clear(&a);

  CHECK_FAILS(gy_nifti_read(&a, &h, fx("../io_nifti/c64.nii")), GY_EUNSUPPORTED, "complex");
  CHECK_OK(gy_nifti_read_parts(&a, &im, &h, fx("../io_nifti/c64.nii")));
  CHECK(h.datatype == 32 && a.rows == 12 && a.cols == 3 && im.rows == 12 && im.cols == 3);
  gy_mat_clear(&a);
  gy_mat_clear(&im);
  CHECK_OK(gy_nifti_read_parts(&a, &im, &h, fx("../io_nifti/c128.nii.gz")));
  CHECK(h.datatype == 1792 && a.rows == 12 && a.cols == 1 && im.rows == 12);
  gy_mat_clear(&a);
  gy_mat_clear(&im);
  CHECK_OK(gy_nifti_read_parts(&a, &im, &h, fx("../io_nifti/rgb.nii")));
  CHECK(h.datatype == 128 && a.rows == 24 && a.cols == 3 && im.data == NULL);
  for (int64_t k = 0; k < 72 && a.data; k++) CHECK(a.data[k] >= 0 && a.data[k] <= 255);
  gy_mat mask = {0};
  CHECK_OK(gy_mat_init(&mask, 24, 1));
  CHECK_FAILS(gy_nifti_read_masked(&b, NULL, fx("../io_nifti/rgb.nii"), &mask), GY_EUNSUPPORTED,
              "RGB");
  CHECK_FAILS(gy_nifti_write(out, &a, &h, 128), GY_EINVAL, "cannot be written");
  gy_mat_clear(&mask);
  gy_mat_clear(&a);
}

int main(void) {
  check_ops();
  if (gy_nifti_available()) {
    check_files();
    check_ext_parts();
  } else {
    gy_mat a = {0};
    gy_nifti_header h;
    CHECK_FAILS(gy_nifti_read(&a, &h, fx("nii/float32_v1.nii")), GY_EUNSUPPORTED, "nifticlib");
  }
  return test_summary();
}
