/* Linear decoding baselines (sklearn's LDA lsqr solver, PCA + LDA, RidgeClassifier, L2
 * LogisticRegression). Every fit returns a linear model (coef, intercept) so prediction,
 * cross-validation and permutation tests share one decision function. */
#include "internal.h"
#include "gyrus/conn.h"
#include "gyrus/decode.h"
#include "gyrus/encode.h"
#include "gyrus/linalg.h"

#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

/* Checks X and the labels; counts (n_classes values) receives the class sizes. */
static int check_fit(const gy_mat *X, const int64_t *y, int64_t K, int64_t **counts) {
  GY_TRY(gy_check_finite(X, "X"));
  if (!y) return gy_err(GY_EINVAL, "no labels given");
  if (K < 2) return gy_err(GY_EINVAL, "need at least two classes, got %lld", (long long)K);
  if (X->rows < 2) return gy_err(GY_EINVAL, "need at least two samples, got %lld", (long long)X->rows);
  int64_t *c = gy_alloc((size_t)K * sizeof(int64_t));
  if (!c) return gy_err(GY_ENOMEM, "out of memory for %lld class counts", (long long)K);
  memset(c, 0, (size_t)K * sizeof(int64_t));
  for (int64_t i = 0; i < X->rows; i++) {
    if (y[i] < 0 || y[i] >= K) {
      gy_free(c);
      return gy_err(GY_EINVAL, "label %lld of sample %lld is not a class index 0..%lld",
                    (long long)y[i], (long long)i + 1, (long long)K - 1);
    }
    c[y[i]]++;
  }
  for (int64_t k = 0; k < K; k++)
    if (c[k] == 0) {
      gy_free(c);
      return gy_err(GY_EINVAL, "class %lld has no samples", (long long)k + 1);
    }
  *counts = c;
  return GY_OK;
}

static void col_means(double *mu, const gy_mat *X) {
  for (int64_t j = 0; j < X->cols; j++) {
    double s = 0;
    for (int64_t i = 0; i < X->rows; i++) s += GY_AT(X, i, j);
    mu[j] = s / (double)X->rows;
  }
}

/* The covariance of one class as sklearn's discriminant_analysis._cov. */
static int class_cov(gy_mat *S, const gy_mat *Xk, double shrinkage) {
  int64_t n = Xk->rows, p = Xk->cols;
  gy_mat Z = {0};
  double *sc = gy_alloc((size_t)p * sizeof(double));
  if (!sc) return gy_err(GY_ENOMEM, "out of memory");
  int s = gy_mat_copy(&Z, Xk);
  if (s) goto done;
  for (int64_t j = 0; j < p; j++) {
    double m = 0, v = 0;
    for (int64_t i = 0; i < n; i++) m += GY_AT(&Z, i, j);
    m /= (double)n;
    for (int64_t i = 0; i < n; i++) {
      double d = GY_AT(&Z, i, j) - m;
      GY_AT(&Z, i, j) = d;
      v += d * d;
    }
    /* StandardScaler leaves constant features unscaled. */
    double sd = sqrt(v / (double)n);
    sc[j] = shrinkage < 0 && sd >= 10 * DBL_EPSILON ? sd : 1.0;
    for (int64_t i = 0; i < n; i++) GY_AT(&Z, i, j) /= sc[j];
  }
  if (shrinkage < 0) {
    s = gy_conn_covariance(S, NULL, &Z, GY_CONN_LEDOIT_WOLF);
    if (s) goto done;
    for (int64_t j = 0; j < p; j++)
      for (int64_t i = 0; i < p; i++) GY_AT(S, i, j) *= sc[i] * sc[j];
  } else {
    s = gy_linalg_syrk(S, &Z, 1, 1.0 / (double)n);
    if (s) goto done;
    double mu = 0;
    for (int64_t j = 0; j < p; j++) mu += GY_AT(S, j, j);
    mu /= (double)p;
    for (int64_t j = 0; j < p; j++) {
      for (int64_t i = 0; i < p; i++) GY_AT(S, i, j) *= 1 - shrinkage;
      GY_AT(S, j, j) += shrinkage * mu;
    }
  }
done:
  gy_free(sc);
  gy_mat_clear(&Z);
  return s;
}

