/* Dynamic connectivity, Granger causality and group statistics: analytic values (incomplete
 * beta identities, exact Hilbert phases of pure tones, a noise-free VAR, Benjamini-Hochberg by
 * hand), planted effects, and the error paths. The scipy/statsmodels values are in
 * tests/lua/dynamic_spec.lua. */
#include "test.h"

#include <stdint.h>

#include "gyrus/conn.h"
#include "gyrus/dynamic.h"
#include "gyrus/granger.h"
#include "gyrus/groupstats.h"
#include "gyrus/rng.h"

static const double PI = 3.14159265358979323846;

static gy_mat randn(int64_t r, int64_t c, uint64_t seed) {
  gy_rng g;
  gy_mat m = {0};
  gy_rng_seed(&g, seed);
  gy_mat_init(&m, r, c);
  gy_rng_fill_normal(&g, &m);
  return m;
}

static double at(const gy_mat *m, int64_t i, int64_t j) { return m->data[i + j * m->ld]; }
#define GY_AT(m, i, j) ((m)->data[(i) + (j) * (m)->ld])

static void test_distributions(void) {
  for (double x = 0.05; x < 1; x += 0.1) {
    CHECK_NEAR(gy_betainc(1, 1, x), x, 1e-14);
    CHECK_NEAR(gy_betainc(3.5, 1, x), pow(x, 3.5), 1e-13);
    CHECK_NEAR(gy_betainc(1, 2.5, x), 1 - pow(1 - x, 2.5), 1e-13);
    CHECK_NEAR(gy_betainc(2.2, 7.1, x), 1 - gy_betainc(7.1, 2.2, 1 - x), 1e-13);
  }
  CHECK(gy_betainc(1, 1, 0) == 0 && gy_betainc(1, 1, 1) == 1);
  CHECK(isnan(gy_betainc(-1, 1, 0.5)) && isnan(gy_betainc(1, 1, 1.5)));
  /* statsmodels' grangercausalitytests on macrodata, lag 2 (R lmtest::grangertest) */
  CHECK_NEAR(gy_f_sf(0.243097, 2, 195), 0.7844328, 1e-6);
  CHECK(gy_f_sf(0, 3, 10) == 1 && gy_f_sf(INFINITY, 3, 10) == 0);
  /* Cauchy: two-sided p = 1 - 2 atan|t| / pi */
  CHECK_NEAR(gy_t_sf2(1.7, 1), 1 - 2 * atan(1.7) / PI, 1e-13);
  CHECK_NEAR(gy_t_sf2(0, 12), 1, 1e-15);
  /* F(1, d) is t(d) squared */
  CHECK_NEAR(gy_f_sf(2.3 * 2.3, 1, 17), gy_t_sf2(2.3, 17), 1e-13);
}

static void test_var(void) {
  /* mne-connectivity test_regression without noise: the estimate equals A */
  double A[2][2] = {{1 / sqrt(3), 1 / sqrt(3)}, {-1 / sqrt(3), 2 / sqrt(3)}};
  gy_mat X = {0}, coef = {0}, sigma = {0};
  gy_mat_init(&X, 100, 2);
  X.data[0] = 0.5;
  X.data[X.ld] = 1.0;
  for (int64_t t = 1; t < 100; t++)
    for (int i = 0; i < 2; i++)
      GY_AT(&X, t, i) = A[i][0] * GY_AT(&X, t - 1, 0) + A[i][1] * GY_AT(&X, t - 1, 1);
  CHECK_OK(gy_granger_var(&coef, &sigma, &X, 1, 0));
  CHECK(coef.rows == 2 && coef.cols == 2);
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++) CHECK_NEAR(at(&coef, j, i), A[i][j], 1e-9);
  gy_mat_clear(&coef);
  gy_mat_clear(&sigma);
  CHECK_FAILS(gy_granger_var(&coef, &sigma, &X, 40, 1), GY_EINVAL, "too few");
  CHECK_FAILS(gy_granger_var(&coef, &sigma, &X, -1, 1), GY_EINVAL, "order");
  gy_mat_clear(&X);
}

