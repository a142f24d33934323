/* RSA core: hand-computed RDMs, the crossnobis identities (balanced fold means = pairwise
 * averaging = the documented double sum), comparison values that can be worked out by hand,
 * and every error path (sizes, labels, NaN, folds). Fixture values are checked by
 * tests/lua/rsa_spec.lua. */
#include "test.h"

#include <stdint.h>
#include <stdlib.h>

#include "gyrus/rsa.h"

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

static gy_mat column(int64_t n, const double *v) {
  gy_mat m = {0};
  gy_mat_init(&m, n, 1);
  for (int64_t i = 0; i < n; i++) m.data[i] = v[i];
  return m;
}

static void test_rdm_by_hand(void) {
  /* (0,0), (2,2), (0,4): squared distances 8, 16, 8 over P = 2 */
  gy_mat B = from_rows(3, 2, (double[]){0, 0, 2, 2, 0, 4});
  gy_mat v = {0}, D = {0}, w = {0};
  CHECK_OK(gy_rsa_rdm(&v, &B, GY_RSA_EUCLIDEAN, NULL, 1, 0.1));
  CHECK(v.rows == 3 && v.cols == 1);
  CHECK_NEAR(v.data[0], 4, 1e-15);
  CHECK_NEAR(v.data[1], 8, 1e-15);
  CHECK_NEAR(v.data[2], 4, 1e-15);
  CHECK_OK(gy_rsa_square(&D, &v));
  CHECK(D.rows == 3 && D.data[0] == 0 && D.data[2 + 1 * D.ld] == 4 && D.data[1 + 2 * D.ld] == 4);
  CHECK_OK(gy_rsa_vector(&w, &D));
  CHECK(w.rows == 3 && w.data[1] == 8);
  gy_mat_clear(&v);
  gy_mat_clear(&w);
  /* a diagonal precision 2 I doubles every distance */
  gy_mat L = {0};
  gy_mat_init(&L, 2, 2);
  L.data[0] = 2;
  L.data[3] = 2;
  CHECK_OK(gy_rsa_rdm(&v, &B, GY_RSA_MAHALANOBIS, &L, 1, 0.1));
  CHECK_NEAR(v.data[1], 16, 1e-15);
  gy_mat_clear(&v);
  /* correlation: (1,2,3) and (3,2,1) are anti-correlated: distance 2 */
  gy_mat C = from_rows(2, 3, (double[]){1, 2, 3, 3, 2, 1});
  CHECK_OK(gy_rsa_rdm(&v, &C, GY_RSA_CORRELATION, NULL, 1, 0.1));
  CHECK_NEAR(v.data[0], 2, 1e-15);
  gy_mat_clear(&v);
  gy_mat_clear(&B);
  gy_mat_clear(&D);
  gy_mat_clear(&L);
  gy_mat_clear(&C);
}

/* d_ij = 1/(M(M-1)) sum_m sum_{n != m} (b_im - b_jm)'(b_in - b_jn)/P, by brute force. */
static double crossnobis_naive(const gy_mat *X, const int64_t *cond, const int64_t *fold, int64_t i,
                               int64_t j, int64_t M) {
  int64_t P = X->cols;
  double s = 0;
  for (int64_t m = 0; m < M; m++)
    for (int64_t n = 0; n < M; n++) {
      if (m == n) continue;
      int64_t ai = -1, aj = -1, bi = -1, bj = -1;
      for (int64_t r = 0; r < X->rows; r++) {
        if (fold[r] == m && cond[r] == i) ai = r;
        if (fold[r] == m && cond[r] == j) aj = r;
        if (fold[r] == n && cond[r] == i) bi = r;
        if (fold[r] == n && cond[r] == j) bj = r;
      }
      for (int64_t k = 0; k < P; k++)
        s += (X->data[ai + k * X->ld] - X->data[aj + k * X->ld]) *
             (X->data[bi + k * X->ld] - X->data[bj + k * X->ld]);
    }
  return s / (double)(M * (M - 1) * P);
}

