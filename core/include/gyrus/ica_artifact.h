/* gyrus: artifact components of an ICA (EOG/ECG), as MNE-Python's ICA.find_bads_eog /
 * find_bads_ecg ("correlation" route) and ICA.apply(exclude=...).
 *
 * The scores (Pearson r of every source with a reference channel) come from
 * gy_stats_corr2; this module adds MNE's iterated z-score outlier rule and the
 * reconstruction without the excluded components. */
#ifndef GYRUS_ICA_ARTIFACT_H
#define GYRUS_ICA_ARTIFACT_H

#include "mat.h"

/* Which side of the z-scores counts (MNE's tail): both (|z|), high (z) or low (-z). */
enum gy_ica_tail { GY_ICA_TAIL_BOTH = 0, GY_ICA_TAIL_HIGH = 1, GY_ICA_TAIL_LOW = -1 };

/* MNE's _find_outliers: up to max_iter passes; each pass z-scores (ddof 0) the scores not
 * yet marked, marks every one whose z (per tail) exceeds threshold, and stops when a pass
 * marks none. bad (n x 1, an empty output) gets 1 for a marked score, 0 otherwise; scores
 * is a vector (n x 1 or 1 x n). Constant remaining scores mark nothing. */
int gy_ica_artifact_outliers(gy_mat *bad, const gy_mat *scores, double threshold,
                             int64_t max_iter, int tail);

/* X (samples x channels) without the excluded components: out = X - S_e A_e' with
 * S_e = (X - mean) U_e' the excluded sources, U the unmixing (n x channels), A the mixing
 * (channels x n), mean 1 x channels. Whatever the ICA did not span passes through unchanged
 * (MNE keeps the residual PCA components), so excluding nothing returns X.
 * exclude holds n_exclude distinct 0-based component indices. */
int gy_ica_artifact_apply(gy_mat *out, const gy_mat *X, const gy_mat *unmixing,
                          const gy_mat *mixing, const gy_mat *mean, const int64_t *exclude,
                          int64_t n_exclude);

#endif
