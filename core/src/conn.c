/* Connectivity estimators: scikit-learn's covariance estimators and nilearn's kinds
 * (ConnectivityMeasure._fit_transform), Fisher z and nilearn's vectorisation. */
#include <float.h>
#include <math.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "conn_internal.h"

static int check_data(const gy_mat *X) {
  GY_TRY(gy_check_finite(X, "the data"));
  if (X->cols < 1) return gy_err(GY_EINVAL, "the data have no regions (columns)");
  if (X->rows < 2)
    return gy_err(GY_EINVAL, "the data need at least 2 time points (rows), got %lld",
                  (long long)X->rows);
  return GY_OK;
}

static int check_square(const gy_mat *A, const char *what) {
  GY_TRY(gy_check_finite(A, what));
  if (A->rows != A->cols)
    return gy_err(GY_EINVAL, "%s must be square, got %lld x %lld", what, (long long)A->rows,
                  (long long)A->cols);
  return GY_OK;
}

/* Removes column means. */
static void centre_columns(gy_mat *X) {
  int64_t n = X->rows;
  for (int64_t j = 0; j < X->cols; j++) {
    double *x = X->data + j * X->ld, s = 0;
    for (int64_t t = 0; t < n; t++) s += x[t];
    double m = s / (double)n;
    for (int64_t t = 0; t < n; t++) x[t] -= m;
  }
}

/* The first column that holds one value only (its correlation is undefined), or -1. */
static int64_t constant_column(const gy_mat *X) {
  for (int64_t j = 0; j < X->cols; j++) {
    const double *x = X->data + j * X->ld;
    int64_t t = 1;
    while (t < X->rows && x[t] == x[0]) t++;
    if (t == X->rows) return j;
  }
  return -1;
}

/* S = Xc'Xc / n from centred data (both triangles). */
static int raw_cov(gy_mat *S, const gy_mat *Xc) {
  int64_t n = Xc->rows, p = Xc->cols;
  GY_TRY(gy_mat_init(S, p, p));
  cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, (int)p, (int)n, 1.0 / (double)n, Xc->data,
              (int)Xc->ld, 0.0, S->data, (int)p);
  for (int64_t j = 0; j < p; j++)
    for (int64_t i = j + 1; i < p; i++) GY_AT(S, j, i) = GY_AT(S, i, j);
  return GY_OK;
}

/* Shrinks S, the 1/n covariance of the centred data Xc with column j scaled by d[j] (d NULL:
 * unscaled), towards mu I with mu = tr(S) / p, exactly as sklearn's ledoit_wolf_shrinkage and
 * oas. */
static int shrink(gy_mat *S, double *shrinkage, const gy_mat *Xc, const double *d, int estimator) {
  int64_t n = Xc->rows, p = S->rows;
  double tr = 0, frob2 = 0;
  for (int64_t j = 0; j < p; j++) tr += GY_AT(S, j, j);
  for (int64_t k = 0; k < p * p; k++) frob2 += S->data[k] * S->data[k];
  double mu = tr / (double)p, s = 0;
  if (estimator == GY_CONN_LEDOIT_WOLF && p > 1) {
    /* sum_ij (X2'X2)_ij = sum_t (sum_i x_ti^2)^2: no p x p product needed. */
    double *rs = gy_alloc((size_t)n * sizeof(double));
    if (!rs) return gy_err(GY_ENOMEM, "out of memory");
    memset(rs, 0, (size_t)n * sizeof(double));
    for (int64_t j = 0; j < p; j++) {
      const double *x = Xc->data + j * Xc->ld;
      double w = d ? d[j] * d[j] : 1;
      for (int64_t t = 0; t < n; t++) rs[t] += x[t] * x[t] * w;
    }
    double beta_ = 0;
    for (int64_t t = 0; t < n; t++) beta_ += rs[t] * rs[t];
    gy_free(rs);
    double nn = (double)n, pp = (double)p;
    double beta = (beta_ / nn - frob2) / (pp * nn);
    double delta = (frob2 - 2 * mu * tr + pp * mu * mu) / pp;
    beta = fmin(beta, delta);
    s = (beta == 0 || delta <= 0) ? 0 : beta / delta;
  } else if (estimator == GY_CONN_OAS && p > 1) {
    double pp = (double)p;
    double alpha = frob2 / (pp * pp);
    double num = alpha + mu * mu;
    double den = ((double)n + 1.0) * (alpha - mu * mu / pp);
    s = den == 0 ? 1.0 : fmin(num / den, 1.0);
  }
  if (s != 0) {
    for (int64_t k = 0; k < p * p; k++) S->data[k] *= 1 - s;
    for (int64_t j = 0; j < p; j++) GY_AT(S, j, j) += s * mu;
  }
  if (shrinkage) *shrinkage = s;
  return GY_OK;
}

