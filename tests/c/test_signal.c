/* Signal cleaning: the Butterworth magnitude response against its closed form, steady-state
 * filtering of constants, detrending, confound projection, standardisation and every error
 * path. Agreement with scipy/nilearn on real data is in tests/lua/signal_spec.lua. */
#include "test.h"

#include <complex.h>
#include <stdint.h>

#include "gyrus/signal.h"

static gy_mat randn(int64_t r, int64_t c, uint64_t seed) {
  gy_rng g;
  gy_mat m = {0};
  gy_rng_seed(&g, seed);
  gy_mat_init(&m, r, c);
  gy_rng_fill_normal(&g, &m);
  return m;
}

static double at(const gy_mat *m, int64_t i, int64_t j) {
  return m->data[i + j * m->ld];
}

/* |H(e^{iw})| of the cascade. */
static double gain(const gy_mat *sos, double w) {
  double complex z = cexp(-I * w), h = 1;
  for (int64_t s = 0; s < sos->rows; s++) {
    double complex b = at(sos, s, 0) + at(sos, s, 1) * z + at(sos, s, 2) * z * z;
    double complex a = at(sos, s, 3) + at(sos, s, 4) * z + at(sos, s, 5) * z * z;
    h *= b / a;
  }
  return cabs(h);
}

static void test_butter(void) {
  const double pi = 3.14159265358979323846, fs = 0.5;
  gy_mat sos = {0};
  /* Bilinear Butterworth: |H|^2 = 1 / (1 + (tan(w/2) / tan(wc/2))^(2N)). */
  CHECK_OK(gy_signal_butter(&sos, 5, 0.1, 0, fs));
  CHECK(sos.rows == 3 && sos.cols == 6);
  double wc = 2 * pi * 0.1 / fs;
  for (double f = 0; f < 0.25; f += 0.02) {
    double w = 2 * pi * f / fs;
    double want = 1 / sqrt(1 + pow(tan(w / 2) / tan(wc / 2), 10));
    CHECK_NEAR(gain(&sos, w), want, 1e-12);
  }
  gy_mat_clear(&sos);
  CHECK_OK(gy_signal_butter(&sos, 4, 0, 0.05, fs));
  CHECK(sos.rows == 2);
  wc = 2 * pi * 0.05 / fs;
  for (double f = 0.01; f < 0.25; f += 0.02) {
    double w = 2 * pi * f / fs;
    double want = 1 / sqrt(1 + pow(tan(wc / 2) / tan(w / 2), 8));
    CHECK_NEAR(gain(&sos, w), want, 1e-12);
  }
  gy_mat_clear(&sos);
  CHECK_OK(gy_signal_butter(&sos, 5, 0.1, 0.01, fs));
  CHECK(sos.rows == 5);
  CHECK_NEAR(gain(&sos, 0), 0, 1e-12);
  /* The band centre of the prewarped design has unit gain. */
  double t = sqrt(tan(pi * 0.01 / fs) * tan(pi * 0.1 / fs));
  CHECK_NEAR(gain(&sos, 2 * atan(t)), 1, 1e-12);
  gy_mat_clear(&sos);

  CHECK_FAILS(gy_signal_butter(&sos, 5, 0.3, 0, fs), GY_EINVAL, "between 0 and Nyquist");
  CHECK_FAILS(gy_signal_butter(&sos, 5, 0.05, 0.1, fs), GY_EINVAL, "must be below");
  CHECK_FAILS(gy_signal_butter(&sos, 0, 0.05, 0, fs), GY_EINVAL, "order");
  CHECK_FAILS(gy_signal_butter(&sos, 5, 0, 0, fs), GY_EINVAL, "neither");
  CHECK(sos.data == NULL);
}

