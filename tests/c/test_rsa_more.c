/* RSA part 2 core: the tRSA worked example of the reference note (section 5.12), the
 * t-test values of section 5.1, invariances of CKA and the shape metrics (section 5.11),
 * seeded resampling, and the error paths. Fixture values are checked by
 * tests/lua/rsa_more_spec.lua. */
#include "test.h"

#include <stdint.h>
#include <stdlib.h>

#include "gyrus/rsa.h"
#include "gyrus/rsa_infer.h"
#include "gyrus/rsa_shape.h"
#include "gyrus/rsa_trsa.h"

#define AT(m, i, j) ((m)->data[(i) + (j) * (m)->ld])

static gy_mat column(int64_t n, const double *v) {
  gy_mat m = {0};
  gy_mat_init(&m, n, 1);
  for (int64_t i = 0; i < n; i++) m.data[i] = v[i];
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

static void check_vec(const gy_mat *v, const double *want, int64_t n, double tol) {
  CHECK(v->rows == n);
  for (int64_t k = 0; k < n && k < v->rows; k++) {
    if (isinf(want[k])) CHECK(v->data[k] == want[k]);
    else CHECK_NEAR(v->data[k], want[k], tol);
  }
}

static void test_worked_example(void) {
  gy_mat d = column(6, (double[]){1, 2, 3, 4, 5, 6});
  gy_mat g = {0}, a = {0}, b = {0}, c = {0}, e = {0}, r = {0};
  CHECK_OK(gy_rsa_rgtm(&g, &d, 0.2, 0.8));
  check_vec(&g, (double[]){0, 0, 1.0 / 3, 2.0 / 3, 1, 1}, 6, 1e-15);
  CHECK_OK(gy_rsa_rgtd(&a, &d, 0.2, 0.8, GY_RSA_ZERO_NO_EDGE, GY_RSA_INF_KEEP, 0));
  check_vec(&a, (double[]){INFINITY, INFINITY, 1.0 / 3, 2.0 / 3, INFINITY, INFINITY}, 6, 1e-15);
  CHECK_OK(gy_rsa_rgtd(&b, &d, 0.2, 0.8, GY_RSA_ZERO_NO_EDGE, GY_RSA_INF_KEEP, 1));
  check_vec(&b, (double[]){4.5, 4.5, 1, 2, 4.5, 4.5}, 6, 0);
  CHECK_OK(gy_rsa_geodesic(&c, &g, GY_RSA_ZERO_IS_EDGE, GY_RSA_INF_KEEP, 0));
  check_vec(&c, (double[]){0, 0, 1.0 / 3, 0, 1.0 / 3, 1.0 / 3}, 6, 1e-15);
  CHECK_OK(gy_rsa_geodesic(&e, &g, GY_RSA_ZERO_NO_EDGE, GY_RSA_INF_MAX, 0));
  check_vec(&e, (double[]){2.0 / 3, 2.0 / 3, 1.0 / 3, 2.0 / 3, 2.0 / 3, 2.0 / 3}, 6, 1e-15);
  /* rsatoolbox test_rdm.py: rank_transform([8, 6, 10, nan]) = [2, 1, 3, nan] */
  gy_mat x = column(4, (double[]){8, 6, 10, NAN});
  CHECK_OK(gy_rsa_rank(&r, &x));
  CHECK(r.data[0] == 2 && r.data[1] == 1 && r.data[2] == 3 && isnan(r.data[3]));
  gy_mat l = {0};
  /* l = u: binary adjacency, no 0/0 */
  CHECK_OK(gy_rsa_rgtm(&l, &d, 0.4, 0.4));
  check_vec(&l, (double[]){0, 0, 0, 1, 1, 1}, 6, 0);
  gy_mat_clear(&l);
  gy_mat_clear(&x);
  gy_mat_clear(&d);
  gy_mat_clear(&g);
  gy_mat_clear(&a);
  gy_mat_clear(&b);
  gy_mat_clear(&c);
  gy_mat_clear(&e);
  gy_mat_clear(&r);
}

static void test_trsa_errors(void) {
  gy_mat d = column(6, (double[]){1, 2, 3, 4, 5, 6}), five = column(5, (double[]){1, 2, 3, 4, 5});
  gy_mat neg = column(3, (double[]){0.5, -1, 0.2});
  gy_mat o = {0};
  CHECK_FAILS(gy_rsa_rgtm(&o, &d, 0.8, 0.2), GY_EINVAL, "above upper");
  CHECK_FAILS(gy_rsa_rgtm(&o, &d, -0.1, 0.2), GY_EINVAL, "quantiles in [0, 1]");
  CHECK_FAILS(gy_rsa_rgtd(&o, &five, 0.2, 0.8, 0, 0, 0), GY_EINVAL, "not the upper triangle");
  CHECK_FAILS(gy_rsa_geodesic(&o, &neg, 0, 0, 0), GY_EINVAL, "non-negative");
  CHECK_FAILS(gy_rsa_geodesic(&o, &d, 2, 0, 0), GY_EINVAL, "zero-edge");
  CHECK_FAILS(gy_rsa_geodesic(&o, &d, 0, 5, 0), GY_EINVAL, "inf policy");
  CHECK(o.data == NULL);
  /* sweep: the worked example against itself scores 1 at every pair */
  double lo[] = {0.2, 0.0, 0.1}, up[] = {0.8, 0.5, 0.1};
  CHECK_OK(gy_rsa_rgtm_sweep(&o, &d, &d, lo, up, 3, GY_RSA_CORR, 0, 0, 0));
  CHECK(o.rows == 3);
  CHECK_NEAR(o.data[0], 1, 1e-15);
  CHECK_NEAR(o.data[1], 1, 1e-15);
  gy_mat_clear(&o);
  CHECK_FAILS(gy_rsa_rgtm_sweep(&o, &d, &five, lo, up, 3, GY_RSA_CORR, 0, 0, 0), GY_EINVAL,
              "model has 5 entries");
  CHECK_FAILS(gy_rsa_rgtm_sweep(&o, &d, &d, up, lo, 2, GY_RSA_CORR, 0, 0, 0), GY_EINVAL,
              "above upper");
  CHECK_FAILS(gy_rsa_rgtm_sweep(&o, &d, &d, lo, up, 0, GY_RSA_CORR, 0, 0, 0), GY_EINVAL,
              "no threshold pairs");
  CHECK(o.data == NULL);
  gy_mat_clear(&d);
  gy_mat_clear(&five);
  gy_mat_clear(&neg);
}

static void test_t_cdf(void) {
  /* reference note 5.1: 2 dof, F(t) = 1/2 + t / (2 sqrt(2 + t^2)) */
  for (double t = -4; t <= 4; t += 0.37)
    CHECK_NEAR(gy_rsa_t_cdf(t, 2), 0.5 + t / (2 * sqrt(2 + t * t)), 1e-13);
  /* 1 dof is Cauchy */
  CHECK_NEAR(gy_rsa_t_cdf(1.7, 1), 0.5 + atan(1.7) / acos(-1.0), 1e-13);
  double m1 = (0.9 + 0.85 + 0.87) / 3, m2 = (0.12 + 0.11 + 0.13) / 3;
  CHECK_NEAR(1 - gy_rsa_t_cdf(m1 / sqrt(0.01), 2), 0.006429, 5e-7);
  CHECK_NEAR(1 - gy_rsa_t_cdf(m2 / sqrt(0.02), 2), 0.242752, 5e-7);
  CHECK_NEAR(2 * (1 - gy_rsa_t_cdf(fabs(0.99 - m1) / sqrt(0.02), 2)), 0.496129, 5e-7);
  CHECK_NEAR(2 * (1 - gy_rsa_t_cdf(fabs(0.99 - m2) / sqrt(0.03), 2)), 0.037424, 5e-7);
  CHECK(isnan(gy_rsa_t_cdf(1, 0)));
}

/* 5 subjects' RDMs of 6 conditions around one model. */
static void make_set(gy_mat *models, gy_mat *data) {
  gy_mat P = randn(6, 4, 7), noise = randn(15, 5, 8);
  gy_mat_init(models, 15, 2);
  gy_mat_init(data, 15, 5);
  for (int64_t i = 0, k = 0; i < 6; i++)
    for (int64_t j = i + 1; j < 6; j++, k++) {
      double s = 0;
      for (int64_t c = 0; c < 4; c++) s += pow(AT(&P, i, c) - AT(&P, j, c), 2);
      AT(models, k, 0) = s;
      AT(models, k, 1) = (double)((k * 7) % 5);
      for (int64_t q = 0; q < 5; q++) AT(data, k, q) = s + 0.5 * fabs(AT(&noise, k, q));
    }
  gy_mat_clear(&P);
  gy_mat_clear(&noise);
}

static void test_inference(void) {
  gy_mat Ms = {0}, D = {0};
  make_set(&Ms, &D);
  double lo, up;
  CHECK_OK(gy_rsa_noise_ceiling(&lo, &up, &D, GY_RSA_CORR));
  CHECK(lo <= up && up <= 1 && lo > 0.5);
  gy_mat one = {D.data, 15, 1, D.ld, 0, 0};
  CHECK_FAILS(gy_rsa_noise_ceiling(&lo, &up, &one, GY_RSA_CORR), GY_EINVAL, "at least 2");
  CHECK_FAILS(gy_rsa_noise_ceiling(&lo, &up, &D, 42), GY_EINVAL, "unknown comparison");

  /* the permutation test is reproducible from its seed, and the model is significant */
  gy_mat m0 = {Ms.data, 15, 1, Ms.ld, 0, 0}, n1 = {0}, n2 = {0};
  double p1, p2, obs;
  CHECK_OK(gy_rsa_permutation_test(&p1, &obs, &n1, &m0, &one, GY_RSA_CORR, 500, 11));
  CHECK_OK(gy_rsa_permutation_test(&p2, NULL, &n2, &m0, &one, GY_RSA_CORR, 500, 11));
  CHECK(p1 == p2 && n1.rows == 500 && memcmp(n1.data, n2.data, 500 * sizeof(double)) == 0);
  CHECK(p1 < 0.01 && p1 >= 1.0 / 501);
  CHECK_FAILS(gy_rsa_permutation_test(&p1, NULL, &n2, &m0, &one, GY_RSA_CORR, 5, 1),
              GY_EINVAL, "must be empty");
  gy_mat_clear(&n1);
  gy_mat_clear(&n2);
  CHECK_FAILS(gy_rsa_permutation_test(&p1, NULL, &n1, &m0, &one, GY_RSA_CORR, 0, 1),
              GY_EINVAL, "n_perm");

  /* bootstrap: seeded, models then the two noise-ceiling bounds */
  gy_mat b1 = {0}, b2 = {0}, b3 = {0};
  CHECK_OK(gy_rsa_bootstrap(&b1, &Ms, &D, GY_RSA_CORR, GY_RSA_BOOT_BOTH, 200, 5));
  CHECK_OK(gy_rsa_bootstrap(&b2, &Ms, &D, GY_RSA_CORR, GY_RSA_BOOT_BOTH, 200, 5));
  CHECK(b1.rows == 200 && b1.cols == 4);
  int same = 1;
  for (int64_t i = 0; i < 200 * 4; i++)
    same &= (b1.data[i] == b2.data[i]) || (isnan(b1.data[i]) && isnan(b2.data[i]));
  CHECK(same);
  /* subjects only: the first model's mean evaluation is an average of fixed evaluations */
  CHECK_OK(gy_rsa_bootstrap(&b3, &Ms, &D, GY_RSA_CORR, GY_RSA_BOOT_RDM, 50, 5));
  gy_mat E = {0};
  CHECK_OK(gy_rsa_evaluate(&E, &Ms, &D, GY_RSA_CORR));
  double lo_e = INFINITY, hi_e = -INFINITY;
  for (int64_t j = 0; j < 5; j++) {
    lo_e = fmin(lo_e, AT(&E, 0, j));
    hi_e = fmax(hi_e, AT(&E, 0, j));
  }
  for (int64_t s = 0; s < 50; s++)
    CHECK(AT(&b3, s, 0) >= lo_e - 1e-12 && AT(&b3, s, 0) <= hi_e + 1e-12);
  /* one subject, resampling subjects: every sample is the fixed evaluation (the fast
   * similarity path agrees with gy_rsa_compare) */
  int methods[] = {GY_RSA_COSINE, GY_RSA_CORR, GY_RSA_SPEARMAN, GY_RSA_TAU_A};
  for (int q = 0; q < 4; q++) {
    gy_mat b5 = {0}, E1 = {0};
    CHECK_OK(gy_rsa_bootstrap(&b5, &Ms, &one, methods[q], GY_RSA_BOOT_RDM, 3, 2));
    CHECK_OK(gy_rsa_evaluate(&E1, &Ms, &one, methods[q]));
    for (int64_t s = 0; s < 3; s++) {
      CHECK_NEAR(AT(&b5, s, 0), E1.data[0], 1e-13);
      CHECK_NEAR(AT(&b5, s, 1), E1.data[1], 1e-13);
      CHECK(isnan(AT(&b5, s, 2)) && isnan(AT(&b5, s, 3)));
    }
    gy_mat_clear(&b5);
    gy_mat_clear(&E1);
  }
  /* blocks of the stream (as gy.par ranks compute them) are the whole run's rows */
  int kinds[] = {GY_RSA_BOOT_BOTH, GY_RSA_BOOT_RDM, GY_RSA_BOOT_PATTERN};
  for (int q = 0; q < 3; q++) {
    gy_mat whole = {0};
    CHECK_OK(gy_rsa_bootstrap(&whole, &Ms, &D, GY_RSA_CORR, kinds[q], 37, 11));
    int64_t starts[] = {0, 1, 20, 36};
    for (int t = 0; t < 3; t++) {
      gy_mat part = {0};
      int64_t a = starts[t], cnt = starts[t + 1] - a + (t == 2);
      CHECK_OK(gy_rsa_bootstrap_range(&part, &Ms, &D, GY_RSA_CORR, kinds[q], a, cnt, 11));
      CHECK(part.rows == cnt && part.cols == 4);
      int eq = 1;
      for (int64_t i = 0; i < cnt; i++)
        for (int64_t j = 0; j < 4; j++) {
          double x = AT(&part, i, j), y = AT(&whole, a + i, j);
          eq &= x == y || (isnan(x) && isnan(y));
        }
      CHECK(eq);
      gy_mat_clear(&part);
    }
    gy_mat_clear(&whole);
  }
  gy_mat b6 = {0};
  CHECK_FAILS(gy_rsa_bootstrap_range(&b6, &Ms, &D, GY_RSA_CORR, 0, -1, 5, 1), GY_EINVAL,
              "first sample");
  CHECK_FAILS(gy_rsa_bootstrap_range(&b6, &Ms, &D, GY_RSA_CORR, 0, 3, 0, 1), GY_EINVAL,
              "n_boot");
  CHECK(b6.data == NULL);
  CHECK_FAILS(gy_rsa_bootstrap(&b3, &Ms, &D, GY_RSA_CORR, 7, 10, 1), GY_EINVAL, "must be empty");
  gy_mat b4 = {0};
  CHECK_FAILS(gy_rsa_bootstrap(&b4, &Ms, &D, GY_RSA_CORR, 7, 10, 1), GY_EINVAL,
              "bootstrap kind");
  gy_mat_clear(&b1);
  gy_mat_clear(&b2);
  gy_mat_clear(&b3);
  gy_mat_clear(&E);
  gy_mat_clear(&Ms);
  gy_mat_clear(&D);
}

static void test_weighted(void) {
  /* data = 2 m1 + 0.5 m2 exactly: the fit recovers the weights up to the scale of the pooled
   * RDM (cosine pooling divides by the RMS), so their ratio is 4 */
  gy_mat Ms = {0}, D = {0}, th = {0}, th2 = {0};
  gy_mat_init(&Ms, 10, 2);
  gy_mat_init(&D, 10, 1);
  for (int64_t k = 0; k < 10; k++) {
    AT(&Ms, k, 0) = 1 + k;
    AT(&Ms, k, 1) = (double)((k * 3) % 4);
    D.data[k] = 2 * AT(&Ms, k, 0) + 0.5 * AT(&Ms, k, 1);
  }
  CHECK_OK(gy_rsa_fit_weighted(&th, &Ms, &D, GY_RSA_COSINE, 0, 0));
  double rms = 0;
  for (int64_t k = 0; k < 10; k++) rms += D.data[k] * D.data[k] / 10;
  rms = sqrt(rms);
  CHECK_NEAR(th.data[0] * rms, 2, 1e-12);
  CHECK_NEAR(th.data[1] * rms, 0.5, 1e-12);
  /* a negative true weight: NNLS clamps it to 0 */
  for (int64_t k = 0; k < 10; k++) D.data[k] = 2 * AT(&Ms, k, 0) - 0.5 * AT(&Ms, k, 1);
  CHECK_OK(gy_rsa_fit_weighted(&th2, &Ms, &D, GY_RSA_COSINE, 1, 0));
  CHECK(th2.data[1] == 0 && th2.data[0] > 0);
  gy_mat_clear(&th);
  CHECK_FAILS(gy_rsa_fit_weighted(&th, &Ms, &D, GY_RSA_COSINE, 0, -1), GY_EINVAL, "ridge");
  for (int64_t k = 0; k < 10; k++) AT(&Ms, k, 1) = 3 * AT(&Ms, k, 0);
  CHECK_FAILS(gy_rsa_fit_weighted(&th, &Ms, &D, GY_RSA_COSINE, 0, 0), GY_ESINGULAR,
              "linearly dependent");
  CHECK(th.data == NULL);
  gy_mat_clear(&th2);
  gy_mat_clear(&Ms);
  gy_mat_clear(&D);
}

static void test_shape(void) {
  gy_mat X = randn(20, 5, 3), Q = randn(5, 5, 4), W = randn(5, 5, 9), Y = {0}, Z = {0};
  /* Y = 3 X Q + 1 with Q orthogonal (Gram-Schmidt of a random matrix) */
  for (int64_t j = 0; j < 5; j++) {
    for (int64_t p = 0; p < j; p++) {
      double d = 0;
      for (int64_t i = 0; i < 5; i++) d += AT(&Q, i, j) * AT(&Q, i, p);
      for (int64_t i = 0; i < 5; i++) AT(&Q, i, j) -= d * AT(&Q, i, p);
    }
    double n = 0;
    for (int64_t i = 0; i < 5; i++) n += AT(&Q, i, j) * AT(&Q, i, j);
    for (int64_t i = 0; i < 5; i++) AT(&Q, i, j) /= sqrt(n);
  }
  gy_mat_init(&Y, 20, 5);
  gy_mat_init(&Z, 20, 5);
  for (int64_t i = 0; i < 20; i++)
    for (int64_t j = 0; j < 5; j++) {
      double s = 0, t = 0;
      for (int64_t k = 0; k < 5; k++) {
        s += AT(&X, i, k) * AT(&Q, k, j);
        t += AT(&X, i, k) * AT(&W, k, j);
      }
      AT(&Y, i, j) = 3 * s + 1;
      AT(&Z, i, j) = t;
    }
  double d, c;
  CHECK_OK(gy_rsa_shape_distance(&d, &X, &Y, 1, 1, GY_RSA_SHAPE_ANGULAR));
  CHECK(d < 1e-6);
  CHECK_OK(gy_rsa_shape_distance(&d, &X, &Z, 0, 1, GY_RSA_SHAPE_ANGULAR));
  CHECK(d < 1e-6);
  CHECK_OK(gy_rsa_shape_distance(&d, &X, &Z, 1, 1, GY_RSA_SHAPE_ANGULAR));
  CHECK(d > 0.05);
  CHECK_OK(gy_rsa_cka(&c, &X, &Y, GY_RSA_CKA_LINEAR, 1, 0));
  CHECK_NEAR(c, 1, 1e-12);
  CHECK_OK(gy_rsa_cka(&c, &X, &Y, GY_RSA_CKA_RBF, 1, 1));
  CHECK_NEAR(c, 1, 1e-12);
  CHECK_FAILS(gy_rsa_shape_distance(&d, &X, &Y, 1.5, 1, 0), GY_EINVAL, "alpha");
  gy_mat short_ = {X.data, 10, 5, X.ld, 0, 0}, few = {X.data, 3, 5, X.ld, 0, 0};
  CHECK_FAILS(gy_rsa_cka(&c, &short_, &Y, GY_RSA_CKA_LINEAR, 1, 0), GY_EINVAL, "stimuli");
  CHECK_FAILS(gy_rsa_cka(&c, &few, &few, GY_RSA_CKA_LINEAR, 1, 1), GY_EINVAL, "at least 4");
  CHECK_FAILS(gy_rsa_cka(&c, &X, &Y, GY_RSA_CKA_RBF, 0, 0), GY_EINVAL, "threshold");
  AT(&Y, 2, 2) = NAN;
  CHECK_FAILS(gy_rsa_cka(&c, &X, &Y, GY_RSA_CKA_LINEAR, 1, 0), GY_EINVAL, "non-finite");
  gy_mat_clear(&X);
  gy_mat_clear(&Q);
  gy_mat_clear(&W);
  gy_mat_clear(&Y);
  gy_mat_clear(&Z);
}

static void test_stochastic(void) {
  /* identity covariances: the Bures term vanishes, so alpha = 2 leaves
   * sqrt(2/M sum |mx_i - my_i T|^2), 0 for rotated means */
  gy_mat mx = randn(6, 2, 21), my = {0}, cx = {0}, bad = {0};
  gy_mat_init(&my, 6, 2);
  gy_mat_init(&cx, 2, 12);
  gy_mat_init(&bad, 2, 12);
  for (int64_t i = 0; i < 6; i++) {
    AT(&my, i, 0) = -AT(&mx, i, 1);
    AT(&my, i, 1) = AT(&mx, i, 0);
    AT(&cx, 0, 2 * i) = AT(&cx, 1, 2 * i + 1) = 1;
    AT(&bad, 0, 2 * i) = AT(&bad, 1, 2 * i + 1) = 1;
  }
  double d;
  CHECK_OK(gy_rsa_stochastic_distance(&d, &mx, &cx, &my, &cx, 1, 100, 1e-10));
  CHECK(fabs(d) < 1e-7);
  CHECK_OK(gy_rsa_stochastic_distance(&d, &mx, &cx, &my, &cx, 2, 100, 1e-10));
  CHECK(fabs(d) < 1e-7);
  AT(&bad, 0, 3) = 0.5;
  CHECK_FAILS(gy_rsa_stochastic_distance(&d, &mx, &cx, &my, &bad, 1, 100, 1e-8), GY_EINVAL,
              "not symmetric");
  gy_mat narrow = {cx.data, 2, 10, cx.ld, 0, 0};
  CHECK_FAILS(gy_rsa_stochastic_distance(&d, &mx, &narrow, &my, &cx, 1, 100, 1e-8), GY_EINVAL,
              "stacked");
  CHECK_FAILS(gy_rsa_stochastic_distance(&d, &mx, &cx, &my, &cx, 2.5, 100, 1e-8), GY_EINVAL,
              "alpha");
  gy_mat_clear(&mx);
  gy_mat_clear(&my);
  gy_mat_clear(&cx);
  gy_mat_clear(&bad);
}

int main(void) {
  test_stochastic();
  test_worked_example();
  test_trsa_errors();
  test_t_cdf();
  test_inference();
  test_weighted();
  test_shape();
  return test_summary();
}
