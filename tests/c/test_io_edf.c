/* EDF/BDF: fixtures from tests/fixtures/make_io_more.py, round trips, damaged files. */
#include "test.h"

#include "gyrus/io_edf.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

static const char *fx(const char *name) {
  static char buf[1024];
  snprintf(buf, sizeof buf, "%s/tests/fixtures/io_more/%s", GY_SOURCE_DIR, name);
  return buf;
}

static void check_fixtures(void) {
  gy_edf *f = NULL;
  CHECK_OK(gy_edf_open(&f, fx("plain.edf")));
  if (f) {
    CHECK(gy_edf_filetype(f) == 0 && gy_edf_signals(f) == 2);
    CHECK(strcmp(gy_edf_label(f, 1), "Cz") == 0 && strcmp(gy_edf_unit(f, 0), "uV") == 0);
    CHECK(gy_edf_sfreq(f, 0) == 10 && gy_edf_samples(f, 1) == 30);
    CHECK(strcmp(gy_edf_start(f), "2021-03-02T10:20:30") == 0);
    gy_mat m = {0};
    CHECK_OK(gy_edf_read(&m, f, 1));
    CHECK(m.rows == 30 && m.cols == 1);
    for (int64_t i = 0; m.data && i < 30; i++) CHECK(m.data[i] >= -150.5 && m.data[i] <= 300.25);
    gy_mat_clear(&m);
    CHECK_FAILS(gy_edf_read(&m, f, 2), GY_EINVAL, "does not exist");
    gy_edf_close(f);
  }
  f = NULL;
  CHECK_OK(gy_edf_open(&f, fx("annot.edf")));
  if (f) {
    CHECK(gy_edf_filetype(f) == 1 && gy_edf_signals(f) == 1 && gy_edf_annotations(f) == 2);
    double on, du;
    const char *t;
    CHECK_OK(gy_edf_annotation(f, 0, &on, &du, &t));
    CHECK(on == 0.5 && du == 0.25 && strcmp(t, "stim A") == 0);
    CHECK_OK(gy_edf_annotation(f, 1, &on, &du, &t));
    CHECK(on == 1.25 && du == -1 && strcmp(t, "resp") == 0);
    gy_edf_close(f);
  }
  /* Records shorter or longer than a second: the rate is samples per record / duration. */
  f = NULL;
  CHECK_OK(gy_edf_open(&f, fx("halfsec.edf")));
  if (f) {
    CHECK(gy_edf_filetype(f) == 1 && gy_edf_signals(f) == 2 && gy_edf_annotations(f) == 2);
    CHECK(gy_edf_sfreq(f, 0) == 256 && gy_edf_sfreq(f, 1) == 128);
    CHECK(gy_edf_samples(f, 0) == 512 && gy_edf_samples(f, 1) == 256);
    double on, du;
    const char *t;
    CHECK_OK(gy_edf_annotation(f, 1, &on, &du, &t));
    CHECK(on == 1.625 && du == -1 && strcmp(t, "blink") == 0);
    gy_edf_close(f);
  }
  f = NULL;
  CHECK_OK(gy_edf_open(&f, fx("odd.edf")));
  if (f) {
    CHECK(fabs(gy_edf_sfreq(f, 0) - 250) < 1e-12 && gy_edf_samples(f, 1) == 512);
    gy_edf_close(f);
  }
  f = NULL;
  CHECK_OK(gy_edf_open(&f, fx("multirate.edf")));
  if (f) {
    CHECK(gy_edf_sfreq(f, 0) == 10 && gy_edf_sfreq(f, 1) == 5 && gy_edf_samples(f, 1) == 10);
    gy_edf_close(f);
  }
}