/* coef (p x K) = S^-1 Mu through the eigendecomposition of S, refusing a singular S. */
static int solve_spd(gy_mat *coef, const gy_mat *S, const gy_mat *Mu) {
  gy_mat w = {0}, V = {0}, T = {0};
  int s = gy_linalg_eigh(&w, &V, S);
  if (s) return s;
  int64_t p = S->rows;
  double top = w.data[p - 1];
  if (!(top > 0) || w.data[0] <= 1e-12 * top) {
    s = gy_err(GY_ESINGULAR,
               "the pooled within-class covariance is singular (smallest eigenvalue %g, largest "
               "%g); use shrinkage",
               w.data[0], top);
    goto done;
  }
  s = gy_linalg_matmul(&T, &V, 1, Mu, 0);
  if (s) goto done;
  for (int64_t j = 0; j < T.cols; j++)
    for (int64_t i = 0; i < p; i++) GY_AT(&T, i, j) /= w.data[i];
  s = gy_linalg_matmul(coef, &V, 0, &T, 0);
done:
  gy_mat_clear(&w);
  gy_mat_clear(&V);
  gy_mat_clear(&T);
  return s;
}

/* For two classes sklearn keeps only class 1 minus class 0. */
static int binary_reduce(gy_mat *coef, gy_mat *intercept, gy_mat *full, const double *b,
                         int64_t K) {
  int64_t p = full->rows, m = K == 2 ? 1 : K;
  GY_TRY(gy_mat_init_uninit(intercept, 1, m));
  if (K == 2) {
    int s = gy_mat_init_uninit(coef, p, 1);
    if (s) {
      gy_mat_clear(intercept);
      return s;
    }
    for (int64_t i = 0; i < p; i++) GY_AT(coef, i, 0) = GY_AT(full, i, 1) - GY_AT(full, i, 0);
    intercept->data[0] = b[1] - b[0];
    gy_mat_clear(full);
  } else {
    *coef = *full;
    memset(full, 0, sizeof *full);
    for (int64_t k = 0; k < K; k++) intercept->data[k] = b[k];
  }
  return GY_OK;
}

static int lda_fit(gy_mat *coef, gy_mat *intercept, const gy_mat *X, const int64_t *y, int64_t K,
                   const int64_t *counts, double shrinkage) {
  int64_t n = X->rows, p = X->cols;
  gy_mat Mu = {0}, S = {0}, Sk = {0}, Xk = {0}, full = {0};
  double *b = gy_alloc((size_t)K * sizeof(double));
  if (!b) return gy_err(GY_ENOMEM, "out of memory");
  int s = gy_mat_init(&Mu, p, K);
  if (!s) s = gy_mat_init(&S, p, p);
  for (int64_t k = 0; k < K && !s; k++) {
    s = gy_mat_init_uninit(&Xk, counts[k], p);
    if (s) break;
    int64_t r = 0;
    for (int64_t i = 0; i < n; i++)
      if (y[i] == k) {
        for (int64_t j = 0; j < p; j++) GY_AT(&Xk, r, j) = GY_AT(X, i, j);
        r++;
      }
    col_means(Mu.data + k * Mu.ld, &Xk);
    s = class_cov(&Sk, &Xk, shrinkage);
    if (!s) {
      double prior = (double)counts[k] / (double)n;
      for (int64_t j = 0; j < p; j++)
        for (int64_t i = 0; i < p; i++) GY_AT(&S, i, j) += prior * GY_AT(&Sk, i, j);
    }
    gy_mat_clear(&Sk);
    gy_mat_clear(&Xk);
    if (!s) s = gy_check_interrupt();
  }
  if (!s) s = solve_spd(&full, &S, &Mu);
  if (!s) {
    for (int64_t k = 0; k < K; k++) {
      double d = 0;
      for (int64_t j = 0; j < p; j++) d += GY_AT(&Mu, j, k) * GY_AT(&full, j, k);
      b[k] = -0.5 * d + log((double)counts[k] / (double)n);
    }
    s = binary_reduce(coef, intercept, &full, b, K);
  }
  gy_free(b);
  gy_mat_clear(&Mu);
  gy_mat_clear(&S);
  gy_mat_clear(&full);
  return s;
}

static int check_shrinkage(double shrinkage) {
  if (!(shrinkage < 0 || (shrinkage >= 0 && shrinkage <= 1)))
    return gy_err(GY_EINVAL, "shrinkage must be 'auto' or in [0, 1], got %g", shrinkage);
  return GY_OK;
}

