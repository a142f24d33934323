/* Decoding baselines on cases small enough to solve by hand, and the optimality
 * conditions of the logistic fit. sklearn comparisons are in tests/lua/decode_spec.lua. */
#include "test.h"
#include "gyrus/decode.h"
#include "gyrus/rng.h"

#include <math.h>
#include <string.h>

#define AT(m, i, j) ((m)->data[(i) + (j) * (m)->ld])

static void one_feature(gy_mat *X, int64_t *y) {
  static const double x[6] = {0, 1, 2, 4, 5, 6};
  gy_mat_init(X, 6, 1);
  for (int i = 0; i < 6; i++) X->data[i] = x[i], y[i] = i >= 3;
}

static void test_hand(void) {
  gy_mat X = {0}, c = {0}, b = {0}, D = {0}, P = {0};
  int64_t y[6];
  one_feature(&X, y);
  /* means 1 and 5, pooled variance 2/3: coef = 4 / (2/3), intercept = -(25 - 1)/2 / (2/3) */
  CHECK_OK(gy_decode_lda(&c, &b, &X, y, 2, 0));
  CHECK_NEAR(c.data[0], 6, 1e-12);
  CHECK_NEAR(b.data[0], -18, 1e-12);
  CHECK_OK(gy_decode_decision(&D, &X, &c, &b));
  CHECK_NEAR(AT(&D, 0, 0), -18, 1e-12);
  CHECK_OK(gy_decode_proba(&P, &D));
  CHECK(P.cols == 2);
  CHECK_NEAR(AT(&P, 5, 1), 1 / (1 + exp(-18.0)), 1e-14);
  CHECK_NEAR(AT(&P, 5, 0) + AT(&P, 5, 1), 1, 1e-15);
  gy_mat_clear(&c), gy_mat_clear(&b), gy_mat_clear(&D), gy_mat_clear(&P);
  /* ridge: centred x = -3 -2 -1 1 2 3, targets -1 / +1: w = 12 / (28 + 1) */
  CHECK_OK(gy_decode_ridge(&c, &b, &X, y, 2, 1.0));
  CHECK_NEAR(c.data[0], 12.0 / 29, 1e-12);
  CHECK_NEAR(b.data[0], -36.0 / 29, 1e-12);
  gy_mat_clear(&c), gy_mat_clear(&b);
  /* bad input */
  int64_t one[6] = {0, 0, 0, 0, 0, 0}, out[6] = {0, 1, 2, 0, 1, 0};
  CHECK_FAILS(gy_decode_lda(&c, &b, &X, one, 1, -1), GY_EINVAL, "two classes");
  CHECK_FAILS(gy_decode_lda(&c, &b, &X, out, 2, -1), GY_EINVAL, "class index");
  CHECK_FAILS(gy_decode_lda(&c, &b, &X, one, 2, -1), GY_EINVAL, "no samples");
  CHECK_FAILS(gy_decode_lda(&c, &b, &X, y, 2, 1.5), GY_EINVAL, "shrinkage");
  CHECK_FAILS(gy_decode_logistic(&c, &b, NULL, &X, y, 2, 0, 1e-4, 100), GY_EINVAL, "C must");
  X.data[2] = NAN;
  CHECK_FAILS(gy_decode_ridge(&c, &b, &X, y, 2, 1), GY_EINVAL, "non-finite");
  CHECK(c.data == NULL && b.data == NULL);
  gy_mat_clear(&X);
}

static void test_wide_and_pca(void) {
  gy_rng r;
  gy_rng_seed(&r, 11);
  gy_mat X = {0}, c = {0}, b = {0}, c2 = {0}, b2 = {0};
  int64_t y[30];
  gy_mat_init(&X, 30, 8);
  gy_rng_fill_normal(&r, &X);
  for (int i = 0; i < 30; i++) {
    y[i] = i % 3;
    AT(&X, i, y[i]) += 1.5;
  }
  /* Full-rank PCA is a rotation plus centring, which LDA with a fixed shrinkage does not
   * see: decision differences between classes agree (each class's decision alone moves
   * with the centring by a term common to all classes). */
  CHECK_OK(gy_decode_lda(&c, &b, &X, y, 3, 0.3));
  CHECK_OK(gy_decode_pca_lda(&c2, &b2, &X, y, 3, 8, 0.3));
  for (int k = 1; k < 3; k++) {
    CHECK_NEAR(b2.data[k * b2.ld] - b2.data[0], b.data[k * b.ld] - b.data[0], 1e-10);
    for (int j = 0; j < 8; j++)
      CHECK_NEAR(AT(&c2, j, k) - AT(&c2, j, 0), AT(&c, j, k) - AT(&c, j, 0), 1e-10);
  }
  gy_mat_clear(&c), gy_mat_clear(&b), gy_mat_clear(&c2), gy_mat_clear(&b2);
  CHECK_FAILS(gy_decode_pca_lda(&c, &b, &X, y, 3, 9, -1), GY_EINVAL, "n_components");
  /* more features than samples: singular without shrinkage, fine with it */
  gy_mat V = {0};
  gy_mat_view(&V, &X, 0, 0, 9, 8);
  CHECK_FAILS(gy_decode_lda(&c, &b, &V, y, 3, 0), GY_ESINGULAR, "singular");
  CHECK_OK(gy_decode_lda(&c, &b, &V, y, 3, -1));
  gy_mat_clear(&c), gy_mat_clear(&b);
  gy_mat_clear(&X);
}

/* At the optimum: X'(p - t)/n + coef/(C n) = 0 and sum(p - t) = 0 per class. */
static void test_logistic(void) {
  gy_rng r;
  gy_rng_seed(&r, 5);
  for (int K = 2; K <= 3; K++) {
    int64_t n = 50, p = 4, y[50], it = 0;
    gy_mat X = {0}, c = {0}, b = {0}, D = {0}, P = {0};
    gy_mat_init(&X, n, p);
    gy_rng_fill_normal(&r, &X);
    for (int i = 0; i < n; i++) y[i] = i % K, AT(&X, i, y[i]) += 1.0;
    double Cr = 0.5;
    CHECK_OK(gy_decode_logistic(&c, &b, &it, &X, y, K, Cr, 1e-12, 100));
    CHECK(it > 0 && it < 30);
    CHECK_OK(gy_decode_decision(&D, &X, &c, &b));
    CHECK_OK(gy_decode_proba(&P, &D));
    int m = K == 2 ? 1 : K;
    for (int k = 0; k < m; k++) {
      int cls = K == 2 ? 1 : k, col = K == 2 ? 1 : k;
      double gb = 0;
      for (int i = 0; i < n; i++) gb += AT(&P, i, col) - (y[i] == cls);
      CHECK_NEAR(gb / n, 0, 1e-10);
      for (int j = 0; j < p; j++) {
        double g = 0;
        for (int i = 0; i < n; i++) g += AT(&X, i, j) * (AT(&P, i, col) - (y[i] == cls));
        CHECK_NEAR(g / n + AT(&c, j, k) / (Cr * n), 0, 1e-10);
      }
    }
    if (K == 3) CHECK_NEAR(b.data[0] + b.data[b.ld] + b.data[2 * b.ld], 0, 1e-10);
    gy_mat_clear(&X), gy_mat_clear(&c), gy_mat_clear(&b), gy_mat_clear(&D), gy_mat_clear(&P);
  }
}

int main(void) {
  test_hand();
  test_wide_and_pca();
  test_logistic();
  return test_summary();
}