static int estimate(gy_mat *S, double *shrinkage, const gy_mat *Xc, int estimator) {
  GY_TRY(raw_cov(S, Xc));
  int st = shrink(S, shrinkage, Xc, NULL, estimator);
  if (st) gy_mat_clear(S);
  return st;
}

static int check_estimator(int estimator) {
  if (estimator < GY_CONN_EMPIRICAL || estimator > GY_CONN_OAS)
    return gy_err(GY_EINVAL, "unknown estimator %d", estimator);
  return GY_OK;
}

int gy_conn_covariance(gy_mat *out, double *shrinkage, const gy_mat *X, int estimator) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(check_estimator(estimator));
  GY_TRY(check_data(X));
  gy_mat Xc = {0};
  GY_TRY(gy_mat_copy(&Xc, X));
  centre_columns(&Xc);
  int st = estimate(out, shrinkage, &Xc, estimator);
  gy_mat_clear(&Xc);
  return st;
}

static int corr_in_place(gy_mat *C, int negate, const char *what) {
  int64_t p = C->rows;
  for (int64_t j = 0; j < p; j++)
    if (!(GY_AT(C, j, j) > 0))
      return gy_err(GY_EINVAL, "%s has a non-positive diagonal entry %g at %lld", what,
                    GY_AT(C, j, j), (long long)j + 1);
  double *d = gy_alloc((size_t)p * sizeof(double));
  if (!d) return gy_err(GY_ENOMEM, "out of memory");
  for (int64_t j = 0; j < p; j++) d[j] = 1 / sqrt(GY_AT(C, j, j));
  for (int64_t j = 0; j < p; j++)
    for (int64_t i = 0; i < p; i++) {
      double v = GY_AT(C, i, j) * d[i] * d[j];
      GY_AT(C, i, j) = negate ? -v : v;
    }
  for (int64_t j = 0; j < p; j++) GY_AT(C, j, j) = 1;
  gy_free(d);
  return GY_OK;
}

int gy_conn_cov_to_corr(gy_mat *out, const gy_mat *C) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(check_square(C, "the covariance"));
  GY_TRY(gy_mat_copy(out, C));
  int st = corr_in_place(out, 0, "the covariance");
  if (st) gy_mat_clear(out);
  return st;
}

int gy_conn_prec_to_partial(gy_mat *out, const gy_mat *P) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(check_square(P, "the precision"));
  GY_TRY(gy_mat_copy(out, P));
  int st = corr_in_place(out, 1, "the precision");
  if (st) gy_mat_clear(out);
  return st;
}

/* Inverse of an SPD matrix by Cholesky, both triangles filled. */
static int spd_inverse(gy_mat *S) {
  int p = (int)S->rows;
  lapack_int info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', p, S->data, (int)S->ld);
  if (info > 0)
    return gy_err(GY_ESINGULAR,
                  "the covariance estimate is singular (collinear or constant regions?); a "
                  "shrinkage estimator (estimator = \"ledoit-wolf\" or \"oas\") is invertible");
  if (info == 0) info = LAPACKE_dpotri(LAPACK_COL_MAJOR, 'L', p, S->data, (int)S->ld);
  if (info > 0) return gy_err(GY_ESINGULAR, "the covariance estimate is singular");
  if (info < 0) return gy_err(GY_ELIB, "LAPACK Cholesky inverse failed (info %d)", (int)info);
  for (int64_t j = 0; j < p; j++)
    for (int64_t i = j + 1; i < p; i++) GY_AT(S, j, i) = GY_AT(S, i, j);
  return GY_OK;
}

static int check_kind(int kind) {
  if (kind < GY_CONN_COVARIANCE || kind > GY_CONN_PRECISION)
    return gy_err(GY_EINVAL, "unknown kind %d", kind);
  return GY_OK;
}

/* The kinds from one covariance: the columns are centred and X'X formed once; the
 * correlation's z-scored covariance is that one scaled, S_ij / (sd_i sd_j). */
