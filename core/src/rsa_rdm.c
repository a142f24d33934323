/* RDMs as rsatoolbox computes them (rdm/calc.py, rdm/calc_unbalanced.py), rewritten in
 * BLAS-3 shapes: every distance is d_ij = k_ii + k_jj - k_ij - k_ji of one kernel matrix
 * K, and K comes from one SYRK/GEMM instead of a loop over pairs. */
#include "internal.h"
#include "gyrus/rsa.h"

#include <cblas.h>
#include <limits.h>
#include <math.h>
#include <string.h>

static int check_data(const gy_mat *X, const char *what) {
  GY_TRY(gy_check_mat(X, what));
  if (X->rows < 1 || X->cols < 1)
    return gy_err(GY_EINVAL, "%s is empty (%lld x %lld)", what, (long long)X->rows,
                  (long long)X->cols);
  if (X->rows > INT_MAX || X->cols > INT_MAX || X->ld > INT_MAX)
    return gy_err(GY_EUNSUPPORTED, "%s is too large for 32-bit BLAS indexing", what);
  for (int64_t j = 0; j < X->cols; j++)
    for (int64_t i = 0; i < X->rows; i++)
      if (!isfinite(GY_AT(X, i, j)))
        return gy_err(GY_EINVAL, "%s has a non-finite value (%g) in row %lld, channel %lld",
                      what, GY_AT(X, i, j), (long long)i + 1, (long long)j + 1);
  return GY_OK;
}

/* A precision matrix: NULL or empty means none; otherwise P x P, finite, symmetric. */
static int check_prec(const gy_mat *prec, int64_t P, int *has) {
  *has = 0;
  if (!prec || (prec->rows == 0 && prec->cols == 0)) return GY_OK;
  GY_TRY(gy_check_mat(prec, "the noise precision"));
  if (prec->rows != P || prec->cols != P)
    return gy_err(GY_EINVAL, "the noise precision is %lld x %lld but the data have %lld channels",
                  (long long)prec->rows, (long long)prec->cols, (long long)P);
  GY_TRY(gy_check_finite(prec, "the noise precision"));
  for (int64_t j = 0; j < P; j++)
    for (int64_t i = j + 1; i < P; i++) {
      double a = GY_AT(prec, i, j), b = GY_AT(prec, j, i);
      if (fabs(a - b) > 1e-8 * fmax(1.0, fmax(fabs(a), fabs(b))))
        return gy_err(GY_EINVAL, "the noise precision is not symmetric at (%lld, %lld)",
                      (long long)i + 1, (long long)j + 1);
    }
  *has = 1;
  return GY_OK;
}

static int is_diagonal(const gy_mat *A) {
  for (int64_t j = 0; j < A->cols; j++)
    for (int64_t i = 0; i < A->rows; i++)
      if (i != j && GY_AT(A, i, j) != 0) return 0;
  return 1;
}

/* Z = Y * prec (rows x P); a diagonal precision only scales columns. */
static int apply_prec(gy_mat *Z, const gy_mat *Y, const gy_mat *prec) {
  GY_TRY(gy_mat_init(Z, Y->rows, Y->cols));
  if (is_diagonal(prec)) {
    for (int64_t j = 0; j < Y->cols; j++) {
      double s = GY_AT(prec, j, j);
      for (int64_t i = 0; i < Y->rows; i++) GY_AT(Z, i, j) = GY_AT(Y, i, j) * s;
    }
  } else {
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)Y->rows, (int)prec->cols,
                (int)Y->cols, 1.0, Y->data, (int)Y->ld, prec->data, (int)prec->ld, 0.0, Z->data,
                (int)Z->ld);
  }
  return GY_OK;
}

/* out[k] = (k_ii + k_jj - k_ij - k_ji) * scale over the upper triangle, row order. */
static int kernel_to_vector(gy_mat *out, const gy_mat *K, double scale) {
  int64_t n = K->rows, k = 0;
  GY_TRY(gy_mat_init(out, n * (n - 1) / 2, 1));
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = i + 1; j < n; j++)
      out->data[k++] =
          (GY_AT(K, i, i) + GY_AT(K, j, j) - GY_AT(K, i, j) - GY_AT(K, j, i)) * scale;
  return GY_OK;
}