static void test_filtfilt(void) {
  gy_mat sos = {0}, X = {0}, Y = {0};
  gy_mat_init(&X, 100, 2);
  for (int t = 0; t < 100; t++) {
    X.data[t] = 3;
    X.data[100 + t] = -1.5;
  }
  /* Steady-state initial conditions: a constant passes a low-pass unchanged and a
   * high-pass removes it entirely. */
  CHECK_OK(gy_signal_butter(&sos, 5, 0.1, 0, 0.5));
  CHECK_OK(gy_signal_sosfiltfilt(&Y, &sos, &X, -1));
  for (int t = 0; t < 100; t += 9) {
    CHECK_NEAR(at(&Y, t, 0), 3, 1e-12);
    CHECK_NEAR(at(&Y, t, 1), -1.5, 1e-12);
  }
  gy_mat_clear(&Y);
  gy_mat_clear(&sos);
  CHECK_OK(gy_signal_butter(&sos, 5, 0, 0.02, 0.5));
  CHECK_OK(gy_signal_sosfiltfilt(&Y, &sos, &X, -1));
  for (int t = 0; t < 100; t += 9) CHECK_NEAR(at(&Y, t, 0), 0, 1e-11);
  gy_mat_clear(&Y);
  /* Padding 3 * (5 + 1) = 18: 18 samples are too few, 19 enough. */
  gy_mat v = {0};
  gy_mat_view(&v, &X, 0, 0, 18, 1);
  CHECK_FAILS(gy_signal_sosfiltfilt(&Y, &sos, &v, -1), GY_EINVAL, "18 time points are too few");
  gy_mat_view(&v, &X, 0, 0, 19, 1);
  CHECK_OK(gy_signal_sosfiltfilt(&Y, &sos, &v, -1));
  gy_mat_clear(&Y);
  CHECK_OK(gy_signal_sosfiltfilt(&Y, &sos, &v, 0));
  gy_mat_clear(&Y);
  gy_mat_clear(&sos);
  gy_mat_clear(&X);
}