/* x1 is white noise, x2(t) = 0.8 x1(t-1) + noise, x3 independent */
static gy_mat driven(int64_t n, uint64_t seed) {
  gy_mat X = randn(n, 3, seed);
  for (int64_t t = n - 1; t >= 1; t--) GY_AT(&X, t, 1) = 0.8 * GY_AT(&X, t - 1, 0) + 0.5 * GY_AT(&X, t, 1);
  return X;
}

static void test_granger(void) {
  gy_mat X = driven(400, 3), F = {0}, p = {0}, F2 = {0}, p2 = {0}, crit = {0};
  double df = 0;
  CHECK_OK(gy_granger_test(&F, &p, &df, &X, 2, 0));
  CHECK(df == 400 - 2 - 5);
  CHECK(at(&p, 1, 0) < 1e-12); /* 0 -> 1 */
  CHECK(at(&p, 0, 1) > 1e-3 && at(&p, 2, 0) > 1e-3 && at(&p, 0, 2) > 1e-3);
  CHECK(at(&F, 0, 0) == 0 && at(&p, 1, 1) == 1);
  CHECK_OK(gy_granger_test(&F2, &p2, &df, &X, 2, 1));
  CHECK(df == 400 - 2 - 7);
  CHECK(at(&p2, 1, 0) < 1e-12);
  gy_mat_clear(&F);
  gy_mat_clear(&p);
  gy_mat_clear(&F2);
  gy_mat_clear(&p2);
  /* two variables: conditional and pairwise are the same test */
  gy_mat V = {0};
  gy_mat_view(&V, &X, 0, 0, 400, 2);
  CHECK_OK(gy_granger_test(&F, &p, NULL, &V, 3, 0));
  CHECK_OK(gy_granger_test(&F2, &p2, NULL, &V, 3, 1));
  CHECK_NEAR(at(&F, 1, 0), at(&F2, 1, 0), 1e-10);
  CHECK_NEAR(at(&F, 0, 1), at(&F2, 0, 1), 1e-10);
  gy_mat_clear(&F);
  gy_mat_clear(&p);
  gy_mat_clear(&F2);
  gy_mat_clear(&p2);
  int64_t best = -1;
  CHECK_OK(gy_granger_select(&best, &crit, &X, 6, GY_GRANGER_BIC));
  CHECK(best == 1 && crit.rows == 7);
  gy_mat_clear(&crit);
  CHECK_FAILS(gy_granger_select(&best, &crit, &X, 6, 7), GY_EINVAL, "criterion");
  CHECK_FAILS(gy_granger_test(&F, &p, NULL, &X, 0, 0), GY_EINVAL, "order");
  CHECK_FAILS(gy_granger_test(&F, &p, NULL, &X, 150, 1), GY_EINVAL, "too few");
  gy_mat one = {0};
  gy_mat_view(&one, &X, 0, 0, 400, 1);
  CHECK_FAILS(gy_granger_test(&F, &p, NULL, &one, 1, 0), GY_EINVAL, "2 variables");
  X.data[5] = NAN;
  CHECK_FAILS(gy_granger_test(&F, &p, NULL, &X, 1, 0), GY_EINVAL, "");
  CHECK(F.data == NULL && p.data == NULL);
  gy_mat_clear(&X);
}

