/* Significance of prediction scores by block permutation of the targets' time series.
 *
 * Blocks are shuffled rather than samples so that the autocorrelation within a block (the
 * HRF, slow drifts) survives in the null; the block order is shared by all targets so the
 * maximum over targets of each permutation is a family-wise null. */
#include "encode_internal.h"

#include "gyrus/rng.h"

#include <math.h>
#include <string.h>

int gy_encode_permutation_test(gy_mat *score, gy_mat *pval, gy_mat *pval_max, gy_mat *null_max,
                               const gy_mat *Y, const gy_mat *P, int score_kind, int64_t n_perm,
                               int64_t block_len, uint64_t seed) {
  if (score) GY_TRY(gy_check_out(score, "score"));
  if (pval) GY_TRY(gy_check_out(pval, "p-values"));
  if (pval_max) GY_TRY(gy_check_out(pval_max, "max-statistic p-values"));
  if (null_max) GY_TRY(gy_check_out(null_max, "null maxima"));
  GY_TRY(gy_check_mat(Y, "Y"));
  GY_TRY(gy_check_mat(P, "predictions"));
  GY_TRY(gy_encode_check_kind(score_kind));
  if (Y->rows != P->rows || Y->cols != P->cols)
    return gy_err(GY_EINVAL, "Y is %lld x %lld but the predictions are %lld x %lld",
                  (long long)Y->rows, (long long)Y->cols, (long long)P->rows, (long long)P->cols);
  int64_t n = Y->rows, m = Y->cols;
  if (n < 2 || m < 1) return gy_err(GY_EINVAL, "Y (%lld x %lld) needs 2 samples and a target",
                                    (long long)n, (long long)m);
  if (n_perm < 1) return gy_err(GY_EINVAL, "n_perm must be positive, got %lld", (long long)n_perm);
  if (block_len < 1 || block_len > n / 2)
    return gy_err(GY_EINVAL, "block length %lld must be in 1..%lld (at least 2 blocks)",
                  (long long)block_len, (long long)(n / 2));
  GY_TRY(gy_check_finite(Y, "Y"));
  GY_TRY(gy_check_finite(P, "predictions"));

  int64_t nblk = (n + block_len - 1) / block_len;
  int st = GY_OK;
  /* Only the block orders are kept (n_perm x n_blocks), not n_perm x n sample indices. */
  int64_t *bp = gy_alloc((size_t)(n_perm * nblk) * sizeof(int64_t));
  double *obs = gy_alloc((size_t)m * sizeof(double));
  double *cnt = gy_alloc((size_t)m * sizeof(double));
  double *mx = gy_alloc((size_t)n_perm * sizeof(double));
  double *yp = gy_alloc((size_t)n * sizeof(double));
  if (!bp || !obs || !cnt || !mx || !yp) {
    st = gy_err(GY_ENOMEM, "out of memory for %lld permutations of %lld samples",
                (long long)n_perm, (long long)n);
    goto done;
  }
  gy_rng g;
  gy_rng_seed(&g, seed);
  for (int64_t k = 0; k < n_perm; k++) {
    gy_rng_permutation(&g, bp + k * nblk, nblk);
    mx[k] = -INFINITY;
  }
  for (int64_t j = 0; j < m; j++) {
    const double *y = Y->data + j * Y->ld, *p = P->data + j * P->ld;
    obs[j] = gy_encode_score_col(y, p, n, score_kind);
    cnt[j] = 0;
    for (int64_t k = 0; k < n_perm; k++) {
      const int64_t *o = bp + k * nblk;
      for (int64_t b = 0, i = 0; b < nblk; b++) {
        int64_t s0 = o[b] * block_len, len = s0 + block_len < n ? block_len : n - s0;
        memcpy(yp + i, y + s0, (size_t)len * sizeof(double));
        i += len;
      }
      double s = gy_encode_score_col(yp, p, n, score_kind);
      /* A relative margin keeps permutations that reproduce the data from losing ties. */
      if (s >= obs[j] - 1e-12 * fabs(obs[j])) cnt[j] += 1;
      if (s > mx[k]) mx[k] = s;
    }
    if ((j & 255) == 255 && (st = gy_check_interrupt())) goto done;
  }
  if (score && (st = gy_mat_init(score, 1, m))) goto done;
  if (pval && (st = gy_mat_init(pval, 1, m))) goto done;
  if (pval_max && (st = gy_mat_init(pval_max, 1, m))) goto done;
  if (null_max && (st = gy_mat_init(null_max, n_perm, 1))) goto done;
  for (int64_t j = 0; j < m; j++) {
    if (score) score->data[j] = obs[j];
    if (pval) pval->data[j] = (1 + cnt[j]) / (double)(1 + n_perm);
    if (pval_max) {
      double c = 0;
      for (int64_t k = 0; k < n_perm; k++) c += mx[k] >= obs[j] - 1e-12 * fabs(obs[j]);
      pval_max->data[j] = (1 + c) / (double)(1 + n_perm);
    }
  }
  if (null_max) memcpy(null_max->data, mx, (size_t)n_perm * sizeof(double));
done:
  gy_free(bp);
  gy_free(obs);
  gy_free(cnt);
  gy_free(mx);
  gy_free(yp);
  if (st) {
    if (score) gy_mat_clear(score);
    if (pval) gy_mat_clear(pval);
    if (pval_max) gy_mat_clear(pval_max);
    if (null_max) gy_mat_clear(null_max);
  }
  return st;
}
