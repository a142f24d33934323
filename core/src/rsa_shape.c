/* CKA and generalised shape metrics. CKA works in example space (m x m Gram matrices), so
 * the linear, RBF and debiased variants share one centring and one inner product. */
#include "internal.h"
#include "gyrus/rsa_shape.h"
#include "gyrus/linalg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int pair_args(const gy_mat *X, const gy_mat *Y) {
  GY_TRY(gy_check_finite(X, "X"));
  GY_TRY(gy_check_finite(Y, "Y"));
  if (X->rows != Y->rows)
    return gy_err(GY_EINVAL, "X has %lld stimuli (rows) but Y has %lld", (long long)X->rows,
                  (long long)Y->rows);
  if (X->rows < 2 || X->cols < 1 || Y->cols < 1)
    return gy_err(GY_EINVAL, "X and Y need at least 2 rows and 1 column, got %lld x %lld and "
                  "%lld x %lld", (long long)X->rows, (long long)X->cols, (long long)Y->rows,
                  (long long)Y->cols);
  return GY_OK;
}

static int cmp_double(const void *pa, const void *pb) {
  double a = *(const double *)pa, b = *(const double *)pb;
  return (a > b) - (a < b);
}

/* The m x m kernel of X into G (empty on entry). */
static int gram(gy_mat *G, const gy_mat *X, int kernel, double threshold) {
  GY_TRY(gy_linalg_syrk(G, X, 0, 1.0));
  if (kernel == GY_RSA_CKA_LINEAR) return GY_OK;
  int64_t m = G->rows;
  double *sq = gy_alloc((size_t)(m * m) * sizeof *sq);
  if (!sq) return gy_err(GY_ENOMEM, "out of memory for a %lld x %lld kernel", (long long)m,
                         (long long)m);
  for (int64_t j = 0; j < m; j++)
    for (int64_t i = 0; i < m; i++)
      sq[i + j * m] = GY_AT(G, i, i) + GY_AT(G, j, j) - 2 * GY_AT(G, i, j);
  for (int64_t j = 0; j < m; j++)
    for (int64_t i = 0; i < m; i++) GY_AT(G, i, j) = sq[i + j * m];
  /* the median runs over the whole matrix, diagonal zeros included, as the reference code */
  qsort(sq, (size_t)(m * m), sizeof *sq, cmp_double);
  int64_t h = m * m / 2;
  double med = (m * m) % 2 ? sq[h] : 0.5 * (sq[h - 1] + sq[h]);
  gy_free(sq);
  if (!(med > 0)) return gy_err(GY_EINVAL, "the median squared distance is 0 (too many "
                                "identical rows) so the RBF width is undefined");
  double s = 2 * threshold * threshold * med;
  for (int64_t j = 0; j < m; j++)
    for (int64_t i = 0; i < m; i++) GY_AT(G, i, j) = exp(-GY_AT(G, i, j) / s);
  return GY_OK;
}

/* In place: HGH, or the U-statistic centring (zero diagonal) when unbiased. */
static int centre_gram(gy_mat *G, int unbiased) {
  int64_t m = G->rows;
  double *mu = gy_alloc((size_t)m * sizeof *mu);
  if (!mu) return gy_err(GY_ENOMEM, "out of memory");
  if (unbiased)
    for (int64_t i = 0; i < m; i++) GY_AT(G, i, i) = 0;
  double tot = 0;
  for (int64_t j = 0; j < m; j++) {
    double s = 0;
    for (int64_t i = 0; i < m; i++) s += GY_AT(G, i, j);
    mu[j] = unbiased ? s / (double)(m - 2) : s / (double)m;
    tot += mu[j];
  }
  double shift = unbiased ? tot / (2.0 * (double)(m - 1)) : tot / (2.0 * (double)m);
  for (int64_t j = 0; j < m; j++) mu[j] -= shift;
  for (int64_t j = 0; j < m; j++)
    for (int64_t i = 0; i < m; i++) GY_AT(G, i, j) -= mu[i] + mu[j];
  if (unbiased)
    for (int64_t i = 0; i < m; i++) GY_AT(G, i, i) = 0;
  gy_free(mu);
  return GY_OK;
}