/* K = A A' with both triangles filled. */
static int gram(gy_mat *K, const gy_mat *A) {
  int64_t n = A->rows;
  GY_TRY(gy_mat_init(K, n, n));
  cblas_dsyrk(CblasColMajor, CblasUpper, CblasNoTrans, (int)n, (int)A->cols, 1.0, A->data,
              (int)A->ld, 0.0, K->data, (int)K->ld);
  for (int64_t j = 0; j < n; j++)
    for (int64_t i = j + 1; i < n; i++) GY_AT(K, i, j) = GY_AT(K, j, i);
  return GY_OK;
}

static int check_labels(const int64_t *lab, int64_t N, int64_t n, const char *what) {
  if (!lab) return gy_err(GY_EINVAL, "the %s labels are missing", what);
  for (int64_t i = 0; i < N; i++)
    if (lab[i] < 0 || lab[i] >= n)
      return gy_err(GY_EINVAL, "%s label %lld of observation %lld is outside [0, %lld)", what,
                    (long long)lab[i], (long long)i + 1, (long long)n);
  return GY_OK;
}

int gy_rsa_average(gy_mat *out, const gy_mat *X, const int64_t *cond, int64_t n_cond) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(check_data(X, "the data"));
  if (n_cond < 1) return gy_err(GY_EINVAL, "the number of conditions must be positive");
  GY_TRY(check_labels(cond, X->rows, n_cond, "condition"));
  int64_t *cnt = gy_alloc((size_t)n_cond * sizeof *cnt);
  if (!cnt) return gy_err(GY_ENOMEM, "out of memory");
  memset(cnt, 0, (size_t)n_cond * sizeof *cnt);
  for (int64_t i = 0; i < X->rows; i++) cnt[cond[i]]++;
  for (int64_t c = 0; c < n_cond; c++)
    if (!cnt[c]) {
      gy_free(cnt);
      return gy_err(GY_EINVAL, "condition %lld has no observation", (long long)c + 1);
    }
  gy_mat B = {0};
  int st = gy_mat_init(&B, n_cond, X->cols);
  if (st) { gy_free(cnt); return st; }
  for (int64_t j = 0; j < X->cols; j++) {
    for (int64_t i = 0; i < X->rows; i++) GY_AT(&B, cond[i], j) += GY_AT(X, i, j);
    for (int64_t c = 0; c < n_cond; c++) GY_AT(&B, c, j) /= (double)cnt[c];
  }
  gy_free(cnt);
  *out = B;
  return GY_OK;
}

static int rdm_correlation(gy_mat *out, const gy_mat *B) {
  int64_t n = B->rows, P = B->cols;
  gy_mat C = {0}, K = {0};
  double *m = gy_alloc((size_t)n * sizeof *m);
  if (!m) return gy_err(GY_ENOMEM, "out of memory");
  /* Centre the rows (passes run down columns: the storage is column-major); Pearson r is
   * then the Gram matrix scaled by its diagonal. The centred copy is made one panel of
   * columns at a time and accumulated by rank-w updates, so memory stays at X + n^2. */
  const int64_t w = 256;
  int st = gy_mat_init(&C, n, P < w ? P : w);
  if (!st) st = gy_mat_init(&K, n, n);
  if (st) { gy_free(m); gy_mat_clear(&C); return st; }
  for (int64_t i = 0; i < n; i++) m[i] = 0;
  for (int64_t j = 0; j < P; j++)
    for (int64_t i = 0; i < n; i++) m[i] += GY_AT(B, i, j);
  for (int64_t i = 0; i < n; i++) m[i] /= (double)P;
  for (int64_t j0 = 0; j0 < P; j0 += w) {
    int64_t nw = P - j0 < w ? P - j0 : w;
    if ((st = gy_check_interrupt())) break;
    for (int64_t j = 0; j < nw; j++)
      for (int64_t i = 0; i < n; i++) GY_AT(&C, i, j) = GY_AT(B, i, j0 + j) - m[i];
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasNoTrans, (int)n, (int)nw, 1.0, C.data,
                (int)C.ld, j0 ? 1.0 : 0.0, K.data, (int)K.ld);
  }
  gy_free(m);
  gy_mat_clear(&C);
  if (st) { gy_mat_clear(&K); return st; }
  for (int64_t i = 0; i < n; i++)
    if (!(GY_AT(&K, i, i) > 0)) {
      gy_mat_clear(&K);
      return gy_err(GY_EINVAL, "pattern %lld is constant across channels: its correlation "
                    "distance is undefined", (long long)i + 1);
    }
  int64_t k = 0;
  st = gy_mat_init(out, n * (n - 1) / 2, 1);
  if (!st)
    for (int64_t i = 0; i < n; i++) {
      double si = 1.0 / sqrt(GY_AT(&K, i, i));
      for (int64_t j = i + 1; j < n; j++)
        out->data[k++] = 1.0 - GY_AT(&K, i, j) * si / sqrt(GY_AT(&K, j, j));
    }
  gy_mat_clear(&K);
  return st;
}

