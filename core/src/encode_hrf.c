/* Hemodynamic design: canonical HRFs (nilearn's double gamma), HRF convolution of sampled
 * regressors, and z-scoring within runs. */
#include "encode_internal.h"

#include <math.h>
#include <string.h>

typedef struct {
  double delay, undershoot, dispersion, u_dispersion, ratio;
} hrf_shape;

static int hrf_params(int model, hrf_shape *h) {
  switch (model) {
  case GY_ENCODE_HRF_SPM: *h = (hrf_shape){6, 16, 1, 1, 0.167}; return GY_OK;
  case GY_ENCODE_HRF_GLOVER: *h = (hrf_shape){6, 12, 0.9, 0.9, 0.35}; return GY_OK;
  default: return gy_err(GY_EINVAL, "unknown HRF model %d (0: spm, 1: glover)", model);
  }
}

/* scipy.stats.gamma.pdf(t, a, loc, scale). */
static double gamma_pdf(double t, double a, double loc, double scale) {
  double x = (t - loc) / scale;
  if (x < 0) return 0;
  if (x == 0) return a == 1 ? 1 / scale : (a < 1 ? INFINITY : 0);
  return exp((a - 1) * log(x) - x - lgamma(a)) / scale;
}

static int hrf_check(double tr, int64_t oversampling, double time_length) {
  if (!isfinite(tr) || tr <= 0) return gy_err(GY_EINVAL, "tr must be a positive number, got %g", tr);
  if (oversampling < 1)
    return gy_err(GY_EINVAL, "oversampling must be a positive integer, got %lld",
                  (long long)oversampling);
  if (!isfinite(time_length) || time_length <= 0)
    return gy_err(GY_EINVAL, "time_length must be a positive number, got %g", time_length);
  double k = rint(time_length * (double)oversampling / tr);
  if (k < 2) return gy_err(GY_EINVAL, "time_length %g s holds fewer than 2 samples of %g s",
                           time_length, tr / (double)oversampling);
  if (k > 1e8) return gy_err(GY_EINVAL, "the HRF would have %.0f samples: too many", k);
  return GY_OK;
}

int gy_encode_hrf(gy_mat *out, double tr, int model, int64_t oversampling, double time_length,
                  double onset) {
  GY_TRY(gy_check_out(out, "output"));
  hrf_shape h = {0, 0, 1, 1, 0};
  GY_TRY(hrf_params(model, &h));
  GY_TRY(hrf_check(tr, oversampling, time_length));
  if (!isfinite(onset)) return gy_err(GY_EINVAL, "onset must be finite");
  double dt = tr / (double)oversampling;
  int64_t k = (int64_t)rint(time_length / dt);
  GY_TRY(gy_mat_init(out, k, 1));
  double sum = 0;
  for (int64_t i = 0; i < k; i++) {
    /* numpy's linspace: i * step, the last point exactly time_length. */
    double t = (i == k - 1 ? time_length : (double)i * (time_length / (double)(k - 1))) - onset;
    double v = gamma_pdf(t, h.delay / h.dispersion, dt, h.dispersion) -
               h.ratio * gamma_pdf(t, h.undershoot / h.u_dispersion, dt, h.u_dispersion);
    out->data[i] = v;
    sum += v;
  }
  if (!(fabs(sum) > 0) || !isfinite(sum)) {
    gy_mat_clear(out);
    return gy_err(GY_EINVAL, "the HRF sums to %g over %g s: cannot normalise it", sum, time_length);
  }
  for (int64_t i = 0; i < k; i++) out->data[i] /= sum;
  return GY_OK;
}

int gy_encode_convolve_hrf(gy_mat *out, const gy_mat *X, double tr, int model,
                           int64_t oversampling, double time_length) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_check_mat(X, "X"));
  GY_TRY(gy_check_finite(X, "X"));
  gy_mat h = {0};
  GY_TRY(gy_encode_hrf(&h, tr, model, oversampling, time_length, 0));
  /* With X held over each sample, the oversampled convolution read at sample t is
   * sum_s X[s] K[t - s] with K[0] = h[0] and K[d] = h[(d-1)os + 1] + ... + h[d os]. */
  int64_t os = oversampling, nk = (h.rows - 1 + os - 1) / os + 1;
  double *K = gy_alloc((size_t)nk * sizeof(double));
  if (!K) {
    gy_mat_clear(&h);
    return gy_err(GY_ENOMEM, "out of memory for the HRF kernel");
  }
  memset(K, 0, (size_t)nk * sizeof(double));
  for (int64_t v = 0; v < h.rows; v++) K[(v + os - 1) / os] += h.data[v];
  gy_mat_clear(&h);
  int st = gy_mat_init(out, X->rows, X->cols);
  if (st) {
    gy_free(K);
    return st;
  }
  int64_t n = X->rows;
  for (int64_t j = 0; j < X->cols; j++) {
    const double *x = X->data + j * X->ld;
    double *y = out->data + j * out->ld;
    for (int64_t t = 0; t < n; t++) {
      double s = 0;
      int64_t dmax = t < nk - 1 ? t : nk - 1;
      for (int64_t d = 0; d <= dmax; d++) s += K[d] * x[t - d];
      y[t] = s;
    }
  }
  gy_free(K);
  return GY_OK;
}

int gy_encode_zscore_runs(gy_mat *out, const gy_mat *X, const int64_t *run, int64_t n_runs) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_check_mat(X, "X"));
  GY_TRY(gy_check_finite(X, "X"));
  if (!run || n_runs < 1) return gy_err(GY_EINVAL, "no run labels given");
  int64_t n = X->rows, p = X->cols;
  for (int64_t i = 0; i < n; i++)
    if (run[i] < 0 || run[i] >= n_runs)
      return gy_err(GY_EINVAL, "sample %lld has run %lld, outside 1..%lld", (long long)i + 1,
                    (long long)run[i] + 1, (long long)n_runs);
  double *mean = gy_alloc((size_t)(3 * n_runs) * sizeof(double));
  if (!mean) return gy_err(GY_ENOMEM, "out of memory for %lld runs", (long long)n_runs);
  double *sd = mean + n_runs, *cnt = sd + n_runs;
  int st = gy_mat_init(out, n, p);
  if (st) {
    gy_free(mean);
    return st;
  }
  for (int64_t j = 0; j < p; j++) {
    const double *x = X->data + j * X->ld;
    double *y = out->data + j * out->ld;
    memset(mean, 0, (size_t)(3 * n_runs) * sizeof(double));
    for (int64_t i = 0; i < n; i++) {
      mean[run[i]] += x[i];
      cnt[run[i]] += 1;
    }
    for (int64_t r = 0; r < n_runs; r++) mean[r] = cnt[r] > 0 ? mean[r] / cnt[r] : 0;
    for (int64_t i = 0; i < n; i++) {
      double d = x[i] - mean[run[i]];
      sd[run[i]] += d * d;
    }
    for (int64_t r = 0; r < n_runs; r++) sd[r] = cnt[r] > 0 ? sqrt(sd[r] / cnt[r]) : 0;
    for (int64_t i = 0; i < n; i++) {
      double s = sd[run[i]];
      /* Rounding leaves a constant run a tiny spread; treat it as constant. */
      y[i] = s > 1e-14 * (fabs(mean[run[i]]) + 1e-300) && s > 0 ? (x[i] - mean[run[i]]) / s : 0;
    }
  }
  gy_free(mean);
  return GY_OK;
}
