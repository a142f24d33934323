/* ICA core: whitening is white, FastICA recovers independent sources, bad input fails
 * with a clear message and nothing leaks (the sanitizer build checks). The exact
 * agreement with sklearn is checked in tests/lua/ica_spec.lua against the fixtures. */
#include "test.h"

#include "gyrus/ica.h"
#include "gyrus/linalg.h"
#include "gyrus/ica_order.h"
#include "gyrus/ica_picard.h"

#include <math.h>

#define AT(m, i, j) ((m)->data[(i) + (j) * (m)->ld])

/* T x 3 mixtures (plus an offset) of a Laplace, a square-wave and a uniform source, mixed
 * into p channels. */
static void make_data(gy_mat *X, gy_mat *S, int64_t T, int64_t p, uint64_t seed) {
  gy_rng r;
  gy_rng_seed(&r, seed);
  gy_mat_init(S, T, 3);
  gy_mat_init(X, T, p);
  for (int64_t t = 0; t < T; t++) {
    double u = gy_rng_uniform(&r) - 0.5;
    AT(S, t, 0) = (u < 0 ? 1 : -1) * log(1 - 2 * fabs(u));
    AT(S, t, 1) = sin(0.05 * (double)t) > 0 ? 1 : -1;
    AT(S, t, 2) = 2 * gy_rng_uniform(&r) - 1;
  }
  double A[8][3];
  for (int i = 0; i < p; i++)
    for (int k = 0; k < 3; k++) A[i][k] = gy_rng_normal(&r);
  for (int64_t t = 0; t < T; t++)
    for (int64_t i = 0; i < p; i++) {
      double v = 1.0 + (double)i;
      for (int k = 0; k < 3; k++) v += A[i][k] * AT(S, t, k);
      AT(X, t, i) = v;
    }
}

/* Largest |corr| of each true source with any estimated source. */
static double worst_match(const gy_mat *S, const gy_mat *E) {
  double worst = 1;
  for (int64_t k = 0; k < S->cols; k++) {
    double best = 0;
    for (int64_t j = 0; j < E->cols; j++) {
      double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
      for (int64_t t = 0; t < S->rows; t++) ma += AT(S, t, k), mb += AT(E, t, j);
      ma /= (double)S->rows;
      mb /= (double)S->rows;
      for (int64_t t = 0; t < S->rows; t++) {
        double a = AT(S, t, k) - ma, b = AT(E, t, j) - mb;
        sab += a * b, saa += a * a, sbb += b * b;
      }
      double c = fabs(sab / sqrt(saa * sbb));
      if (c > best) best = c;
    }
    if (best < worst) worst = best;
  }
  return worst;
}

static void test_whiten(void) {
  gy_mat X = {0}, S = {0};
  make_data(&X, &S, 2000, 5, 1);
  for (int solver = GY_ICA_SOLVER_EIGH; solver <= GY_ICA_SOLVER_SVD; solver++) {
    gy_mat K = {0}, mean = {0}, d = {0}, Xc = {0}, Z = {0};
    CHECK_OK(gy_ica_whiten(&K, &mean, &d, &X, 3, solver));
    CHECK(K.rows == 3 && K.cols == 5 && mean.cols == 5 && d.rows == 3);
    CHECK_NEAR(mean.data[2], 3.0, 0.5);
    /* Z = (X - mean) K' sqrt(T) must have Z'Z / T = I. */
    gy_mat_copy(&Xc, &X);
    for (int64_t j = 0; j < 5; j++)
      for (int64_t t = 0; t < 2000; t++) AT(&Xc, t, j) -= mean.data[j];
    gy_linalg_matmul(&Z, &Xc, 0, &K, 1);
    double err = 0;
    for (int a = 0; a < 3; a++)
      for (int b = 0; b < 3; b++) {
        double s = 0;
        for (int64_t t = 0; t < 2000; t++) s += AT(&Z, t, a) * AT(&Z, t, b);
        err = fmax(err, fabs(s - (a == b)));
      }
    CHECK(err < 1e-10);
    /* Sign rule: the first entry of each axis is non-negative. */
    for (int a = 0; a < 3; a++) CHECK(AT(&K, a, 0) >= 0);
    gy_mat_clear(&K), gy_mat_clear(&mean), gy_mat_clear(&d), gy_mat_clear(&Xc), gy_mat_clear(&Z);
  }
  gy_mat_clear(&X), gy_mat_clear(&S);
}

