/* Connectivity estimators: nilearn's doctests and analytic tangent-space values,
 * Ledoit-Wolf and OAS against sklearn's naive formulas written out here, and every error
 * path (constant column, too few time points, NaN, group checks, non-SPD input). */
#include "test.h"

#include <stdint.h>

#include "gyrus/conn.h"
#include "gyrus/linalg.h"

static gy_mat from_rows(int64_t r, int64_t c, const double *v) {
  gy_mat m = {0};
  gy_mat_init(&m, r, c);
  for (int64_t i = 0; i < r; i++)
    for (int64_t j = 0; j < c; j++) m.data[i + j * m.ld] = v[i * c + j];
  return m;
}

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

static void test_doctests(void) {
  gy_mat C = from_rows(2, 2, (double[]){4, 2, 2, 9}), R = {0};
  CHECK_OK(gy_conn_cov_to_corr(&R, &C));
  CHECK_NEAR(at(&R, 0, 1), 1.0 / 3, 1e-15);
  CHECK_NEAR(at(&R, 1, 1), 1, 0);
  gy_mat_clear(&R);
  gy_mat P = from_rows(3, 3, (double[]){2, -1, 1, -1, 2, -1, 1, -1, 1});
  CHECK_OK(gy_conn_prec_to_partial(&R, &P));
  double h = sqrt(2.0) / 2;
  double want[9] = {1, .5, -h, .5, 1, h, -h, h, 1};
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) CHECK_NEAR(at(&R, i, j), want[i * 3 + j], 1e-15);
  gy_mat_clear(&R);

  gy_mat S = from_rows(3, 3, (double[]){1, 2, 3, 2, 1, 5, 3, 5, 1}), v = {0}, back = {0};
  CHECK_OK(gy_conn_vec(&v, &S, 1, 0, GY_CONN_VEC_NILEARN));
  double r2 = 1 / sqrt(2.0), wv[6] = {r2, 2, r2, 3, 5, r2};
  CHECK(v.rows == 1 && v.cols == 6);
  for (int k = 0; k < 6; k++) CHECK_NEAR(v.data[k * v.ld], wv[k], 1e-15);
  CHECK_OK(gy_conn_unvec(&back, &v, NULL, GY_CONN_VEC_NILEARN));
  for (int k = 0; k < 9; k++) CHECK_NEAR(back.data[k], S.data[k], 1e-15);
  gy_mat_clear(&v);
  gy_mat_clear(&back);
  CHECK_OK(gy_conn_vec(&v, &S, 1, 1, GY_CONN_VEC_NILEARN));
  CHECK(v.cols == 3 && v.data[0] == 2 && v.data[1] == 3 && v.data[2] == 5);
  gy_mat_clear(&v);
  CHECK_OK(gy_conn_vec(&v, &S, 1, 0, GY_CONN_VEC_PYRIEMANN));
  double wp[6] = {1, 2 * sqrt(2.0), 3 * sqrt(2.0), 1, 5 * sqrt(2.0), 1};
  for (int k = 0; k < 6; k++) CHECK_NEAR(v.data[k * v.ld], wp[k], 1e-15);
  CHECK_OK(gy_conn_unvec(&back, &v, NULL, GY_CONN_VEC_PYRIEMANN));
  for (int k = 0; k < 9; k++) CHECK_NEAR(back.data[k], S.data[k], 1e-15);
  gy_mat_clear(&back);
  gy_mat_clear(&v);
  gy_mat bad = from_rows(4, 1, (double[]){1, 2, 3, 4});
  CHECK_FAILS(gy_conn_unvec(&back, &bad, NULL, GY_CONN_VEC_NILEARN), GY_EINVAL, "not the triangle");
  gy_mat_clear(&bad);
  gy_mat_clear(&S);
  gy_mat_clear(&C);
  gy_mat_clear(&P);
}