static void test_crossnobis(void) {
  enum { n = 4, M = 3, P = 6, N = n * M };
  gy_mat X = randn(N, P, 7);
  int64_t cond[N], fold[N];
  for (int64_t r = 0; r < N; r++) {
    cond[r] = (r * 5) % n; /* scrambled order */
    fold[r] = r / n;
  }
  gy_mat a = {0}, b = {0};
  CHECK_OK(gy_rsa_crossnobis(&a, &X, cond, n, fold, M, NULL, GY_RSA_CV_FOLDS));
  CHECK_OK(gy_rsa_crossnobis(&b, &X, cond, n, fold, M, NULL, GY_RSA_CV_PAIRS));
  int64_t k = 0;
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = i + 1; j < n; j++, k++) {
      double want = crossnobis_naive(&X, cond, fold, i, j, M);
      CHECK_NEAR(a.data[k], want, 1e-13);
      CHECK_NEAR(b.data[k], want, 1e-13);
    }
  gy_mat_clear(&a);
  gy_mat_clear(&b);
  /* errors: one fold, labels out of range, a missing cell for the fold-mean engine */
  int64_t one[N] = {0};
  CHECK_FAILS(gy_rsa_crossnobis(&a, &X, cond, n, one, 1, NULL, GY_RSA_CV_FOLDS), GY_EINVAL,
              "at least two runs");
  cond[0] = n;
  CHECK_FAILS(gy_rsa_crossnobis(&a, &X, cond, n, fold, M, NULL, GY_RSA_CV_FOLDS), GY_EINVAL,
              "outside");
  cond[0] = 0;
  fold[0] = 1; /* condition 0 now has no observation in fold 0 */
  CHECK_FAILS(gy_rsa_crossnobis(&a, &X, cond, n, fold, M, NULL, GY_RSA_CV_FOLDS), GY_EINVAL,
              "no observation in run 1");
  CHECK_OK(gy_rsa_crossnobis(&a, &X, cond, n, fold, M, NULL, GY_RSA_CV_PAIRS));
  gy_mat_clear(&a);
  CHECK_FAILS(gy_rsa_crossnobis(&a, &X, cond, n, fold, M, NULL, 7), GY_EINVAL, "engine");
  /* Ctrl-C stops the loop over folds with nothing left allocated */
  gy_interrupt(1);
  CHECK_FAILS(gy_rsa_crossnobis(&a, &X, cond, n, fold, M, NULL, GY_RSA_CV_PAIRS), GY_EINTR,
              "interrupted");
  gy_interrupt(0);
  CHECK(a.data == NULL);
  gy_mat_clear(&X);
}

static void test_compare(void) {
  /* x = 1..5, y reversed except the last pair swapped: known taus */
  gy_mat x = column(6, (double[]){1, 2, 3, 4, 5, 6});
  gy_mat y = column(6, (double[]){1, 2, 3, 4, 6, 5});
  double r = 0;
  CHECK_OK(gy_rsa_compare(&r, &x, &x, GY_RSA_CORR, NULL));
  CHECK_NEAR(r, 1, 1e-15);
  /* 15 pairs, one discordant: tau = 13/15 */
  CHECK_OK(gy_rsa_compare(&r, &x, &y, GY_RSA_TAU_A, NULL));
  CHECK_NEAR(r, 13.0 / 15, 1e-15);
  CHECK_OK(gy_rsa_compare(&r, &x, &y, GY_RSA_TAU_B, NULL));
  CHECK_NEAR(r, 13.0 / 15, 1e-15);
  /* ranks differ by a swap of 5 and 6: rho = 1 - 6*2/(6*35) */
  CHECK_OK(gy_rsa_compare(&r, &x, &y, GY_RSA_SPEARMAN, NULL));
  CHECK_NEAR(r, 1 - 12.0 / 210, 1e-15);
  CHECK_OK(gy_rsa_compare(&r, &x, &y, GY_RSA_RHO_A, NULL));
  CHECK_NEAR(r, 1 - 12.0 / 210, 1e-15);
  /* an RDM compared with itself */
  for (int m = GY_RSA_COSINE_COV; m <= GY_RSA_BURES; m++) {
    CHECK_OK(gy_rsa_compare(&r, &x, &x, m, NULL));
    CHECK_NEAR(r, 1, 1e-10);
  }
  /* a zero vector: cosine 0 as rsatoolbox */
  gy_mat z = column(6, (double[]){0, 0, 0, 0, 0, 0});
  CHECK_OK(gy_rsa_compare(&r, &z, &x, GY_RSA_COSINE, NULL));
  CHECK(r == 0);
  /* errors */
  gy_mat s = column(3, (double[]){1, 2, 3});
  CHECK_FAILS(gy_rsa_compare(&r, &x, &s, GY_RSA_COSINE, NULL), GY_EINVAL, "different sizes");
  y.data[2] = NAN;
  CHECK_FAILS(gy_rsa_compare(&r, &x, &y, GY_RSA_COSINE, NULL), GY_EINVAL,
              "different NaN positions");
  x.data[2] = NAN;
  CHECK_OK(gy_rsa_compare(&r, &x, &y, GY_RSA_COSINE_COV, NULL));
  CHECK_FAILS(gy_rsa_compare(&r, &x, &y, GY_RSA_BURES, NULL), GY_EINVAL, "complete");
  CHECK_FAILS(gy_rsa_compare(&r, &x, &y, 42, NULL), GY_EINVAL, "unknown");
  gy_mat f = column(4, (double[]){1, 2, 3, 4});
  CHECK_FAILS(gy_rsa_compare(&r, &f, &f, GY_RSA_COSINE_COV, NULL), GY_EINVAL, "n(n-1)/2");
  gy_mat_clear(&x);
  gy_mat_clear(&y);
  gy_mat_clear(&z);
  gy_mat_clear(&s);
  gy_mat_clear(&f);
}

