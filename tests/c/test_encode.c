/* Encoding models: delays, ridge, cross-validated ridge and scores against the golden
 * values of the reference note (himalaya on deterministic inputs, section 8.1). */
#include "test.h"
#include "gyrus/encode.h"

#include <stdlib.h>

#define AT(m, i, j) ((m)->data[(i) + (j) * (m)->ld])

/* Column-centred X and Y of the reference note. */
static void golden(gy_mat *X, gy_mat *Y) {
  static const double w[3][2] = {{1, -0.5}, {0.5, 0}, {-1, 2}};
  gy_mat_init(X, 12, 3);
  gy_mat_init(Y, 12, 2);
  for (int i = 0; i < 12; i++)
    for (int j = 0; j < 3; j++) AT(X, i, j) = ((7 * i + 3 * j) % 11) - 5;
  for (int i = 0; i < 12; i++)
    for (int k = 0; k < 2; k++) {
      double v = ((5 * i + 2 * k) % 7) - 3;
      for (int j = 0; j < 3; j++) v += AT(X, i, j) * w[j][k];
      AT(Y, i, k) = v;
    }
  gy_mat *ms[2] = {X, Y};
  for (int t = 0; t < 2; t++)
    for (int64_t j = 0; j < ms[t]->cols; j++) {
      double s = 0;
      for (int i = 0; i < 12; i++) s += AT(ms[t], i, j);
      for (int i = 0; i < 12; i++) AT(ms[t], i, j) -= s / 12;
    }
}

static void test_delay(void) {
  gy_mat X = {0}, out = {0};
  gy_mat_init(&X, 3, 2);
  double v[6] = {1, 2, 3, 5, 7, 11};
  for (int i = 0; i < 6; i++) X.data[i] = v[i];
  int64_t d[3] = {0, 1, 2};
  CHECK_OK(gy_encode_delay(&out, &X, d, 3));
  static const double want[3][6] = {{1, 5, 0, 0, 0, 0}, {2, 7, 1, 5, 0, 0}, {3, 11, 2, 7, 1, 5}};
  CHECK(out.rows == 3 && out.cols == 6);
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 6; j++) CHECK_NEAR(AT(&out, i, j), want[i][j], 0);
  gy_mat_clear(&out);
  int64_t dn[2] = {-1, 5};
  CHECK_OK(gy_encode_delay(&out, &X, dn, 2));
  CHECK_NEAR(AT(&out, 0, 0), 2, 0);
  CHECK_NEAR(AT(&out, 2, 0), 0, 0);
  CHECK_NEAR(AT(&out, 2, 3), 0, 0);
  gy_mat_clear(&out);
  CHECK_FAILS(gy_encode_delay(&out, &X, d, 0), GY_EINVAL, "no delays");
  gy_mat_clear(&X);
}

static void test_ridge(void) {
  gy_mat X = {0}, Y = {0}, W = {0};
  golden(&X, &Y);
  double a = 0.1;
  CHECK_OK(gy_encode_ridge(&W, &X, &Y, &a, 1));
  static const double w01[3][2] = {{0.842302808183, -0.266846163569},
                                   {0.609131013057, -0.168397986897},
                                   {-1.105346060963, 2.315375445726}};
  for (int i = 0; i < 3; i++)
    for (int k = 0; k < 2; k++) CHECK_NEAR(AT(&W, i, k), w01[i][k], 1e-10);
  gy_mat_clear(&W);
  double bad = -1;
  CHECK_FAILS(gy_encode_ridge(&W, &X, &Y, &bad, 1), GY_EINVAL, "non-negative");
  double three[3] = {1, 2, 3};
  CHECK_FAILS(gy_encode_ridge(&W, &X, &Y, three, 3), GY_EINVAL, "one per target");
  gy_mat Y2 = {0};
  gy_mat_init(&Y2, 11, 2);
  CHECK_FAILS(gy_encode_ridge(&W, &X, &Y2, &a, 1), GY_EINVAL, "samples");
  gy_mat_clear(&Y2);
  AT(&Y, 3, 1) = NAN;
  CHECK_FAILS(gy_encode_ridge(&W, &X, &Y, &a, 1), GY_EINVAL, "Y");
  CHECK(W.data == NULL);
  gy_mat_clear(&X);
  gy_mat_clear(&Y);
}

