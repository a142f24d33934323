/* gyrus: encoding models — design matrices (FIR delays, TRF lags), ridge regression for
 * many targets, cross-validated ridge with one alpha per target (himalaya's RidgeCV
 * semantics), and per-target scores.
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
 * (0: automatic) to bound memory. */
int gy_encode_ridge_cv(gy_mat *W, gy_mat *best_alphas, gy_mat *cv_scores, gy_mat *all_scores,
                       const gy_mat *X, const gy_mat *Y, const double *alphas, int64_t n_alphas,
                       const int64_t *fold, int64_t n_folds, int score_kind, int local_alpha,
                       int64_t n_targets_batch);

/* out (1 x m): the score of predictions P for targets Y (both n x m), per column. */
int gy_encode_score(gy_mat *out, const gy_mat *Y, const gy_mat *P, int score_kind);

/* Fold labels of unshuffled k-fold (sklearn KFold): the first n mod k folds have one
 * sample more. fold must hold n values. */
int gy_encode_kfold(int64_t *fold, int64_t n, int64_t k);

#endif