static void test_fastica(void) {
  gy_mat X = {0}, S = {0};
  make_data(&X, &S, 3000, 4, 2);
  for (int alg = 0; alg < 2; alg++)
    for (int fun = 0; fun < 3; fun++) {
      gy_ica_opts o;
      gy_ica_defaults(&o);
      o.algorithm = alg;
      o.fun = fun;
      o.n_components = 3;
      o.seed = 7;
      gy_mat src = {0}, comp = {0}, mix = {0}, mean = {0}, K = {0}, W = {0};
      gy_ica_info info;
      CHECK_OK(gy_ica_fastica(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o));
      CHECK(info.converged == 1 && info.n_iter >= 1 && info.lim < 1e-4);
      CHECK(src.rows == 3000 && src.cols == 3 && comp.rows == 3 && comp.cols == 4);
      CHECK(mix.rows == 4 && mix.cols == 3);
      CHECK(worst_match(&S, &src) > 0.98);
      /* Unit variance sources. */
      double v = 0;
      for (int64_t t = 0; t < 3000; t++) v += AT(&src, t, 0) * AT(&src, t, 0);
      CHECK_NEAR(v / 3000, 1.0, 1e-10);
      gy_mat_clear(&src), gy_mat_clear(&comp), gy_mat_clear(&mix), gy_mat_clear(&mean);
      gy_mat_clear(&K), gy_mat_clear(&W);
    }
  gy_mat_clear(&X), gy_mat_clear(&S);
}

static void test_bad_input(void) {
  gy_mat X = {0}, S = {0};
  make_data(&X, &S, 500, 4, 3);
  gy_ica_opts o;
  gy_ica_defaults(&o);
  gy_mat src = {0}, comp = {0}, mix = {0}, mean = {0}, K = {0}, W = {0};
  gy_ica_info info;
  o.n_components = 5;
  CHECK_FAILS(gy_ica_fastica(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o), GY_EINVAL,
              "5 components requested");
  /* 4 channels mixing 3 sources: rank 3. */
  o.n_components = 4;
  CHECK_FAILS(gy_ica_fastica(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o), GY_EINVAL,
              "rank-deficient");
  o.n_components = 0;
  o.tol = -1;
  CHECK_FAILS(gy_ica_fastica(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o), GY_EINVAL, "tol");
  o.tol = 1e-4;
  o.alpha = 3;
  CHECK_FAILS(gy_ica_fastica(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o), GY_EINVAL,
              "alpha");
  o.alpha = 1;
  o.n_components = 3;
  gy_mat wi = {0};
  gy_mat_init(&wi, 2, 2);
  o.w_init = &wi;
  CHECK_FAILS(gy_ica_fastica(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o), GY_EINVAL,
              "w_init is 2 x 2");
  o.w_init = NULL;
  for (int64_t t = 0; t < 500; t++) AT(&X, t, 2) = 4.0;
  CHECK_FAILS(gy_ica_fastica(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o), GY_EINVAL,
              "channel (column) 3 of X is constant");
  AT(&X, 10, 1) = NAN;
  CHECK_FAILS(gy_ica_fastica(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o), GY_EINVAL,
              "non-finite");
  CHECK(src.data == NULL && comp.data == NULL && mix.data == NULL && W.data == NULL);
  gy_mat_clear(&wi), gy_mat_clear(&X), gy_mat_clear(&S);
}