int gy_rsa_cka(double *out, const gy_mat *X, const gy_mat *Y, int kernel, double threshold,
               int debiased) {
  if (!out) return gy_err(GY_EINVAL, "output is missing");
  GY_TRY(pair_args(X, Y));
  if (kernel != GY_RSA_CKA_LINEAR && kernel != GY_RSA_CKA_RBF)
    return gy_err(GY_EINVAL, "unknown kernel %d", kernel);
  if (kernel == GY_RSA_CKA_RBF && !(threshold > 0 && isfinite(threshold)))
    return gy_err(GY_EINVAL, "the RBF threshold must be a positive number, got %g", threshold);
  if (debiased && X->rows < 4)
    return gy_err(GY_EINVAL, "debiased CKA needs at least 4 stimuli, got %lld",
                  (long long)X->rows);
  gy_mat K = {0}, L = {0};
  int st = gram(&K, X, kernel, threshold);
  if (!st) st = gram(&L, Y, kernel, threshold);
  if (!st) st = centre_gram(&K, debiased);
  if (!st) st = centre_gram(&L, debiased);
  if (!st) {
    double kl = 0, kk = 0, ll = 0;
    for (int64_t j = 0; j < K.cols; j++)
      for (int64_t i = 0; i < K.rows; i++) {
        double a = GY_AT(&K, i, j), b = GY_AT(&L, i, j);
        kl += a * b;
        kk += a * a;
        ll += b * b;
      }
    if (!(kk > 0) || !(ll > 0))
      st = gy_err(GY_EINVAL, "%s has a zero centred kernel (constant representation)",
                  kk > 0 ? "Y" : "X");
    else *out = kl / (sqrt(kk) * sqrt(ll));
  }
  gy_mat_clear(&K);
  gy_mat_clear(&L);
  return st;
}

/* ------------------------------------------------------------------- shape metrics */

/* Xw (m x p, empty on entry): X centred (optionally), zero-padded to p columns and
 * partially whitened with netrep's variance-preserving whitening. */
static int prepare(gy_mat *Xw, const gy_mat *X, int64_t p, double alpha, int centre) {
  int64_t m = X->rows;
  gy_mat Xp = {0}, C = {0}, lam = {0}, V = {0}, Z = {0};
  GY_TRY(gy_mat_init(&Xp, m, p));
  for (int64_t j = 0; j < X->cols; j++) {
    double mu = 0;
    if (centre) {
      for (int64_t i = 0; i < m; i++) mu += GY_AT(X, i, j);
      mu /= (double)m;
    }
    for (int64_t i = 0; i < m; i++) GY_AT(&Xp, i, j) = GY_AT(X, i, j) - mu;
  }
  const double tol = 1e-7;
  if (alpha > 1 - tol) {
    *Xw = Xp;
    return GY_OK;
  }
  int st = gy_linalg_syrk(&C, &Xp, 1, 1.0);
  if (!st) st = gy_linalg_eigh(&lam, &V, &C);
  if (!st) st = gy_mat_init(&Z, p, p);
  if (!st) {
    double *d = lam.data, sum_lam = 0, new_var = 0;
    for (int64_t k = 0; k < p; k++) {
      double l = d[k] > tol ? d[k] : tol;
      sum_lam += l;
      new_var += alpha * alpha * l + 2 * alpha * (1 - alpha) * sqrt(l) + (1 - alpha) * (1 - alpha);
      d[k] = alpha + (1 - alpha) / sqrt(l);
    }
    double scale = sqrt(sum_lam / new_var);
    for (int64_t b = 0; b < p; b++)
      for (int64_t a = 0; a < p; a++) {
        double s = 0;
        for (int64_t k = 0; k < p; k++) s += GY_AT(&V, a, k) * d[k] * scale * GY_AT(&V, b, k);
        GY_AT(&Z, a, b) = s;
      }
    st = gy_linalg_matmul(Xw, &Xp, 0, &Z, 0);
  }
  gy_mat_clear(&Xp);
  gy_mat_clear(&C);
  gy_mat_clear(&lam);
  gy_mat_clear(&V);
  gy_mat_clear(&Z);
  return st;
}