static void test_ridge_cv(void) {
  gy_mat X = {0}, Y = {0}, W = {0}, best = {0}, cvs = {0}, all = {0};
  golden(&X, &Y);
  double alphas[4] = {0.1, 1, 10, 100};
  int64_t fold[12];
  CHECK_OK(gy_encode_kfold(fold, 12, 3));
  CHECK(fold[0] == 0 && fold[4] == 1 && fold[11] == 2);
  CHECK_OK(gy_encode_ridge_cv(&W, &best, &cvs, &all, &X, &Y, alphas, 4, fold, 3,
                              GY_ENCODE_L2_NEG_LOSS, 1, 0));
  CHECK_NEAR(best.data[0], 10, 0);
  CHECK_NEAR(best.data[1], 1, 0);
  CHECK_NEAR(cvs.data[0], -9.516492298034, 1e-10);
  CHECK_NEAR(cvs.data[1], -4.151824636042, 1e-10);
  CHECK(all.rows == 4 && all.cols == 2);
  static const double wr[3][2] = {{0.807763906894, -0.276584236316},
                                  {0.569436905921, -0.173332164369},
                                  {-1.039689766697, 2.290520679095}};
  for (int i = 0; i < 3; i++)
    for (int k = 0; k < 2; k++) CHECK_NEAR(AT(&W, i, k), wr[i][k], 1e-10);
  gy_mat_clear(&W);
  gy_mat_clear(&best);
  gy_mat_clear(&cvs);
  gy_mat_clear(&all);

  /* Two alphas are predicted one by one (no alpha basis): same scores as within the grid. */
  {
    gy_mat all2 = {0}, W2 = {0}, all4 = {0}, W4 = {0};
    double a2[2] = {1, 100};
    CHECK_OK(gy_encode_ridge_cv(&W4, NULL, NULL, &all4, &X, &Y, alphas, 4, fold, 3, GY_ENCODE_R2, 1, 0));
    CHECK_OK(gy_encode_ridge_cv(&W2, NULL, NULL, &all2, &X, &Y, a2, 2, fold, 3, GY_ENCODE_R2, 1, 0));
    for (int k = 0; k < 2; k++) {
      CHECK_NEAR(AT(&all2, 0, k), AT(&all4, 1, k), 1e-13);
      CHECK_NEAR(AT(&all2, 1, k), AT(&all4, 3, k), 1e-13);
    }
    gy_mat_clear(&all2);
    gy_mat_clear(&W2);
    gy_mat_clear(&all4);
    gy_mat_clear(&W4);
  }

  /* Batches of one target give the same answer. */
  CHECK_OK(gy_encode_ridge_cv(&W, &best, &cvs, NULL, &X, &Y, alphas, 4, fold, 3, GY_ENCODE_R2, 1, 1));
  CHECK_NEAR(best.data[0], 10, 0);
  CHECK_NEAR(best.data[1], 10, 0);
  CHECK_NEAR(cvs.data[0], 0.560576056865, 1e-10);
  CHECK_NEAR(cvs.data[1], 0.892171411376, 1e-10);
  gy_mat_clear(&W);
  gy_mat_clear(&best);
  gy_mat_clear(&cvs);
  CHECK_OK(gy_encode_ridge_cv(&W, &best, &cvs, NULL, &X, &Y, alphas, 4, fold, 3,
                              GY_ENCODE_CORRELATION, 1, 0));
  CHECK_NEAR(best.data[0], 100, 0);
  CHECK_NEAR(best.data[1], 0.1, 0);
  CHECK_NEAR(cvs.data[0], 0.869520741824, 1e-10);
  CHECK_NEAR(cvs.data[1], 0.983296299756, 1e-10);
  gy_mat_clear(&W);
  gy_mat_clear(&best);
  gy_mat_clear(&cvs);

  /* Bad folds: an empty fold, a label out of range, too few folds. */
  int64_t f2[12];
  for (int i = 0; i < 12; i++) f2[i] = i < 6 ? 0 : 2;
  CHECK_FAILS(gy_encode_ridge_cv(&W, NULL, NULL, NULL, &X, &Y, alphas, 4, f2, 3, 0, 1, 0), GY_EINVAL,
              "fold 2 has no samples");
  f2[0] = 7;
  CHECK_FAILS(gy_encode_ridge_cv(&W, NULL, NULL, NULL, &X, &Y, alphas, 4, f2, 3, 0, 1, 0), GY_EINVAL,
              "outside");
  CHECK_FAILS(gy_encode_ridge_cv(&W, NULL, NULL, NULL, &X, &Y, alphas, 4, fold, 1, 0, 1, 0), GY_EINVAL,
              "at least 2 folds");
  double zero[1] = {0};
  CHECK_FAILS(gy_encode_ridge_cv(&W, NULL, NULL, NULL, &X, &Y, zero, 1, fold, 3, 0, 1, 0), GY_EINVAL,
              "positive");
  CHECK_FAILS(gy_encode_ridge_cv(&W, NULL, NULL, NULL, &X, &Y, alphas, 4, fold, 3, 9, 1, 0), GY_EINVAL,
              "unknown score");
  CHECK(W.data == NULL);
  gy_mat_clear(&X);
  gy_mat_clear(&Y);
}