/* sklearn's _naive_ledoit_wolf_shrinkage (test_covariance.py) and OAS, written out. */
static void naive(const gy_mat *X, double *lw, double *oas) {
  int64_t n = X->rows, p = X->cols;
  gy_mat Xc = {0}, S = {0};
  gy_mat_copy(&Xc, X);
  for (int64_t j = 0; j < p; j++) {
    double m = 0;
    for (int64_t t = 0; t < n; t++) m += at(&Xc, t, j);
    for (int64_t t = 0; t < n; t++) Xc.data[t + j * n] -= m / n;
  }
  gy_mat_init(&S, p, p);
  for (int64_t i = 0; i < p; i++)
    for (int64_t j = 0; j < p; j++) {
      double s = 0;
      for (int64_t t = 0; t < n; t++) s += at(&Xc, t, i) * at(&Xc, t, j);
      S.data[i + j * p] = s / n;
    }
  double mu = 0;
  for (int64_t i = 0; i < p; i++) mu += at(&S, i, i) / p;
  double delta = 0, beta = 0, a2 = 0;
  for (int64_t i = 0; i < p; i++)
    for (int64_t j = 0; j < p; j++) {
      double d = at(&S, i, j) - (i == j ? mu : 0);
      delta += d * d / p;
      double x22 = 0;
      for (int64_t t = 0; t < n; t++)
        x22 += at(&Xc, t, i) * at(&Xc, t, i) * at(&Xc, t, j) * at(&Xc, t, j);
      beta += (x22 / n - at(&S, i, j) * at(&S, i, j)) / (p * n);
      a2 += at(&S, i, j) * at(&S, i, j) / (p * p);
    }
  *lw = fmin(beta, delta) / delta;
  double num = a2 + mu * mu, den = (n + 1.0) * (a2 - mu * mu / p);
  *oas = fmin(num / den, 1);
  gy_mat_clear(&Xc);
  gy_mat_clear(&S);
}

static void test_estimators(void) {
  gy_mat X = randn(40, 6, 7), S = {0}, E = {0};
  for (int64_t t = 0; t < 40; t++) X.data[t + 2 * 40] += 3 * X.data[t]; /* correlated pair */
  double lw, oas, s;
  naive(&X, &lw, &oas);
  CHECK_OK(gy_conn_covariance(&E, &s, &X, GY_CONN_EMPIRICAL));
  CHECK(s == 0);
  CHECK_OK(gy_conn_covariance(&S, &s, &X, GY_CONN_LEDOIT_WOLF));
  CHECK_NEAR(s, lw, 1e-13);
  double mu = 0;
  for (int i = 0; i < 6; i++) mu += at(&E, i, i) / 6;
  CHECK_NEAR(at(&S, 1, 2), (1 - s) * at(&E, 1, 2), 1e-14);
  CHECK_NEAR(at(&S, 3, 3), (1 - s) * at(&E, 3, 3) + s * mu, 1e-14);
  gy_mat_clear(&S);
  CHECK_OK(gy_conn_covariance(&S, &s, &X, GY_CONN_OAS));
  CHECK_NEAR(s, oas, 1e-13);
  gy_mat_clear(&S);

  /* precision * covariance = I, partial correlation from it, correlation = shrunk r. */
  gy_mat Pr = {0}, Cv = {0}, R = {0}, Pc = {0};
  CHECK_OK(gy_conn_matrix(&Pr, NULL, &X, GY_CONN_PRECISION, GY_CONN_LEDOIT_WOLF, 0));
  CHECK_OK(gy_conn_matrix(&Cv, NULL, &X, GY_CONN_COVARIANCE, GY_CONN_LEDOIT_WOLF, 0));
  for (int i = 0; i < 6; i++)
    for (int j = 0; j < 6; j++) {
      double d = 0;
      for (int k = 0; k < 6; k++) d += at(&Pr, i, k) * at(&Cv, k, j);
      CHECK_NEAR(d, i == j, 1e-12);
    }
  CHECK_OK(gy_conn_matrix(&Pc, NULL, &X, GY_CONN_PARTIAL_CORRELATION, GY_CONN_LEDOIT_WOLF, 0));
  CHECK_NEAR(at(&Pc, 0, 2), -at(&Pr, 0, 2) / sqrt(at(&Pr, 0, 0) * at(&Pr, 2, 2)), 1e-14);
  CHECK_OK(gy_conn_matrix(&R, &s, &X, GY_CONN_CORRELATION, GY_CONN_EMPIRICAL, 1));
  CHECK_NEAR(at(&R, 0, 2), at(&E, 0, 2) / sqrt(at(&E, 0, 0) * at(&E, 2, 2)), 1e-14);
  double r02 = at(&R, 0, 2);
  gy_mat_clear(&R);
  CHECK_OK(gy_conn_matrix(&R, &s, &X, GY_CONN_CORRELATION, GY_CONN_LEDOIT_WOLF, 1));
  CHECK_NEAR(at(&R, 0, 2), (1 - s) * r02, 1e-14);
  CHECK(at(&R, 4, 4) == 1);
  gy_mat_clear(&R);
  gy_mat Z = {0};
  gy_mat r = from_rows(1, 3, (double[]){0.5, 1, -0.25});
  CHECK_OK(gy_conn_fisher_z(&Z, &r));
  CHECK_NEAR(Z.data[0], 0.54930614433405489, 1e-15);
  CHECK(isinf(Z.data[1]) && Z.data[1] > 0);
  CHECK_NEAR(Z.data[2], atanh(-0.25), 1e-15);
  gy_mat_clear(&Z);
  r.data[1] = 1.5;
  CHECK_FAILS(gy_conn_fisher_z(&Z, &r), GY_EINVAL, "outside [-1, 1]");
  gy_mat_clear(&r);
  gy_mat_clear(&Pr);
  gy_mat_clear(&Cv);
  gy_mat_clear(&Pc);
  gy_mat_clear(&E);
  gy_mat_clear(&X);
}

