/* Temporal response functions as mTRF-Toolbox fits them (mTRFtrain, regmat, mTRFpredict)
 * and Haufe's transform of backward-model weights into forward patterns. */
#include "internal.h"
#include "gyrus/encode.h"
#include "gyrus/encode_trf.h"
#include "gyrus/linalg.h"

#include <math.h>
#include <string.h>

/* [1 | lagged X] for one trial. */
static int design(gy_mat *D, const gy_mat *X, const int64_t *lags, int64_t n_lags) {
  gy_mat L = {0};
  GY_TRY(gy_encode_delay(&L, X, lags, n_lags));
  int s = gy_mat_init_uninit(D, L.rows, L.cols + 1);
  if (s) {
    gy_mat_clear(&L);
    return s;
  }
  for (int64_t i = 0; i < L.rows; i++) D->data[i] = 1.0;
  for (int64_t j = 0; j < L.cols; j++)
    memcpy(D->data + (j + 1) * D->ld, L.data + j * L.ld, (size_t)L.rows * sizeof(double));
  gy_mat_clear(&L);
  return GY_OK;
}

static int check_lags(const int64_t *lags, int64_t n_lags, double fs) {
  if (!lags || n_lags < 1) return gy_err(GY_EINVAL, "no lags given");
  if (!(fs > 0) || !isfinite(fs)) return gy_err(GY_EINVAL, "the sampling rate must be positive, got %g", fs);
  return GY_OK;
}

int gy_encode_trf(gy_mat *W, gy_mat *b, const gy_mat *X, const gy_mat *Y, int64_t n_trials,
                  const int64_t *lags, int64_t n_lags, double lambda, double fs, int method) {
  GY_TRY(gy_check_out(W, "weights"));
  GY_TRY(gy_check_out(b, "bias"));
  GY_TRY(check_lags(lags, n_lags, fs));
  if (!(lambda >= 0) || !isfinite(lambda))
    return gy_err(GY_EINVAL, "lambda must be a finite number >= 0, got %g", lambda);
  if (method != GY_TRF_RIDGE && method != GY_TRF_LAPLACIAN)
    return gy_err(GY_EINVAL, "unknown regularisation method %d", method);
  if (!X || !Y || n_trials < 1) return gy_err(GY_EINVAL, "no trials given");
  int64_t p = X[0].cols, q = Y[0].cols;
  for (int64_t t = 0; t < n_trials; t++) {
    GY_TRY(gy_check_finite(&X[t], "the input"));
    GY_TRY(gy_check_finite(&Y[t], "the output"));
    if (X[t].rows != Y[t].rows)
      return gy_err(GY_EINVAL, "trial %lld: input has %lld samples, output %lld", (long long)t + 1,
                    (long long)X[t].rows, (long long)Y[t].rows);
    if (X[t].cols != p || Y[t].cols != q)
      return gy_err(GY_EINVAL, "trial %lld has %lld x %lld channels, trial 1 has %lld x %lld",
                    (long long)t + 1, (long long)X[t].cols, (long long)Y[t].cols, (long long)p,
                    (long long)q);
  }
  if (p < 1 || q < 1) return gy_err(GY_EINVAL, "input and output need at least one column");
  int64_t d = p * n_lags + 1;
  gy_mat Cxx = {0}, Cxy = {0}, D = {0}, Wb = {0};
  int s = gy_mat_init(&Cxx, d, d);
  if (!s) s = gy_mat_init(&Cxy, d, q);
  for (int64_t t = 0; t < n_trials && !s; t++) {
    s = design(&D, &X[t], lags, n_lags);
    if (!s) s = gy_linalg_gemm(&Cxx, 1.0, &D, 1, &D, 0, 1.0);
    if (!s) s = gy_linalg_gemm(&Cxy, 1.0, &D, 1, &Y[t], 0, 1.0);
    gy_mat_clear(&D);
    if (!s) s = gy_check_interrupt();
  }
  if (s) goto done;
  double lam = lambda * fs;
  for (int64_t f = 0; f < p; f++)
    for (int64_t l = 0; l < n_lags; l++) {
      int64_t k = 1 + l * p + f;
      if (method == GY_TRF_RIDGE) {
        GY_AT(&Cxx, k, k) += lam;
      } else {
        /* (D'D)/2: 1/2 at the end lags, 1 inside, -1/2 between neighbouring lags. */
        double diag = (l > 0 ? 0.5 : 0.0) + (l < n_lags - 1 ? 0.5 : 0.0);
        GY_AT(&Cxx, k, k) += lam * diag;
        if (l < n_lags - 1) {
          GY_AT(&Cxx, k, k + p) -= 0.5 * lam;
          GY_AT(&Cxx, k + p, k) -= 0.5 * lam;
        }
      }
    }
  s = gy_linalg_solve(&Wb, &Cxx, &Cxy);
  if (s == GY_ESINGULAR)
    s = gy_err(GY_ESINGULAR, "the lagged input covariance is singular; use lambda > 0");
  if (s) goto done;
  s = gy_mat_init_uninit(W, d - 1, q);
  if (!s) s = gy_mat_init_uninit(b, 1, q);
  if (s) {
    gy_mat_clear(W);
    goto done;
  }
  for (int64_t j = 0; j < q; j++) {
    GY_AT(b, 0, j) = GY_AT(&Wb, 0, j) * fs;
    for (int64_t i = 1; i < d; i++) GY_AT(W, i - 1, j) = GY_AT(&Wb, i, j) * fs;
  }
done:
  gy_mat_clear(&Cxx);
  gy_mat_clear(&Cxy);
  gy_mat_clear(&Wb);
  return s;
}

