/* Ridge regression for many targets, closed form and cross-validated over a grid of alphas.
 *
 * Everything goes through one eigendecomposition: of X'X (p x p, primal) or of XX'
 * (n x n, dual, when features outnumber samples). With eigenpairs (lam_k, v_k), the ridge
 * solution for any alpha is a reweighting of the components by 1/(lam_k + alpha), so all
 * alphas of a grid cost one decomposition per fold plus one GEMM each. Components with
 * lam_k at rounding level are X's null space and get weight 0, as an SVD would give. */
#include "encode_internal.h"

#include <cblas.h>
#include <float.h>
#include <lapacke.h>
#include <limits.h>
#include <math.h>
#include <string.h>

typedef struct {
  int dual;
  int64_t r;     /* number of components */
  double *lam;   /* eigenvalues, ascending */
  double tol;    /* eigenvalues at or below are null space */
  double *V;     /* r columns of length p (primal) or n (dual), ld = rows of the Gram */
  int64_t ldv;
} decomp;

static void decomp_clear(decomp *d) {
  gy_free(d->lam);
  gy_free(d->V);
  memset(d, 0, sizeof *d);
}

static inline double weight(const decomp *d, int64_t k, double alpha) {
  double l = d->lam[k];
  return l > d->tol ? 1.0 / (l + alpha) : 0.0;
}

static void gemm(int ta, int tb, int64_t m, int64_t n, int64_t k, double a, const double *A,
                 int64_t lda, const double *B, int64_t ldb, double b, double *C, int64_t ldc) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    for (int64_t j = 0; j < n; j++)
      for (int64_t i = 0; i < m; i++) C[i + j * ldc] = b == 0 ? 0 : b * C[i + j * ldc];
    return;
  }
  cblas_dgemm(CblasColMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
              (int)m, (int)n, (int)k, a, A, (int)lda, B, (int)ldb, b, C, (int)ldc);
}

/* Eigendecomposition of X'X or XX' for X n x p (column stride ldx). */
static int decompose(decomp *d, const double *X, int64_t n, int64_t p, int64_t ldx, int dual) {
  memset(d, 0, sizeof *d);
  int64_t g = dual ? n : p;
  d->dual = dual;
  d->r = g;
  d->ldv = g > 0 ? g : 1;
  d->lam = gy_alloc((size_t)(g > 0 ? g : 1) * sizeof(double));
  d->V = gy_alloc((size_t)(d->ldv * (g > 0 ? g : 1)) * sizeof(double));
  if (!d->lam || !d->V) {
    decomp_clear(d);
    return gy_err(GY_ENOMEM, "out of memory for a %lld x %lld Gram matrix", (long long)g, (long long)g);
  }
  if (g == 0) return GY_OK;
  cblas_dsyrk(CblasColMajor, CblasLower, dual ? CblasNoTrans : CblasTrans, (int)g,
              (int)(dual ? p : n), 1.0, X, (int)ldx, 0.0, d->V, (int)d->ldv);
  lapack_int info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, 'V', 'L', (int)g, d->V, (int)d->ldv, d->lam);
  if (info != 0) {
    decomp_clear(d);
    return gy_err(GY_ELIB, "the eigendecomposition of the Gram matrix failed (LAPACK info %d)",
                  (int)info);
  }
  double lmax = d->lam[g - 1] > 0 ? d->lam[g - 1] : 0;
  d->tol = lmax * DBL_EPSILON * (double)(n > p ? n : p);
  return GY_OK;
}