static void test_bad_input(void) {
  gy_mat X = randn(10, 4, 3), out = {0};
  for (int64_t t = 0; t < 10; t++) X.data[t + 3 * 10] = 5;
  CHECK_FAILS(gy_conn_matrix(&out, NULL, &X, GY_CONN_CORRELATION, GY_CONN_LEDOIT_WOLF, 1),
              GY_EINVAL, "region 4 (column 4) is constant");
  CHECK_FAILS(gy_conn_matrix(&out, NULL, &X, GY_CONN_PRECISION, GY_CONN_EMPIRICAL, 0), GY_ESINGULAR,
              "ledoit-wolf");
  CHECK(out.data == NULL);
  /* A constant region is fine for a shrunk covariance. */
  CHECK_OK(gy_conn_matrix(&out, NULL, &X, GY_CONN_PRECISION, GY_CONN_LEDOIT_WOLF, 0));
  gy_mat_clear(&out);
  gy_mat W = randn(5, 8, 4);
  CHECK_FAILS(gy_conn_matrix(&out, NULL, &W, GY_CONN_PARTIAL_CORRELATION, GY_CONN_EMPIRICAL, 0),
              GY_EINVAL, "5 time points for 8 regions");
  CHECK_OK(gy_conn_matrix(&out, NULL, &W, GY_CONN_PARTIAL_CORRELATION, GY_CONN_OAS, 0));
  gy_mat_clear(&out);
  W.data[7] = NAN;
  CHECK_FAILS(gy_conn_covariance(&out, NULL, &W, GY_CONN_EMPIRICAL), GY_EINVAL, "row 3, column 2");
  CHECK_FAILS(gy_conn_covariance(&out, NULL, &X, 7), GY_EINVAL, "unknown estimator");
  CHECK_FAILS(gy_conn_matrix(&out, NULL, &X, 9, 0, 0), GY_EINVAL, "unknown kind");
  gy_mat one = randn(1, 3, 1);
  CHECK_FAILS(gy_conn_covariance(&out, NULL, &one, GY_CONN_EMPIRICAL), GY_EINVAL,
              "at least 2 time points");
  gy_mat_clear(&one);
  gy_mat_clear(&W);
  gy_mat_clear(&X);
}