static double frob2(const gy_mat *A) {
  double s = 0;
  for (int64_t j = 0; j < A->cols; j++)
    for (int64_t i = 0; i < A->rows; i++) s += GY_AT(A, i, j) * GY_AT(A, i, j);
  return s;
}

int gy_rsa_shape_distance(double *out, const gy_mat *X, const gy_mat *Y, double alpha,
                          int centre, int score) {
  if (!out) return gy_err(GY_EINVAL, "output is missing");
  GY_TRY(pair_args(X, Y));
  if (!(alpha >= 0 && alpha <= 1))
    return gy_err(GY_EINVAL, "alpha must be in [0, 1], got %g", alpha);
  if (score != GY_RSA_SHAPE_ANGULAR && score != GY_RSA_SHAPE_EUCLIDEAN)
    return gy_err(GY_EINVAL, "unknown score %d", score);
  int64_t p = X->cols > Y->cols ? X->cols : Y->cols;
  gy_mat Xw = {0}, Yw = {0}, M = {0}, s = {0};
  int st = prepare(&Xw, X, p, alpha, centre);
  if (!st) st = prepare(&Yw, Y, p, alpha, centre);
  if (!st) st = gy_linalg_matmul(&M, &Xw, 1, &Yw, 0);
  if (!st) st = gy_linalg_svd(NULL, &s, NULL, &M, 0);
  if (!st) {
    /* after the optimal rotation, <Xw U, Yw V> is the nuclear norm of Xw'Yw */
    double nuc = 0, xx = frob2(&Xw), yy = frob2(&Yw);
    for (int64_t k = 0; k < s.rows * s.cols; k++) nuc += s.data[k];
    if (score == GY_RSA_SHAPE_EUCLIDEAN) {
      double d2 = xx + yy - 2 * nuc;
      *out = d2 > 0 ? sqrt(d2) : 0;
    } else if (!(xx > 0) || !(yy > 0)) {
      st = gy_err(GY_EINVAL, "%s is zero after centring, so the angle is undefined",
                  xx > 0 ? "Y" : "X");
    } else {
      double c = nuc / (sqrt(xx) * sqrt(yy));
      *out = acos(c > 1 ? 1 : (c < -1 ? -1 : c));
    }
  }
  gy_mat_clear(&Xw);
  gy_mat_clear(&Yw);
  gy_mat_clear(&M);
  gy_mat_clear(&s);
  return st;
}

/* ------------------------------------------------------- Gaussian stochastic distance */

/* R = argmin over orthogonal R of |A R - B|_F (scipy orthogonal_procrustes): U V' from
 * the SVD of A'B. */
static int procrustes(gy_mat *R, const gy_mat *A, const gy_mat *B) {
  gy_mat P = {0}, U = {0}, s = {0}, Vt = {0};
  int st = gy_linalg_matmul(&P, A, 1, B, 0);
  if (!st) st = gy_linalg_svd(&U, &s, &Vt, &P, 0);
  if (!st) st = gy_linalg_matmul(R, &U, 0, &Vt, 0);
  gy_mat_clear(&P);
  gy_mat_clear(&U);
  gy_mat_clear(&s);
  gy_mat_clear(&Vt);
  return st;
}

/* Symmetric square root of a covariance (negative eigenvalues from rounding set to 0). */
static int sqrtm_psd(gy_mat *S, const gy_mat *C) {
  gy_mat w = {0}, V = {0};
  int64_t n = C->rows;
  int st = gy_linalg_eigh(&w, &V, C);
  if (!st) st = gy_mat_init(S, n, n);
  for (int64_t b = 0; b < n && !st; b++)
    for (int64_t a = 0; a < n; a++) {
      double t = 0;
      for (int64_t k = 0; k < n; k++)
        t += GY_AT(&V, a, k) * sqrt(w.data[k] > 0 ? w.data[k] : 0) * GY_AT(&V, b, k);
      GY_AT(S, a, b) = t;
    }
  gy_mat_clear(&w);
  gy_mat_clear(&V);
  return st;
}

