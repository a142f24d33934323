/* ICA artifact core: the iterated z-score rule marks what MNE's _find_outliers marks, the
 * reconstruction removes exactly the excluded sources and is the identity without
 * exclusions, and bad input fails with a message and no leak (sanitizer build). The
 * agreement with MNE on real numbers is in tests/lua/ica_artifact_spec.lua. */
#include "test.h"

#include "gyrus/ica_artifact.h"
#include "gyrus/rng.h"

#include <math.h>

#define AT(m, i, j) ((m)->data[(i) + (j) * (m)->ld])

static gy_mat vector_of(const double *v, int64_t n) {
  gy_mat m = {0};
  gy_mat_init(&m, n, 1);
  for (int64_t k = 0; k < n; k++) m.data[k] = v[k];
  return m;
}

static void test_outliers(void) {
  /* 20 small scores, one large (marked in pass 1), one medium (only marked in pass 2,
   * once the large one no longer inflates the spread). */
  double v[20];
  gy_rng r;
  gy_rng_seed(&r, 5);
  for (int k = 0; k < 20; k++) v[k] = 0.02 * gy_rng_normal(&r);
  v[3] = 0.9;
  v[11] = 0.3;
  gy_mat s = vector_of(v, 20), bad = {0};
  CHECK_OK(gy_ica_artifact_outliers(&bad, &s, 3.0, 1, GY_ICA_TAIL_BOTH));
  int n1 = 0;
  for (int k = 0; k < 20; k++) n1 += bad.data[k] != 0;
  CHECK(n1 == 1 && bad.data[3] == 1);
  gy_mat_clear(&bad);
  CHECK_OK(gy_ica_artifact_outliers(&bad, &s, 3.0, 2, GY_ICA_TAIL_BOTH));
  CHECK(bad.data[3] == 1 && bad.data[11] == 1);
  int n2 = 0;
  for (int k = 0; k < 20; k++) n2 += bad.data[k] != 0;
  CHECK(n2 == 2);
  gy_mat_clear(&bad);
  /* Tails: a large positive score is no low outlier. */
  CHECK_OK(gy_ica_artifact_outliers(&bad, &s, 3.0, 2, GY_ICA_TAIL_LOW));
  CHECK(bad.data[3] == 0);
  gy_mat_clear(&bad);
  /* A row vector with a stride works the same. */
  gy_mat wide = {0}, row = {0};
  gy_mat_init(&wide, 3, 20);
  for (int k = 0; k < 20; k++) AT(&wide, 1, k) = v[k];
  gy_mat_view(&row, &wide, 1, 0, 1, 20);
  CHECK_OK(gy_ica_artifact_outliers(&bad, &row, 3.0, 2, GY_ICA_TAIL_HIGH));
  CHECK(bad.rows == 20 && bad.data[3] == 1 && bad.data[11] == 1);
  gy_mat_clear(&bad);
  gy_mat_clear(&wide);
  /* Constant scores: z is undefined and nothing is marked. */
  double c[6] = { 0.5, 0.5, 0.5, 0.5, 0.5, 0.5 };
  gy_mat cs = vector_of(c, 6);
  CHECK_OK(gy_ica_artifact_outliers(&bad, &cs, 0.0, 2, GY_ICA_TAIL_BOTH));
  for (int k = 0; k < 6; k++) CHECK(bad.data[k] == 0);
  gy_mat_clear(&bad);
  /* Bad input. */
  CHECK_FAILS(gy_ica_artifact_outliers(&bad, &s, 3.0, 0, 0), GY_EINVAL, "max_iter");
  CHECK_FAILS(gy_ica_artifact_outliers(&bad, &s, 3.0, 2, 7), GY_EINVAL, "tail");
  CHECK_FAILS(gy_ica_artifact_outliers(&bad, &s, NAN, 2, 0), GY_EINVAL, "threshold");
  gy_mat sq = {0};
  gy_mat_init(&sq, 2, 2);
  CHECK_FAILS(gy_ica_artifact_outliers(&bad, &sq, 3.0, 2, 0), GY_EINVAL, "vector");
  s.data[2] = NAN;
  CHECK_FAILS(gy_ica_artifact_outliers(&bad, &s, 3.0, 2, 0), GY_EINVAL, "non-finite");
  CHECK(bad.data == NULL);
  gy_mat_clear(&sq);
  gy_mat_clear(&s);
  gy_mat_clear(&cs);
}