static void test_tapers_sliding(void) {
  gy_mat w = {0};
  CHECK_OK(gy_dyn_taper(&w, 11, GY_DYN_HAMMING, 0));
  CHECK_NEAR(w.data[0], 0.08, 1e-15);
  CHECK_NEAR(w.data[5], 1, 1e-15);
  gy_mat_clear(&w);
  CHECK_OK(gy_dyn_taper(&w, 21, GY_DYN_GAUSSIAN, 0)); /* odd: numpy's "same" centring is symmetric */
  for (int k = 0; k < 10; k++) CHECK_NEAR(w.data[k], w.data[20 - k], 1e-14);
  CHECK(w.data[0] < w.data[5] && w.data[10] <= 1 + 1e-12);
  gy_mat_clear(&w);
  CHECK_FAILS(gy_dyn_taper(&w, 0, GY_DYN_HAMMING, 0), GY_EINVAL, "window");
  CHECK(gy_dyn_n_windows(100, 30, 7) == 11 && gy_dyn_n_windows(10, 30, 1) == 0);

  gy_mat X = randn(50, 3, 9), ones = {0};
  gy_mat a[8] = {{0}}, b[8] = {{0}}, ref = {0}, V = {0};
  int64_t nw = gy_dyn_n_windows(50, 16, 5);
  CHECK(nw == 7);
  gy_mat_init(&ones, 16, 1);
  gy_mat_fill(&ones, 2.0);
  CHECK_OK(gy_dyn_sliding(a, &X, 16, 5, NULL, GY_CONN_CORRELATION, GY_CONN_EMPIRICAL, 1));
  CHECK_OK(gy_dyn_taper(&w, 16, GY_DYN_HAMMING, 0));
  /* hamming weights make a different estimate from the rectangle; constant weights do not */
  CHECK_OK(gy_dyn_sliding(b, &X, 16, 5, &w, GY_CONN_CORRELATION, GY_CONN_EMPIRICAL, 1));
  CHECK(fabs(at(&a[2], 0, 1) - at(&b[2], 0, 1)) > 1e-6);
  for (int64_t i = 0; i < nw; i++) gy_mat_clear(&b[i]);
  gy_mat_view(&V, &X, 10, 0, 16, 3);
  CHECK_OK(gy_conn_matrix(&ref, NULL, &V, GY_CONN_CORRELATION, GY_CONN_EMPIRICAL, 1));
  CHECK_NEAR(at(&a[2], 0, 1), at(&ref, 0, 1), 1e-13);
  CHECK_NEAR(at(&a[2], 2, 1), at(&ref, 2, 1), 1e-13);
  gy_mat_clear(&ref);
  /* weighted covariance with equal weights equals the 1/n window covariance */
  CHECK_OK(gy_dyn_sliding(b, &X, 16, 5, &ones, GY_CONN_COVARIANCE, GY_CONN_EMPIRICAL, 0));
  CHECK_OK(gy_conn_matrix(&ref, NULL, &V, GY_CONN_COVARIANCE, GY_CONN_EMPIRICAL, 0));
  CHECK_NEAR(at(&b[2], 0, 2), at(&ref, 0, 2), 1e-13);
  gy_mat_clear(&ref);
  for (int64_t i = 0; i < nw; i++) {
    gy_mat_clear(&a[i]);
    gy_mat_clear(&b[i]);
  }
  CHECK_FAILS(gy_dyn_sliding(a, &X, 16, 5, &w, GY_CONN_PRECISION, GY_CONN_EMPIRICAL, 0),
              GY_EINVAL, "tapered");
  CHECK_FAILS(gy_dyn_sliding(a, &X, 60, 5, NULL, GY_CONN_CORRELATION, GY_CONN_EMPIRICAL, 0),
              GY_EINVAL, "longer");
  CHECK_FAILS(gy_dyn_sliding(a, &X, 16, 0, NULL, GY_CONN_CORRELATION, GY_CONN_EMPIRICAL, 0),
              GY_EINVAL, "step");
  /* a constant column inside the third window only: earlier windows are released */
  for (int64_t t = 10; t < 30; t++) GY_AT(&X, t, 1) = 1;
  CHECK_FAILS(gy_dyn_sliding(a, &X, 16, 5, NULL, GY_CONN_CORRELATION, GY_CONN_EMPIRICAL, 1),
              GY_EINVAL, "window 3");
  CHECK(a[0].data == NULL && a[1].data == NULL);
  gy_mat_clear(&w);
  gy_mat_clear(&ones);
  gy_mat_clear(&X);
}

