/* .mat: scipy-written fixtures (v5, plain and compressed), round trips, damaged files. */
#include "test.h"

#include "gyrus/io_mat.h"

#include <stdlib.h>
#include <unistd.h>

static const char *fx(const char *name) {
  static char buf[1024];
  snprintf(buf, sizeof buf, "%s/tests/fixtures/io_more/%s", GY_SOURCE_DIR, name);
  return buf;
}

static void check_fixture(const char *name) {
  gy_matfile *f = NULL;
  CHECK_OK(gy_matfile_open(&f, fx(name)));
  if (!f) return;
  CHECK(gy_matfile_count(f) == 10);
  int64_t k = gy_matfile_find(f, "big");
  CHECK(k >= 0 && gy_matfile_is_numeric(f, k));
  gy_mat m = {0};
  CHECK_OK(gy_matfile_read(&m, f, k));
  CHECK(m.rows == 1 && m.cols == 2);
  if (m.data) CHECK(m.data[0] == 9007199254740992.0 && m.data[1] == -1099511627776.0);
  gy_mat_clear(&m);
  k = gy_matfile_find(f, "t"); /* 2 x 3 x 4 -> 2 x 12 */
  CHECK_OK(gy_matfile_read(&m, f, k));
  CHECK(m.rows == 2 && m.cols == 12);
  gy_mat_clear(&m);
  k = gy_matfile_find(f, "b");
  CHECK_OK(gy_matfile_read(&m, f, k));
  CHECK(m.rows == 1 && m.cols == 3 && m.data[0] == 1 && m.data[1] == 0 && m.data[2] == 1);
  gy_mat_clear(&m);
  const char *other[] = {"txt", "st", "z"};
  for (int q = 0; q < 3; q++) {
    k = gy_matfile_find(f, other[q]);
    CHECK(k >= 0 && !gy_matfile_is_numeric(f, k));
    CHECK_FAILS(gy_matfile_read(&m, f, k), GY_EUNSUPPORTED, other[q]);
    CHECK(m.data == NULL);
  }
  CHECK(gy_matfile_find(f, "nope") == -1);
  CHECK_FAILS(gy_matfile_read(&m, f, 99), GY_EINVAL, "does not exist");
  gy_matfile_close(f);
}

static void check_v73(void) {
  gy_matfile *f = NULL;
  CHECK_OK(gy_matfile_open(&f, fx("vars73.mat")));
  if (!f) return;
  CHECK(gy_matfile_count(f) == 6);
  gy_mat m = {0};
  CHECK_OK(gy_matfile_read(&m, f, gy_matfile_find(f, "t"))); /* 2 x 3 x 4 -> 2 x 12 */
  CHECK(m.rows == 2 && m.cols == 12);
  gy_mat_clear(&m);
  CHECK_OK(gy_matfile_read(&m, f, gy_matfile_find(f, "i")));
  CHECK(m.rows == 4 && m.cols == 2);
  gy_mat_clear(&m);
  int64_t k = gy_matfile_find(f, "txt");
  CHECK(k >= 0 && !gy_matfile_is_numeric(f, k));
  gy_matfile_close(f);
}