/* X = S A' + mean with a known square mixing A and its inverse as the unmixing. */
static void test_apply(void) {
  const int64_t T = 300, p = 4;
  gy_rng r;
  gy_rng_seed(&r, 11);
  gy_mat S = {0}, A = {0}, U = {0}, mean = {0}, X = {0};
  gy_mat_init(&S, T, p);
  gy_mat_init(&X, T, p);
  gy_mat_init(&mean, 1, p);
  /* A lower-triangular mixing with unit diagonal: its inverse is easy to form exactly. */
  gy_mat_init(&A, p, p);
  gy_mat_init(&U, p, p);
  for (int64_t i = 0; i < p; i++) AT(&A, i, i) = 1;
  AT(&A, 1, 0) = 0.5;
  AT(&A, 2, 1) = -2;
  AT(&A, 3, 0) = 1.5;
  /* U = A^-1 by forward substitution, column by column. */
  for (int64_t j = 0; j < p; j++)
    for (int64_t i = 0; i < p; i++) {
      double v = i == j ? 1 : 0;
      for (int64_t k = 0; k < i; k++) v -= AT(&A, i, k) * AT(&U, k, j);
      AT(&U, i, j) = v;
    }
  for (int64_t j = 0; j < p; j++) mean.data[j] = (double)j - 1.5;
  for (int64_t t = 0; t < T; t++)
    for (int64_t k = 0; k < p; k++) AT(&S, t, k) = gy_rng_normal(&r);
  for (int64_t t = 0; t < T; t++)
    for (int64_t i = 0; i < p; i++) {
      double v = mean.data[i];
      for (int64_t k = 0; k < p; k++) v += AT(&A, i, k) * AT(&S, t, k);
      AT(&X, t, i) = v;
    }
  gy_mat out = {0};
  CHECK_OK(gy_ica_artifact_apply(&out, &X, &U, &A, &mean, NULL, 0));
  double err = 0;
  for (int64_t t = 0; t < T; t++)
    for (int64_t i = 0; i < p; i++) err = fmax(err, fabs(AT(&out, t, i) - AT(&X, t, i)));
  CHECK(err == 0);
  gy_mat_clear(&out);
  const int64_t ex[2] = { 2, 0 };
  CHECK_OK(gy_ica_artifact_apply(&out, &X, &U, &A, &mean, ex, 2));
  /* out = mean + sources 1 and 3 (0-based) only. */
  err = 0;
  for (int64_t t = 0; t < T; t++)
    for (int64_t i = 0; i < p; i++) {
      double v = mean.data[i] + AT(&A, i, 1) * AT(&S, t, 1) + AT(&A, i, 3) * AT(&S, t, 3);
      err = fmax(err, fabs(AT(&out, t, i) - v));
    }
  CHECK_NEAR(err, 0, 1e-12);
  gy_mat_clear(&out);
  /* Bad input: nothing allocated survives. */
  const int64_t bad1[1] = { 4 }, dup[2] = { 1, 1 };
  CHECK_FAILS(gy_ica_artifact_apply(&out, &X, &U, &A, &mean, bad1, 1), GY_EINVAL, "out of range");
  CHECK_FAILS(gy_ica_artifact_apply(&out, &X, &U, &A, &mean, dup, 2), GY_EINVAL, "twice");
  CHECK_FAILS(gy_ica_artifact_apply(&out, &X, &U, &A, &mean, NULL, 1), GY_EINVAL, "excluded");
  gy_mat Xv = {0};
  gy_mat_view(&Xv, &X, 0, 0, T, 3);
  CHECK_FAILS(gy_ica_artifact_apply(&out, &Xv, &U, &A, &mean, ex, 1), GY_EINVAL, "channels");
  CHECK_FAILS(gy_ica_artifact_apply(&out, &X, &U, &U, &Xv, ex, 1), GY_EINVAL, "mean");
  AT(&X, 5, 1) = INFINITY;
  CHECK_FAILS(gy_ica_artifact_apply(&out, &X, &U, &A, &mean, ex, 1), GY_EINVAL, "non-finite");
  CHECK(out.data == NULL);
  gy_mat_clear(&S);
  gy_mat_clear(&A);
  gy_mat_clear(&U);
  gy_mat_clear(&mean);
  gy_mat_clear(&X);
}

int main(void) {
  test_outliers();
  test_apply();
  printf("%d passed, %d failed\n", test_passed_, test_failed_);
  return test_failed_ != 0;
}
