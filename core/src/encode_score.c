/* Per-target scores with himalaya.scoring's conventions (zero-variance targets score 0). */
#include "encode_internal.h"

#include <math.h>

int gy_encode_check_kind(int kind) {
  if (kind != GY_ENCODE_L2_NEG_LOSS && kind != GY_ENCODE_R2 && kind != GY_ENCODE_CORRELATION)
    return gy_err(GY_EINVAL, "unknown score %d (0: l2_neg_loss, 1: r2, 2: correlation)", kind);
  return GY_OK;
}

double gy_encode_score_col(const double *y, const double *p, int64_t n, int kind) {
  double my = 0, mp = 0;
  for (int64_t i = 0; i < n; i++) { my += y[i]; mp += p[i]; }
  my /= (double)n;
  mp /= (double)n;
  double sse = 0, syy = 0, spp = 0, syp = 0;
  for (int64_t i = 0; i < n; i++) {
    double e = y[i] - p[i], dy = y[i] - my, dp = p[i] - mp;
    sse += e * e;
    syy += dy * dy;
    spp += dp * dp;
    syp += dy * dp;
  }
  switch (kind) {
  case GY_ENCODE_L2_NEG_LOSS: return -sse / (double)n;
  case GY_ENCODE_R2: return syy == 0 ? 0.0 : 1.0 - sse / syy;
  default: {
    /* himalaya divides by a standard deviation replaced by 1 where it is 0. */
    double sy = sqrt(syy / (double)n), sp = sqrt(spp / (double)n);
    if (sy == 0) sy = 1;
    if (sp == 0) sp = 1;
    return syp / ((double)n * sy * sp);
  }
  }
}

int gy_encode_score(gy_mat *out, const gy_mat *Y, const gy_mat *P, int score_kind) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_check_mat(Y, "Y"));
  GY_TRY(gy_check_mat(P, "predictions"));
  GY_TRY(gy_encode_check_kind(score_kind));
  if (Y->rows != P->rows || Y->cols != P->cols)
    return gy_err(GY_EINVAL, "Y is %lld x %lld but the predictions are %lld x %lld",
                  (long long)Y->rows, (long long)Y->cols, (long long)P->rows, (long long)P->cols);
  if (Y->rows < 1) return gy_err(GY_EINVAL, "Y has no samples");
  GY_TRY(gy_check_finite(Y, "Y"));
  GY_TRY(gy_check_finite(P, "predictions"));
  GY_TRY(gy_mat_init(out, 1, Y->cols));
  for (int64_t j = 0; j < Y->cols; j++)
    out->data[j] = gy_encode_score_col(Y->data + j * Y->ld, P->data + j * P->ld, Y->rows, score_kind);
  return GY_OK;
}
