/* Noise covariance and precision over channels from residuals, as rsatoolbox's
 * data/noise.py (cov_from_residuals / prec_from_residuals). The sums over observations of
 * x x' and (x x')^2 that the shrinkage estimators need are two SYRKs (of X and of X∘X),
 * not a loop of outer products. */
#include "internal.h"
#include "gyrus/rsa.h"
#include "gyrus/linalg.h"

#include <cblas.h>
#include <limits.h>
#include <math.h>

/* out = A' A (P x P), both triangles. */
static int crossprod(gy_mat *out, const gy_mat *A) {
  int64_t P = A->cols;
  GY_TRY(gy_mat_init(out, P, P));
  cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)P, (int)A->rows, 1.0, A->data,
              (int)A->ld, 0.0, out->data, (int)out->ld);
  for (int64_t j = 0; j < P; j++)
    for (int64_t i = j + 1; i < P; i++) GY_AT(out, i, j) = GY_AT(out, j, i);
  return GY_OK;
}

/* Schaefer & Strimmer: the off-diagonal of s = X'X/dof shrunk by (1 - lambda), lambda from
 * the estimated variance of the correlations (rsatoolbox _covariance_diag). */
static int shrink_diag(gy_mat *S, const gy_mat *Xc, const gy_mat *S2, double dof, double *lam) {
  int64_t n = Xc->rows, P = S->rows;
  double num = 0, den = 0;
  for (int64_t j = 0; j < P; j++) {
    double vj = GY_AT(S, j, j) / dof;
    for (int64_t i = 0; i < P; i++) {
      if (i == j) continue;
      double vi = GY_AT(S, i, i) / dof;
      double r = GY_AT(S, i, j) / sqrt(vi * vj) / dof;
      double r2 = GY_AT(S2, i, j) / (vi * vj) / dof;
      num += (double)n / (dof * dof) * (r2 - r * r);
      den += r * r;
    }
  }
  double lambda = den > 0 ? num / den : 1.0;
  if (!(lambda >= 0)) lambda = 0;
  if (lambda > 1) lambda = 1;
  for (int64_t j = 0; j < P; j++)
    for (int64_t i = 0; i < P; i++)
      GY_AT(S, i, j) = GY_AT(S, i, j) / dof * (i == j ? 1.0 : 1.0 - lambda);
  *lam = lambda;
  return GY_OK;
}

/* Ledoit & Wolf towards m I, m the mean variance (rsatoolbox _covariance_eye). */
static int shrink_eye(gy_mat *S, const gy_mat *Xc, const gy_mat *S2, double dof, double *lam) {
  double n = (double)Xc->rows;
  int64_t P = S->rows;
  double m = 0, d2 = 0, b2 = 0;
  for (int64_t j = 0; j < P; j++) m += GY_AT(S, j, j) / n;
  m /= (double)P;
  for (int64_t j = 0; j < P; j++)
    for (int64_t i = 0; i < P; i++) {
      double s = GY_AT(S, i, j) / n;
      double e = s - (i == j ? m : 0.0);
      d2 += e * e;
      b2 += GY_AT(S2, i, j) / n - s * s;
    }
  b2 /= n;
  if (b2 > d2) b2 = d2;
  /* d2 = 0: s is already m I and there is nothing to shrink. */
  double lambda = d2 > 0 ? b2 / d2 : 0.0;
  for (int64_t j = 0; j < P; j++)
    for (int64_t i = 0; i < P; i++) {
      double s = GY_AT(S, i, j) / n;
      GY_AT(S, i, j) = ((i == j ? lambda * m : 0.0) + (1 - lambda) * s) * n / dof;
    }
  *lam = lambda;
  return GY_OK;
}

