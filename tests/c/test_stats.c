/* Statistics along a dimension: hand-computed values, agreement between the two dims,
 * correlation against a naive double loop, ties in ranks, quantile edges and every error
 * path (NaN, constant slice, empty input, bad dim, ddof >= n, interrupts). */
#include "test.h"

#include <stdint.h>
#include <stdlib.h>

/* A rows x cols matrix from row-major literals (the way tests read best). */
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

static double at(const gy_mat *m, int64_t i, int64_t j) { return m->data[i + j * m->ld]; }

static double max_abs_diff(const gy_mat *a, const gy_mat *b) {
  if (a->rows != b->rows || a->cols != b->cols) return INFINITY;
  double d = 0;
  for (int64_t j = 0; j < a->cols; j++)
    for (int64_t i = 0; i < a->rows; i++) d = fmax(d, fabs(at(a, i, j) - at(b, i, j)));
  return d;
}

static void test_moments(void) {
  /* Columns {1, 3, 4} and {2, 5, 4}: means 8/3 and 11/3, both with squared deviations
   * summing to 42/9, and the cross-product of deviations 33/9, so r = 11/14. */
  gy_mat X = from_rows(3, 2, (double[]){1, 2, 3, 5, 4, 4});
  gy_mat o = {0};
  CHECK_OK(gy_stats_sum(&o, &X, 0));
  CHECK(o.rows == 1 && o.cols == 2 && at(&o, 0, 0) == 8 && at(&o, 0, 1) == 11);
  gy_mat_clear(&o);
  CHECK_OK(gy_stats_sum(&o, &X, 1));
  CHECK(o.rows == 3 && o.cols == 1 && at(&o, 0, 0) == 3 && at(&o, 1, 0) == 8 && at(&o, 2, 0) == 8);
  gy_mat_clear(&o);
  CHECK_OK(gy_stats_mean(&o, &X, 0));
  CHECK_NEAR(at(&o, 0, 0), 8.0 / 3, 1e-15);
  CHECK_NEAR(at(&o, 0, 1), 11.0 / 3, 1e-15);
  gy_mat_clear(&o);
  CHECK_OK(gy_stats_mean(&o, &X, 1));
  CHECK_NEAR(at(&o, 1, 0), 4.0, 1e-15);
  gy_mat_clear(&o);
  CHECK_OK(gy_stats_var(&o, &X, 0, 0));
  CHECK_NEAR(at(&o, 0, 0), 14.0 / 9, 1e-15);
  CHECK_NEAR(at(&o, 0, 1), 14.0 / 9, 1e-15);
  gy_mat_clear(&o);
  CHECK_OK(gy_stats_var(&o, &X, 0, 1));
  CHECK_NEAR(at(&o, 0, 0), 7.0 / 3, 1e-15);
  gy_mat_clear(&o);
  CHECK_OK(gy_stats_std(&o, &X, 0, 1));
  CHECK_NEAR(at(&o, 0, 1), sqrt(7.0 / 3), 1e-15);
  gy_mat_clear(&o);
  CHECK_OK(gy_stats_var(&o, &X, 1, 0)); /* rows {1,2}, {3,5}, {4,4} */
  CHECK_NEAR(at(&o, 0, 0), 0.25, 1e-15);
  CHECK_NEAR(at(&o, 1, 0), 1.0, 1e-15);
  CHECK_NEAR(at(&o, 2, 0), 0.0, 1e-15);
  gy_mat_clear(&o);
  CHECK_OK(gy_stats_std(&o, &X, 1, 1));
  CHECK_NEAR(at(&o, 1, 0), sqrt(2.0), 1e-15);
  gy_mat_clear(&o);
  CHECK_OK(gy_stats_corr(&o, &X));
  CHECK(o.rows == 2 && o.cols == 2 && at(&o, 0, 0) == 1 && at(&o, 1, 1) == 1);
  CHECK_NEAR(at(&o, 0, 1), 11.0 / 14, 1e-15);
  CHECK(at(&o, 0, 1) == at(&o, 1, 0));
  gy_mat_clear(&o);
  CHECK_OK(gy_stats_zscore(&o, &X, 0, 0));
  CHECK_NEAR(at(&o, 0, 0), (1 - 8.0 / 3) / sqrt(14.0 / 9), 1e-15);
  CHECK_NEAR(at(&o, 2, 1), (4 - 11.0 / 3) / sqrt(14.0 / 9), 1e-15);
  gy_mat_clear(&o);
  CHECK_OK(gy_stats_zscore(&o, &X, 0, 1));
  CHECK_NEAR(at(&o, 1, 0), (3 - 8.0 / 3) / sqrt(7.0 / 3), 1e-15);
  gy_mat_clear(&o);
  gy_mat_clear(&X);
}