int gy_decode_lda(gy_mat *coef, gy_mat *intercept, const gy_mat *X, const int64_t *y,
                  int64_t n_classes, double shrinkage) {
  GY_TRY(gy_check_out(coef, "coef"));
  GY_TRY(gy_check_out(intercept, "intercept"));
  GY_TRY(check_shrinkage(shrinkage));
  int64_t *counts = NULL;
  GY_TRY(check_fit(X, y, n_classes, &counts));
  int s = lda_fit(coef, intercept, X, y, n_classes, counts, shrinkage);
  gy_free(counts);
  return s;
}

int gy_decode_pca_lda(gy_mat *coef, gy_mat *intercept, const gy_mat *X, const int64_t *y,
                      int64_t n_classes, int64_t n_components, double shrinkage) {
  GY_TRY(gy_check_out(coef, "coef"));
  GY_TRY(gy_check_out(intercept, "intercept"));
  GY_TRY(check_shrinkage(shrinkage));
  int64_t *counts = NULL;
  GY_TRY(check_fit(X, y, n_classes, &counts));
  int64_t n = X->rows, p = X->cols, kmax = n < p ? n : p;
  if (n_components < 1 || n_components > kmax) {
    gy_free(counts);
    return gy_err(GY_EINVAL, "n_components must be in 1..%lld (min of samples and features), got %lld",
                  (long long)kmax, (long long)n_components);
  }
  gy_mat Xc = {0}, sv = {0}, Vt = {0}, V = {0}, Z = {0}, cz = {0}, bz = {0};
  double *mu = gy_alloc((size_t)p * sizeof(double));
  int s = mu ? gy_mat_copy(&Xc, X) : gy_err(GY_ENOMEM, "out of memory");
  if (s) goto done;
  col_means(mu, X);
  for (int64_t j = 0; j < p; j++)
    for (int64_t i = 0; i < n; i++) GY_AT(&Xc, i, j) -= mu[j];
  s = gy_linalg_svd(NULL, &sv, &Vt, &Xc, 0);
  if (!s) s = gy_mat_init_uninit(&V, p, n_components);
  if (s) goto done;
  for (int64_t c = 0; c < n_components; c++)
    for (int64_t j = 0; j < p; j++) GY_AT(&V, j, c) = GY_AT(&Vt, c, j);
  s = gy_linalg_matmul(&Z, &Xc, 0, &V, 0);
  if (!s) s = lda_fit(&cz, &bz, &Z, y, n_classes, counts, shrinkage);
  if (!s) s = gy_linalg_matmul(coef, &V, 0, &cz, 0);
  if (s) goto done;
  s = gy_mat_copy(intercept, &bz);
  if (s) {
    gy_mat_clear(coef);
    goto done;
  }
  for (int64_t k = 0; k < coef->cols; k++)
    for (int64_t j = 0; j < p; j++) intercept->data[k] -= mu[j] * GY_AT(coef, j, k);
done:
  gy_free(mu);
  gy_free(counts);
  gy_mat_clear(&Xc);
  gy_mat_clear(&sv);
  gy_mat_clear(&Vt);
  gy_mat_clear(&V);
  gy_mat_clear(&Z);
  gy_mat_clear(&cz);
  gy_mat_clear(&bz);
  return s;
}

int gy_decode_ridge(gy_mat *coef, gy_mat *intercept, const gy_mat *X, const int64_t *y,
                    int64_t n_classes, double alpha) {
  GY_TRY(gy_check_out(coef, "coef"));
  GY_TRY(gy_check_out(intercept, "intercept"));
  if (!(alpha >= 0) || !isfinite(alpha))
    return gy_err(GY_EINVAL, "alpha must be a finite number >= 0, got %g", alpha);
  int64_t *counts = NULL;
  GY_TRY(check_fit(X, y, n_classes, &counts));
  gy_free(counts);
  int64_t n = X->rows, p = X->cols, K = n_classes, m = K == 2 ? 1 : K;
  gy_mat Xc = {0}, Y = {0};
  double *mx = gy_alloc((size_t)p * sizeof(double)), *my = gy_alloc((size_t)m * sizeof(double));
  int s = mx && my ? gy_mat_copy(&Xc, X) : gy_err(GY_ENOMEM, "out of memory");
  if (!s) s = gy_mat_init_uninit(&Y, n, m);
  if (s) goto done;
  for (int64_t i = 0; i < n; i++)
    for (int64_t k = 0; k < m; k++) GY_AT(&Y, i, k) = y[i] == (K == 2 ? 1 : k) ? 1.0 : -1.0;
  col_means(mx, &Xc);
  col_means(my, &Y);
  for (int64_t j = 0; j < p; j++)
    for (int64_t i = 0; i < n; i++) GY_AT(&Xc, i, j) -= mx[j];
  for (int64_t k = 0; k < m; k++)
    for (int64_t i = 0; i < n; i++) GY_AT(&Y, i, k) -= my[k];
  s = gy_encode_ridge(coef, &Xc, &Y, &alpha, 1);
  if (!s) s = gy_mat_init_uninit(intercept, 1, m);
  if (s) {
    gy_mat_clear(coef);
    goto done;
  }
  for (int64_t k = 0; k < m; k++) {
    double d = my[k];
    for (int64_t j = 0; j < p; j++) d -= mx[j] * GY_AT(coef, j, k);
    intercept->data[k] = d;
  }
done:
  gy_free(mx);
  gy_free(my);
  gy_mat_clear(&Xc);
  gy_mat_clear(&Y);
  return s;
}

