/* Iterative RSA model fits and the minimisers under them: BFGS on Rosenbrock, bounded
 * Brent on parabolas, the closed-form loss against gy_rsa_compare for every method, fits
 * that must recover known weights, agreement with the least-squares fit where the two
 * coincide, and the error paths. scipy-derived values are checked by
 * tests/lua/rsa_fit_spec.lua. */
#include "test.h"

#include <stdint.h>

#include "gyrus/optim.h"
#include "gyrus/rsa.h"
#include "gyrus/rsa_fit.h"
#include "gyrus/rsa_infer.h"

static int rosen(double *f, double *g, const double *x, void *ctx) {
  (void)ctx;
  double a = 1 - x[0], b = x[1] - x[0] * x[0];
  *f = a * a + 100 * b * b;
  g[0] = -2 * a - 400 * x[0] * b;
  g[1] = 200 * b;
  return 0;
}

static int rosen_value(double *f, const double *x, void *ctx) {
  double g[2];
  return rosen(f, g, x, ctx);
}

static int parabola(double *f, double x, void *ctx) {
  double c = *(double *)ctx;
  *f = (x - c) * (x - c);
  return 0;
}

static gy_mat randu(int64_t r, int64_t c, uint64_t seed) {
  gy_rng g;
  gy_mat m = {0};
  gy_rng_seed(&g, seed);
  gy_mat_init(&m, r, c);
  gy_rng_fill_uniform(&g, &m);
  return m;
}

/* -mean_j compare(R theta, D_j) through the public comparison. */
static double loss_ref(const double *th, const gy_mat *R, const gy_mat *D, int method) {
  gy_mat p = {0};
  gy_mat_init(&p, R->rows, 1);
  for (int64_t k = 0; k < R->rows; k++)
    for (int64_t j = 0; j < R->cols; j++) p.data[k] += th[j] * R->data[k + j * R->ld];
  double s = 0;
  for (int64_t j = 0; j < D->cols; j++) {
    gy_mat d = {D->data + j * D->ld, D->rows, 1, D->rows, 0, 0};
    double v = NAN;
    CHECK_OK(gy_rsa_compare(&v, &p, &d, method, NULL));
    s += v;
  }
  gy_mat_clear(&p);
  return -s / (double)D->cols;
}

static void test_optim(void) {
  double x[2] = {-1.2, 1}, f;
  int64_t it = 0;
  CHECK_OK(gy_optim_bfgs(x, &f, 2, rosen, NULL, 1e-8, 0, &it));
  CHECK_NEAR(x[0], 1, 1e-6);
  CHECK_NEAR(x[1], 1, 1e-6);
  CHECK(f < 1e-12);
  CHECK(it > 5 && it < 200);
  double g[2], x0[2] = {0.3, -0.7}, gr[2], f0;
  rosen(&f0, g, x0, NULL);
  CHECK_OK(gy_optim_fd_gradient(gr, f0, x0, 2, rosen_value, NULL));
  CHECK_NEAR(gr[0], g[0], 1e-5);
  CHECK_NEAR(gr[1], g[1], 1e-5);
  CHECK(x0[0] == 0.3 && x0[1] == -0.7);
  double c = 0.3, w, fw;
  CHECK_OK(gy_optim_fminbound(&w, &fw, parabola, &c, 0, 1, 1e-5, 500));
  CHECK_NEAR(w, 0.3, 1e-5);
  c = 1.7; /* minimum outside: the upper bound within tolerance */
  CHECK_OK(gy_optim_fminbound(&w, &fw, parabola, &c, 0, 1, 1e-5, 500));
  CHECK(w > 1 - 1e-4 && w <= 1);
  CHECK_FAILS(gy_optim_fminbound(&w, &fw, parabola, &c, 1, 0, 1e-5, 500), GY_EINVAL, "bounds");
  CHECK_FAILS(gy_optim_bfgs(x, &f, 2, rosen, NULL, 0, 0, NULL), GY_EINVAL, "gtol");
}

static void test_loss(void) {
  gy_mat R = randu(15, 3, 1), D = randu(15, 4, 2), th = randu(3, 1, 3);
  int methods[] = {GY_RSA_COSINE, GY_RSA_CORR, GY_RSA_COSINE_COV, GY_RSA_CORR_COV,
                   GY_RSA_SPEARMAN, GY_RSA_TAU_A, GY_RSA_RHO_A, GY_RSA_BURES};
  for (int i = 0; i < 8; i++) {
    double f = NAN;
    CHECK_OK(gy_rsa_fit_loss(&f, &th, &R, &D, methods[i], 0));
    CHECK_NEAR(f, loss_ref(th.data, &R, &D, methods[i]), 1e-12);
    double fr;
    CHECK_OK(gy_rsa_fit_loss(&fr, &th, &R, &D, methods[i], 0.5));
    double n2 = 0;
    for (int k = 0; k < 3; k++) n2 += th.data[k] * th.data[k];
    CHECK_NEAR(fr - f, 0.5 * n2, 1e-12);
  }
  /* a NaN pair in every RDM leaves that entry out, as rsatoolbox does */
  for (int j = 0; j < 3; j++) R.data[4 + j * R.ld] = NAN;
  double fn;
  CHECK_OK(gy_rsa_fit_loss(&fn, &th, &R, &D, GY_RSA_CORR, 0));
  for (int j = 0; j < 4; j++) D.data[4 + j * D.ld] = NAN;
  CHECK_NEAR(fn, loss_ref(th.data, &R, &D, GY_RSA_CORR), 1e-12);
  for (int j = 0; j < 4; j++) D.data[4 + j * D.ld] = 0.5; /* NaN in the models only */
  CHECK_OK(gy_rsa_fit_loss(&fn, &th, &R, &D, GY_RSA_SPEARMAN, 0));
  for (int j = 0; j < 4; j++) D.data[4 + j * D.ld] = NAN;
  CHECK_NEAR(fn, loss_ref(th.data, &R, &D, GY_RSA_SPEARMAN), 1e-12);
  gy_mat_clear(&R);
  gy_mat_clear(&D);
  gy_mat_clear(&th);
}