/* dim 1 of X must equal dim 0 of X' (transposed shape), on a strided view. */
static void test_dims_agree(void) {
  gy_mat big = randn(40, 300, 7), X = {0}, Xt = {0};
  CHECK_OK(gy_mat_view(&X, &big, 3, 5, 33, 290)); /* ld 40 > rows 33 */
  CHECK_OK(gy_mat_transpose(&Xt, &X));
  for (int f = 0; f < 6; f++) {
    gy_mat a = {0}, b = {0}, bt = {0};
    switch (f) {
    case 0: CHECK_OK(gy_stats_sum(&a, &X, 1)); CHECK_OK(gy_stats_sum(&b, &Xt, 0)); break;
    case 1: CHECK_OK(gy_stats_mean(&a, &X, 1)); CHECK_OK(gy_stats_mean(&b, &Xt, 0)); break;
    case 2: CHECK_OK(gy_stats_var(&a, &X, 1, 1.5)); CHECK_OK(gy_stats_var(&b, &Xt, 0, 1.5)); break;
    case 3: CHECK_OK(gy_stats_zscore(&a, &X, 1, 1)); CHECK_OK(gy_stats_zscore(&b, &Xt, 0, 1)); break;
    case 4: CHECK_OK(gy_stats_rank(&a, &X, 1)); CHECK_OK(gy_stats_rank(&b, &Xt, 0)); break;
    case 5: {
      const double q[] = {0, 0.1, 0.5, 0.73, 1};
      CHECK_OK(gy_stats_quantile(&a, &X, q, 5, 1));
      CHECK_OK(gy_stats_quantile(&b, &Xt, q, 5, 0));
    } break;
    }
    CHECK_OK(gy_mat_transpose(&bt, &b));
    CHECK(max_abs_diff(&a, &bt) < 1e-12);
    gy_mat_clear(&a);
    gy_mat_clear(&b);
    gy_mat_clear(&bt);
  }
  /* Pairwise and blocked sums agree with a long-double reference. */
  gy_mat s0 = {0}, s1 = {0};
  CHECK_OK(gy_stats_sum(&s0, &X, 0));
  CHECK_OK(gy_stats_sum(&s1, &X, 1));
  long double ref0 = 0, ref1 = 0;
  for (int64_t i = 0; i < X.rows; i++) ref0 += at(&X, i, 17);
  for (int64_t j = 0; j < X.cols; j++) ref1 += at(&X, 9, j);
  CHECK_NEAR(at(&s0, 0, 17), (double)ref0, 1e-14);
  CHECK_NEAR(at(&s1, 9, 0), (double)ref1, 1e-14);
  gy_mat_clear(&s0);
  gy_mat_clear(&s1);
  gy_mat_clear(&Xt);
  gy_mat_clear(&big);
}

/* corr and corr2 against a naive two-pass double loop; sizes cross the 512-column panel
 * and the 64-column mirror tile boundaries. */