/* ------------------------------------------------------------------------- logistic */

typedef struct {
  const gy_mat *X;
  const int64_t *y;
  int64_t n, p, m; /* m = 1 (binary) or K (multinomial) */
  double l2;       /* 1 / (C n) */
  gy_mat Z, P;     /* n x m: linear predictor, probabilities */
} logit;

/* Theta is (p + 1) x m: the coefficients then the intercept row. Fills Z and P and returns
 * the objective mean loss + l2/2 ||coef||^2 (+ l2/2 (sum of intercepts)^2, which only
 * picks the representative with intercepts summing to 0 that sklearn's lbfgs reaches). */
static double objective(logit *L, const gy_mat *T) {
  int64_t n = L->n, p = L->p, m = L->m;
  gy_mat coef = {0};
  gy_mat_view(&coef, T, 0, 0, p, m);
  gy_linalg_gemm(&L->Z, 1.0, L->X, 0, &coef, 0, 0.0);
  double loss = 0;
  for (int64_t i = 0; i < n; i++) {
    if (m == 1) {
      double z = GY_AT(&L->Z, i, 0) + GY_AT(T, p, 0);
      GY_AT(&L->Z, i, 0) = z;
      /* log(1 + e^z) - y z without overflow. */
      loss += (z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))) - (L->y[i] == 1 ? z : 0);
      GY_AT(&L->P, i, 0) = z > 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
    } else {
      double zmax = -INFINITY;
      for (int64_t k = 0; k < m; k++) {
        double z = GY_AT(&L->Z, i, k) + GY_AT(T, p, k);
        GY_AT(&L->Z, i, k) = z;
        if (z > zmax) zmax = z;
      }
      double se = 0;
      for (int64_t k = 0; k < m; k++) se += exp(GY_AT(&L->Z, i, k) - zmax);
      for (int64_t k = 0; k < m; k++) GY_AT(&L->P, i, k) = exp(GY_AT(&L->Z, i, k) - zmax) / se;
      loss += zmax + log(se) - GY_AT(&L->Z, i, L->y[i]);
    }
  }
  double pen = 0, sb = 0;
  for (int64_t k = 0; k < m; k++) {
    for (int64_t j = 0; j < p; j++) pen += GY_AT(T, j, k) * GY_AT(T, j, k);
    sb += GY_AT(T, p, k);
  }
  if (m > 1) pen += sb * sb;
  return loss / (double)n + 0.5 * L->l2 * pen;
}

static inline double target(const logit *L, int64_t i, int64_t k) {
  return L->m == 1 ? (L->y[i] == 1) : (L->y[i] == k);
}