static int rdm_poisson(gy_mat *out, const gy_mat *B, double lambda, double w) {
  if (!isfinite(lambda) || !isfinite(w) || w <= -1)
    return gy_err(GY_EINVAL, "the Poisson prior (lambda %g, weight %g) is invalid", lambda, w);
  int64_t n = B->rows, P = B->cols;
  gy_mat L = {0}, G = {0}, K = {0};
  GY_TRY(gy_mat_init(&L, n, P));
  int st = gy_mat_init(&G, n, P);
  if (st) { gy_mat_clear(&L); return st; }
  for (int64_t j = 0; j < P; j++)
    for (int64_t i = 0; i < n; i++) {
      double r = (GY_AT(B, i, j) + lambda * w) / (1 + w);
      if (!(r > 0)) {
        gy_mat_clear(&L);
        gy_mat_clear(&G);
        return gy_err(GY_EINVAL, "the smoothed Poisson rate of pattern %lld, channel %lld is "
                      "%g: rates must be positive", (long long)i + 1, (long long)j + 1, r);
      }
      GY_AT(&L, i, j) = r;
      GY_AT(&G, i, j) = log(r);
    }
  st = gy_mat_init(&K, n, n);
  if (!st) {
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)n, (int)n, (int)P, 1.0, L.data,
                (int)L.ld, G.data, (int)G.ld, 0.0, K.data, (int)K.ld);
    st = kernel_to_vector(out, &K, 1.0 / (double)P);
  }
  gy_mat_clear(&L);
  gy_mat_clear(&G);
  gy_mat_clear(&K);
  return st;
}

int gy_rsa_rdm(gy_mat *out, const gy_mat *B, int method, const gy_mat *prec,
               double prior_lambda, double prior_weight) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(check_data(B, "the patterns"));
  if (B->rows < 2)
    return gy_err(GY_EINVAL, "an RDM needs at least two conditions, got %lld", (long long)B->rows);
  int64_t P = B->cols;
  gy_mat K = {0}, Z = {0};
  int st, has = 0;
  switch (method) {
    case GY_RSA_CORRELATION:
      return rdm_correlation(out, B);
    case GY_RSA_POISSON:
      return rdm_poisson(out, B, prior_lambda, prior_weight);
    case GY_RSA_MAHALANOBIS:
      GY_TRY(check_prec(prec, P, &has));
      if (has) {
        GY_TRY(apply_prec(&Z, B, prec));
        st = gy_mat_init(&K, B->rows, B->rows);
        if (!st) {
          cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)B->rows, (int)B->rows,
                      (int)P, 1.0, B->data, (int)B->ld, Z.data, (int)Z.ld, 0.0, K.data,
                      (int)K.ld);
          st = kernel_to_vector(out, &K, 1.0 / (double)P);
        }
        gy_mat_clear(&Z);
        gy_mat_clear(&K);
        return st;
      }
      /* without a precision rsatoolbox computes the Euclidean RDM */
      GY_TRY(gram(&K, B));
      st = kernel_to_vector(out, &K, 1.0 / (double)P);
      gy_mat_clear(&K);
      return st;
    case GY_RSA_EUCLIDEAN:
      GY_TRY(gram(&K, B));
      st = kernel_to_vector(out, &K, 1.0 / (double)P);
      gy_mat_clear(&K);
      return st;
    default:
      return gy_err(GY_EINVAL, "unknown RDM method %d", method);
  }
}

