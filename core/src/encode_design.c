/* Design matrices for encoding models: FIR delays / TRF lags and k-fold labels. */
#include "encode_internal.h"

#include <string.h>

int gy_encode_delay(gy_mat *out, const gy_mat *X, const int64_t *delays, int64_t n_delays) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_check_mat(X, "X"));
  if (n_delays < 1 || !delays) return gy_err(GY_EINVAL, "no delays given");
  int64_t n = X->rows, p = X->cols;
  GY_TRY(gy_mat_init(out, n, p * n_delays));
  for (int64_t k = 0; k < n_delays; k++) {
    int64_t d = delays[k];
    for (int64_t j = 0; j < p; j++) {
      const double *src = X->data + j * X->ld;
      double *dst = out->data + (k * p + j) * out->ld;
      /* Row t holds X[t - d]; rows whose source falls outside stay zero. */
      int64_t t0 = d > 0 ? d : 0, t1 = d < 0 ? n + d : n;
      if (t1 > t0) memcpy(dst + t0, src + t0 - d, (size_t)(t1 - t0) * sizeof(double));
    }
  }
  return GY_OK;
}

int gy_encode_kfold(int64_t *fold, int64_t n, int64_t k) {
  if (!fold && n > 0) return gy_err(GY_EINVAL, "no fold array");
  if (k < 2) return gy_err(GY_EINVAL, "k-fold needs at least 2 folds, got %lld", (long long)k);
  if (k > n)
    return gy_err(GY_EINVAL, "cannot split %lld samples into %lld folds", (long long)n, (long long)k);
  int64_t i = 0;
  for (int64_t f = 0; f < k; f++) {
    int64_t size = n / k + (f < n % k ? 1 : 0);
    for (int64_t s = 0; s < size; s++) fold[i++] = f;
  }
  return GY_OK;
}