static void test_fits(void) {
  gy_mat R = randu(28, 3, 11), D = {0}, noise = randu(28, 5, 12);
  gy_mat_init(&D, 28, 5);
  const double w[3] = {0.6, 0.3, 0.1};
  for (int64_t j = 0; j < 5; j++)
    for (int64_t k = 0; k < 28; k++) {
      double v = 0;
      for (int i = 0; i < 3; i++) v += w[i] * R.data[k + i * 28];
      D.data[k + j * 28] = v + 0.2 * noise.data[k + j * 28];
    }
  int methods[] = {GY_RSA_COSINE, GY_RSA_CORR};
  for (int mi = 0; mi < 2; mi++) {
    gy_mat th = {0}, ls = {0};
    double f;
    CHECK_OK(gy_rsa_fit_optimize(&th, &f, &R, &D, methods[mi], 0, 0, 0, 7, 1e-6));
    /* the cosine family's optimum is the least-squares fit to the pooled RDM */
    CHECK_OK(gy_rsa_fit_weighted(&ls, &R, &D, methods[mi], 0, 0));
    double nrm = 0;
    for (int i = 0; i < 3; i++) nrm += ls.data[i] * ls.data[i];
    for (int i = 0; i < 3; i++) CHECK_NEAR(th.data[i], ls.data[i] / sqrt(nrm), 1e-5);
    CHECK_NEAR(f, loss_ref(th.data, &R, &D, methods[mi]), 1e-10);
    gy_mat_clear(&th);
    gy_mat_clear(&ls);
  }
  /* cosine_cov through the closed form, spearman through finite differences */
  gy_mat th = {0};
  double f, f0;
  CHECK_OK(gy_rsa_fit_optimize(&th, &f, &R, &D, GY_RSA_COSINE_COV, 0, 0, 0, 7, 1e-6));
  CHECK_NEAR(f, loss_ref(th.data, &R, &D, GY_RSA_COSINE_COV), 1e-10);
  gy_mat_clear(&th);
  CHECK_OK(gy_rsa_fit_optimize(&th, &f, &R, &D, GY_RSA_TAU_A, 0, 0, 2, 7, 1e-6));
  CHECK(th.rows == 3 && isfinite(f));
  gy_mat_clear(&th);
  /* positive fit of an exactly non-negative mixture */
  gy_mat E = {0};
  gy_mat_init(&E, 28, 1);
  for (int64_t k = 0; k < 28; k++) E.data[k] = 0.5 * R.data[k] + 0.2 * R.data[k + 28];
  CHECK_OK(gy_rsa_fit_optimize(&th, &f, &R, &E, GY_RSA_COSINE, 0, 1, 0, 3, 1e-8));
  double n = sqrt(0.29);
  CHECK_NEAR(th.data[0], 0.5 / n, 1e-4);
  CHECK_NEAR(th.data[1], 0.2 / n, 1e-4);
  CHECK_NEAR(th.data[2], 0, 1e-4);
  CHECK_NEAR(f, -1, 1e-9);
  gy_mat_clear(&th);
  /* interpolation between the 2nd and 3rd model */
  for (int64_t k = 0; k < 28; k++) E.data[k] = 0.25 * R.data[k + 28] + 0.75 * R.data[k + 56];
  CHECK_OK(gy_rsa_fit_interpolate(&th, &f, &R, &E, GY_RSA_CORR, 1e-5));
  CHECK(th.data[0] == 0);
  CHECK_NEAR(th.data[1], 0.25, 1e-4);
  CHECK_NEAR(th.data[2], 0.75, 1e-4);
  CHECK_NEAR(f, -1, 1e-8);
  CHECK_OK(gy_rsa_fit_loss(&f0, &th, &R, &E, GY_RSA_CORR, 0));
  CHECK_NEAR(f0, f, 1e-15);
  gy_mat_clear(&th);
  /* errors */
  gy_mat one = {0}, short_ = randu(27, 2, 1);
  gy_mat_view(&one, &R, 0, 0, 28, 1);
  CHECK_FAILS(gy_rsa_fit_interpolate(&th, &f, &one, &E, GY_RSA_CORR, 1e-5), GY_EINVAL,
              "at least 2");
  CHECK_FAILS(gy_rsa_fit_optimize(&th, &f, &short_, &E, GY_RSA_CORR, 0, 0, 0, 1, 1e-6),
              GY_EINVAL, "entries");
  CHECK_FAILS(gy_rsa_fit_optimize(&th, &f, &R, &E, 42, 0, 0, 0, 1, 1e-6), GY_EINVAL,
              "method");
  CHECK_FAILS(gy_rsa_fit_optimize(&th, &f, &R, &E, GY_RSA_CORR, -1, 0, 0, 1, 1e-6), GY_EINVAL,
              "ridge");
  E.data[3] = INFINITY;
  CHECK_FAILS(gy_rsa_fit_optimize(&th, &f, &R, &E, GY_RSA_CORR, 0, 0, 0, 1, 1e-6), GY_EINVAL,
              "infinite");
  CHECK(th.data == NULL);
  gy_mat_clear(&short_);
  gy_mat_clear(&E);
  gy_mat_clear(&R);
  gy_mat_clear(&D);
  gy_mat_clear(&noise);
}

int main(void) {
  test_optim();
  test_loss();
  test_fits();
  return test_summary();
}