static int check_xy(const gy_mat *X, const gy_mat *Y) {
  GY_TRY(gy_check_mat(X, "X"));
  GY_TRY(gy_check_mat(Y, "Y"));
  if (X->rows != Y->rows)
    return gy_err(GY_EINVAL, "X has %lld samples (rows) but Y has %lld", (long long)X->rows,
                  (long long)Y->rows);
  if (X->rows < 1 || X->cols < 1 || Y->cols < 1)
    return gy_err(GY_EINVAL, "X (%lld x %lld) and Y (%lld x %lld) must not be empty",
                  (long long)X->rows, (long long)X->cols, (long long)Y->rows, (long long)Y->cols);
  if (X->rows > INT_MAX / 2 || X->cols > INT_MAX / 2 || Y->cols > INT_MAX || X->ld > INT_MAX ||
      Y->ld > INT_MAX)
    return gy_err(GY_EUNSUPPORTED, "X or Y is too large for 32-bit BLAS indices");
  GY_TRY(gy_check_finite(X, "X"));
  GY_TRY(gy_check_finite(Y, "Y"));
  return GY_OK;
}

static int check_alphas(const double *alphas, int64_t n_alphas, int positive) {
  if (!alphas || n_alphas < 1) return gy_err(GY_EINVAL, "no alphas given");
  for (int64_t a = 0; a < n_alphas; a++)
    if (!isfinite(alphas[a]) || alphas[a] < 0 || (positive && alphas[a] == 0))
      return gy_err(GY_EINVAL, "alpha %lld is %g: alphas must be finite and %s", (long long)a + 1,
                    alphas[a], positive ? "positive" : "non-negative");
  return GY_OK;
}

/* Columns per target batch so that a batch's work arrays stay near 128 MB. */
static int64_t batch_size(int64_t requested, int64_t m, int64_t per_target) {
  if (requested > 0) return requested < m ? requested : m;
  int64_t b = ((int64_t)1 << 24) / (per_target > 0 ? per_target : 1);
  if (b < 64) b = 64;
  return b < m ? b : m;
}

/* W = ridge solution with alpha_of[j] for target j, given the decomposition of all of X. */
static int refit(gy_mat *W, const gy_mat *X, const gy_mat *Y, const decomp *d,
                 const double *alpha_of, int64_t n_alpha_of, int64_t n_targets_batch) {
  int64_t n = X->rows, p = X->cols, m = Y->cols, r = d->r;
  int64_t mb = batch_size(n_targets_batch, m, 2 * (n > p ? n : p) + r);
  int st = gy_mat_init(W, p, m);
  if (st) return st;
  double *B = gy_alloc((size_t)(r * mb + 1) * sizeof(double));
  double *T = gy_alloc((size_t)((d->dual ? n : p) * mb + 1) * sizeof(double));
  if (!B || !T) {
    st = gy_err(GY_ENOMEM, "out of memory for a batch of %lld targets", (long long)mb);
    goto done;
  }
  for (int64_t j0 = 0; j0 < m; j0 += mb) {
    int64_t nb = m - j0 < mb ? m - j0 : mb;
    const double *Yb = Y->data + j0 * Y->ld;
    if (d->dual) {
      gemm(1, 0, r, nb, n, 1.0, d->V, d->ldv, Yb, Y->ld, 0.0, B, r);
    } else {
      gemm(1, 0, p, nb, n, 1.0, X->data, X->ld, Yb, Y->ld, 0.0, T, p);
      gemm(1, 0, r, nb, p, 1.0, d->V, d->ldv, T, p, 0.0, B, r);
    }
    for (int64_t j = 0; j < nb; j++) {
      double a = alpha_of[n_alpha_of == 1 ? 0 : j0 + j];
      for (int64_t k = 0; k < r; k++) B[k + j * r] *= weight(d, k, a);
    }
    if (d->dual) {
      gemm(0, 0, n, nb, r, 1.0, d->V, d->ldv, B, r, 0.0, T, n);
      gemm(1, 0, p, nb, n, 1.0, X->data, X->ld, T, n, 0.0, W->data + j0 * W->ld, W->ld);
    } else {
      gemm(0, 0, p, nb, r, 1.0, d->V, d->ldv, B, r, 0.0, W->data + j0 * W->ld, W->ld);
    }
    if ((st = gy_check_interrupt())) goto done;
  }
done:
  gy_free(B);
  gy_free(T);
  if (st) gy_mat_clear(W);
  return st;
}

