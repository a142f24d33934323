/* Artifact components of an ICA: MNE's iterated z-score outlier rule and the
 * reconstruction without excluded components (ICA.apply with exclude). */
#include "internal.h"
#include "gyrus/ica_artifact.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>

int gy_ica_artifact_outliers(gy_mat *bad, const gy_mat *scores, double threshold,
                             int64_t max_iter, int tail) {
  GY_TRY(gy_check_out(bad, "outlier output"));
  GY_TRY(gy_check_mat(scores, "scores"));
  GY_TRY(gy_check_finite(scores, "scores"));
  if (scores->rows != 1 && scores->cols != 1)
    return gy_err(GY_EINVAL, "scores must be a vector, got %lld x %lld",
                  (long long)scores->rows, (long long)scores->cols);
  if (!isfinite(threshold))
    return gy_err(GY_EINVAL, "threshold must be finite, got %g", threshold);
  if (max_iter < 1)
    return gy_err(GY_EINVAL, "max_iter must be >= 1, got %lld", (long long)max_iter);
  if (tail != GY_ICA_TAIL_BOTH && tail != GY_ICA_TAIL_HIGH && tail != GY_ICA_TAIL_LOW)
    return gy_err(GY_EINVAL, "tail must be 0 (both), 1 (high) or -1 (low), got %d", tail);
  const int64_t n = scores->rows * scores->cols;
  if (n < 1) return gy_err(GY_EINVAL, "scores is empty");
  /* A vector's k-th element, whichever its orientation. */
  const int64_t step = scores->rows == 1 ? scores->ld : 1;
  GY_TRY(gy_mat_init(bad, n, 1));
  double *mark = bad->data;
  for (int64_t it = 0; it < max_iter; it++) {
    double s = 0, ss = 0;
    int64_t m = 0;
    for (int64_t k = 0; k < n; k++)
      if (mark[k] == 0) { s += scores->data[k * step]; m++; }
    if (m == 0) break;
    const double mu = s / (double)m;
    for (int64_t k = 0; k < n; k++)
      if (mark[k] == 0) {
        const double d = scores->data[k * step] - mu;
        ss += d * d;
      }
    const double sd = sqrt(ss / (double)m);
    /* scipy's zscore gives NaN for a constant sample, and NaN exceeds no threshold. */
    if (!(sd > 0)) break;
    int64_t newly = 0;
    for (int64_t k = 0; k < n; k++) {
      if (mark[k] != 0) continue;
      double z = (scores->data[k * step] - mu) / sd;
      z = tail == GY_ICA_TAIL_BOTH ? fabs(z) : tail == GY_ICA_TAIL_HIGH ? z : -z;
      if (z > threshold) { mark[k] = 2; newly++; }
    }
    /* Marked in this pass (2) joins the mask only after the pass, as MNE's mask update. */
    for (int64_t k = 0; k < n; k++)
      if (mark[k] == 2) mark[k] = 1;
    if (newly == 0) break;
  }
  return GY_OK;
}

int gy_ica_artifact_apply(gy_mat *out, const gy_mat *X, const gy_mat *unmixing,
                          const gy_mat *mixing, const gy_mat *mean, const int64_t *exclude,
                          int64_t n_exclude) {
  GY_TRY(gy_check_out(out, "cleaned data output"));
  GY_TRY(gy_check_finite(X, "X"));
  GY_TRY(gy_check_finite(unmixing, "unmixing"));
  GY_TRY(gy_check_finite(mixing, "mixing"));
  GY_TRY(gy_check_finite(mean, "mean"));
  const int64_t T = X->rows, p = X->cols, n = unmixing->rows;
  if (unmixing->cols != p)
    return gy_err(GY_EINVAL, "the unmixing is %lld x %lld but X has %lld channels (columns)",
                  (long long)n, (long long)unmixing->cols, (long long)p);
  if (mixing->rows != p || mixing->cols != n)
    return gy_err(GY_EINVAL, "the mixing is %lld x %lld, expected %lld x %lld (channels x "
                  "components)", (long long)mixing->rows, (long long)mixing->cols,
                  (long long)p, (long long)n);
  if (mean->rows * mean->cols != p || (mean->rows != 1 && mean->cols != 1))
    return gy_err(GY_EINVAL, "the mean is %lld x %lld, expected 1 x %lld",
                  (long long)mean->rows, (long long)mean->cols, (long long)p);
  if (n_exclude < 0 || (n_exclude > 0 && !exclude))
    return gy_err(GY_EINVAL, "invalid list of %lld excluded components", (long long)n_exclude);
  for (int64_t e = 0; e < n_exclude; e++) {
    if (exclude[e] < 0 || exclude[e] >= n)
      return gy_err(GY_EINVAL, "excluded component %lld is out of range 1..%lld",
                    (long long)exclude[e] + 1, (long long)n);
    for (int64_t f = 0; f < e; f++)
      if (exclude[f] == exclude[e])
        return gy_err(GY_EINVAL, "component %lld is excluded twice",
                      (long long)exclude[e] + 1);
  }
  GY_TRY(gy_mat_copy(out, X));
  if (n_exclude == 0 || T == 0) return GY_OK;
  const int64_t k = n_exclude;
  const int64_t mstep = mean->rows == 1 ? mean->ld : 1;
  gy_mat Ue = {0}, Ae = {0}, Se = {0}, off = {0};
  int st = gy_mat_init(&Ue, k, p);
  if (!st) st = gy_mat_init(&Ae, p, k);
  if (!st) st = gy_mat_init(&Se, T, k);
  if (!st) st = gy_mat_init(&off, 1, k);
  if (st) goto done;
  for (int64_t e = 0; e < k; e++)
    for (int64_t j = 0; j < p; j++) {
      GY_AT(&Ue, e, j) = GY_AT(unmixing, exclude[e], j);
      GY_AT(&Ae, j, e) = GY_AT(mixing, j, exclude[e]);
    }
  /* S_e = X U_e' - 1 (mean U_e'): the centring folds into one row, so X is not copied. */
  for (int64_t e = 0; e < k; e++) {
    double v = 0;
    for (int64_t j = 0; j < p; j++) v += mean->data[j * mstep] * GY_AT(&Ue, e, j);
    off.data[e] = v;
  }
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)T, (int)k, (int)p, 1.0, X->data,
              (int)X->ld, Ue.data, (int)Ue.ld, 0.0, Se.data, (int)Se.ld);
  for (int64_t e = 0; e < k; e++)
    for (int64_t t = 0; t < T; t++) GY_AT(&Se, t, e) -= off.data[e];
  st = gy_check_interrupt();
  if (st) goto done;
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)T, (int)p, (int)k, -1.0, Se.data,
              (int)Se.ld, Ae.data, (int)Ae.ld, 1.0, out->data, (int)out->ld);
done:
  if (st) gy_mat_clear(out);
  gy_mat_clear(&Ue);
  gy_mat_clear(&Ae);
  gy_mat_clear(&Se);
  gy_mat_clear(&off);
  return st;
}