static void test_corr(void) {
  gy_mat X = randn(37, 700, 11), R = {0};
  CHECK_OK(gy_stats_corr(&R, &X));
  CHECK(R.rows == 700 && R.cols == 700);
  double *mu = calloc(700, sizeof(double)), *sd = calloc(700, sizeof(double));
  for (int64_t j = 0; j < 700; j++) {
    for (int64_t i = 0; i < 37; i++) mu[j] += at(&X, i, j);
    mu[j] /= 37;
    for (int64_t i = 0; i < 37; i++) sd[j] += (at(&X, i, j) - mu[j]) * (at(&X, i, j) - mu[j]);
    sd[j] = sqrt(sd[j]);
  }
  double err = 0, asym = 0;
  int diag1 = 1, inrange = 1;
  for (int64_t a = 0; a < 700; a++) {
    diag1 &= at(&R, a, a) == 1.0;
    for (int64_t b = 0; b < 700; b += (a % 7 == 0) ? 1 : 13) {
      double c = 0;
      for (int64_t i = 0; i < 37; i++) c += (at(&X, i, a) - mu[a]) * (at(&X, i, b) - mu[b]);
      if (a != b) err = fmax(err, fabs(at(&R, a, b) - c / (sd[a] * sd[b])));
      asym = fmax(asym, fabs(at(&R, a, b) - at(&R, b, a)));
      inrange &= fabs(at(&R, a, b)) <= 1.0;
    }
  }
  CHECK(err < 1e-13);
  CHECK(asym == 0);
  CHECK(diag1);
  CHECK(inrange);

  /* corr2(X[:, :300], X[:, 250:]) is the matching block of corr(X). */
  gy_mat A = {0}, B = {0}, R2 = {0};
  CHECK_OK(gy_mat_view(&A, &X, 0, 0, 37, 300));
  CHECK_OK(gy_mat_view(&B, &X, 0, 250, 37, 450));
  CHECK_OK(gy_stats_corr2(&R2, &A, &B));
  CHECK(R2.rows == 300 && R2.cols == 450);
  double e2 = 0;
  for (int64_t j = 0; j < 450; j++)
    for (int64_t i = 0; i < 300; i++)
      if (i != j + 250) e2 = fmax(e2, fabs(at(&R2, i, j) - at(&R, i, j + 250)));
  CHECK(e2 < 1e-14);
  CHECK_NEAR(at(&R2, 260, 10), 1.0, 1e-15);
  CHECK(fabs(at(&R2, 260, 10)) <= 1.0);

  /* Perfectly (anti)correlated columns give exactly +-1 after clamping. */
  gy_mat P = from_rows(4, 3, (double[]){1, -2, 0.1, 2, -4, 0.3, 3, -6, 0.2, 4, -8, 0.7});
  gy_mat RP = {0};
  CHECK_OK(gy_stats_corr(&RP, &P));
  CHECK_NEAR(at(&RP, 0, 1), -1.0, 1e-15);
  CHECK(at(&RP, 0, 1) >= -1.0);
  gy_mat_clear(&RP);
  gy_mat_clear(&P);

  free(mu);
  free(sd);
  gy_mat_clear(&R2);
  gy_mat_clear(&R);
  gy_mat_clear(&X);
}

/* With 2 threads the column preparation and the mirror run in parts; the result must not
 * change, and a constant column in a later part must still be the one named. */
static void test_corr_threads(void) {
  const int before = gy_linalg_threads(0);
  gy_linalg_threads(2);
  gy_mat X = randn(1000, 1100, 13), R1 = {0}, R2 = {0};
  CHECK_OK(gy_stats_corr(&R2, &X));
  gy_linalg_threads(1);
  CHECK_OK(gy_stats_corr(&R1, &X));
  CHECK(max_abs_diff(&R1, &R2) < 1e-14);
  int sym = 1;
  for (int64_t j = 0; j < 1100; j++)
    for (int64_t i = 0; i < 1100; i++) sym &= at(&R2, i, j) == at(&R2, j, i);
  CHECK(sym);
  CHECK(at(&R2, 1099, 1099) == 1.0 && at(&R2, 640, 640) == 1.0);
  gy_linalg_threads(2);
  for (int64_t i = 0; i < 1000; i++) X.data[i + 1050 * X.ld] = 2.5;
  for (int64_t i = 0; i < 1000; i++) X.data[i + 700 * X.ld] = -1.0;
  gy_mat o = {0};
  CHECK_FAILS(gy_stats_corr(&o, &X), GY_EINVAL, "column 701 of X is constant");
  CHECK(o.data == NULL);
  gy_linalg_threads(before);
  gy_mat_clear(&R1);
  gy_mat_clear(&R2);
  gy_mat_clear(&X);
}