int gy_encode_ridge(gy_mat *W, const gy_mat *X, const gy_mat *Y, const double *alphas,
                    int64_t n_alphas) {
  GY_TRY(gy_check_out(W, "weights"));
  GY_TRY(check_xy(X, Y));
  GY_TRY(check_alphas(alphas, n_alphas, 0));
  if (n_alphas != 1 && n_alphas != Y->cols)
    return gy_err(GY_EINVAL, "%lld alphas for %lld targets: give one alpha or one per target",
                  (long long)n_alphas, (long long)Y->cols);
  decomp d;
  GY_TRY(decompose(&d, X->data, X->rows, X->cols, X->ld, X->cols > X->rows));
  int st = refit(W, X, Y, &d, alphas, n_alphas, 0);
  decomp_clear(&d);
  return st;
}

/* ------------------------------------------------------------------ cross-validation */

typedef struct {
  int64_t n_te, n_tr;
  int64_t *te, *tr; /* row indices */
  decomp d;
  double *A;        /* n_te x r: test rows in the component basis */
  double *Xte;      /* n_te x p (primal: to remove the test rows from X'Y) */
  int64_t q;        /* rank of the alpha family (0: predict each alpha directly) */
  double *L, *R;    /* weights(alpha_a, lam_k) ~ sum_t L[a,t] R[t,k]: n_alphas x q, q x r */
} fold_t;

static void fold_clear(fold_t *f) {
  gy_free(f->te);
  gy_free(f->tr);
  decomp_clear(&f->d);
  gy_free(f->A);
  gy_free(f->Xte);
  gy_free(f->L);
  gy_free(f->R);
  memset(f, 0, sizeof *f);
}

/* The weights 1/(lam_k + alpha_a) of a grid of alphas form a Cauchy-like n_alphas x r
 * matrix whose singular values fall fast (alphas far below or above the eigenvalues give
 * nearly proportional rows), so the predictions of all alphas are combinations of q < n_alphas
 * "basis" predictions A diag(R_t) B. The rank is cut where the row-normalised singular
 * values drop below 1e-14, which keeps every alpha's predictions to about that relative
 * accuracy; when little would be saved the alphas are predicted one by one. */
static int alpha_basis(fold_t *f, const double *alphas, int64_t na) {
  int64_t r = f->d.r, mn = na < r ? na : r;
  f->q = 0;
  if (na < 3 || r < 1) return GY_OK;
  int st = GY_OK;
  double *Wm = gy_alloc((size_t)(na * r) * sizeof(double));
  double *rho = gy_alloc((size_t)na * sizeof(double));
  double *sv = gy_alloc((size_t)mn * sizeof(double));
  double *U = gy_alloc((size_t)(na * mn) * sizeof(double));
  double *VT = gy_alloc((size_t)(mn * r) * sizeof(double));
  if (!Wm || !rho || !sv || !U || !VT) {
    st = gy_err(GY_ENOMEM, "out of memory for the alpha basis");
    goto done;
  }
  for (int64_t a = 0; a < na; a++) {
    double nn = 0;
    for (int64_t k = 0; k < r; k++) {
      double w = weight(&f->d, k, alphas[a]);
      Wm[a + k * na] = w;
      nn += w * w;
    }
    rho[a] = sqrt(nn);
    if (rho[a] == 0) goto done; /* a degenerate fold: predict directly */
    for (int64_t k = 0; k < r; k++) Wm[a + k * na] /= rho[a];
  }
  if (LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'S', (int)na, (int)r, Wm, (int)na, sv, U, (int)na, VT,
                     (int)mn) != 0)
    goto done; /* no compression: the direct path is exact */
  int64_t q = 0;
  while (q < mn && sv[q] > 1e-14 * sv[0]) q++;
  /* Each basis prediction costs one alpha's GEMM; the combination adds about 2 n_alphas/r. */
  if ((double)q >= 0.9 * (double)na) goto done;
  f->L = gy_alloc((size_t)(na * q) * sizeof(double));
  f->R = gy_alloc((size_t)(q * r) * sizeof(double));
  if (!f->L || !f->R) {
    gy_free(f->L);
    gy_free(f->R);
    f->L = f->R = NULL;
    st = gy_err(GY_ENOMEM, "out of memory for the alpha basis");
    goto done;
  }
  for (int64_t t = 0; t < q; t++) {
    for (int64_t a = 0; a < na; a++) f->L[a + t * na] = rho[a] * U[a + t * na] * sv[t];
    for (int64_t k = 0; k < r; k++) f->R[t + k * q] = VT[t + k * mn];
  }
  f->q = q;
