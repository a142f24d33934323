/* Spectral connectivity: DPSS properties, analytic connectivity values, error paths.
 * The values against MNE are in tests/lua/spectral_spec.lua. */
#include "test.h"

#include <stdlib.h>

#include "gyrus/spectral.h"

#define AT(m, i, j) ((m)->data[(i) + (j) * (m)->ld])

static void test_dpss(void) {
  gy_mat T = {0}, R = {0};
  CHECK_OK(gy_spectral_dpss(&T, &R, 64, 3.0, 6, 1, 0));
  CHECK(T.rows == 64 && T.cols == 6 && R.rows == 6);
  /* Symmetric tapers are orthonormal eigenvectors. */
  for (int a = 0; a < 6; a++)
    for (int b = 0; b <= a; b++) {
      double s = 0;
      for (int t = 0; t < 64; t++) s += AT(&T, t, a) * AT(&T, t, b);
      CHECK_NEAR(s, a == b ? 1.0 : 0.0, 1e-12);
    }
  /* Concentrations decrease and the first ones are close to 1. */
  for (int k = 1; k < 6; k++) CHECK(R.data[k] < R.data[k - 1]);
  CHECK(R.data[0] > 0.999999 && R.data[0] < 1.0000001);
  /* Even tapers sum positive, odd ones start with a positive lobe. */
  double s0 = 0;
  for (int t = 0; t < 64; t++) s0 += AT(&T, t, 0);
  CHECK(s0 > 0);
  CHECK(AT(&T, 32, 0) > 0 && AT(&T, 10, 1) > 0);
  gy_mat_clear(&T);
  gy_mat_clear(&R);

  /* low_bias keeps the ratios above 0.9: 2NW - 1 of 2NW here. */
  CHECK_OK(gy_spectral_dpss(&T, &R, 100, 4.0, 8, 0, 1));
  CHECK(T.rows == 100 && T.cols == 7);
  for (int k = 0; k < T.cols; k++) CHECK(R.data[k] > 0.9);
  gy_mat_clear(&T);
  gy_mat_clear(&R);

  CHECK_FAILS(gy_spectral_dpss(&T, &R, 10, 6.0, 4, 1, 1), GY_EINVAL, "half bandwidth");
  CHECK_FAILS(gy_spectral_dpss(&T, &R, 10, 2.0, 11, 1, 1), GY_EINVAL, "number of tapers");
  CHECK(T.data == NULL && R.data == NULL);
}

/* Two signals, the second a copy of the first shifted in phase by a quarter period. */
static void fill(gy_mat *X, int n_epochs, int n, double sfreq, double f, double shift) {
  gy_mat_init(X, n, 2 * n_epochs);
  for (int e = 0; e < n_epochs; e++)
    for (int t = 0; t < n; t++) {
      double ph = 2 * 3.14159265358979323846 * f * t / sfreq + 0.7 * e;
      AT(X, t, 2 * e) = sin(ph) + 0.01 * cos(13.0 * t * (e + 1));
      AT(X, t, 2 * e + 1) = sin(ph + shift);
    }
}

