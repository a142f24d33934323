/* gyrus: topological RSA (Lin and Kriegeskorte, arXiv:2309.11028).
 *
 * Rank-transformed geo-topological matrices (RGTM) and their geodesic version (RGTD) on RDM
 * vectors (K x 1, upper triangle in row order, see rsa.h). Thresholds are quantiles of the
 * min-max scaled ranks, as in the authors' code (doerlbh/TopologicalRSA, utils_transform.py);
 * quantiles are taken per RDM (rsatoolbox pools them over all RDMs of an object). A NaN
 * entry is a missing pair: it keeps NaN and is no edge of the geodesic graph. */
#ifndef GYRUS_RSA_TRSA_H
#define GYRUS_RSA_TRSA_H

#include "mat.h"

/* How pairs at distance 0 after the transform enter the geodesic graph. */
enum gy_rsa_zero_edge {
  GY_RSA_ZERO_NO_EDGE = 0, /* upstream (networkx from_numpy_array): zero is no edge */
  GY_RSA_ZERO_IS_EDGE = 1  /* a zero-length edge: pairs GT calls identical stay joined */
};

/* What geodesic distances between disconnected conditions become. */
enum gy_rsa_inf_policy {
  GY_RSA_INF_KEEP = 0, /* +inf (upstream); with ranking they share the top average rank */
  GY_RSA_INF_MAX = 1   /* the largest finite geodesic distance */
};

/* Average ranks 1..K of the finite entries of v (scipy.stats.rankdata); NaN stays NaN. */
int gy_rsa_rank(gy_mat *out, const gy_mat *v);
/* RGTM: x = minmax(rank(v)); a, b = numpy linear quantiles of x at lower and upper
 * (0 <= lower <= upper <= 1); g = 0 below a, (x - a)/(b - a) between, 1 above b. When
 * a = b the band is a single value, which gets 0 (binary adjacency). */
int gy_rsa_rgtm(gy_mat *out, const gy_mat *v, double lower, double upper);
/* Geodesic ("twostep") transform of a GT vector g: min-max scale, join pairs with weight
 * in (0, 1) (and [0, 1) with GY_RSA_ZERO_IS_EDGE), then all-pairs shortest path lengths
 * (Floyd-Warshall). inf_policy: enum gy_rsa_inf_policy; rank_after = 1 ranks the result as
 * the authors' code does. */
int gy_rsa_geodesic(gy_mat *out, const gy_mat *g, int zero_edge, int inf_policy,
                    int rank_after);
/* RGTD = geodesic(rgtm(v, lower, upper)). */
int gy_rsa_rgtd(gy_mat *out, const gy_mat *v, double lower, double upper, int zero_edge,
                int inf_policy, int rank_after);
/* Threshold sweep for model selection: scores (n_pairs x 1) holds, for each pair p, the
 * mean over the columns of data (K x N, one RDM vector each) of
 * gy_rsa_compare(T(data_j), T(model), method), T = RGTM at (lower[p], upper[p]) or, with
 * geodesic = 1, the ranked RGTD with zero_edge and inf_policy. Ranks are computed once per
 * RDM, so a pair costs O(N K) (plus the geodesics). */
int gy_rsa_rgtm_sweep(gy_mat *scores, const gy_mat *data, const gy_mat *model,
                      const double *lower, const double *upper, int64_t n_pairs, int method,
                      int geodesic, int zero_edge, int inf_policy);

#endif