static void test_nonconvergence(void) {
  gy_mat X = {0}, S = {0};
  make_data(&X, &S, 500, 3, 4);
  gy_ica_opts o;
  gy_ica_defaults(&o);
  o.max_iter = 2;
  o.tol = 0;
  gy_mat src = {0}, comp = {0}, mix = {0}, mean = {0}, K = {0}, W = {0};
  gy_ica_info info;
  CHECK_OK(gy_ica_fastica(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o));
  CHECK(info.converged == 0 && info.n_iter == 2);
  gy_mat_clear(&src), gy_mat_clear(&comp), gy_mat_clear(&mix), gy_mat_clear(&mean);
  gy_mat_clear(&K), gy_mat_clear(&W), gy_mat_clear(&X), gy_mat_clear(&S);
}

static void test_pca(void) {
  gy_mat X = {0}, S = {0};
  make_data(&X, &S, 400, 5, 5);
  gy_mat comp = {0}, ev = {0}, sc = {0}, mean = {0};
  CHECK_OK(gy_ica_pca(&comp, &ev, &sc, &mean, &X, 2));
  CHECK(comp.rows == 2 && comp.cols == 5 && ev.rows == 2 && sc.rows == 400 && sc.cols == 2);
  CHECK(ev.data[0] >= ev.data[1] && ev.data[1] > 0);
  double v = 0;
  for (int64_t t = 0; t < 400; t++) v += AT(&sc, t, 0) * AT(&sc, t, 0);
  CHECK_NEAR(v / 399, ev.data[0], 1e-10);
  gy_mat_clear(&comp), gy_mat_clear(&ev), gy_mat_clear(&sc), gy_mat_clear(&mean);
  CHECK_FAILS(gy_ica_pca(&comp, &ev, &sc, &mean, &X, 6), GY_EINVAL, "6 components requested");
  gy_mat_clear(&X), gy_mat_clear(&S);
}

static void test_infomax(void) {
  gy_mat X = {0}, S = {0};
  make_data(&X, &S, 3000, 3, 6);
  gy_ica_opts o;
  gy_ica_defaults(&o);
  o.max_iter = 500;
  o.seed = 2;
  gy_ica_infomax_opts io;
  gy_ica_infomax_defaults(&io);
  gy_mat src = {0}, comp = {0}, mix = {0}, mean = {0}, K = {0}, W = {0};
  gy_ica_info info;
  CHECK_OK(gy_ica_infomax(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o, &io));
  CHECK(info.converged == 1 && info.n_iter >= 1);
  CHECK(worst_match(&S, &src) > 0.95);
  gy_mat_clear(&src), gy_mat_clear(&comp), gy_mat_clear(&mix), gy_mat_clear(&mean);
  gy_mat_clear(&K), gy_mat_clear(&W);
  io.block = 5000;
  CHECK_FAILS(gy_ica_infomax(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o, &io), GY_EINVAL,
              "block size");
  CHECK(src.data == NULL && W.data == NULL);
  gy_mat_clear(&X), gy_mat_clear(&S);
}

/* Picard and Picard-O separate, converge with the gradient below tol, and Picard-O
 * (extended) stops at FastICA's parallel fixed point. */