static int matrices(gy_mat *outs, double *shrinkages, const gy_mat *Xc, const int *kinds,
                    int64_t nk, int estimator, int standardize) {
  int64_t n = Xc->rows, p = Xc->cols;
  gy_mat S = {0}, Sr = {0}, Sz = {0};
  double sr = 0, sz = 0, *d = NULL;
  int need_raw = 0, need_z = 0, st = GY_OK;
  for (int64_t k = 0; k < nk; k++) {
    if (kinds[k] == GY_CONN_CORRELATION && standardize)
      need_z = 1;
    else
      need_raw = 1;
  }
  st = raw_cov(&S, Xc);
  if (!st && need_raw) st = gy_mat_copy(&Sr, &S);
  if (!st && need_raw) st = shrink(&Sr, &sr, Xc, NULL, estimator);
  if (!st && need_z) {
    /* nilearn standardize_signal "zscore_sample": std with ddof 1, below eps counting as 1. */
    d = gy_alloc((size_t)p * sizeof(double));
    if (!d) st = gy_err(GY_ENOMEM, "out of memory");
    for (int64_t j = 0; !st && j < p; j++) {
      double sd = sqrt(GY_AT(&S, j, j) * (double)n / (double)(n - 1));
      d[j] = sd < DBL_EPSILON ? 1 : 1 / sd;
    }
    if (!st) st = gy_mat_copy(&Sz, &S);
    if (!st) {
      for (int64_t j = 0; j < p; j++)
        for (int64_t i = 0; i < p; i++) GY_AT(&Sz, i, j) *= d[i] * d[j];
      st = shrink(&Sz, &sz, Xc, d, estimator);
    }
  }
  for (int64_t k = 0; !st && k < nk; k++) {
    int kind = kinds[k], z = kind == GY_CONN_CORRELATION && standardize;
    gy_mat *out = &outs[k];
    st = gy_mat_copy(out, z ? &Sz : &Sr);
    if (shrinkages) shrinkages[k] = z ? sz : sr;
    if (!st && kind == GY_CONN_CORRELATION) st = corr_in_place(out, 0, "the covariance estimate");
    if (!st && (kind == GY_CONN_PRECISION || kind == GY_CONN_PARTIAL_CORRELATION))
      st = spd_inverse(out);
    if (!st && kind == GY_CONN_PARTIAL_CORRELATION) st = corr_in_place(out, 1, "the precision");
  }
  gy_free(d);
  gy_mat_clear(&S);
  gy_mat_clear(&Sr);
  gy_mat_clear(&Sz);
  return st;
}

int gy_conn_matrices(gy_mat *outs, double *shrinkages, const gy_mat *X, const int *kinds,
                     int64_t n_kinds, int estimator, int standardize) {
  if (!outs || !kinds || n_kinds < 1) return gy_err(GY_EINVAL, "no kinds asked for");
  for (int64_t k = 0; k < n_kinds; k++) {
    GY_TRY(gy_check_out(&outs[k], "output"));
    GY_TRY(check_kind(kinds[k]));
  }
  GY_TRY(check_estimator(estimator));
  GY_TRY(check_data(X));
  int64_t n = X->rows, p = X->cols;
  int corr = 0, inverse = 0;
  for (int64_t k = 0; k < n_kinds; k++) {
    corr |= kinds[k] == GY_CONN_CORRELATION || kinds[k] == GY_CONN_PARTIAL_CORRELATION;
    inverse |= kinds[k] == GY_CONN_PRECISION || kinds[k] == GY_CONN_PARTIAL_CORRELATION;
  }
  if (corr) {
    int64_t c = constant_column(X);
    if (c >= 0)
      return gy_err(GY_EINVAL,
                    "region %lld (column %lld) is constant: its correlation is undefined; "
                    "remove it",
                    (long long)c + 1, (long long)c + 1);
  }
  if (inverse && estimator == GY_CONN_EMPIRICAL && n - 1 < p)
    return gy_err(GY_EINVAL,
                  "%lld time points for %lld regions: the empirical covariance is singular "
                  "(it needs more time points than regions); use estimator = \"ledoit-wolf\"",
                  (long long)n, (long long)p);
  gy_mat Xc = {0};
  GY_TRY(gy_mat_copy(&Xc, X));
  centre_columns(&Xc);
  int st = matrices(outs, shrinkages, &Xc, kinds, n_kinds, estimator, standardize);
  gy_mat_clear(&Xc);
  if (st)
    for (int64_t k = 0; k < n_kinds; k++) gy_mat_clear(&outs[k]);
  return st;
}

int gy_conn_matrix(gy_mat *out, double *shrinkage, const gy_mat *X, int kind, int estimator,
                   int standardize) {
  return gy_conn_matrices(out, shrinkage, X, &kind, 1, estimator, standardize);
}

int gy_conn_fisher_z(gy_mat *out, const gy_mat *R) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_check_mat(R, "the correlations"));
  for (int64_t j = 0; j < R->cols; j++)
    for (int64_t i = 0; i < R->rows; i++) {
      double r = GY_AT(R, i, j);
      /* Rounding can put a perfect correlation a few ulps past 1. */
      if (!(fabs(r) <= 1 + 1e-12))
        return gy_err(GY_EINVAL, "correlation %g at row %lld, column %lld is outside [-1, 1]", r,
                      (long long)i + 1, (long long)j + 1);
    }
  GY_TRY(gy_mat_init(out, R->rows, R->cols));
  for (int64_t j = 0; j < R->cols; j++)
    for (int64_t i = 0; i < R->rows; i++) {
      double r = GY_AT(R, i, j);
      GY_AT(out, i, j) = fabs(r) >= 1 ? copysign(INFINITY, r) : atanh(r);
    }
  return GY_OK;
}