static void test_tangent(void) {
  /* Geometric mean of A and A^-1 is I, so the tangent vectors are +-logm(A), with
   * logm([[1.25, .75], [.75, 1.25]]) = [[0, ln 2], [ln 2, 0]] (nilearn test_logm). */
  gy_mat covs[2];
  covs[0] = from_rows(2, 2, (double[]){1.25, .75, .75, 1.25});
  covs[1] = from_rows(2, 2, (double[]){1.25, -.75, -.75, 1.25});
  gy_mat T = {0}, G = {0};
  int it = 0, conv = 0;
  CHECK_OK(gy_conn_tangent(&T, &G, &it, &conv, covs, 2, GY_CONN_MEAN_NILEARN, 0, 0, 0,
                           GY_CONN_VEC_NILEARN));
  CHECK(conv == 1 && it >= 1);
  CHECK(T.rows == 2 && T.cols == 3);
  CHECK_NEAR(at(&T, 0, 0), 0, 1e-14);
  CHECK_NEAR(at(&T, 0, 1), log(2.0), 1e-14);
  CHECK_NEAR(at(&T, 1, 1), -log(2.0), 1e-14);
  CHECK_NEAR(at(&G, 0, 0), 1, 1e-14);
  CHECK_NEAR(at(&G, 0, 1), 0, 1e-14);
  gy_mat_clear(&T);
  gy_mat_clear(&G);

  /* Commuting (diagonal) matrices: the element-wise geometric mean. */
  gy_mat d[20];
  for (int k = 0; k < 20; k++) {
    d[k] = (gy_mat){0};
    gy_mat_init(&d[k], 5, 5);
    for (int i = 0; i < 5; i++) d[k].data[i * 6] = i % 2 ? 1e4 + k : (k + 1) * 1e-4 * (i + 1);
  }
  CHECK_OK(gy_conn_geometric_mean(&G, &it, &conv, d, 20, GY_CONN_MEAN_NILEARN, 0, 0));
  for (int i = 0; i < 5; i++) {
    double lg = 0;
    for (int k = 0; k < 20; k++) lg += log(d[k].data[i * 6]) / 20;
    CHECK_NEAR(at(&G, i, i), exp(lg), 1e-12 * exp(lg));
  }
  CHECK_NEAR(at(&G, 1, 2), 0, 1e-12);
  gy_mat_clear(&G);
  CHECK_OK(gy_conn_geometric_mean(&G, &it, &conv, d, 20, GY_CONN_MEAN_PYRIEMANN, 0, 0));
  CHECK(conv == 1);
  CHECK_NEAR(at(&G, 0, 0),
             at(&d[0], 0, 0) * exp(log(20.0 * 19 * 18 * 17 * 16 * 15 * 14 * 13 * 12 * 11 * 10 * 9 *
                                       8 * 7 * 6 * 5 * 4 * 3 * 2) /
                                   20),
             1e-10);
  gy_mat_clear(&G);

  /* Errors: one subject, different widths, not SPD, not symmetric; nothing leaks. */
  CHECK_FAILS(gy_conn_tangent(&T, &G, NULL, NULL, d, 1, 0, 0, 0, 0, 0), GY_EINVAL, "at least 2");
  gy_mat two[2] = {d[0], covs[0]};
  CHECK_FAILS(gy_conn_tangent(&T, &G, NULL, NULL, two, 2, 0, 0, 0, 0, 0), GY_EINVAL,
              "subject 2 has 2 regions, subject 1 has 5");
  gy_mat ns = from_rows(2, 2, (double[]){1, 2, 2, 1});
  gy_mat pair[2] = {covs[0], ns};
  CHECK_FAILS(gy_conn_tangent(&T, &G, NULL, NULL, pair, 2, 0, 0, 0, 0, 0), GY_ESINGULAR,
              "matrix 2 is not positive definite");
  ns.data[1] = 0.5;
  CHECK_FAILS(gy_conn_tangent(&T, &G, NULL, NULL, pair, 2, 0, 0, 0, 0, 0), GY_EINVAL,
              "not symmetric");
  ns.data[2] = NAN;
  CHECK_FAILS(gy_conn_geometric_mean(&G, NULL, NULL, pair, 2, 0, 0, 0), GY_EINVAL, "non-finite");
  CHECK(T.data == NULL && G.data == NULL);
  CHECK_FAILS(gy_conn_geometric_mean(&G, NULL, NULL, d, 20, 5, 0, 0), GY_EINVAL, "unknown mean");
  gy_mat_clear(&ns);
  for (int k = 0; k < 20; k++) gy_mat_clear(&d[k]);
  gy_mat_clear(&covs[0]);
  gy_mat_clear(&covs[1]);
}