static void test_picard(void) {
  gy_mat X = {0}, S = {0};
  make_data(&X, &S, 4000, 4, 8);
  gy_ica_opts o;
  gy_ica_defaults(&o);
  o.n_components = 3;
  o.seed = 3;
  o.tol = 1e-9;
  o.max_iter = 500;
  for (int ortho = 0; ortho < 2; ortho++)
    for (int precon = GY_ICA_PRECON_H1; precon <= GY_ICA_PRECON_H2; precon++)
      for (int fun = 0; fun < 3; fun++) {
        if (!ortho && fun != GY_ICA_LOGCOSH) continue; /* exp/cube: Picard-O as FastICA */
        gy_ica_picard_opts po;
        gy_ica_picard_defaults(&po);
        po.ortho = ortho;
        po.precon = precon;
        o.fun = fun;
        gy_mat src = {0}, comp = {0}, mix = {0}, mean = {0}, K = {0}, W = {0};
        gy_ica_info info;
        CHECK_OK(gy_ica_picard(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o, &po));
        CHECK(info.converged == 1 && info.lim < 1e-9 && info.n_iter >= 1);
        CHECK(worst_match(&S, &src) > 0.98);
        gy_mat_clear(&src), gy_mat_clear(&comp), gy_mat_clear(&mix), gy_mat_clear(&mean);
        gy_mat_clear(&K), gy_mat_clear(&W);
      }
  /* Same fixed point as FastICA (logcosh, parallel) at tight tolerances. */
  o.fun = GY_ICA_LOGCOSH;
  gy_ica_picard_opts po;
  gy_ica_picard_defaults(&po);
  gy_mat s1 = {0}, c1 = {0}, m1 = {0}, mu1 = {0}, K1 = {0}, W1 = {0};
  gy_mat s2 = {0}, c2 = {0}, m2 = {0}, mu2 = {0}, K2 = {0}, W2 = {0};
  gy_ica_info i1, i2;
  o.tol = 1e-11;
  CHECK_OK(gy_ica_picard(&s1, &c1, &m1, &mu1, &K1, &W1, &i1, &X, &o, &po));
  o.tol = 1e-14;
  o.seed = 9;
  CHECK_OK(gy_ica_fastica(&s2, &c2, &m2, &mu2, &K2, &W2, &i2, &X, &o));
  CHECK(i1.converged && i2.converged);
  /* Match rows of the two unmixings up to sign and order. */
  double worst = 0;
  for (int a = 0; a < 3; a++) {
    double best = INFINITY;
    for (int b = 0; b < 3; b++)
      for (int sg = -1; sg <= 1; sg += 2) {
        double e = 0;
        for (int k = 0; k < 4; k++) e = fmax(e, fabs(AT(&c1, a, k) - sg * AT(&c2, b, k)));
        best = fmin(best, e);
      }
    worst = fmax(worst, best);
  }
  CHECK(worst < 1e-6);
  gy_mat_clear(&s1), gy_mat_clear(&c1), gy_mat_clear(&m1), gy_mat_clear(&mu1);
  gy_mat_clear(&K1), gy_mat_clear(&W1);
  gy_mat_clear(&s2), gy_mat_clear(&c2), gy_mat_clear(&m2), gy_mat_clear(&mu2);
  gy_mat_clear(&K2), gy_mat_clear(&W2);
  /* Bad input. */
  gy_mat src = {0}, comp = {0}, mix = {0}, mean = {0}, K = {0}, W = {0};
  gy_ica_info info;
  o.tol = 1e-7;
  o.n_components = 5;
  CHECK_FAILS(gy_ica_picard(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o, &po), GY_EINVAL,
              "5 components requested");
  o.n_components = 4;
  CHECK_FAILS(gy_ica_picard(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o, &po), GY_EINVAL,
              "rank-deficient");
  o.n_components = 3;
  po.m = 0;
  CHECK_FAILS(gy_ica_picard(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o, &po), GY_EINVAL,
              "memory m");
  po.m = 7;
  po.precon = 3;
  CHECK_FAILS(gy_ica_picard(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o, &po), GY_EINVAL,
              "precon");
  po.precon = 2;
  for (int64_t t = 0; t < 4000; t++) AT(&X, t, 1) = -2.0;
  CHECK_FAILS(gy_ica_picard(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o, &po), GY_EINVAL,
              "constant");
  AT(&X, 7, 0) = NAN;
  CHECK_FAILS(gy_ica_picard(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o, &po), GY_EINVAL,
              "non-finite");
  CHECK(src.data == NULL && W.data == NULL);
  /* max_iter reached: not converged, gradient norm reported. */
  gy_mat_clear(&X), gy_mat_clear(&S);
  make_data(&X, &S, 2000, 3, 9);
  o.max_iter = 2;
  o.tol = 0;
  CHECK_OK(gy_ica_picard(&src, &comp, &mix, &mean, &K, &W, &info, &X, &o, &po));
  CHECK(info.converged == 0 && info.n_iter == 2 && info.lim > 0 && isfinite(info.lim));
  gy_mat_clear(&src), gy_mat_clear(&comp), gy_mat_clear(&mix), gy_mat_clear(&mean);
  gy_mat_clear(&K), gy_mat_clear(&W);
  gy_mat_clear(&X), gy_mat_clear(&S);
}