static void roundtrip(int bdf) {
  char path[] = "/tmp/gy_test_io_edf_XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  close(fd);
  gy_mat x = {0};
  int64_t n = 250; /* 2.5 records at 100 Hz: the last one is padded */
  CHECK_OK(gy_mat_init(&x, n, 3));
  for (int64_t i = 0; i < n; i++) {
    x.data[i] = 50 * sin(0.1 * (double)i);
    x.data[i + n] = 1e-3 * cos(0.37 * (double)i) + 0.5;
    x.data[i + 2 * n] = 7;
  }
  const char *labels[] = {"Fp1", "Fp2", "flat"};
  CHECK_OK(gy_edf_write(path, &x, 100, labels, "uV", bdf));
  gy_edf *f = NULL;
  CHECK_OK(gy_edf_open(&f, path));
  if (f) {
    CHECK(gy_edf_filetype(f) == (bdf ? 3 : 1) && gy_edf_signals(f) == 3);
    CHECK(strcmp(gy_edf_label(f, 2), "flat") == 0 && strcmp(gy_edf_unit(f, 0), "uV") == 0);
    double levels = bdf ? 16777215.0 : 65535.0;
    double range[3] = {100, 2e-3, 2};
    for (int c = 0; c < 3; c++) {
      gy_mat r = {0};
      CHECK_OK(gy_edf_read(&r, f, c));
      CHECK(r.rows == 300);
      /* half a step of quantisation, the range rounded outwards for the header */
      double tol = 1.2 * range[c] / levels / 2 + 1e-7;
      double worst = 0;
      for (int64_t i = 0; r.data && i < 300; i++) {
        double want = x.data[(i < n ? i : n - 1) + c * n];
        double e = fabs(r.data[i] - want);
        if (e > worst) worst = e;
      }
      CHECK(worst <= tol);
      if (worst > tol) fprintf(stderr, "channel %d: error %g > %g\n", c, worst, tol);
      gy_mat_clear(&r);
    }
    gy_edf_close(f);
  }
  /* 12.5 Hz fills 0.96-s records with 12 samples; 99.5 Hz needs 2-s records. */
  CHECK_OK(gy_edf_write(path, &x, 12.5, labels, "uV", bdf));
  f = NULL;
  CHECK_OK(gy_edf_open(&f, path));
  if (f) {
    CHECK(gy_edf_sfreq(f, 1) == 12.5 && gy_edf_samples(f, 0) == 252);
    gy_mat r = {0};
    CHECK_OK(gy_edf_read(&r, f, 0));
    for (int64_t i = 0; r.data && i < n; i++) CHECK(fabs(r.data[i] - x.data[i]) < 1e-2);
    gy_mat_clear(&r);
    gy_edf_close(f);
  }
  CHECK_FAILS(gy_edf_write(path, &x, 99.5, labels, "uV", bdf), GY_EINVAL, "whole number");
  CHECK_FAILS(gy_edf_write(path, &x, 0.3, labels, "uV", bdf), GY_EINVAL, "at most 1 s");
  x.data[3] = NAN;
  CHECK_FAILS(gy_edf_write(path, &x, 100, labels, "uV", bdf), GY_EINVAL, "");
  unlink(path);
  gy_mat_clear(&x);
}

static void check_bad(void) {
  gy_edf *f = NULL;
  CHECK_FAILS(gy_edf_open(&f, fx("bad_truncated.edf")), GY_EFORMAT, "damaged");
  CHECK_FAILS(gy_edf_open(&f, fx("bad_magic.edf")), GY_EFORMAT, "not an EDF");
  CHECK_FAILS(gy_edf_open(&f, fx("bad_records.edf")), GY_EFORMAT, "size");
  CHECK_FAILS(gy_edf_open(&f, fx("vars_u.mat")), GY_EFORMAT, "EDF");
  CHECK_FAILS(gy_edf_open(&f, fx("missing.edf")), GY_EIO, "cannot open");
  CHECK(f == NULL);
}

int main(void) {
  check_fixtures();
  roundtrip(0);
  roundtrip(1);
  check_bad();
  return test_summary();
}