/* Gradient G ((p+1) m, column k of Theta stacked) and Hessian H at the current P. */
static int derivatives(logit *L, const gy_mat *T, gy_mat *G, gy_mat *H, gy_mat *Ws) {
  int64_t n = L->n, p = L->p, m = L->m, d = p + 1;
  double sb = 0;
  for (int64_t k = 0; k < m; k++) sb += GY_AT(T, p, k);
  for (int64_t k = 0; k < m; k++) {
    double gb = 0;
    for (int64_t i = 0; i < n; i++) {
      double r = (GY_AT(&L->P, i, k) - target(L, i, k)) / (double)n;
      GY_AT(Ws, i, 0) = r;
      gb += r;
    }
    gy_mat g = {0}, r = {0};
    gy_mat_view(&g, G, k * d, 0, p, 1);
    gy_mat_view(&r, Ws, 0, 0, n, 1);
    GY_TRY(gy_linalg_gemm(&g, 1.0, L->X, 1, &r, 0, 0.0));
    for (int64_t j = 0; j < p; j++) G->data[k * d + j] += L->l2 * GY_AT(T, j, k);
    G->data[k * d + p] = gb + (m > 1 ? L->l2 * sb : 0);
  }
  gy_mat_fill(H, 0.0);
  for (int64_t k = 0; k < m; k++)
    for (int64_t k2 = k; k2 < m; k2++) {
      /* Block (k, k2) = [X 1]' diag(p_k (delta - p_k2)) [X 1] / n. */
      double sw = 0;
      gy_mat XW = {0}, blk = {0};
      GY_TRY(gy_mat_copy(&XW, L->X));
      for (int64_t i = 0; i < n; i++) {
        double pk = GY_AT(&L->P, i, k), pk2 = GY_AT(&L->P, i, k2);
        double w = (m == 1 ? pk * (1 - pk) : pk * ((k == k2) - pk2)) / (double)n;
        GY_AT(Ws, i, 0) = w;
        sw += w;
        for (int64_t j = 0; j < p; j++) GY_AT(&XW, i, j) *= w;
      }
      gy_mat_view(&blk, H, k * d, k2 * d, p, p);
      int s = gy_linalg_gemm(&blk, 1.0, L->X, 1, &XW, 0, 0.0);
      gy_mat_clear(&XW);
      if (s) return s;
      for (int64_t j = 0; j < p; j++) {
        double c = 0;
        for (int64_t i = 0; i < n; i++) c += GY_AT(L->X, i, j) * GY_AT(Ws, i, 0);
        GY_AT(H, k * d + j, k2 * d + p) = c;
        GY_AT(H, k * d + p, k2 * d + j) = c;
      }
      GY_AT(H, k * d + p, k2 * d + p) = sw + (m > 1 ? L->l2 : 0);
      if (k2 != k)
        for (int64_t jj = 0; jj < d; jj++)
          for (int64_t ii = 0; ii < d; ii++)
            GY_AT(H, k2 * d + ii, k * d + jj) = GY_AT(H, k * d + jj, k2 * d + ii);
    }
  for (int64_t k = 0; k < m; k++)
    for (int64_t j = 0; j < p; j++) GY_AT(H, k * d + j, k * d + j) += L->l2;
  return GY_OK;
}