/* The order of noisy rank-3 data; the exact agreement with sklearn is in ica_spec.lua. */
static void test_order(void) {
  gy_mat X = {0}, S = {0};
  make_data(&X, &S, 2000, 7, 10);
  gy_rng r;
  gy_rng_seed(&r, 11);
  for (int64_t j = 0; j < 7; j++)
    for (int64_t t = 0; t < 2000; t++) AT(&X, t, j) += 0.05 * gy_rng_normal(&r);
  for (int method = GY_ICA_ORDER_MLE; method <= GY_ICA_ORDER_AIC; method++) {
    int64_t n = -1;
    gy_mat curve = {0};
    CHECK_OK(gy_ica_order(&n, &curve, &X, method));
    CHECK(n == 3 && curve.rows == 7);
    gy_mat_clear(&curve);
  }
  int64_t n;
  gy_mat curve = {0}, sp = {0};
  gy_mat_init(&sp, 3, 1);
  sp.data[0] = 1, sp.data[1] = 2, sp.data[2] = 0.5;
  CHECK_FAILS(gy_ica_order_spectrum(&n, &curve, &sp, 100, GY_ICA_ORDER_MDL), GY_EINVAL,
              "descending");
  sp.data[1] = 0.7;
  CHECK_FAILS(gy_ica_order_spectrum(&n, &curve, &sp, 100, 7), GY_EINVAL, "method");
  CHECK_FAILS(gy_ica_order_spectrum(&n, &curve, &sp, 1, 0), GY_EINVAL, "2 samples");
  CHECK(curve.data == NULL);
  gy_mat_clear(&sp);
  gy_mat Xt = {0};
  gy_mat_init(&Xt, 3, 7);
  CHECK_FAILS(gy_ica_order(&n, &curve, &Xt, 0), GY_EINVAL, "samples >= channels");
  gy_mat_clear(&Xt), gy_mat_clear(&X), gy_mat_clear(&S);
}

/* Row-parallel passes (2 threads, whatever OPENBLAS_NUM_THREADS says) give the 1-thread
 * result up to the order of the partial sums. */
static void test_threads(void) {
  gy_mat X = {0}, S = {0};
  make_data(&X, &S, 100000, 3, 12);
  const int saved = gy_linalg_threads(0);
  for (int method = 0; method < 2; method++) {
    gy_mat c[2] = {{0}, {0}};
    for (int run = 0; run < 2; run++) {
      gy_linalg_threads(run ? 2 : 1);
      gy_ica_opts o;
      gy_ica_defaults(&o);
      o.seed = 4;
      o.tol = 1e-10;
      o.max_iter = 500;
      gy_ica_picard_opts po;
      gy_ica_picard_defaults(&po);
      gy_mat src = {0}, mix = {0}, mean = {0}, K = {0}, W = {0};
      gy_ica_info info;
      CHECK_OK(method ? gy_ica_picard(&src, &c[run], &mix, &mean, &K, &W, &info, &X, &o, &po)
                      : gy_ica_fastica(&src, &c[run], &mix, &mean, &K, &W, &info, &X, &o));
      CHECK(info.converged == 1);
      gy_mat_clear(&src), gy_mat_clear(&mix), gy_mat_clear(&mean), gy_mat_clear(&K);
      gy_mat_clear(&W);
    }
    double e = 0;
    for (int64_t t = 0; t < 9; t++) e = fmax(e, fabs(c[0].data[t] - c[1].data[t]));
    CHECK(e < 1e-6);
    gy_mat_clear(&c[0]), gy_mat_clear(&c[1]);
  }
  gy_linalg_threads(saved > 0 ? saved : 1);
  gy_mat_clear(&X), gy_mat_clear(&S);
}

int main(void) {
  test_threads();
  test_picard();
  test_order();
  test_infomax();
  test_whiten();
  test_fastica();
  test_bad_input();
  test_nonconvergence();
  test_pca();
  printf("%d passed, %d failed\n", test_passed_, test_failed_);
  return test_failed_ != 0;
}