static void test_noise(void) {
  gy_mat R = randn(40, 5, 3);
  gy_mat c = {0}, p = {0};
  double lam = -1;
  CHECK_OK(gy_rsa_noise(&c, &R, GY_RSA_NOISE_SHRINKAGE_DIAG, 0, 0, &lam));
  CHECK(lam >= 0 && lam <= 1);
  CHECK_OK(gy_rsa_noise(&p, &R, GY_RSA_NOISE_SHRINKAGE_DIAG, 0, 1, NULL));
  /* precision times covariance is the identity */
  for (int64_t i = 0; i < 5; i++)
    for (int64_t j = 0; j < 5; j++) {
      double s = 0;
      for (int64_t k = 0; k < 5; k++) s += p.data[i + k * p.ld] * c.data[k + j * c.ld];
      CHECK_NEAR(s, i == j ? 1.0 : 0.0, 1e-12);
    }
  gy_mat_clear(&c);
  gy_mat_clear(&p);
  /* more channels than observations: full is singular, shrinkage is not */
  gy_mat W = randn(4, 8, 5);
  CHECK_FAILS(gy_rsa_noise(&p, &W, GY_RSA_NOISE_FULL, 0, 1, NULL), GY_ESINGULAR, "no inverse");
  CHECK_OK(gy_rsa_noise(&p, &W, GY_RSA_NOISE_SHRINKAGE_EYE, 0, 1, NULL));
  gy_mat_clear(&p);
  CHECK_FAILS(gy_rsa_noise(&p, &W, 9, 0, 1, NULL), GY_EINVAL, "unknown");
  W.data[3] = NAN;
  CHECK_FAILS(gy_rsa_noise(&p, &W, GY_RSA_NOISE_DIAG, 0, 1, NULL), GY_EINVAL, "non-finite");
  gy_mat_clear(&W);
  gy_mat_clear(&R);
}

static void test_errors(void) {
  gy_mat B = from_rows(2, 2, (double[]){1, 2, 3, NAN});
  gy_mat v = {0};
  CHECK_FAILS(gy_rsa_rdm(&v, &B, GY_RSA_EUCLIDEAN, NULL, 1, 0.1), GY_EINVAL, "non-finite");
  B.data[3] = 4;
  CHECK_FAILS(gy_rsa_rdm(&v, &B, 99, NULL, 1, 0.1), GY_EINVAL, "unknown RDM method");
  gy_mat L = {0};
  gy_mat_init(&L, 3, 3);
  CHECK_FAILS(gy_rsa_rdm(&v, &B, GY_RSA_MAHALANOBIS, &L, 1, 0.1), GY_EINVAL, "2 channels");
  gy_mat_clear(&L);
  gy_mat_init(&L, 2, 2);
  L.data[2] = 1; /* not symmetric */
  CHECK_FAILS(gy_rsa_rdm(&v, &B, GY_RSA_MAHALANOBIS, &L, 1, 0.1), GY_EINVAL, "symmetric");
  B.data[0] = -3;
  CHECK_FAILS(gy_rsa_rdm(&v, &B, GY_RSA_POISSON, NULL, 1, 0.1), GY_EINVAL, "positive");
  int64_t cond[2] = {0, 0};
  CHECK_FAILS(gy_rsa_average(&v, &B, cond, 2), GY_EINVAL, "condition 2 has no observation");
  gy_mat odd = column(4, (double[]){1, 2, 3, 4});
  CHECK_FAILS(gy_rsa_square(&v, &odd), GY_EINVAL, "n(n-1)/2");
  gy_mat_clear(&odd);
  gy_mat_clear(&L);
  gy_mat_clear(&B);
  CHECK(v.data == NULL);
}

int main(void) {
  test_rdm_by_hand();
  test_crossnobis();
  test_compare();
  test_noise();
  test_errors();
  return test_summary();
}