static void test_interrupt(void) {
  gy_mat covs[3];
  for (int k = 0; k < 3; k++) {
    gy_mat X = randn(30, 4, 10 + k);
    covs[k] = (gy_mat){0};
    gy_conn_covariance(&covs[k], NULL, &X, GY_CONN_LEDOIT_WOLF);
    gy_mat_clear(&X);
  }
  gy_mat T = {0}, G = {0};
  gy_interrupt(1);
  CHECK_FAILS(gy_conn_tangent(&T, &G, NULL, NULL, covs, 3, 0, 0, 0, 0, 0), GY_EINTR, "interrupted");
  gy_interrupt(0);
  CHECK(T.data == NULL && G.data == NULL);
  CHECK_OK(gy_conn_tangent(&T, &G, NULL, NULL, covs, 3, 0, 0, 0, 1, 0));
  CHECK(T.rows == 3 && T.cols == 6);
  gy_mat_clear(&T);
  gy_mat_clear(&G);
  for (int k = 0; k < 3; k++) gy_mat_clear(&covs[k]);
}

/* Subjects are shared among threads (one BLAS thread each) when BLAS has several: the result
 * is the same as with one thread, and errors raised in a worker reach the caller. */
static void test_threads(void) {
  gy_mat covs[7];
  for (int k = 0; k < 7; k++) {
    gy_mat X = randn(40, 6, 20 + k);
    covs[k] = (gy_mat){0};
    gy_conn_covariance(&covs[k], NULL, &X, GY_CONN_LEDOIT_WOLF);
    gy_mat_clear(&X);
  }
  int before = gy_linalg_threads(0);
  gy_mat T1 = {0}, G1 = {0}, T2 = {0}, G2 = {0};
  gy_linalg_threads(1);
  CHECK_OK(gy_conn_tangent(&T1, &G1, NULL, NULL, covs, 7, 0, 0, 0, 0, 0));
  gy_linalg_threads(3);
  CHECK_OK(gy_conn_tangent(&T2, &G2, NULL, NULL, covs, 7, 0, 0, 0, 0, 0));
  CHECK(gy_linalg_threads(0) == 3);
  for (int64_t q = 0; q < T1.rows * T1.cols; q++) CHECK_NEAR(T2.data[q], T1.data[q], 1e-13);
  for (int64_t q = 0; q < 36; q++) CHECK_NEAR(G2.data[q], G1.data[q], 1e-13);
  gy_mat_clear(&T2);
  gy_mat_clear(&G2);
  /* Ctrl-C seen by the worker threads. */
  gy_interrupt(1);
  CHECK_FAILS(gy_conn_tangent(&T2, &G2, NULL, NULL, covs, 7, 0, 0, 0, 0, 0), GY_EINTR,
              "interrupted");
  gy_interrupt(0);
  CHECK(T2.data == NULL && G2.data == NULL);
  covs[5].data[0] = -1;
  CHECK_FAILS(gy_conn_tangent(&T2, &G2, NULL, NULL, covs, 7, 0, 0, 0, 0, 0), GY_ESINGULAR,
              "matrix 6 is not positive definite");
  gy_linalg_threads(before);
  gy_mat_clear(&T1);
  gy_mat_clear(&G1);
  for (int k = 0; k < 7; k++) gy_mat_clear(&covs[k]);
}

int main(void) {
  test_doctests();
  test_estimators();
  test_bad_input();
  test_tangent();
  test_interrupt();
  test_threads();
  return test_summary();
}