/* Squared Bures distance tr A + tr B - 2 |A^1/2 B^1/2|_* from the square roots. */
static int sq_bures(double *out, const gy_mat *sa, const gy_mat *sb) {
  gy_mat P = {0}, s = {0};
  int st = gy_linalg_matmul(&P, sa, 0, sb, 0);
  if (!st) st = gy_linalg_svd(NULL, &s, NULL, &P, 0);
  if (!st) {
    double nuc = 0;
    for (int64_t k = 0; k < s.rows; k++) nuc += s.data[k];
    *out = frob2(sa) + frob2(sb) - 2 * nuc;
  }
  gy_mat_clear(&P);
  gy_mat_clear(&s);
  return st;
}

static int check_covs(const gy_mat *c, int64_t M, int64_t n, const char *what) {
  GY_TRY(gy_check_finite(c, what));
  if (c->rows != n || c->cols != M * n)
    return gy_err(GY_EINVAL, "%s must be %lld x %lld (%lld stacked %lld x %lld covariances), "
                  "got %lld x %lld", what, (long long)n, (long long)(M * n), (long long)M,
                  (long long)n, (long long)n, (long long)c->rows, (long long)c->cols);
  for (int64_t i = 0; i < M; i++)
    for (int64_t a = 0; a < n; a++)
      for (int64_t b = 0; b < a; b++)
        if (fabs(GY_AT(c, a, i * n + b) - GY_AT(c, b, i * n + a)) >
            1e-10 * (fabs(GY_AT(c, a, i * n + b)) + fabs(GY_AT(c, a, i * n + a)) + 1e-300))
          return gy_err(GY_EINVAL, "%s: covariance %lld is not symmetric", what,
                        (long long)i + 1);
  return GY_OK;
}

typedef struct {
  int64_t M, n;
  gy_mat *sx, *sy; /* M square roots each */
} stoch;

static void free_roots(gy_mat *s, int64_t M) {
  if (!s) return;
  for (int64_t i = 0; i < M; i++) gy_mat_clear(&s[i]);
  gy_free(s);
}

static int roots(gy_mat **out, const gy_mat *c, int64_t M, int64_t n) {
  gy_mat *s = gy_alloc((size_t)M * sizeof *s);
  if (!s) return gy_err(GY_ENOMEM, "out of memory");
  memset(s, 0, (size_t)M * sizeof *s);
  for (int64_t i = 0; i < M; i++) {
    gy_mat blk = {0};
    int st = gy_mat_view(&blk, c, 0, i * n, n, n);
    if (!st) st = sqrtm_psd(&s[i], &blk);
    if (st) {
      free_roots(s, M);
      return st;
    }
  }
  *out = s;
  return GY_OK;
}

/* One alternating round: Q_i for every stimulus, then T from the stacked blocks; *loss is
 * |A - B T|_F with the new T. */
static int stoch_round(gy_mat *T, double *loss, const stoch *S, const gy_mat *mx,
                       const gy_mat *my, double alpha) {
  int64_t M = S->M, n = S->n, rows = M + M * n;
  gy_mat A = {0}, B = {0}, Tn = {0};
  int st = gy_mat_init(&A, rows, n);
  if (!st) st = gy_mat_init(&B, rows, n);
  for (int64_t i = 0; i < M && !st; i++)
    for (int64_t j = 0; j < n; j++) {
      GY_AT(&A, i, j) = alpha * GY_AT(mx, i, j);
      GY_AT(&B, i, j) = alpha * GY_AT(my, i, j);
    }
  for (int64_t i = 0; i < M && !st; i++) {
    gy_mat TtS = {0}, Q = {0}, QtS = {0};
    st = gy_linalg_matmul(&TtS, T, 1, &S->sy[i], 0);
    if (!st) st = procrustes(&Q, &TtS, &S->sx[i]);
    if (!st) st = gy_linalg_matmul(&QtS, &Q, 1, &S->sy[i], 0);
    for (int64_t a = 0; a < n && !st; a++)
      for (int64_t b = 0; b < n; b++) {
        GY_AT(&A, M + i * n + a, b) = (2 - alpha) * GY_AT(&S->sx[i], a, b);
        GY_AT(&B, M + i * n + a, b) = (2 - alpha) * GY_AT(&QtS, a, b);
      }
    gy_mat_clear(&TtS);
    gy_mat_clear(&Q);
    gy_mat_clear(&QtS);
  }
  if (!st) st = procrustes(&Tn, &B, &A);
  if (!st) {
    gy_mat BT = {0};
    st = gy_linalg_matmul(&BT, &B, 0, &Tn, 0);
    if (!st) {
      double s = 0;
      for (int64_t j = 0; j < n; j++)
        for (int64_t i = 0; i < rows; i++) s += pow(GY_AT(&A, i, j) - GY_AT(&BT, i, j), 2);
      *loss = sqrt(s);
      gy_mat_clear(T);
      *T = Tn;
      Tn = (gy_mat){0};
    }
    gy_mat_clear(&BT);
  }
  gy_mat_clear(&A);
  gy_mat_clear(&B);
  gy_mat_clear(&Tn);
  return st;
}