/* ------------------------------------------------------------------------ crossnobis */

/* Csum = S L S' - sum_m U_m L U_m' with U_m the per-fold condition sums (rows c + m*n of U)
 * and S = sum_m U_m: the sum of x_a' L x_b over pairs of observations in different folds,
 * for every pair of conditions. M + 1 products instead of a loop over fold pairs. */
static int cross_gram(gy_mat *Csum, const gy_mat *U, int64_t n, int64_t M, const gy_mat *prec) {
  int64_t P = U->cols;
  gy_mat S = {0}, Z = {0}, ZS = {0};
  int st = gy_mat_init(&S, n, P);
  if (st) return st;
  for (int64_t j = 0; j < P; j++)
    for (int64_t m = 0; m < M; m++)
      for (int64_t c = 0; c < n; c++) GY_AT(&S, c, j) += GY_AT(U, c + m * n, j);
  st = gy_mat_init(Csum, n, n);
  if (st) goto done;
  if (!prec) {
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasNoTrans, (int)n, (int)P, 1.0, S.data, (int)S.ld,
                0.0, Csum->data, (int)Csum->ld);
    for (int64_t m = 0; m < M; m++) {
      if ((st = gy_check_interrupt())) goto done;
      cblas_dsyrk(CblasColMajor, CblasUpper, CblasNoTrans, (int)n, (int)P, -1.0, U->data + m * n,
                  (int)U->ld, 1.0, Csum->data, (int)Csum->ld);
    }
    for (int64_t j = 0; j < n; j++)
      for (int64_t i = j + 1; i < n; i++) GY_AT(Csum, i, j) = GY_AT(Csum, j, i);
  } else {
    if ((st = apply_prec(&Z, U, prec))) goto done;
    if ((st = gy_mat_init(&ZS, n, P))) goto done;
    for (int64_t j = 0; j < P; j++)
      for (int64_t m = 0; m < M; m++)
        for (int64_t c = 0; c < n; c++) GY_AT(&ZS, c, j) += GY_AT(&Z, c + m * n, j);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)n, (int)n, (int)P, 1.0, S.data,
                (int)S.ld, ZS.data, (int)ZS.ld, 0.0, Csum->data, (int)Csum->ld);
    for (int64_t m = 0; m < M; m++) {
      if ((st = gy_check_interrupt())) goto done;
      cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)n, (int)n, (int)P, -1.0,
                  U->data + m * n, (int)U->ld, Z.data + m * n, (int)Z.ld, 1.0, Csum->data,
                  (int)Csum->ld);
    }
  }
done:
  if (st) gy_mat_clear(Csum);
  gy_mat_clear(&S);
  gy_mat_clear(&Z);
  gy_mat_clear(&ZS);
  return st;
}

/* rsatoolbox calc_rdm's fold loop for folds of unequal size: for each fold f the test
 * means T_f against the means A_f of all other observations, d_f = (a_i - a_j)' L
 * (t_i - t_j) / P, averaged over folds. */
