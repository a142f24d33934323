/* gyrus: group statistics on connectivity edges.
 *
 * Each subject's connectivity is a row of edge values (n_subjects x n_edges), the strict
 * upper triangle of a p x p matrix in row order ((0,1), (0,2), ..., (1,2), ...). */
#ifndef GYRUS_GROUPSTATS_H
#define GYRUS_GROUPSTATS_H

#include "mat.h"

/* Two-sample t test per column of A (n1 x m) against B (n2 x m): t and p are 1 x m.
 * equal_var = 1 is Student's pooled test (scipy ttest_ind default), 0 is Welch's. */
int gy_group_ttest(gy_mat *t, gy_mat *p, const gy_mat *A, const gy_mat *B, int equal_var);
/* Benjamini-Hochberg adjusted p-values (statsmodels multipletests "fdr_bh"), same shape. */
int gy_group_fdr(gy_mat *q, const gy_mat *p);
/* Network-based statistic (Zalesky 2010, bctpy nbs_bct with tail "both"): edges with
 * |t| > threshold (Welch t as bctpy) form components of the p-node graph, measured by their
 * number of edges; each is compared with the largest component of n_perm relabellings of the
 * subjects (seeded). labels (1 x n_edges) receives the component of each edge (1-based, 0 =
 * none); comps (n_comp x 2) the size and p-value of each component; null (n_perm x 1) the
 * largest size of each permutation. */
int gy_group_nbs(gy_mat *labels, gy_mat *comps, gy_mat *null, const gy_mat *A, const gy_mat *B,
                 int64_t p, double threshold, int64_t n_perm, uint64_t seed);

#endif
