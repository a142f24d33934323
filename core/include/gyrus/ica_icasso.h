/* gyrus: ICASSO-style stability of ICA estimates (Himberg, Hyvarinen & Esposito 2004).
 *
 * The estimated sources of several ICA runs (random initialisations and/or bootstrap
 * resamples) are compared by absolute correlation, clustered by average-linkage
 * agglomeration of the distance 1 - similarity, and each cluster is scored by the quality
 * index Iq = mean intra-cluster similarity - mean extra-cluster similarity. */
#ifndef GYRUS_ICA_ICASSO_H
#define GYRUS_ICA_ICASSO_H

#include "mat.h"

/* S (N x N) = |corr| between the columns of E (samples x N estimates), clipped to [0, 1],
 * ones on the diagonal. A constant column is an error. */
int gy_icasso_similarity(gy_mat *S, const gy_mat *E);

/* Average-linkage agglomerative clustering (UPGMA, as scipy's linkage(method="average"))
 * of the distance 1 - S, cut into k clusters (scipy's fcluster(criterion="maxclust")
 * when merge heights do not tie). labels (N x 1): 0-based cluster of each estimate,
 * clusters numbered in the order of their first member. heights (N - 1 x 1, may be NULL):
 * the sorted merge distances of the dendrogram. */
int gy_icasso_cluster(gy_mat *labels, gy_mat *heights, const gy_mat *S, int64_t k);

/* Per cluster c (k x 1 outputs): iq = mean_{i != j in c} S_ij - mean_{i in c, j not in c}
 * S_ij (a single-member cluster counts intra-similarity 1, as Icasso 1.22; with one
 * cluster the extra term is 0); centrotype = 0-based index of the member with the largest
 * summed similarity to its cluster (first on ties); size = members. */
int gy_icasso_quality(gy_mat *iq, gy_mat *centrotype, gy_mat *size, const gy_mat *S,
                      const gy_mat *labels, int64_t k);

/* Bootstrap resample of the rows of X (samples x channels): out row i = X row
 * floor(uniform * rows) drawn from gy_rng seeded with seed. */
int gy_icasso_resample(gy_mat *out, const gy_mat *X, uint64_t seed);

#endif
