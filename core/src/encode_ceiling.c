/* Noise ceilings from repeated presentations: explainable variance (voxelwise_tutorials)
 * and the normalised correlation CCnorm (Schoppe et al. 2016). */
#include "encode_internal.h"

#include <math.h>
#include <string.h>

static int check_repeats(const gy_mat *R, int64_t n_repeats, int64_t *T) {
  GY_TRY(gy_check_mat(R, "the repeats"));
  if (n_repeats < 2) return gy_err(GY_EINVAL, "need at least 2 repeats, got %lld", (long long)n_repeats);
  if (R->rows % n_repeats)
    return gy_err(GY_EINVAL, "%lld rows do not split into %lld repeats of equal length",
                  (long long)R->rows, (long long)n_repeats);
  *T = R->rows / n_repeats;
  if (*T < 2) return gy_err(GY_EINVAL, "each repeat needs at least 2 samples, got %lld", (long long)*T);
  if (R->cols < 1) return gy_err(GY_EINVAL, "the repeats have no targets");
  return gy_check_finite(R, "the repeats");
}

static void mean_var(const double *x, int64_t n, double *mean, double *ss) {
  double m = 0, s = 0;
  for (int64_t i = 0; i < n; i++) m += x[i];
  m /= (double)n;
  for (int64_t i = 0; i < n; i++) s += (x[i] - m) * (x[i] - m);
  *mean = m;
  *ss = s;
}

int gy_encode_explainable_variance(gy_mat *out, const gy_mat *R, int64_t n_repeats,
                                   int bias_correction, int do_zscore) {
  GY_TRY(gy_check_out(out, "output"));
  int64_t T;
  GY_TRY(check_repeats(R, n_repeats, &T));
  double *avg = gy_alloc((size_t)T * sizeof(double));
  if (!avg) return gy_err(GY_ENOMEM, "out of memory for %lld samples", (long long)T);
  int st = gy_mat_init(out, 1, R->cols);
  if (st) {
    gy_free(avg);
    return st;
  }
  for (int64_t j = 0; j < R->cols; j++) {
    const double *col = R->data + j * R->ld;
    memset(avg, 0, (size_t)T * sizeof(double));
    double mean_var_r = 0;
    for (int64_t r = 0; r < n_repeats; r++) {
      const double *x = col + r * T;
      double m, ss;
      mean_var(x, T, &m, &ss);
      /* scipy.stats.zscore (ddof 0); a constant repeat gives NaN there, 0 here. */
      double sd = sqrt(ss / (double)T), scale = do_zscore ? (sd > 0 ? 1 / sd : 0) : 1;
      double shift = do_zscore ? m : 0;
      for (int64_t t = 0; t < T; t++) avg[t] += (x[t] - shift) * scale;
      mean_var_r += do_zscore ? (sd > 0 ? (double)T / (double)(T - 1) : 0) : ss / (double)(T - 1);
    }
    mean_var_r /= (double)n_repeats;
    for (int64_t t = 0; t < T; t++) avg[t] /= (double)n_repeats;
    double m, ss;
    mean_var(avg, T, &m, &ss);
    double ev = mean_var_r > 0 ? ss / (double)(T - 1) / mean_var_r : 0;
    if (bias_correction) ev -= (1 - ev) / (double)(n_repeats - 1);
    out->data[j] = ev;
  }
  gy_free(avg);
  return GY_OK;
}

int gy_encode_ccnorm(gy_mat *out, const gy_mat *R, int64_t n_repeats, const gy_mat *P) {
  GY_TRY(gy_check_out(out, "output"));
  int64_t T;
  GY_TRY(check_repeats(R, n_repeats, &T));
  GY_TRY(gy_check_mat(P, "predictions"));
  if (P->rows != T || P->cols != R->cols)
    return gy_err(GY_EINVAL, "the predictions are %lld x %lld but each repeat is %lld x %lld",
                  (long long)P->rows, (long long)P->cols, (long long)T, (long long)R->cols);
  GY_TRY(gy_check_finite(P, "predictions"));
  double *sum = gy_alloc((size_t)T * sizeof(double));
  if (!sum) return gy_err(GY_ENOMEM, "out of memory for %lld samples", (long long)T);
  int st = gy_mat_init(out, 3, R->cols);
  if (st) {
    gy_free(sum);
    return st;
  }
  double N = (double)n_repeats, Td = (double)T;
  for (int64_t j = 0; j < R->cols; j++) {
    const double *col = R->data + j * R->ld, *p = P->data + j * P->ld;
    memset(sum, 0, (size_t)T * sizeof(double));
    double sum_var = 0, m, ss;
    for (int64_t r = 0; r < n_repeats; r++) {
      mean_var(col + r * T, T, &m, &ss);
      sum_var += ss / (Td - 1);
      for (int64_t t = 0; t < T; t++) sum[t] += col[r * T + t];
    }
    double ms, sss, mp, ssp;
    mean_var(sum, T, &ms, &sss);
    mean_var(p, T, &mp, &ssp);
    double cyp = 0;
    for (int64_t t = 0; t < T; t++) cyp += (sum[t] / N - ms / N) * (p[t] - mp);
    double vy = sss / (N * N) / Td, vp = ssp / Td;
    cyp /= Td;
    double sp = (sss / (Td - 1) - sum_var) / (N * (N - 1));
    double *o = out->data + j * out->ld;
    o[1] = cyp / sqrt(vy * vp);
    if (sp > 0) {
      o[0] = cyp / sqrt(sp * vp);
      o[2] = sqrt(sp / vy);
    } else {
      o[0] = NAN;
      o[2] = 0;
    }
  }
  gy_free(sum);
  return GY_OK;
}