int gy_encode_trf_predict(gy_mat *out, const gy_mat *X, const gy_mat *W, const gy_mat *b,
                          const int64_t *lags, int64_t n_lags, double fs) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_check_finite(X, "the input"));
  GY_TRY(gy_check_mat(W, "weights"));
  GY_TRY(gy_check_mat(b, "bias"));
  GY_TRY(check_lags(lags, n_lags, fs));
  if (W->rows != X->cols * n_lags)
    return gy_err(GY_EINVAL, "the input has %lld channels x %lld lags, the weights %lld rows",
                  (long long)X->cols, (long long)n_lags, (long long)W->rows);
  if (b->rows != 1 || b->cols != W->cols)
    return gy_err(GY_EINVAL, "the bias must be 1 x %lld", (long long)W->cols);
  gy_mat L = {0};
  GY_TRY(gy_encode_delay(&L, X, lags, n_lags));
  int s = gy_mat_init_uninit(out, X->rows, W->cols);
  if (!s) {
    for (int64_t j = 0; j < W->cols; j++)
      for (int64_t i = 0; i < X->rows; i++) GY_AT(out, i, j) = GY_AT(b, 0, j);
    s = gy_linalg_gemm(out, 1.0 / fs, &L, 0, W, 0, 1.0 / fs);
    if (s) gy_mat_clear(out);
  }
  gy_mat_clear(&L);
  return s;
}

static int centre(gy_mat *out, const gy_mat *A) {
  GY_TRY(gy_mat_copy(out, A));
  for (int64_t j = 0; j < out->cols; j++) {
    double m = 0;
    for (int64_t i = 0; i < out->rows; i++) m += GY_AT(out, i, j);
    m /= (double)out->rows;
    for (int64_t i = 0; i < out->rows; i++) GY_AT(out, i, j) -= m;
  }
  return GY_OK;
}

int gy_encode_haufe(gy_mat *A, const gy_mat *X, const gy_mat *W) {
  GY_TRY(gy_check_out(A, "patterns"));
  GY_TRY(gy_check_finite(X, "X"));
  GY_TRY(gy_check_finite(W, "W"));
  if (W->rows != X->cols)
    return gy_err(GY_EINVAL, "X has %lld columns, W %lld rows", (long long)X->cols, (long long)W->rows);
  if (X->rows < 2) return gy_err(GY_EINVAL, "need at least 2 samples, got %lld", (long long)X->rows);
  /* Cov(X) W = Xc'(Xc W) avoids forming the d x d covariance; the 1/(n-1) cancels. */
  gy_mat Xc = {0}, P = {0}, Cp = {0}, Pi = {0}, XP = {0};
  int s = centre(&Xc, X);
  if (!s) s = gy_linalg_matmul(&P, &Xc, 0, W, 0);
  if (!s) s = gy_linalg_syrk(&Cp, &P, 1, 1.0);
  if (!s) s = gy_linalg_pinv(&Pi, &Cp, -1);
  if (!s) s = gy_linalg_matmul(&XP, &Xc, 1, &P, 0);
  if (!s) s = gy_linalg_matmul(A, &XP, 0, &Pi, 0);
  gy_mat_clear(&Xc);
  gy_mat_clear(&P);
  gy_mat_clear(&Cp);
  gy_mat_clear(&Pi);
  gy_mat_clear(&XP);
  return s;
}