static int stoch_score(double *out, const stoch *S, const gy_mat *mx, const gy_mat *my,
                       const gy_mat *T, double alpha) {
  int64_t M = S->M, n = S->n;
  gy_mat mT = {0};
  int st = gy_linalg_matmul(&mT, my, 0, T, 0);
  double total = 0;
  for (int64_t i = 0; i < M && !st; i++) {
    double a = 0, b = 0;
    for (int64_t j = 0; j < n; j++) a += pow(GY_AT(mx, i, j) - GY_AT(&mT, i, j), 2);
    /* (T' Cy T)^1/2 = T' Cy^1/2 T for orthogonal T */
    gy_mat t1 = {0}, t2 = {0};
    st = gy_linalg_matmul(&t1, T, 1, &S->sy[i], 0);
    if (!st) st = gy_linalg_matmul(&t2, &t1, 0, T, 0);
    if (!st) st = sq_bures(&b, &S->sx[i], &t2);
    gy_mat_clear(&t1);
    gy_mat_clear(&t2);
    total += alpha * a + (2 - alpha) * b;
  }
  gy_mat_clear(&mT);
  if (!st) {
    double mn = total / (double)M;
    *out = mn < 0 ? -sqrt(-mn) : sqrt(mn);
  }
  return st;
}

int gy_rsa_stochastic_distance(double *out, const gy_mat *mx, const gy_mat *cx,
                               const gy_mat *my, const gy_mat *cy, double alpha,
                               int64_t max_iter, double tol) {
  if (!out) return gy_err(GY_EINVAL, "output is missing");
  GY_TRY(gy_check_finite(mx, "means of X"));
  GY_TRY(gy_check_finite(my, "means of Y"));
  if (mx->rows != my->rows || mx->cols != my->cols)
    return gy_err(GY_EINVAL, "means of X are %lld x %lld but means of Y are %lld x %lld",
                  (long long)mx->rows, (long long)mx->cols, (long long)my->rows,
                  (long long)my->cols);
  if (mx->rows < 1 || mx->cols < 1) return gy_err(GY_EINVAL, "the means are empty");
  int64_t M = mx->rows, n = mx->cols;
  GY_TRY(check_covs(cx, M, n, "covariances of X"));
  GY_TRY(check_covs(cy, M, n, "covariances of Y"));
  if (!(alpha >= 0 && alpha <= 2))
    return gy_err(GY_EINVAL, "alpha must be in [0, 2], got %g", alpha);
  if (max_iter < 1) return gy_err(GY_EINVAL, "max_iter must be positive, got %lld",
                                  (long long)max_iter);
  if (!(tol >= 0)) return gy_err(GY_EINVAL, "tol must be >= 0, got %g", tol);
  stoch S = {M, n, NULL, NULL};
  gy_mat T = {0};
  int st = roots(&S.sx, cx, M, n);
  if (!st) st = roots(&S.sy, cy, M, n);
  if (!st) st = procrustes(&T, my, mx);
  double prev = INFINITY, loss = 0;
  for (int64_t it = 0; it < max_iter && !st; it++) {
    if ((it & 15) == 15 && (st = gy_check_interrupt())) break;
    st = stoch_round(&T, &loss, &S, mx, my, alpha);
    if (!st && prev - loss < tol) break;
    prev = loss;
  }
  if (!st) st = stoch_score(out, &S, mx, my, &T, alpha);
  gy_mat_clear(&T);
  free_roots(S.sx, M);
  free_roots(S.sy, M);
  return st;
}