static void check_roundtrip(int compress, int version) {
  char path[] = "/tmp/gy_test_io_mat_XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  close(fd);
  gy_mat a = {0}, b = {0}, v = {0};
  CHECK_OK(gy_mat_init(&a, 5, 3));
  for (int64_t i = 0; i < 15; i++) a.data[i] = (double)i / 7.0 - 1e300 * (i == 4);
  CHECK_OK(gy_mat_init(&b, 4, 4));
  for (int64_t i = 0; i < 16; i++) b.data[i] = (double)i * 0.1;
  CHECK_OK(gy_mat_view(&v, &b, 1, 1, 2, 3)); /* ld != rows */
  const char *names[] = {"alpha", "view_1"};
  const gy_mat *mats[] = {&a, &v};
  CHECK_OK(gy_matfile_write_version(path, names, mats, 2, compress, version));
  gy_matfile *f = NULL;
  CHECK_OK(gy_matfile_open(&f, path));
  if (f) {
    CHECK(gy_matfile_count(f) == 2);
    gy_mat r = {0};
    CHECK_OK(gy_matfile_read(&r, f, gy_matfile_find(f, "alpha")));
    CHECK(r.rows == 5 && r.cols == 3 && memcmp(r.data, a.data, 15 * sizeof(double)) == 0);
    gy_mat_clear(&r);
    CHECK_OK(gy_matfile_read(&r, f, gy_matfile_find(f, "view_1")));
    CHECK(r.rows == 2 && r.cols == 3);
    for (int64_t i = 0; i < 2; i++)
      for (int64_t j = 0; j < 3; j++) CHECK(r.data[i + j * 2] == b.data[(i + 1) + (j + 1) * 4]);
    gy_mat_clear(&r);
    gy_matfile_close(f);
  }
  const char *bad[] = {"1x"};
  CHECK_FAILS(gy_matfile_write(path, bad, mats, 1, 0), GY_EINVAL, "not a MATLAB variable name");
  const char *twice[] = {"x", "x"};
  CHECK_FAILS(gy_matfile_write(path, twice, mats, 2, 0), GY_EINVAL, "twice");
  unlink(path);
  gy_mat_clear(&a);
  gy_mat_clear(&b);
}

static void check_bad(void) {
  gy_matfile *f = NULL;
  CHECK_FAILS(gy_matfile_open(&f, fx("bad_magic.mat")), GY_EFORMAT, "not a MATLAB");
  CHECK_FAILS(gy_matfile_open(&f, fx("missing.mat")), GY_EIO, "cannot open");
  /* Found by tests/fuzz/fuzz_mat.c: a damaged header text hid the file from the pre-scan and
   * a dimension list claiming 4 GB made matio allocate it. */
  CHECK_FAILS(gy_matfile_open(&f, fx("bad_text.mat")), GY_EFORMAT, "dimensions claim");
  /* Also fuzz: a compressed variable whose inner length claims 1.4 GB. */
  CHECK_FAILS(gy_matfile_open(&f, fx("bad_zsize.mat")), GY_EFORMAT, "compressed variable claims");
  /* Also fuzz: a flags tag with a damaged high half hid a 3 GB dimension list. */
  CHECK_FAILS(gy_matfile_open(&f, fx("bad_flags.mat")), GY_EFORMAT, "dimensions claim");
  /* Also fuzz: a packed dimension tag longer than 4 bytes (matio sized a struct's field
   * table by it: 8 GB) and a flags tag damaged outside its low byte (40 s in matio). */
  CHECK_FAILS(gy_matfile_open(&f, fx("bad_dimtag.mat")), GY_EFORMAT, "is damaged");
  CHECK_FAILS(gy_matfile_open(&f, fx("bad_slow.mat")), GY_EFORMAT, "dimensions claim");
  /* A truncated file may list fewer variables; reading must fail cleanly or succeed. */
  if (gy_matfile_open(&f, fx("bad_truncated.mat")) == GY_OK) {
    for (int64_t k = 0; k < gy_matfile_count(f); k++) {
      gy_mat m = {0};
      if (gy_matfile_read(&m, f, k) == GY_OK) gy_mat_clear(&m);
    }
    gy_matfile_close(f);
    CHECK(1);
  }
  /* A v7.3 file cut short: matio listed no variables at all. */
  CHECK_FAILS(gy_matfile_open(&f, fx("bad73_truncated.mat")), GY_EFORMAT, "truncated");
  f = NULL;
  if (gy_matfile_open(&f, fx("bad_dims.mat")) == GY_OK) {
    gy_mat m = {0};
    CHECK_FAILS(gy_matfile_read(&m, f, 0), GY_EFORMAT, "a");
    gy_matfile_close(f);
  } else {
    CHECK(gy_errmsg()[0] != 0);
  }
}

int main(void) {
  check_fixture("vars_u.mat");
  check_fixture("vars_z.mat");
  check_v73();
  check_roundtrip(0, 5);
  check_roundtrip(1, 5);
  check_roundtrip(0, 73);
  check_roundtrip(1, 73);
  CHECK_FAILS(gy_matfile_write_version("/tmp/x.mat", NULL, NULL, 0, 0, 7), GY_EINVAL, "5 or 7.3");
  check_bad();
  return test_summary();
}
