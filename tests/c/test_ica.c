/* ICA core: whitening is white, FastICA recovers independent sources, bad input fails
 * with a clear message and nothing leaks (the sanitizer build checks). The exact
 * agreement with sklearn is checked in tests/lua/ica_spec.lua against the fixtures. */
#include "test.h"

#include "gyrus/ica.h"

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

int main(void) {
  test_infomax();
  test_whiten();
  test_fastica();
  test_bad_input();
  test_nonconvergence();
  test_pca();
  printf("%d passed, %d failed\n", test_passed_, test_failed_);
  return test_failed_ != 0;
}