done:
  gy_free(Wm);
  gy_free(rho);
  gy_free(sv);
  gy_free(U);
  gy_free(VT);
  return st;
}

static double *gather_rows(const double *src, int64_t ld, const int64_t *idx, int64_t ni,
                           int64_t cols, double *dst) {
  for (int64_t j = 0; j < cols; j++) {
    const double *s = src + j * ld;
    double *o = dst + j * ni;
    for (int64_t i = 0; i < ni; i++) o[i] = s[idx[i]];
  }
  return dst;
}

static int fold_setup(fold_t *f, const gy_mat *X, const int64_t *fold, int64_t which) {
  int64_t n = X->rows, p = X->cols;
  double *Xtr = NULL, *K = NULL;
  int st = GY_OK;
  memset(f, 0, sizeof *f);
  for (int64_t i = 0; i < n; i++) f->n_te += fold[i] == which;
  f->n_tr = n - f->n_te;
  if (f->n_te == 0) return gy_err(GY_EINVAL, "fold %lld has no samples", (long long)which + 1);
  if (f->n_tr == 0)
    return gy_err(GY_EINVAL, "fold %lld holds every sample: nothing is left to train on",
                  (long long)which + 1);
  f->te = gy_alloc((size_t)f->n_te * sizeof(int64_t));
  f->tr = gy_alloc((size_t)f->n_tr * sizeof(int64_t));
  f->Xte = gy_alloc((size_t)(f->n_te * p) * sizeof(double));
  Xtr = gy_alloc((size_t)(f->n_tr * p) * sizeof(double));
  if (!f->te || !f->tr || !f->Xte || !Xtr) goto nomem;
  for (int64_t i = 0, a = 0, b = 0; i < n; i++) {
    if (fold[i] == which) f->te[a++] = i;
    else f->tr[b++] = i;
  }
  gather_rows(X->data, X->ld, f->te, f->n_te, p, f->Xte);
  gather_rows(X->data, X->ld, f->tr, f->n_tr, p, Xtr);
  int dual = p > f->n_tr;
  if ((st = decompose(&f->d, Xtr, f->n_tr, p, f->n_tr, dual))) goto fail;
  int64_t r = f->d.r;
  f->A = gy_alloc((size_t)(f->n_te * r + 1) * sizeof(double));
  if (!f->A) goto nomem;
  if (dual) {
    K = gy_alloc((size_t)(f->n_te * f->n_tr) * sizeof(double));
    if (!K) goto nomem;
    gemm(0, 1, f->n_te, f->n_tr, p, 1.0, f->Xte, f->n_te, Xtr, f->n_tr, 0.0, K, f->n_te);
    gemm(0, 0, f->n_te, r, f->n_tr, 1.0, K, f->n_te, f->d.V, f->d.ldv, 0.0, f->A, f->n_te);
    gy_free(K);
    /* The dual form needs the training targets, not X'Y: the test rows are not needed. */
    gy_free(f->Xte);
    f->Xte = NULL;
  } else {
    gemm(0, 0, f->n_te, r, p, 1.0, f->Xte, f->n_te, f->d.V, f->d.ldv, 0.0, f->A, f->n_te);
  }
  gy_free(Xtr);
  return GY_OK;
nomem:
  st = gy_err(GY_ENOMEM, "out of memory setting up fold %lld", (long long)which + 1);
fail:
  gy_free(Xtr);
  gy_free(K);
  fold_clear(f);
  return st;
}