static void test_clean(void) {
  int64_t n = 120;
  gy_mat X = randn(n, 3, 5), Cf = randn(n, 2, 6), Y = {0};
  /* Column 0: a confound plus a line; column 2: a line on a large mean (psc). */
  for (int64_t t = 0; t < n; t++) {
    X.data[t] = 2 * Cf.data[t] + 0.01 * (double)t + 0.1 * X.data[t];
    X.data[2 * n + t] = 1000 + 0.5 * X.data[2 * n + t];
  }
  gy_signal_clean_opts o;
  gy_signal_clean_defaults(&o);
  CHECK(o.detrend == 1 && o.standardize == GY_SIGNAL_ZSCORE_SAMPLE && o.order == 5 &&
        o.t_r == 2.5 && o.padlen == -1);
  o.standardize = GY_SIGNAL_STD_NONE;
  CHECK_OK(gy_signal_clean(&Y, &X, &Cf, NULL, 0, &o));
  /* Residuals are orthogonal to the (detrended) confounds. */
  gy_mat D = {0};
  CHECK_OK(gy_signal_detrend(&D, &Cf));
  for (int j = 0; j < 3; j++)
    for (int c = 0; c < 2; c++) {
      double d = 0;
      for (int64_t t = 0; t < n; t++) d += at(&Y, t, j) * at(&D, t, c);
      CHECK_NEAR(d, 0, 1e-10);
    }
  gy_mat_clear(&Y);
  o.standardize = GY_SIGNAL_ZSCORE_SAMPLE;
  CHECK_OK(gy_signal_clean(&Y, &X, NULL, NULL, 0, &o));
  for (int j = 0; j < 3; j++) {
    double m = 0, ss = 0;
    for (int64_t t = 0; t < n; t++) m += at(&Y, t, j) / n;
    for (int64_t t = 0; t < n; t++) ss += (at(&Y, t, j) - m) * (at(&Y, t, j) - m);
    CHECK_NEAR(m, 0, 1e-14);
    CHECK_NEAR(ss / (n - 1), 1, 1e-12);
  }
  gy_mat_clear(&Y);
  /* psc after detrending is taken against the original mean (about 1000). */
  o.standardize = GY_SIGNAL_PSC;
  CHECK_OK(gy_signal_clean(&Y, &X, NULL, NULL, 0, &o));
  double mean = 0;
  for (int64_t t = 0; t < n; t++) mean += at(&X, t, 2) / n;
  gy_mat_clear(&Y);
  o.detrend = 0;
  CHECK_OK(gy_signal_clean(&Y, &X, NULL, NULL, 0, &o));
  CHECK_NEAR(at(&Y, 4, 2), 100 * (at(&X, 4, 2) - mean) / mean, 1e-10);
  gy_mat_clear(&Y);
  gy_signal_clean_defaults(&o);
  int64_t keep[4] = {0, 5, 6, 100};
  CHECK_OK(gy_signal_clean(&Y, &X, &Cf, keep, 4, &o));
  CHECK(Y.rows == 4 && Y.cols == 3);
  gy_mat_clear(&Y);

  /* Errors, none of which leaks. */
  /* With a filter: interpolate, filter, censor. A line through the kept volumes is kept
   * by the spline, so the result equals filtering the full line. */
  o.low_pass = 0.1;
  o.t_r = 2;
  o.detrend = 0;
  o.standardize = GY_SIGNAL_STD_NONE;
  gy_mat line = {0}, full = {0};
  gy_mat_init(&line, n, 1);
  for (int64_t t = 0; t < n; t++) line.data[t] = 3 + 0.5 * (double)t;
  int64_t kl[5] = {2, 10, 11, 50, 119};
  o.extrapolate = 1;
  CHECK_OK(gy_signal_clean(&Y, &line, NULL, kl, 5, &o));
  CHECK_OK(gy_signal_clean(&full, &line, NULL, NULL, 0, &o));
  CHECK(Y.rows == 5);
  for (int i = 0; i < 5; i++) CHECK_NEAR(Y.data[i], full.data[kl[i]], 1e-9);
  gy_mat_clear(&Y);
  gy_mat_clear(&full);
  o.extrapolate = 0;
  CHECK_OK(gy_signal_clean(&Y, &line, NULL, kl, 5, &o));
  CHECK(Y.rows == 5);
  gy_mat_clear(&Y);
  CHECK_FAILS(gy_signal_clean(&Y, &line, NULL, kl, 1, &o), GY_EINVAL, "at least 2 kept");
  gy_mat_clear(&line);
  gy_signal_clean_defaults(&o);
  o.low_pass = 0.1;
  o.high_pass = 0.2;
  CHECK_FAILS(gy_signal_clean(&Y, &X, NULL, NULL, 0, &o), GY_EINVAL, "must be below");
  o.high_pass = -1;
  CHECK_FAILS(gy_signal_clean(&Y, &X, NULL, NULL, 0, &o), GY_EINVAL, "must be positive");
  o.high_pass = 0;
  o.t_r = 0;
  CHECK_FAILS(gy_signal_clean(&Y, &X, NULL, NULL, 0, &o), GY_EINVAL, "repetition time");
  gy_signal_clean_defaults(&o);
  int64_t bad[2] = {5, 5};
  CHECK_FAILS(gy_signal_clean(&Y, &X, NULL, bad, 2, &o), GY_EINVAL, "increasing");
  bad[1] = 500;
  CHECK_FAILS(gy_signal_clean(&Y, &X, NULL, bad, 2, &o), GY_EINVAL, "outside 1..120");
  CHECK_FAILS(gy_signal_clean(&Y, &X, NULL, bad, 0, &o), GY_EINVAL, "removes every volume");
  gy_mat short_cf = {0};
  gy_mat_view(&short_cf, &Cf, 0, 0, 50, 2);
  CHECK_FAILS(gy_signal_clean(&Y, &X, &short_cf, NULL, 0, &o), GY_EINVAL, "50 time points");
  o.standardize = 9;
  CHECK_FAILS(gy_signal_clean(&Y, &X, NULL, NULL, 0, &o), GY_EINVAL, "unknown standardisation");
  gy_signal_clean_defaults(&o);
  X.data[7] = NAN;
  CHECK_FAILS(gy_signal_clean(&Y, &X, NULL, NULL, 0, &o), GY_EINVAL, "row 8, column 1");
  CHECK(Y.data == NULL);
  gy_mat_clear(&D);
  gy_mat_clear(&X);
  gy_mat_clear(&Cf);
}

static void test_interrupt(void) {
  gy_mat X = randn(200, 80, 9), Y = {0};
  gy_signal_clean_opts o;
  gy_signal_clean_defaults(&o);
  o.low_pass = 0.1;
  o.t_r = 2;
  gy_interrupt(1);
  CHECK_FAILS(gy_signal_clean(&Y, &X, NULL, NULL, 0, &o), GY_EINTR, "interrupted");
  gy_interrupt(0);
  CHECK(Y.data == NULL);
  gy_mat_clear(&X);
}

int main(void) {
  test_butter();
  test_filtfilt();
  test_clean();
  test_interrupt();
  return test_summary();
}