static int folds_loop(gy_mat *out, const gy_mat *U, const int64_t *cnt, int64_t n, int64_t M,
                      const gy_mat *prec) {
  int64_t P = U->cols, K = n * (n - 1) / 2;
  gy_mat S = {0}, A = {0}, T = {0}, Z = {0}, Kf = {0}, acc = {0};
  int64_t *tot = gy_alloc((size_t)n * sizeof *tot);
  int st = tot ? GY_OK : gy_err(GY_ENOMEM, "out of memory");
  if (st) return st;
  for (int64_t c = 0; c < n; c++) {
    tot[c] = 0;
    for (int64_t m = 0; m < M; m++) tot[c] += cnt[c + m * n];
  }
  if ((st = gy_mat_init(&S, n, P)) || (st = gy_mat_init(&A, n, P)) ||
      (st = gy_mat_init(&T, n, P)) || (st = gy_mat_init(&Kf, n, n)) ||
      (st = gy_mat_init(&acc, K, 1)))
    goto done;
  for (int64_t j = 0; j < P; j++)
    for (int64_t m = 0; m < M; m++)
      for (int64_t c = 0; c < n; c++) GY_AT(&S, c, j) += GY_AT(U, c + m * n, j);
  for (int64_t f = 0; f < M; f++) {
    if ((st = gy_check_interrupt())) goto done;
    for (int64_t j = 0; j < P; j++)
      for (int64_t c = 0; c < n; c++) {
        double uf = GY_AT(U, c + f * n, j);
        GY_AT(&T, c, j) = uf / (double)cnt[c + f * n];
        GY_AT(&A, c, j) = (GY_AT(&S, c, j) - uf) / (double)(tot[c] - cnt[c + f * n]);
      }
    const gy_mat *R = &T;
    if (prec) {
      gy_mat_clear(&Z);
      if ((st = apply_prec(&Z, &T, prec))) goto done;
      R = &Z;
    }
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)n, (int)n, (int)P, 1.0, A.data,
                (int)A.ld, R->data, (int)R->ld, 0.0, Kf.data, (int)Kf.ld);
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++)
      for (int64_t j = i + 1; j < n; j++)
        acc.data[k++] += GY_AT(&Kf, i, i) + GY_AT(&Kf, j, j) - GY_AT(&Kf, i, j) - GY_AT(&Kf, j, i);
  }
  for (int64_t k = 0; k < K; k++) acc.data[k] /= (double)P * (double)M;
  *out = acc;
  acc = (gy_mat){0};
done:
  gy_free(tot);
  gy_mat_clear(&S);
  gy_mat_clear(&A);
  gy_mat_clear(&T);
  gy_mat_clear(&Z);
  gy_mat_clear(&Kf);
  gy_mat_clear(&acc);
  return st;
}

int gy_rsa_crossnobis(gy_mat *out, const gy_mat *X, const int64_t *cond, int64_t n_cond,
                      const int64_t *fold, int64_t n_fold, const gy_mat *prec, int engine) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(check_data(X, "the data"));
  if (engine != GY_RSA_CV_FOLDS && engine != GY_RSA_CV_PAIRS)
    return gy_err(GY_EINVAL, "unknown crossnobis engine %d", engine);
  if (n_cond < 2)
    return gy_err(GY_EINVAL, "an RDM needs at least two conditions, got %lld", (long long)n_cond);
  if (n_fold < 2)
    return gy_err(GY_EINVAL, "crossnobis needs at least two runs (folds), got %lld",
                  (long long)n_fold);
  GY_TRY(check_labels(cond, X->rows, n_cond, "condition"));
  GY_TRY(check_labels(fold, X->rows, n_fold, "run"));
  int has = 0;
  GY_TRY(check_prec(prec, X->cols, &has));
  if (n_cond > INT_MAX / n_fold) return gy_err(GY_EUNSUPPORTED, "too many conditions x runs");

  int64_t n = n_cond, M = n_fold, P = X->cols;
  int64_t *cnt = gy_alloc((size_t)(n * M) * sizeof *cnt);
  if (!cnt) return gy_err(GY_ENOMEM, "out of memory");
  memset(cnt, 0, (size_t)(n * M) * sizeof *cnt);
  for (int64_t i = 0; i < X->rows; i++) cnt[cond[i] + fold[i] * n]++;
  gy_mat U = {0}, C = {0}, V = {0};
  int st = GY_OK;
  for (int64_t c = 0; c < n && !st; c++) {
    int64_t total = 0;
    for (int64_t m = 0; m < M; m++) total += cnt[c + m * n];
    if (!total) st = gy_err(GY_EINVAL, "condition %lld has no observation", (long long)c + 1);
  }
  int balanced = 1;
  for (int64_t k = 1; k < n * M; k++) balanced &= cnt[k] == cnt[0];
  if (!st && engine == GY_RSA_CV_FOLDS)
    for (int64_t k = 0; k < n * M && !st; k++)
      if (!cnt[k])
        st = gy_err(GY_EINVAL, "condition %lld has no observation in run %lld: the fold-mean "
                    "estimator needs every condition in every run (use the pairwise one for "
                    "unbalanced designs)", (long long)(k % n) + 1, (long long)(k / n) + 1);
  if (st) goto done;
  /* Cell sums: row c + m*n of U is the sum of condition c's observations in fold m. */
  if ((st = gy_mat_init(&U, n * M, P))) goto done;
  for (int64_t j = 0; j < P; j++)
    for (int64_t i = 0; i < X->rows; i++) GY_AT(&U, cond[i] + fold[i] * n, j) += GY_AT(X, i, j);

  if (engine == GY_RSA_CV_FOLDS && !balanced) {
    st = folds_loop(out, &U, cnt, n, M, has ? prec : NULL);
    goto done;
  }
  /* Pairwise averaging; with equal cells it is also rsatoolbox's fold-mean estimator. */
  if ((st = cross_gram(&C, &U, n, M, has ? prec : NULL))) goto done;
  if ((st = gy_mat_init(&V, n * (n - 1) / 2, 1))) goto done;
  {
    double *sbar = gy_alloc((size_t)n * sizeof *sbar);
    if (!sbar) { st = gy_err(GY_ENOMEM, "out of memory"); goto done; }
    for (int64_t c = 0; c < n; c++) {
      double tot = 0, same = 0;
      for (int64_t m = 0; m < M; m++) {
        tot += (double)cnt[c + m * n];
        same += (double)cnt[c + m * n] * (double)cnt[c + m * n];
      }
      double pairs = tot * tot - same;
      sbar[c] = pairs > 0 ? GY_AT(&C, c, c) / (pairs * (double)P) : NAN;
    }
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++)
      for (int64_t j = i + 1; j < n; j++) {
        double ti = 0, tj = 0, same = 0;
        for (int64_t m = 0; m < M; m++) {
          ti += (double)cnt[i + m * n];
          tj += (double)cnt[j + m * n];
          same += (double)cnt[i + m * n] * (double)cnt[j + m * n];
        }
        double pairs = ti * tj - same;
        double sij = pairs > 0 ? GY_AT(&C, i, j) / (pairs * (double)P) : NAN;
        V.data[k++] = sbar[i] + sbar[j] - 2 * sij;
      }
    gy_free(sbar);
  }
  *out = V;
  V = (gy_mat){0};
