/* gyrus: encoding models — design matrices (FIR delays, TRF lags, HRF convolution, run-wise
 * z-scores), ridge regression for many targets, cross-validated ridge with one alpha per
 * target (himalaya's RidgeCV semantics), per-target scores, noise ceilings (explainable
 * variance, CCnorm) and block-permutation significance.
 *
 * Samples are rows, features / targets are columns. Cross-validation folds are given as a
 * label per sample: sample i is tested in fold fold[i] (0..n_folds-1) and trained on in
 * every other fold, so unshuffled k-fold and leave-one-run-out are both label vectors. */
#ifndef GYRUS_ENCODE_H
#define GYRUS_ENCODE_H

#include "mat.h"

/* Score functions, as himalaya.scoring. */
enum gy_encode_score_kind {
  GY_ENCODE_L2_NEG_LOSS = 0, /* -sum((y - p)^2) / n */
  GY_ENCODE_R2 = 1,          /* 1 - SSE/SST; 0 where y is constant */
  GY_ENCODE_CORRELATION = 2  /* Pearson r (ddof 0); 0 where y or p is constant */
};

/* out (n x p*n_delays) = [X(t - d0) | X(t - d1) | ...], delay-major, zero-filled at the
 * edges (voxelwise_tutorials' Delayer; mTRF's lagGen with zeropad). Negative delays lead. */
int gy_encode_delay(gy_mat *out, const gy_mat *X, const int64_t *delays, int64_t n_delays);

/* W (p x m) = (X'X + alpha_j I)^-1 X'Y_j for every target j. alphas holds one value for
 * all targets (n_alphas = 1) or one per target (n_alphas = m); alpha >= 0, and alpha = 0
 * gives the minimum-norm least-squares solution. The dual (kernel) form is used when
 * features outnumber samples. */
int gy_encode_ridge(gy_mat *W, const gy_mat *X, const gy_mat *Y, const double *alphas,
                    int64_t n_alphas);

/* Cross-validated ridge over a grid of alphas solved at once per fold from one
 * eigendecomposition of X'X (or of XX' when features outnumber training samples).
 * Scores are averaged over folds; the best alpha per target (local_alpha = 1) or for all
 * targets (local_alpha = 0) is the argmax of mean score + 1e-10 log(alpha) (ties go to the
 * larger alpha); W is refit on all samples with it. Outputs (any may be NULL except W):
 * best_alphas 1 x m, cv_scores 1 x m (mean score at the chosen alpha, plus the
 * 1e-10 log(alpha) tie-break term as himalaya reports it), all_scores
 * n_alphas x m (mean score of each alpha). Targets are processed n_targets_batch at a time
 * per thread (0: automatic, about 32 MB of work arrays per thread); threads follow
 * gy_linalg_threads and results do not depend on their number. */
int gy_encode_ridge_cv(gy_mat *W, gy_mat *best_alphas, gy_mat *cv_scores, gy_mat *all_scores,
                       const gy_mat *X, const gy_mat *Y, const double *alphas, int64_t n_alphas,
                       const int64_t *fold, int64_t n_folds, int score_kind, int local_alpha,
                       int64_t n_targets_batch);

/* out (1 x m): the score of predictions P for targets Y (both n x m), per column. */
int gy_encode_score(gy_mat *out, const gy_mat *Y, const gy_mat *P, int score_kind);

/* Fold labels of unshuffled k-fold (sklearn KFold): the first n mod k folds have one
 * sample more. fold must hold n values. */
int gy_encode_kfold(int64_t *fold, int64_t n, int64_t k);

/* Canonical HRFs, nilearn's _gamma_difference_hrf (SPM's double gamma). */
enum gy_encode_hrf_model {
  GY_ENCODE_HRF_SPM = 0,   /* peak 6 s, undershoot 16 s, dispersions 1, ratio 0.167 */
  GY_ENCODE_HRF_GLOVER = 1 /* peak 6 s, undershoot 12 s, dispersions 0.9, ratio 0.35 */
};

/* out (k x 1): the HRF sampled every tr/oversampling seconds over time_length seconds
 * (k = rint(time_length oversampling / tr) points spread by linspace), shifted by onset
 * seconds and normalised to sum 1, as nilearn's spm_hrf / glover_hrf. */
int gy_encode_hrf(gy_mat *out, double tr, int model, int64_t oversampling, double time_length,
                  double onset);

/* out (n x p): each column of X (sampled every tr seconds, held constant within a sample)
 * convolved with the HRF on the oversampled grid and read back at the samples, causal and
 * truncated to n samples. */
int gy_encode_convolve_hrf(gy_mat *out, const gy_mat *X, double tr, int model,
                           int64_t oversampling, double time_length);

/* out (n x p): X z-scored (ddof 0) within each run; run[i] in 0..n_runs-1 labels sample i.
 * A column constant within a run becomes 0 there. */
int gy_encode_zscore_runs(gy_mat *out, const gy_mat *X, const int64_t *run, int64_t n_runs);

/* Noise ceilings from repeated presentations. R stacks n_repeats blocks of T rows (repeat r
 * in rows r T .. r T + T - 1) of m targets.
 * out (1 x m): explainable variance var_t(mean_r R) / mean_r var_t(R) (ddof 1), each repeat
 * z-scored over time first when do_zscore, minus (1 - ev)/(n_repeats - 1) when
 * bias_correction (voxelwise_tutorials' explainable_variance). */
int gy_encode_explainable_variance(gy_mat *out, const gy_mat *R, int64_t n_repeats,
                                   int bias_correction, int do_zscore);

/* out (3 x m): rows CCnorm, CCabs, CCmax of predictions P (T x m) against the repeats R
 * (Schoppe et al. 2016, calc_CCnorm.m): CCabs = cov(ybar, p)/sqrt(var ybar var p) (1/T),
 * SP = (var(sum_r R_r) - sum_r var(R_r))/(N(N-1)) (ddof 1), CCnorm = cov(ybar, p)/
 * sqrt(SP var p), CCmax = sqrt(SP/var ybar). Where SP <= 0: CCnorm NaN and CCmax 0. */
int gy_encode_ccnorm(gy_mat *out, const gy_mat *R, int64_t n_repeats, const gy_mat *P);

/* Block-permutation test of prediction scores. The rows of Y are cut into consecutive
 * blocks of block_len samples (the last may be shorter); each of n_perm seeded
 * permutations reorders the blocks of Y (the same order for every target, so the
 * maximum over targets is a valid null for family-wise control) and scores P against it.
 * Outputs (1 x m, any may be NULL): score (observed), pval = (1 + #{null >= score}) /
 * (1 + n_perm), pval_max = the same against the maximum of each permutation over targets;
 * null_max (n_perm x 1) the maxima. Constant targets score 0 and get p = 1. */
int gy_encode_permutation_test(gy_mat *score, gy_mat *pval, gy_mat *pval_max, gy_mat *null_max,
                               const gy_mat *Y, const gy_mat *P, int score_kind, int64_t n_perm,
                               int64_t block_len, uint64_t seed);

#endif