static void test_phase(void) {
  /* pure tones on the FFT grid: the analytic signal of cos(wt + phi) has phase wt + phi */
  for (int n = 64; n <= 65; n++) {
    gy_mat X = {0}, th = {0}, S = {0};
    gy_mat_init(&X, n, 2);
    for (int t = 0; t < n; t++) {
      GY_AT(&X, t, 0) = cos(2 * PI * 4 * t / n);
      GY_AT(&X, t, 1) = cos(2 * PI * 4 * t / n - 0.7);
    }
    CHECK_OK(gy_dyn_phase(&th, &X, 1));
    for (int t = 0; t < n; t++) {
      double d = at(&th, t, 0) - at(&th, t, 1);
      d = atan2(sin(d), cos(d));
      CHECK_NEAR(d, 0.7, 1e-12);
    }
    CHECK_NEAR(cos(at(&th, 3, 0)), cos(2 * PI * 4 * 3 / n), 1e-12);
    CHECK_OK(gy_dyn_phase_sync(&S, &X, GY_DYN_SYNC_COS, 1));
    CHECK(S.rows == n && S.cols == 1);
    CHECK_NEAR(S.data[7], cos(0.7), 1e-12);
    gy_mat_clear(&S);
    CHECK_OK(gy_dyn_phase_sync(&S, &X, GY_DYN_SYNC_IPS, 1));
    CHECK_NEAR(S.data[7], 1 - sin(0.35), 1e-12);
    gy_mat_clear(&S);
    CHECK_FAILS(gy_dyn_phase_sync(&S, &X, 5, 1), GY_EINVAL, "method");
    gy_mat_clear(&th);
    gy_mat_clear(&X);
  }
}

static void test_group(void) {
  double pv[4] = {0.01, 0.04, 0.03, 0.2};
  gy_mat p = {0}, q = {0};
  gy_mat_init(&p, 1, 4);
  for (int i = 0; i < 4; i++) p.data[i] = pv[i];
  CHECK_OK(gy_group_fdr(&q, &p));
  CHECK_NEAR(q.data[0], 0.04, 1e-15);
  CHECK_NEAR(q.data[1], 0.16 / 3, 1e-15);
  CHECK_NEAR(q.data[2], 0.16 / 3, 1e-15);
  CHECK_NEAR(q.data[3], 0.2, 1e-15);
  gy_mat_clear(&q);
  p.data[2] = 1.5;
  CHECK_FAILS(gy_group_fdr(&q, &p), GY_EINVAL, "[0, 1]");
  gy_mat_clear(&p);

  /* 8 nodes (28 edges); a planted triangle 0-1-2 plus edge 2-3 */
  gy_mat A = randn(15, 28, 1), B = randn(14, 28, 2), t = {0};
  int planted[4] = {0, 1, 7, 13}; /* (0,1), (0,2), (1,2), (2,3) */
  for (int k = 0; k < 4; k++)
    for (int64_t s = 0; s < 14; s++) GY_AT(&B, s, planted[k]) += 3;
  CHECK_OK(gy_group_ttest(&t, &p, &A, &B, 1));
  for (int k = 0; k < 4; k++) CHECK(t.data[planted[k]] < -4 && p.data[planted[k]] < 1e-4);
  gy_mat_clear(&t);
  gy_mat_clear(&p);
  gy_mat lab = {0}, comps = {0}, null = {0}, lab2 = {0}, comps2 = {0}, null2 = {0};
  CHECK_OK(gy_group_nbs(&lab, &comps, &null, &A, &B, 8, 4.0, 200, 42));
  CHECK(comps.rows >= 1);
  CHECK(at(&comps, 0, 0) >= 4 && at(&comps, 0, 1) < 0.05);
  for (int k = 0; k < 4; k++) CHECK(lab.data[planted[k]] == 1);
  CHECK_OK(gy_group_nbs(&lab2, &comps2, &null2, &A, &B, 8, 4.0, 200, 42));
  int same = 1;
  for (int k = 0; k < 200; k++) same &= null.data[k] == null2.data[k];
  CHECK(same);
  gy_mat_clear(&lab); gy_mat_clear(&comps); gy_mat_clear(&null);
  gy_mat_clear(&lab2); gy_mat_clear(&comps2); gy_mat_clear(&null2);
  CHECK_FAILS(gy_group_nbs(&lab, &comps, &null, &A, &B, 9, 4.0, 10, 1), GY_EINVAL, "upper triangle");
  CHECK_FAILS(gy_group_nbs(&lab, &comps, &null, &A, &B, 8, 4.0, 0, 1), GY_EINVAL, "n_perm");
  gy_mat V = {0};
  gy_mat_view(&V, &B, 0, 0, 1, 28);
  CHECK_FAILS(gy_group_ttest(&t, &p, &A, &V, 1), GY_EINVAL, "at least 2");
  gy_mat_clear(&A);
  gy_mat_clear(&B);
}

int main(void) {
  test_distributions();
  test_var();
  test_granger();
  test_tapers_sliding();
  test_phase();
  test_group();
  return test_summary();
}
