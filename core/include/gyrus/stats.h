/* gyrus: statistics along a dimension.
 *
 * dim 0 reduces over rows (one value per column, numpy axis=0: a 1 x cols result); dim 1
 * reduces over columns (rows x 1). Data are observations x variables, so dim 0 is the
 * usual one. Non-finite input is an error (GY_EINVAL naming the first bad element). */
#ifndef GYRUS_STATS_H
#define GYRUS_STATS_H

#include "mat.h"

int gy_stats_sum(gy_mat *out, const gy_mat *X, int dim);
int gy_stats_mean(gy_mat *out, const gy_mat *X, int dim);
/* Variance sum((x - mean)^2) / (n - ddof); n - ddof <= 0 is an error. */
int gy_stats_var(gy_mat *out, const gy_mat *X, int dim, double ddof);
int gy_stats_std(gy_mat *out, const gy_mat *X, int dim, double ddof);
/* (x - mean) / std along dim (scipy.stats.zscore); a constant slice is an error. */
int gy_stats_zscore(gy_mat *out, const gy_mat *X, int dim, double ddof);
/* Removes a least-squares polynomial of the given order (0: mean, 1: linear, as
 * scipy.signal.detrend) from every column, the row index being time. */
int gy_stats_detrend(gy_mat *out, const gy_mat *X, int order);
/* Pearson correlation of the columns of X (cols x cols); a constant column is an error. */
int gy_stats_corr(gy_mat *out, const gy_mat *X);
/* Pearson correlation of every column of X with every column of Y (X.cols x Y.cols);
 * X and Y have the same number of rows. */
int gy_stats_corr2(gy_mat *out, const gy_mat *X, const gy_mat *Y);
/* Ranks 1..n along dim, ties get their average rank (scipy.stats.rankdata). */
int gy_stats_rank(gy_mat *out, const gy_mat *X, int dim);
/* Quantiles q (each in [0, 1]) along dim with numpy's default "linear" rule; the result
 * has nq rows (dim 0) or nq columns (dim 1). */
int gy_stats_quantile(gy_mat *out, const gy_mat *X, const double *q, int64_t nq, int dim);

#endif