static void test_detrend(void) {
  /* On t = -1, 0, 1 the vector (1, -2, 1) is orthogonal to 1 and t, so a linear detrend of
   * it plus any line returns it unchanged; a constant detrend only removes the mean. */
  gy_mat X = from_rows(3, 2, (double[]){1 + 5 - 7, 4, -2 + 5, 4, 1 + 5 + 7, 4});
  gy_mat o = {0};
  CHECK_OK(gy_stats_detrend(&o, &X, 1));
  CHECK_NEAR(at(&o, 0, 0), 1, 1e-14);
  CHECK_NEAR(at(&o, 1, 0), -2, 1e-14);
  CHECK_NEAR(at(&o, 2, 0), 1, 1e-14);
  CHECK_NEAR(at(&o, 1, 1), 0, 1e-14);
  gy_mat_clear(&o);
  CHECK_OK(gy_stats_detrend(&o, &X, 0));
  CHECK_NEAR(at(&o, 0, 0), -6, 1e-14); /* (-1, 3, 13) has mean 5 */
  CHECK_NEAR(at(&o, 2, 0), 8, 1e-14);
  gy_mat_clear(&o);
  CHECK_OK(gy_stats_detrend(&o, &X, 2)); /* three points fit a parabola exactly */
  CHECK(fabs(at(&o, 0, 0)) < 1e-14 && fabs(at(&o, 1, 0)) < 1e-14);
  gy_mat_clear(&o);
  CHECK_OK(gy_stats_detrend(&o, &X, 9)); /* orders past n - 1 also leave zeros */
  CHECK(fabs(at(&o, 2, 0)) < 1e-14);
  gy_mat_clear(&o);
  gy_mat_clear(&X);

  /* A cubic trend on noise: the order-3 residual is orthogonal to 1, t, t^2, t^3 and
   * detrending it again changes nothing. 600 columns cross the 256-column blocks. */
  const int64_t n = 200, p = 600;
  gy_mat Y = randn(n, p, 3), r = {0}, rr = {0};
  for (int64_t j = 0; j < p; j++)
    for (int64_t i = 0; i < n; i++) {
      double t = (double)i;
      Y.data[i + j * n] += 3 + 0.5 * t - 1e-3 * t * t + 2e-6 * t * t * t * (double)(j % 5);
    }
  CHECK_OK(gy_stats_detrend(&r, &Y, 3));
  double worst = 0;
  for (int64_t j = 0; j < p; j += 37)
    for (int k = 0; k <= 3; k++) {
      double d = 0, nt = 0;
      for (int64_t i = 0; i < n; i++) {
        double tk = pow((double)i / (double)(n - 1), k);
        d += tk * r.data[i + j * n];
        nt += tk * tk;
      }
      worst = fmax(worst, fabs(d) / sqrt(nt));
    }
  CHECK(worst < 1e-11);
  CHECK_OK(gy_stats_detrend(&rr, &r, 3));
  CHECK(max_abs_diff(&r, &rr) < 1e-12);
  gy_mat_clear(&rr);
  gy_mat_clear(&r);
  gy_mat_clear(&Y);
}