int gy_rsa_noise(gy_mat *out, const gy_mat *R, int method, double dof, int precision,
                 double *lambda) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_check_mat(R, "the residuals"));
  if (R->rows < 2 || R->cols < 1)
    return gy_err(GY_EINVAL, "the residuals are %lld x %lld: at least two rows are needed",
                  (long long)R->rows, (long long)R->cols);
  if (R->rows > INT_MAX || R->cols > INT_MAX)
    return gy_err(GY_EUNSUPPORTED, "the residuals are too large for 32-bit BLAS indexing");
  GY_TRY(gy_check_finite(R, "the residuals"));
  if (!isfinite(dof)) return gy_err(GY_EINVAL, "dof must be finite, got %g", dof);
  if (dof <= 0) dof = (double)R->rows - 1;
  if (method < GY_RSA_NOISE_SHRINKAGE_DIAG || method > GY_RSA_NOISE_FULL)
    return gy_err(GY_EINVAL, "unknown noise method %d", method);
  int64_t n = R->rows, P = R->cols;
  gy_mat Xc = {0}, S = {0}, S2 = {0}, Inv = {0};
  double lam = 0;
  int st = gy_mat_copy(&Xc, R);
  if (st) return st;
  for (int64_t j = 0; j < P; j++) {
    double m = 0;
    for (int64_t i = 0; i < n; i++) m += GY_AT(&Xc, i, j);
    m /= (double)n;
    for (int64_t i = 0; i < n; i++) GY_AT(&Xc, i, j) -= m;
  }
  for (int64_t j = 0; j < P; j++) {
    double v = 0;
    for (int64_t i = 0; i < n; i++) v += GY_AT(&Xc, i, j) * GY_AT(&Xc, i, j);
    if (!(v > 0)) {
      st = gy_err(GY_EINVAL, "channel %lld has zero variance in the residuals", (long long)j + 1);
      goto done;
    }
  }
  if (method == GY_RSA_NOISE_FULL && precision && P > n - 1) {
    st = gy_err(GY_ESINGULAR, "the full covariance of %lld residuals has rank at most %lld, "
                "below the %lld channels: it has no inverse (use a shrinkage method)",
                (long long)n, (long long)n - 1, (long long)P);
    goto done;
  }
  if (method == GY_RSA_NOISE_DIAG) {
    if ((st = gy_mat_init(&S, P, P))) goto done;
    for (int64_t j = 0; j < P; j++) {
      double v = 0;
      for (int64_t i = 0; i < n; i++) v += GY_AT(&Xc, i, j) * GY_AT(&Xc, i, j);
      GY_AT(&S, j, j) = precision ? dof / v : v / dof;
    }
    lam = 1;
    *out = S;
    S = (gy_mat){0};
    goto done;
  }
  if ((st = gy_check_interrupt())) goto done;
  if ((st = crossprod(&S, &Xc))) goto done;
  if (method == GY_RSA_NOISE_FULL) {
    for (int64_t j = 0; j < P; j++)
      for (int64_t i = 0; i < P; i++) GY_AT(&S, i, j) /= dof;
  } else {
    /* X∘X, reusing Xc's storage once its products are taken. */
    for (int64_t j = 0; j < P; j++)
      for (int64_t i = 0; i < n; i++) GY_AT(&Xc, i, j) *= GY_AT(&Xc, i, j);
    if ((st = crossprod(&S2, &Xc))) goto done;
    if (method == GY_RSA_NOISE_SHRINKAGE_DIAG) shrink_diag(&S, &Xc, &S2, dof, &lam);
    else shrink_eye(&S, &Xc, &S2, dof, &lam);
  }
  if (precision) {
    if ((st = gy_check_interrupt())) goto done;
    st = gy_linalg_inv(&Inv, &S);
    if (st == GY_ESINGULAR)
      st = gy_err(GY_ESINGULAR, "the noise covariance is singular (more channels than "
                  "residual degrees of freedom? use a shrinkage method)");
    if (st) goto done;
    *out = Inv;
    Inv = (gy_mat){0};
  } else {
    *out = S;
    S = (gy_mat){0};
  }
done:
  if (!st && lambda) *lambda = lam;
  gy_mat_clear(&Xc);
  gy_mat_clear(&S);
  gy_mat_clear(&S2);
  gy_mat_clear(&Inv);
  return st;
}