done:
  gy_free(cnt);
  gy_mat_clear(&U);
  gy_mat_clear(&C);
  gy_mat_clear(&V);
  return st;
}

/* --------------------------------------------------------------- vector <-> square */

static int n_from_length(int64_t K, int64_t *n) {
  /* K = n(n-1)/2 */
  int64_t m = (int64_t)floor((1 + sqrt(1 + 8.0 * (double)K)) / 2 + 0.5);
  if (m * (m - 1) / 2 != K || m < 2)
    return gy_err(GY_EINVAL, "an RDM vector of length %lld is not n(n-1)/2 for any n >= 2",
                  (long long)K);
  *n = m;
  return GY_OK;
}

int gy_rsa_square(gy_mat *out, const gy_mat *v) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_check_mat(v, "the RDM vector"));
  if (v->cols != 1 && v->rows != 1)
    return gy_err(GY_EINVAL, "the RDM vector is %lld x %lld, not a vector", (long long)v->rows,
                  (long long)v->cols);
  int64_t K = v->rows * v->cols, n = 0, k = 0;
  GY_TRY(n_from_length(K, &n));
  GY_TRY(gy_mat_init(out, n, n));
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = i + 1; j < n; j++, k++) {
      double d = v->cols == 1 ? v->data[k] : v->data[k * v->ld];
      GY_AT(out, i, j) = d;
      GY_AT(out, j, i) = d;
    }
  return GY_OK;
}

int gy_rsa_vector(gy_mat *out, const gy_mat *D) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_check_mat(D, "the RDM"));
  if (D->rows != D->cols || D->rows < 2)
    return gy_err(GY_EINVAL, "a square RDM must be n x n with n >= 2, got %lld x %lld",
                  (long long)D->rows, (long long)D->cols);
  int64_t n = D->rows, k = 0;
  GY_TRY(gy_mat_init(out, n * (n - 1) / 2, 1));
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = i + 1; j < n; j++) out->data[k++] = GY_AT(D, i, j);
  return GY_OK;
}