static void test_rank_quantile(void) {
  /* Ties share the mean of their ranks (scipy.stats.rankdata "average"). */
  gy_mat X = from_rows(5, 2, (double[]){3, 0.5, 1, 0.5, 3, 0.5, 2, 0.5, 3, -1});
  gy_mat o = {0};
  CHECK_OK(gy_stats_rank(&o, &X, 0));
  const double want0[] = {4, 1, 4, 2, 4}, want1[] = {3.5, 3.5, 3.5, 3.5, 1};
  for (int i = 0; i < 5; i++) {
    CHECK(at(&o, i, 0) == want0[i]);
    CHECK(at(&o, i, 1) == want1[i]);
  }
  gy_mat_clear(&o);
  CHECK_OK(gy_stats_rank(&o, &X, 1)); /* row 1: {3, 0.5} -> {2, 1}; row 2: {1, 0.5} */
  CHECK(at(&o, 0, 0) == 2 && at(&o, 0, 1) == 1 && at(&o, 1, 0) == 2);
  gy_mat_clear(&o);

  gy_mat Q = from_rows(4, 2, (double[]){4, 10, 1, 10, 3, 10, 2, 10});
  const double q[] = {0, 0.25, 0.5, 1, 1.0 / 3};
  CHECK_OK(gy_stats_quantile(&o, &Q, q, 5, 0));
  CHECK(o.rows == 5 && o.cols == 2);
  CHECK(at(&o, 0, 0) == 1 && at(&o, 3, 0) == 4);
  CHECK_NEAR(at(&o, 1, 0), 1.75, 1e-15);
  CHECK_NEAR(at(&o, 2, 0), 2.5, 1e-15);
  CHECK_NEAR(at(&o, 4, 0), 2.0, 1e-15);
  CHECK(at(&o, 2, 1) == 10); /* a constant slice interpolates to itself exactly */
  gy_mat_clear(&o);
  CHECK_OK(gy_stats_quantile(&o, &Q, q + 2, 1, 1)); /* median of each row */
  CHECK(o.rows == 4 && o.cols == 1);
  CHECK_NEAR(at(&o, 0, 0), 7, 1e-15);
  gy_mat_clear(&o);
  gy_mat one = from_rows(1, 1, (double[]){5});
  CHECK_OK(gy_stats_quantile(&o, &one, q, 5, 0));
  CHECK(at(&o, 1, 0) == 5 && at(&o, 3, 0) == 5);
  gy_mat_clear(&o);
  CHECK_OK(gy_stats_rank(&o, &one, 0));
  CHECK(at(&o, 0, 0) == 1);
  gy_mat_clear(&o);
  gy_mat_clear(&one);
  gy_mat_clear(&Q);
  gy_mat_clear(&X);
}