/* ------------------------------------------------------------------ vectorisation */

int64_t gy_conn_vec_len(int64_t p, int discard_diagonal) {
  return discard_diagonal ? p * (p - 1) / 2 : p * (p + 1) / 2;
}

void gy_conn_vec_write(double *dst, int64_t stride, const double *M, int64_t p, int64_t ldm,
                       int discard_diagonal, int convention) {
  int64_t k = 0, off = discard_diagonal ? 1 : 0;
  if (convention == GY_CONN_VEC_NILEARN) {
    for (int64_t i = 0; i < p; i++)
      for (int64_t j = 0; j + off <= i; j++) {
        double v = M[i + j * ldm];
        dst[stride * k++] = i == j ? v / sqrt(2.0) : v;
      }
  } else {
    for (int64_t i = 0; i < p; i++)
      for (int64_t j = i + off; j < p; j++) {
        double v = M[i + j * ldm];
        dst[stride * k++] = i == j ? v : v * sqrt(2.0);
      }
  }
}

static int check_convention(int convention) {
  if (convention != GY_CONN_VEC_NILEARN && convention != GY_CONN_VEC_PYRIEMANN)
    return gy_err(GY_EINVAL, "unknown vectorisation convention %d", convention);
  return GY_OK;
}

int gy_conn_vec(gy_mat *out, const gy_mat *mats, int64_t k, int discard_diagonal, int convention) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(check_convention(convention));
  if (k < 1 || !mats) return gy_err(GY_EINVAL, "no matrices to vectorise");
  int64_t p = mats[0].rows;
  for (int64_t s = 0; s < k; s++) {
    GY_TRY(check_square(&mats[s], "the matrix"));
    if (mats[s].rows != p)
      return gy_err(GY_EINVAL, "matrix %lld is %lld x %lld, matrix 1 is %lld x %lld",
                    (long long)s + 1, (long long)mats[s].rows, (long long)mats[s].rows,
                    (long long)p, (long long)p);
  }
  GY_TRY(gy_mat_init(out, k, gy_conn_vec_len(p, discard_diagonal)));
  for (int64_t s = 0; s < k; s++)
    gy_conn_vec_write(out->data + s, out->ld, mats[s].data, p, mats[s].ld, discard_diagonal,
                      convention);
  return GY_OK;
}

int gy_conn_unvec(gy_mat *out, const gy_mat *v, const gy_mat *diagonal, int convention) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(check_convention(convention));
  GY_TRY(gy_check_finite(v, "the vector"));
  if (v->rows != 1 && v->cols != 1)
    return gy_err(GY_EINVAL, "expects a vector, got a %lld x %lld matrix", (long long)v->rows,
                  (long long)v->cols);
  int64_t L = v->rows * v->cols, vstride = v->rows == 1 ? v->ld : 1;
  int64_t q = llround((sqrt(8.0 * (double)L + 1) - 1) / 2);
  if (q * (q + 1) / 2 != L)
    return gy_err(GY_EINVAL, "a vector of length %lld is not the triangle of a square matrix",
                  (long long)L);
  int strict = diagonal != NULL;
  int64_t p = strict ? q + 1 : q;
  if (strict) {
    GY_TRY(gy_check_finite(diagonal, "the diagonal"));
    if (diagonal->rows * diagonal->cols != p || (diagonal->rows != 1 && diagonal->cols != 1))
      return gy_err(GY_EINVAL, "the diagonal must have %lld values to go with a vector of %lld",
                    (long long)p, (long long)L);
  }
  GY_TRY(gy_mat_init(out, p, p));
  int64_t k = 0;
  double r2 = sqrt(2.0);
  for (int64_t i = 0; i < p; i++) {
    int64_t j0 = convention == GY_CONN_VEC_NILEARN ? 0 : i + strict;
    int64_t j1 = convention == GY_CONN_VEC_NILEARN ? i - strict : p - 1;
    for (int64_t j = j0; j <= j1; j++) {
      double x = v->data[vstride * k++];
      if (i == j)
        x = convention == GY_CONN_VEC_NILEARN ? x * r2 : x;
      else
        x = convention == GY_CONN_VEC_NILEARN ? x : x / r2;
      GY_AT(out, i, j) = x;
      GY_AT(out, j, i) = x;
    }
  }
  if (strict) {
    int64_t ds = diagonal->rows == 1 ? diagonal->ld : 1;
    for (int64_t i = 0; i < p; i++) {
      double x = diagonal->data[ds * i];
      GY_AT(out, i, i) = convention == GY_CONN_VEC_NILEARN ? x * r2 : x;
    }
  }
  return GY_OK;
}
