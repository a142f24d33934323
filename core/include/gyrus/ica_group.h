/* gyrus: group ICA for fMRI, as GIFT (Calhoun et al. 2001; Erhardt et al. 2011).
 *
 * Subject data Y are time x voxels (observations x variables). Spatial ICA treats the
 * voxels as the samples: each subject's time dimension is reduced by PCA, the reduced data
 * of all subjects are concatenated and reduced again, ICA runs on the group data (voxels x
 * components) and the group unmixing is back-projected onto every subject (GICA1, GICA3)
 * or regressed onto it (dual regression). Maps are components x voxels, time courses
 * time x components. */
#ifndef GYRUS_ICA_GROUP_H
#define GYRUS_ICA_GROUP_H

#include "mat.h"

/* GICA1: maps_i = W pinv(dewhite2_i) pcasig_i', tc_i = dewhite1_i dewhite2_i pinv(W)
 * (GIFT's "GICA"); GICA3: maps_i = W white2_i pcasig_i', tc_i = dewhite1_i pinv(white2_i)
 * pinv(W) (GIFT's "GICA3"). */
enum gy_ica_back { GY_ICA_BACK_GICA1 = 0, GY_ICA_BACK_GICA3 = 1 };

/* PCA reduction of one data set Y (time x voxels) to n dimensions, as GIFT's "standard"
 * PCA. spatial = 1: voxels are the samples; each time point (row) is centred over the
 * voxels and the time dimension is reduced: pcasig (voxels x n), white (n x time),
 * dewhite (time x n). spatial = 0: time points are the samples; each voxel is centred over
 * time and the voxel dimension is reduced: pcasig (time x n), white (n x voxels), dewhite
 * (voxels x n). With D the centred samples x dims data, C = D'D / (samples - 1) = E L E'
 * (eigenvalues descending, each eigenvector's largest-|.| entry positive): white =
 * L^-1/2 E', dewhite = E L^1/2, pcasig = D white', eigenvalues (n x 1) = the top n of L.
 * The eigendecomposition is taken of whichever of D'D and DD' is smaller. n beyond the
 * rank of D is an error. */
int gy_ica_group_reduce(gy_mat *pcasig, gy_mat *white, gy_mat *dewhite, gy_mat *eigenvalues,
                        const gy_mat *Y, int64_t n, int spatial);

/* Concatenation of count matrices: along_rows = 1 stacks them vertically (equal column
 * counts), 0 side by side (equal row counts). */
int gy_ica_group_concat(gy_mat *out, const gy_mat *const *parts, int64_t count,
                        int along_rows);

/* Back-reconstruction of one subject from the two-stage reduction. pcasig (voxels x n1)
 * and dewhite1 (time x n1) are the subject's first-stage outputs; white2 (n2 x M n1) and
 * dewhite2 (M n1 x n2) the group stage; W (n2 x n2) the ICA unmixing of the group data
 * (group maps' = pcasig2 W'); offset the subject's first column in the concatenation
 * (its block b = offset .. offset + n1 - 1). Outputs maps (n2 x voxels) and tc
 * (time x n2). method: enum gy_ica_back. */
int gy_ica_group_backrecon(gy_mat *maps, gy_mat *tc, const gy_mat *pcasig,
                           const gy_mat *dewhite1, const gy_mat *white2,
                           const gy_mat *dewhite2, const gy_mat *W, int64_t offset,
                           int method);

/* Dual regression of a subject Y (time x voxels) on group maps G (n x voxels).
 * Stage 1 (spatial regression): tc = (pinv(Gc') Yr')', Gc each map centred over voxels,
 * Yr each time point centred over voxels: tc (time x n). Stage 2 (temporal regression):
 * maps = pinv(tcc) Yc, tcc = tc centred over time (and scaled to unit standard deviation,
 * ddof 1, when des_norm = 1, as FSL dual_regression's --des_norm), Yc each voxel centred
 * over time: maps (n x voxels). */
int gy_ica_dual_regression(gy_mat *tc, gy_mat *maps, const gy_mat *Y, const gy_mat *G,
                           int des_norm);

/* Order of components by explained variance and sign to positive skew. maps (n x voxels),
 * tc (time x n). variance (n x 1): the share of component k in the summed energy of the
 * rank-one back-projections, ||tc_k||^2 ||maps_k||^2 / sum_j ||tc_j||^2 ||maps_j||^2,
 * in the new order; order (n x 1): the 0-based original index of each sorted component
 * (descending variance, ties keep the original order); sign (n x 1): +1 or -1 per sorted
 * component, making the skewness of its map over voxels non-negative. */
int gy_ica_group_sort(gy_mat *order, gy_mat *sign, gy_mat *variance, const gy_mat *maps,
                      const gy_mat *tc);

/* out = the rows (by_rows = 1) or columns (0) of A taken in order (0-based indices) and
 * multiplied by sign (NULL: no sign change). */
int gy_ica_group_permute(gy_mat *out, const gy_mat *A, const gy_mat *order,
                         const gy_mat *sign, int by_rows);

#endif