int gy_encode_ridge_cv(gy_mat *W, gy_mat *best_alphas, gy_mat *cv_scores, gy_mat *all_scores,
                       const gy_mat *X, const gy_mat *Y, const double *alphas, int64_t n_alphas,
                       const int64_t *fold, int64_t n_folds, int score_kind, int local_alpha,
                       int64_t n_targets_batch) {
  GY_TRY(gy_check_out(W, "weights"));
  if (best_alphas) GY_TRY(gy_check_out(best_alphas, "best alphas"));
  if (cv_scores) GY_TRY(gy_check_out(cv_scores, "cv scores"));
  if (all_scores) GY_TRY(gy_check_out(all_scores, "all scores"));
  GY_TRY(check_xy(X, Y));
  GY_TRY(check_alphas(alphas, n_alphas, 1));
  GY_TRY(gy_encode_check_kind(score_kind));
  if (!fold) return gy_err(GY_EINVAL, "no fold labels given");
  if (n_folds < 2) return gy_err(GY_EINVAL, "cross-validation needs at least 2 folds, got %lld",
                                 (long long)n_folds);
  int64_t n = X->rows, p = X->cols, m = Y->cols;
  for (int64_t i = 0; i < n; i++)
    if (fold[i] < 0 || fold[i] >= n_folds)
      return gy_err(GY_EINVAL, "sample %lld has fold %lld, outside 1..%lld", (long long)i + 1,
                    (long long)fold[i] + 1, (long long)n_folds);

  int st = GY_OK;
  fold_t *folds = gy_alloc((size_t)n_folds * sizeof(fold_t));
  double *acc = gy_alloc((size_t)(n_alphas * m) * sizeof(double));
  double *Cfull = NULL, *Yte = NULL, *Ytr = NULL, *B = NULL, *P = NULL, *AD = NULL, *Qb = NULL, *Pall = NULL;
  double *best = NULL, *best_score = NULL;
  gy_mat Wl = {0};
  if (!folds || !acc) {
    gy_free(folds);
    gy_free(acc);
    return gy_err(GY_ENOMEM, "out of memory for %lld folds", (long long)n_folds);
  }
  memset(folds, 0, (size_t)n_folds * sizeof(fold_t));
  memset(acc, 0, (size_t)(n_alphas * m) * sizeof(double));
  int64_t max_te = 0, max_tr = 0, max_r = 0;
  for (int64_t f = 0; f < n_folds; f++) {
    if ((st = fold_setup(&folds[f], X, fold, f))) goto done;
    if ((st = alpha_basis(&folds[f], alphas, n_alphas))) goto done;
    if (folds[f].n_te > max_te) max_te = folds[f].n_te;
    if (folds[f].n_tr > max_tr) max_tr = folds[f].n_tr;
    if (folds[f].d.r > max_r) max_r = folds[f].d.r;
    if ((st = gy_check_interrupt())) goto done;
  }
  int64_t max_q = 0;
  for (int64_t f = 0; f < n_folds; f++)
    if (folds[f].q > max_q) max_q = folds[f].q;
  int64_t mb = batch_size(n_targets_batch, m,
                         p + 2 * max_te + max_tr + 2 * max_r + (max_q ? max_q + n_alphas : 0) * max_te);
  if (max_q && max_te * mb * (n_alphas > max_q ? n_alphas : max_q) > INT_MAX) {
    /* 32-bit BLAS cannot index the stacked predictions: predict alpha by alpha. */
    for (int64_t f = 0; f < n_folds; f++) folds[f].q = 0;
    max_q = 0;
  }
  Cfull = gy_alloc((size_t)(p * mb) * sizeof(double));
  Yte = gy_alloc((size_t)(max_te * mb) * sizeof(double));
  /* Ytr holds the training targets (dual) or X_tr'Y_tr (primal). */
  Ytr = gy_alloc((size_t)((max_tr > p ? max_tr : p) * mb) * sizeof(double));
  B = gy_alloc((size_t)(max_r * mb + 1) * sizeof(double));
  AD = gy_alloc((size_t)(max_te * max_r + 1) * sizeof(double));
  if (max_q) {
    Qb = gy_alloc((size_t)(max_te * mb * max_q) * sizeof(double));
    Pall = gy_alloc((size_t)(max_te * mb * n_alphas) * sizeof(double));
    if (!Qb || !Pall) {
      st = gy_err(GY_ENOMEM, "out of memory for a batch of %lld targets", (long long)mb);
      goto done;
    }
  }
  P = gy_alloc((size_t)(max_te * mb) * sizeof(double));
  if (!Cfull || !Yte || !Ytr || !B || !AD || !P) {
    st = gy_err(GY_ENOMEM, "out of memory for a batch of %lld targets", (long long)mb);
    goto done;
  }
  int64_t nbatches = (m + mb - 1) / mb;
  for (int64_t j0 = 0, bi = 0; j0 < m; j0 += mb, bi++) {
    int64_t nb = m - j0 < mb ? m - j0 : mb;
    const double *Yb = Y->data + j0 * Y->ld;
    int cfull_done = 0;
    for (int64_t f = 0; f < n_folds; f++) {
      fold_t *F = &folds[f];
      int64_t r = F->d.r, nte = F->n_te;
      gather_rows(Yb, Y->ld, F->te, nte, nb, Yte);
      if (F->d.dual) {
        gather_rows(Yb, Y->ld, F->tr, F->n_tr, nb, Ytr);
        gemm(1, 0, r, nb, F->n_tr, 1.0, F->d.V, F->d.ldv, Ytr, F->n_tr, 0.0, B, r);
      } else {
        /* X_tr'Y_tr = X'Y - X_te'Y_te: one product with all rows serves every fold. */
        if (!cfull_done) {
          gemm(1, 0, p, nb, n, 1.0, X->data, X->ld, Yb, Y->ld, 0.0, Cfull, p);
          cfull_done = 1;
        }
        memcpy(Ytr, Cfull, (size_t)(p * nb) * sizeof(double));
        gemm(1, 0, p, nb, nte, -1.0, F->Xte, nte, Yte, nte, 1.0, Ytr, p);
        gemm(1, 0, r, nb, p, 1.0, F->d.V, F->d.ldv, Ytr, p, 0.0, B, r);
      }
      if (F->q) {
        int64_t blk = nte * nb;
        for (int64_t t = 0; t < F->q; t++) {
          for (int64_t k = 0; k < r; k++) {
            double w = F->R[t + k * F->q];
            const double *src = F->A + k * nte;
            double *dst = AD + k * nte;
            for (int64_t i = 0; i < nte; i++) dst[i] = src[i] * w;
          }
          gemm(0, 0, nte, nb, r, 1.0, AD, nte, B, r, 0.0, Qb + t * blk, nte);
        }
        gemm(0, 1, blk, n_alphas, F->q, 1.0, Qb, blk, F->L, n_alphas, 0.0, Pall, blk);
        for (int64_t a = 0; a < n_alphas; a++) {
          double *ac = acc + a * m + j0;
          const double *Pa = Pall + a * blk;
          for (int64_t j = 0; j < nb; j++)
            ac[j] += gy_encode_score_col(Yte + j * nte, Pa + j * nte, nte, score_kind);
        }
      } else {
        for (int64_t a = 0; a < n_alphas; a++) {
          /* Scaling the n_te x r factor costs less than scaling the r x batch one. */
          for (int64_t k = 0; k < r; k++) {
            double w = weight(&F->d, k, alphas[a]);
            const double *src = F->A + k * nte;
            double *dst = AD + k * nte;
            for (int64_t i = 0; i < nte; i++) dst[i] = src[i] * w;
          }
          gemm(0, 0, nte, nb, r, 1.0, AD, nte, B, r, 0.0, P, nte);
          double *ac = acc + a * m + j0;
          for (int64_t j = 0; j < nb; j++)
            ac[j] += gy_encode_score_col(Yte + j * nte, P + j * nte, nte, score_kind);
        }
      }
      if ((st = gy_check_interrupt())) goto done;
    }
    gy_progress_set(bi + 1, nbatches);
  }
  gy_progress_set(0, 0);

  /* Selection: mean over folds, ties (and near-ties) to the larger alpha, as himalaya; the
   * reported cv score keeps himalaya's 1e-10 log(alpha) tie-break term so values agree. */
  best = gy_alloc((size_t)m * sizeof(double));
  best_score = gy_alloc((size_t)m * sizeof(double));
  if (!best || !best_score) {
    st = gy_err(GY_ENOMEM, "out of memory for %lld targets", (long long)m);
    goto done;
  }
  for (int64_t i = 0; i < n_alphas * m; i++) acc[i] /= (double)n_folds;
  if (local_alpha) {
    for (int64_t j = 0; j < m; j++) {
      int64_t ba = 0;
      double bv = -INFINITY;
      for (int64_t a = 0; a < n_alphas; a++) {
        double v = acc[a * m + j] + log(alphas[a]) * 1e-10;
        if (v > bv) { bv = v; ba = a; }
      }
      best[j] = alphas[ba];
      best_score[j] = bv;
    }
  } else {
    int64_t ba = 0;
    double bv = -INFINITY;
    for (int64_t a = 0; a < n_alphas; a++) {
      double s = 0;
      for (int64_t j = 0; j < m; j++) s += acc[a * m + j];
      double v = s / (double)m + log(alphas[a]) * 1e-10;
      if (v > bv) { bv = v; ba = a; }
    }
    for (int64_t j = 0; j < m; j++) {
      best[j] = alphas[ba];
      best_score[j] = acc[ba * m + j] + log(alphas[ba]) * 1e-10;
    }
  }
  for (int64_t f = 0; f < n_folds; f++) fold_clear(&folds[f]);
  {
    decomp d;
    if ((st = decompose(&d, X->data, n, p, X->ld, p > n))) goto done;
    st = refit(&Wl, X, Y, &d, best, m, n_targets_batch);
    decomp_clear(&d);
    if (st) goto done;
  }
  if (best_alphas && (st = gy_mat_init(best_alphas, 1, m))) goto done;
  if (cv_scores && (st = gy_mat_init(cv_scores, 1, m))) goto done;
  if (all_scores && (st = gy_mat_init(all_scores, n_alphas, m))) goto done;
  if (best_alphas) memcpy(best_alphas->data, best, (size_t)m * sizeof(double));
  if (cv_scores) memcpy(cv_scores->data, best_score, (size_t)m * sizeof(double));
  if (all_scores)
    for (int64_t j = 0; j < m; j++)
      for (int64_t a = 0; a < n_alphas; a++) all_scores->data[a + j * all_scores->ld] = acc[a * m + j];
  *W = Wl;
  Wl = (gy_mat){0};
done:
  gy_progress_set(0, 0);
  for (int64_t f = 0; f < n_folds; f++) fold_clear(&folds[f]);
  gy_free(folds);
  gy_free(acc);
  gy_free(Cfull);
  gy_free(Yte);
  gy_free(Ytr);
  gy_free(B);
  gy_free(P);
  gy_free(AD);
  gy_free(Qb);
  gy_free(Pall);
  gy_free(best);
  gy_free(best_score);
  gy_mat_clear(&Wl);
  if (st) {
    if (best_alphas) gy_mat_clear(best_alphas);
    if (cv_scores) gy_mat_clear(cv_scores);
    if (all_scores) gy_mat_clear(all_scores);
  }
  return st;
}