static void test_conn(void) {
  gy_mat X = {0};
  fill(&X, 6, 200, 200.0, 25.0, 3.14159265358979323846 / 2);
  int methods[] = {GY_SPECTRAL_COH,  GY_SPECTRAL_PLV,  GY_SPECTRAL_PLI, GY_SPECTRAL_WPLI,
                   GY_SPECTRAL_DPLI, GY_SPECTRAL_COHY, GY_SPECTRAL_PPC};
  gy_mat outs[7] = {{0}}, freqs = {0};
  double fmin[] = {20.0}, fmax[] = {30.0};
  CHECK_OK(gy_spectral_conn(outs, &freqs, &X, 2, 200.0, GY_SPECTRAL_MULTITAPER, methods, 7, fmin,
                            fmax, 1, 0, 0, 1));
  CHECK(freqs.rows == 11 && outs[0].rows == 1 && outs[0].cols == 11);
  CHECK(outs[5].cols == 22);
  /* At 25 Hz (column 5) the signals are phase-locked: the seed (signal 2) leads. */
  CHECK_NEAR(freqs.data[5], 25.0, 1e-12);
  CHECK_NEAR(AT(&outs[0], 0, 5), 1.0, 1e-3);
  CHECK_NEAR(AT(&outs[1], 0, 5), 1.0, 1e-3);
  CHECK_NEAR(AT(&outs[2], 0, 5), 1.0, 1e-12);
  CHECK_NEAR(AT(&outs[3], 0, 5), 1.0, 1e-12);
  CHECK_NEAR(AT(&outs[4], 0, 5), 1.0, 1e-12);
  CHECK(AT(&outs[5], 0, 11 + 5) > 0.99);
  CHECK_NEAR(AT(&outs[6], 0, 5), 1.0, 1e-3);
  for (int m = 0; m < 7; m++) gy_mat_clear(&outs[m]);
  gy_mat_clear(&freqs);

  /* faverage: one column per band. */
  double bmin[] = {10.0, 24.0}, bmax[] = {20.0, 26.0};
  CHECK_OK(gy_spectral_conn(outs, &freqs, &X, 2, 200.0, GY_SPECTRAL_FOURIER, methods, 2, bmin,
                            bmax, 2, 1, 0, 1));
  CHECK(outs[0].cols == 2 && outs[1].cols == 2);
  CHECK(AT(&outs[1], 0, 1) > 0.99);
  for (int m = 0; m < 2; m++) gy_mat_clear(&outs[m]);
  gy_mat_clear(&freqs);

  double hi[] = {500.0};
  CHECK_FAILS(gy_spectral_conn(outs, &freqs, &X, 2, 200.0, GY_SPECTRAL_MULTITAPER, methods, 1,
                               hi, hi, 1, 0, 0, 1),
              GY_EINVAL, "no frequency");
  CHECK_FAILS(gy_spectral_conn(outs, &freqs, &X, 5, 200.0, GY_SPECTRAL_MULTITAPER, methods, 1,
                               fmin, fmax, 1, 0, 0, 1),
              GY_EINVAL, "multiple");
  CHECK_FAILS(gy_spectral_conn(outs, &freqs, &X, 2, 200.0, GY_SPECTRAL_MULTITAPER, methods, 1,
                               fmin, fmax, 1, 0, 0.001, 1),
              GY_EINVAL, "half bandwidth");
  int bad[] = {42};
  CHECK_FAILS(gy_spectral_conn(outs, &freqs, &X, 2, 200.0, GY_SPECTRAL_MULTITAPER, bad, 1, fmin,
                               fmax, 1, 0, 0, 1),
              GY_EINVAL, "unknown connectivity method");
  CHECK(outs[0].data == NULL && freqs.data == NULL);
  X.data[3] = NAN;
  CHECK_FAILS(gy_spectral_conn(outs, &freqs, &X, 2, 200.0, GY_SPECTRAL_MULTITAPER, methods, 1,
                               fmin, fmax, 1, 0, 0, 1),
              GY_EINVAL, "");
  gy_mat_clear(&X);
}

static void test_cwt(void) {
  gy_mat X = {0};
  fill(&X, 4, 200, 200.0, 25.0, 3.14159265358979323846 / 2);
  int methods[] = {GY_SPECTRAL_PLI, GY_SPECTRAL_COHY};
  gy_mat outs[2] = {{0}};
  double freqs[] = {25.0, 40.0}, cycles[] = {7.0, 7.0};
  CHECK_OK(gy_spectral_conn_cwt(outs, &X, 2, 200.0, methods, 2, freqs, cycles, 2));
  CHECK(outs[0].rows == 1 && outs[0].cols == 400 && outs[1].cols == 800);
  /* Mid-epoch at 25 Hz the seed leads by a quarter period in every epoch. */
  CHECK_NEAR(AT(&outs[0], 0, 100), 1.0, 1e-12);
  for (int m = 0; m < 2; m++) gy_mat_clear(&outs[m]);
  double low[] = {2.0};
  CHECK_FAILS(gy_spectral_conn_cwt(outs, &X, 2, 200.0, methods, 1, low, cycles, 1), GY_EINVAL,
              "longer than");
  double nyq[] = {150.0};
  CHECK_FAILS(gy_spectral_conn_cwt(outs, &X, 2, 200.0, methods, 1, nyq, cycles, 1), GY_EINVAL,
              "sfreq/2");
  CHECK(outs[0].data == NULL);
  gy_mat_clear(&X);
}

/* Regression: LAPACKE_dstein NaN-checks all n entries of the eigenvalue array although
 * dstebz fills only the kmax it finds; with an uninitialised array the call failed whenever
 * the allocator handed back memory holding NaN. Freed NaN-filled blocks of the same size
 * are what malloc returns next, so this provoked the failure every time. */
static void test_dpss_garbage_memory(void) {
  for (int round = 0; round < 4; round++) {
    double *junk[6];
    for (int k = 0; k < 6; k++) {
      junk[k] = malloc(64 * sizeof(double));
      for (int i = 0; i < 64; i++) junk[k][i] = NAN;
    }
    for (int k = 0; k < 6; k++) free(junk[k]);
    gy_mat T = {0}, R = {0};
    CHECK_OK(gy_spectral_dpss(&T, &R, 64, 3.0, 6, 1, 0));
    gy_mat_clear(&T);
    gy_mat_clear(&R);
  }
}

int main(void) {
  test_dpss();
  test_dpss_garbage_memory();
  test_conn();
  test_cwt();
  printf("%d passed, %d failed\n", test_passed_, test_failed_);
  return test_failed_ != 0;
}