int gy_decode_logistic(gy_mat *coef, gy_mat *intercept, int64_t *n_iter, const gy_mat *X,
                       const int64_t *y, int64_t n_classes, double C, double tol,
                       int64_t max_iter) {
  GY_TRY(gy_check_out(coef, "coef"));
  GY_TRY(gy_check_out(intercept, "intercept"));
  if (!(C > 0) || !isfinite(C)) return gy_err(GY_EINVAL, "C must be positive, got %g", C);
  if (!(tol > 0)) return gy_err(GY_EINVAL, "tol must be positive, got %g", tol);
  if (max_iter < 1) return gy_err(GY_EINVAL, "max_iter must be at least 1, got %lld", (long long)max_iter);
  int64_t *counts = NULL;
  GY_TRY(check_fit(X, y, n_classes, &counts));
  gy_free(counts);
  logit L = {X, y, X->rows, X->cols, n_classes == 2 ? 1 : n_classes, 0, {0}, {0}};
  L.l2 = 1.0 / (C * (double)L.n);
  int64_t d = L.p + 1, P = d * L.m, it = 0;
  if (P > 20000)
    return gy_err(GY_EUNSUPPORTED, "%lld parameters are too many for the Newton solver; reduce "
                  "the features first (e.g. PCA)", (long long)P);
  gy_mat T = {0}, T2 = {0}, G = {0}, H = {0}, Ws = {0};
  int s = gy_mat_init(&T, d, L.m);
  if (!s) s = gy_mat_init(&T2, d, L.m);
  if (!s) s = gy_mat_init(&G, P, 1);
  if (!s) s = gy_mat_init(&H, P, P);
  if (!s) s = gy_mat_init(&Ws, L.n, 1);
  if (!s) s = gy_mat_init(&L.Z, L.n, L.m);
  if (!s) s = gy_mat_init(&L.P, L.n, L.m);
  if (s) goto done;
  double f = objective(&L, &T);
  for (;;) {
    s = derivatives(&L, &T, &G, &H, &Ws);
    if (s) goto done;
    double gmax = 0;
    for (int64_t i = 0; i < P; i++) gmax = fmax(gmax, fabs(G.data[i]));
    if (gmax <= tol || it >= max_iter) break;
    /* Newton step: H is positive definite (the penalty and the intercept term). */
    lapack_int info = LAPACKE_dposv(LAPACK_COL_MAJOR, 'L', (lapack_int)P, 1, H.data,
                                    (lapack_int)H.ld, G.data, (lapack_int)P);
    if (info != 0) {
      s = gy_err(GY_ENOCONV, "the Hessian of the logistic loss is not positive definite (step %lld)",
                 (long long)it + 1);
      goto done;
    }
    double step = 1, f2 = f;
    int accepted = 0;
    for (int ls = 0; ls < 50; ls++) {
      for (int64_t k = 0; k < L.m; k++)
        for (int64_t j = 0; j < d; j++) GY_AT(&T2, j, k) = GY_AT(&T, j, k) - step * G.data[k * d + j];
      f2 = objective(&L, &T2);
      if (f2 <= f) {
        accepted = 1;
        break;
      }
      step *= 0.5;
    }
    it++;
    if (!accepted) {
      objective(&L, &T);
      break; /* at rounding level: no step lowers the objective */
    }
    gy_mat_assign(&T, &T2);
    f = f2;
    s = gy_check_interrupt();
    if (s) goto done;
  }
  s = gy_mat_init_uninit(coef, L.p, L.m);
  if (!s) s = gy_mat_init_uninit(intercept, 1, L.m);
  if (s) {
    gy_mat_clear(coef);
    goto done;
  }
  for (int64_t k = 0; k < L.m; k++) {
    for (int64_t j = 0; j < L.p; j++) GY_AT(coef, j, k) = GY_AT(&T, j, k);
    intercept->data[k] = GY_AT(&T, L.p, k);
  }
  if (n_iter) *n_iter = it;
done:
  gy_mat_clear(&T);
  gy_mat_clear(&T2);
  gy_mat_clear(&G);
  gy_mat_clear(&H);
  gy_mat_clear(&Ws);
  gy_mat_clear(&L.Z);
  gy_mat_clear(&L.P);
  return s;
}

int gy_decode_decision(gy_mat *out, const gy_mat *X, const gy_mat *coef, const gy_mat *intercept) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_check_finite(X, "X"));
  GY_TRY(gy_check_mat(coef, "coef"));
  GY_TRY(gy_check_mat(intercept, "intercept"));
  if (coef->rows != X->cols)
    return gy_err(GY_EINVAL, "X has %lld features, the model %lld", (long long)X->cols,
                  (long long)coef->rows);
  if (intercept->rows * intercept->cols != coef->cols)
    return gy_err(GY_EINVAL, "the intercept must have %lld values", (long long)coef->cols);
  GY_TRY(gy_mat_init_uninit(out, X->rows, coef->cols));
  for (int64_t k = 0; k < coef->cols; k++)
    for (int64_t i = 0; i < X->rows; i++) GY_AT(out, i, k) = intercept->data[k * (intercept->rows == 1 ? intercept->ld : 1)];
  int s = gy_linalg_gemm(out, 1.0, X, 0, coef, 0, 1.0);
  if (s) gy_mat_clear(out);
  return s;
}

int gy_decode_proba(gy_mat *out, const gy_mat *D) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_check_mat(D, "decision values"));
  int64_t n = D->rows, m = D->cols;
  if (m < 1) return gy_err(GY_EINVAL, "no decision values");
  GY_TRY(gy_mat_init_uninit(out, n, m == 1 ? 2 : m));
  for (int64_t i = 0; i < n; i++) {
    if (m == 1) {
      double z = GY_AT(D, i, 0);
      double s = z > 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
      GY_AT(out, i, 0) = 1 - s;
      GY_AT(out, i, 1) = s;
    } else {
      double zmax = -INFINITY, se = 0;
      for (int64_t k = 0; k < m; k++) zmax = fmax(zmax, GY_AT(D, i, k));
      for (int64_t k = 0; k < m; k++) se += exp(GY_AT(D, i, k) - zmax);
      for (int64_t k = 0; k < m; k++) GY_AT(out, i, k) = exp(GY_AT(D, i, k) - zmax) / se;
    }
  }
  return GY_OK;
}