/* The dual (kernel) path agrees with the primal one on the same problem. */
static void test_dual(void) {
  gy_mat X = {0}, Y = {0}, W1 = {0}, W2 = {0};
  int n = 8, p = 20, m = 3;
  gy_mat_init(&X, n, p);
  gy_mat_init(&Y, n, m);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < p; j++) AT(&X, i, j) = sin(1.3 * i + 0.7 * j * j);
  for (int i = 0; i < n; i++)
    for (int k = 0; k < m; k++) AT(&Y, i, k) = cos(0.9 * i * (k + 1)) + AT(&X, i, k);
  double a[3] = {0.5, 2, 7};
  CHECK_OK(gy_encode_ridge(&W1, &X, &Y, a, 3));
  /* Primal reference: (X'X + aI) w = X'y solved through the transpose trick. */
  gy_mat Xt = {0};
  gy_mat_transpose(&Xt, &X);
  CHECK_OK(gy_encode_ridge(&W2, &Xt, &Xt, a, 1)); /* exercises the primal path on 20 x 8 */
  gy_mat_clear(&W2);
  for (int k = 0; k < m; k++) {
    /* Residual check of the normal equations: X'(y - Xw) = a w. */
    for (int j = 0; j < p; j++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        double r = AT(&Y, i, k);
        for (int l = 0; l < p; l++) r -= AT(&X, i, l) * AT(&W1, l, k);
        s += AT(&X, i, j) * r;
      }
      CHECK_NEAR(s, a[k] * AT(&W1, j, k), 1e-10);
    }
  }
  gy_mat_clear(&Xt);
  gy_mat_clear(&W1);
  gy_mat_clear(&X);
  gy_mat_clear(&Y);
}

static void test_score(void) {
  gy_mat Y = {0}, P = {0}, out = {0};
  gy_mat_init(&Y, 4, 2);
  gy_mat_init(&P, 4, 2);
  double y[4] = {1, 2, 3, 4}, pr[4] = {1.5, 2, 2.5, 4.5};
  for (int i = 0; i < 4; i++) {
    AT(&Y, i, 0) = y[i];
    AT(&P, i, 0) = pr[i];
    AT(&Y, i, 1) = 3;
    AT(&P, i, 1) = i;
  }
  CHECK_OK(gy_encode_score(&out, &Y, &P, GY_ENCODE_R2));
  CHECK_NEAR(out.data[0], 1 - 0.75 / 5, 1e-15);
  CHECK_NEAR(out.data[1], 0, 0);
  gy_mat_clear(&out);
  CHECK_OK(gy_encode_score(&out, &Y, &P, GY_ENCODE_CORRELATION));
  CHECK_NEAR(out.data[1], 0, 0);
  gy_mat_clear(&out);
  CHECK_OK(gy_encode_score(&out, &Y, &P, GY_ENCODE_L2_NEG_LOSS));
  CHECK_NEAR(out.data[0], -0.75 / 4, 1e-15);
  gy_mat_clear(&out);
  gy_mat_clear(&Y);
  gy_mat_clear(&P);
}

int main(void) {
  test_delay();
  test_ridge();
  test_ridge_cv();
  test_dual();
  test_score();
  return test_summary();
}