static int cmp_dbl(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Ranks and quantiles against naive definitions on inputs that trouble quicksorts:
 * sorted, reversed, organ-pipe, three distinct values, all equal, random. 600 rows pass
 * the insertion-sort cutoff many times over; 12 quantiles take the sorting path and 3 the
 * selection path. */
static void test_order_stats(void) {
  const int64_t n = 600, p = 6;
  gy_mat X = randn(n, p, 17);
  for (int64_t i = 0; i < n; i++) {
    X.data[i] = (double)i;
    X.data[i + n] = (double)(n - i);
    X.data[i + 2 * n] = (double)(i < n / 2 ? i : n - i);
    X.data[i + 3 * n] = (double)((i * 7) % 3);
    X.data[i + 4 * n] = 1.5;
  }
  gy_mat R = {0}, Q12 = {0}, Q3 = {0};
  const double q12[] = {0, 0.01, 0.1, 0.25, 1.0 / 3, 0.5, 0.5, 0.6, 0.75, 0.9, 0.999, 1};
  const double q3[] = {0.9, 0.1, 0.5};
  CHECK_OK(gy_stats_rank(&R, &X, 0));
  CHECK_OK(gy_stats_quantile(&Q12, &X, q12, 12, 0));
  CHECK_OK(gy_stats_quantile(&Q3, &X, q3, 3, 0));
  double *sorted = malloc((size_t)n * sizeof(double));
  int rank_ok = 1, q_ok = 1;
  for (int64_t j = 0; j < p; j++) {
    const double *x = X.data + j * n;
    for (int64_t i = 0; i < n; i++) {
      int64_t less = 0, equal = 0;
      for (int64_t k = 0; k < n; k++) {
        less += x[k] < x[i];
        equal += x[k] == x[i];
      }
      rank_ok &= at(&R, i, j) == (double)less + 0.5 * (double)(equal + 1);
    }
    memcpy(sorted, x, (size_t)n * sizeof(double));
    qsort(sorted, (size_t)n, sizeof(double), cmp_dbl);
    for (int l = 0; l < 15; l++) {
      const double qq = l < 12 ? q12[l] : q3[l - 12];
      const double h = qq * (double)(n - 1), g = h - floor(h);
      const int64_t lo = (int64_t)floor(h), hi = lo + 1 < n ? lo + 1 : n - 1;
      const double want = sorted[lo] + g * (sorted[hi] - sorted[lo]);
      const double got = l < 12 ? at(&Q12, l, j) : at(&Q3, l - 12, j);
      q_ok &= fabs(got - want) <= 1e-12 * fmax(1.0, fabs(want));
    }
  }
  CHECK(rank_ok);
  CHECK(q_ok);
  CHECK(at(&Q12, 5, 4) == 1.5 && at(&R, 0, 4) == (double)(n + 1) / 2);
  free(sorted);
  gy_mat_clear(&Q3);
  gy_mat_clear(&Q12);
  gy_mat_clear(&R);
  gy_mat_clear(&X);
}

static void test_errors(void) {
  gy_mat X = from_rows(3, 2, (double[]){1, 2, 3, 2, 4, 2});
  gy_mat N = from_rows(3, 2, (double[]){1, 2, NAN, 2, 4, 2});
  gy_mat G = from_rows(3, 2, (double[]){1, 2, 3, 3, 4, 2}); /* row 2 is constant */
  gy_mat empty = {0}, o = {0};
  gy_mat_init(&empty, 0, 3);
  const double q = 0.5;

  CHECK_FAILS(gy_stats_mean(&o, &N, 0), GY_EINVAL, "row 2, column 1");
  CHECK_FAILS(gy_stats_corr(&o, &N), GY_EINVAL, "non-finite");
  CHECK_FAILS(gy_stats_rank(&o, &N, 0), GY_EINVAL, "non-finite");
  CHECK_FAILS(gy_stats_quantile(&o, &N, &q, 1, 0), GY_EINVAL, "non-finite");
  CHECK_FAILS(gy_stats_detrend(&o, &N, 1), GY_EINVAL, "non-finite");
  CHECK_FAILS(gy_stats_corr2(&o, &G, &N), GY_EINVAL, "Y has a non-finite");

  CHECK_FAILS(gy_stats_zscore(&o, &X, 0, 0), GY_EINVAL, "column 2 is constant");
  CHECK_FAILS(gy_stats_corr(&o, &X), GY_EINVAL, "column 2 of X is constant");
  CHECK_FAILS(gy_stats_corr2(&o, &N, &X), GY_EINVAL, "X has a non-finite");
  CHECK_FAILS(gy_stats_zscore(&o, &G, 1, 0), GY_EINVAL, "row 2 is constant");

  CHECK_FAILS(gy_stats_sum(&o, &empty, 0), GY_EINVAL, "empty");
  CHECK_FAILS(gy_stats_mean(&o, &empty, 1), GY_EINVAL, "empty");
  CHECK_FAILS(gy_stats_corr(&o, &empty), GY_EINVAL, "empty");
  CHECK_FAILS(gy_stats_rank(&o, &empty, 0), GY_EINVAL, "empty");
  CHECK_FAILS(gy_stats_detrend(&o, &empty, 0), GY_EINVAL, "empty");
  CHECK_FAILS(gy_stats_quantile(&o, &empty, &q, 1, 0), GY_EINVAL, "empty");

  CHECK_FAILS(gy_stats_sum(&o, &X, 2), GY_EINVAL, "dim must be 0");
  CHECK_FAILS(gy_stats_var(&o, &X, -1, 0), GY_EINVAL, "dim must be 0");
  CHECK_FAILS(gy_stats_rank(&o, &X, 5), GY_EINVAL, "dim must be 0");
  CHECK_FAILS(gy_stats_quantile(&o, &X, &q, 1, 3), GY_EINVAL, "dim must be 0");

  CHECK_FAILS(gy_stats_var(&o, &X, 0, 3), GY_EINVAL, "ddof = 3");
  CHECK_FAILS(gy_stats_std(&o, &X, 1, 2), GY_EINVAL, "ddof = 2");
  CHECK_FAILS(gy_stats_zscore(&o, &X, 0, 5), GY_EINVAL, "ddof");
  CHECK_FAILS(gy_stats_var(&o, &X, 0, NAN), GY_EINVAL, "ddof must be finite");

  gy_mat X4 = from_rows(4, 1, (double[]){1, 2, 3, 4});
  gy_mat X3 = from_rows(3, 1, (double[]){1, 2, 3});
  gy_mat row = from_rows(1, 3, (double[]){1, 2, 3});
  CHECK_FAILS(gy_stats_corr2(&o, &X4, &X3), GY_EINVAL, "same number of rows");
  CHECK_FAILS(gy_stats_corr(&o, &row), GY_EINVAL, "at least 2 rows");
  const double bad[] = {0.5, 1.5};
  CHECK_FAILS(gy_stats_quantile(&o, &X4, bad, 2, 0), GY_EINVAL, "quantile 2 is 1.5");
  const double nanq = NAN;
  CHECK_FAILS(gy_stats_quantile(&o, &X4, &nanq, 1, 0), GY_EINVAL, "outside [0, 1]");
  CHECK_FAILS(gy_stats_quantile(&o, &X4, &q, 0, 0), GY_EINVAL, "no quantiles");
  CHECK_FAILS(gy_stats_detrend(&o, &X4, -1), GY_EINVAL, "order must be >= 0");

  /* An output that owns storage would leak: refused before anything is computed. */
  gy_mat full = {0};
  gy_mat_init(&full, 1, 1);
  CHECK_FAILS(gy_stats_mean(&full, &X4, 0), GY_EINVAL, "must be empty");
  CHECK_FAILS(gy_stats_corr(&full, &X4), GY_EINVAL, "must be empty");
  gy_mat_clear(&full);

  /* Ctrl-C stops the long loops with GY_EINTR and leaves the output empty. */
  gy_mat big = randn(20, 600, 5);
  gy_interrupt(1);
  CHECK_FAILS(gy_stats_corr(&o, &big), GY_EINTR, "interrupted");
  CHECK(o.data == NULL);
  CHECK_FAILS(gy_stats_rank(&o, &big, 0), GY_EINTR, "interrupted");
  CHECK_FAILS(gy_stats_detrend(&o, &big, 1), GY_EINTR, "interrupted");
  CHECK_FAILS(gy_stats_mean(&o, &big, 0), GY_EINTR, "interrupted");
  CHECK(o.data == NULL);
  gy_interrupt(0);
  CHECK_OK(gy_stats_mean(&o, &big, 0));
  gy_mat_clear(&o);

  gy_mat_clear(&big);
  gy_mat_clear(&row);
  gy_mat_clear(&X3);
  gy_mat_clear(&X4);
  gy_mat_clear(&empty);
  gy_mat_clear(&G);
  gy_mat_clear(&N);
  gy_mat_clear(&X);
}

int main(void) {
  test_moments();
  test_dims_agree();
  test_corr();
  test_corr_threads();
  test_detrend();
  test_rank_quantile();
  test_order_stats();
  test_errors();
  CHECK(gy_alloc_bytes() == 0);
  return test_summary();
}
