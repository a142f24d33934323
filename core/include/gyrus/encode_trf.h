/* gyrus: temporal response functions (mTRF-Toolbox semantics) and Haufe patterns.
 *
 * A TRF maps inputs X (n x p) to outputs Y (n x q) through the time-lagged design
 * [1 | X(t - l0) | X(t - l1) | ...] (lag-major, zero-padded, a leading bias column), with
 * weights and penalty scaled by the sampling rate as mTRFtrain does:
 *   w = (sum_trials Xl'Xl + lambda fs M)^-1 (sum_trials Xl'Y) fs.
 * The forward model takes X = stimulus, Y = response; the backward model is the same fit
 * with X = response, Y = stimulus and negated, swapped lags (the Lua layer does that). */
#ifndef GYRUS_ENCODE_TRF_H
#define GYRUS_ENCODE_TRF_H

#include "mat.h"

enum gy_trf_method {
  GY_TRF_RIDGE = 0,    /* M = I, bias unpenalised */
  GY_TRF_LAPLACIAN = 1 /* M = D'D / 2 over the lags of each feature (mTRF's Tikhonov) */
};

/* Fits a TRF on n_trials trials X[t] (n_t x p), Y[t] (n_t x q), covariances summed over
 * trials. W ((p * n_lags) x q, row l*p + f = feature f at lags[l]) and b (1 x q) are
 * filled. lambda >= 0, fs > 0. */
int gy_encode_trf(gy_mat *W, gy_mat *b, const gy_mat *X, const gy_mat *Y, int64_t n_trials,
                  const int64_t *lags, int64_t n_lags, double lambda, double fs, int method);

/* out (n x q) = ([1 | lagged X] [b; W]) / fs, as mTRFpredict. */
int gy_encode_trf_predict(gy_mat *out, const gy_mat *X, const gy_mat *W, const gy_mat *b,
                          const int64_t *lags, int64_t n_lags, double fs);

/* Haufe et al. (2014) activation patterns A (d x q) = Cov(X) W Cov(X W)^+ of a linear
 * backward model with design X (n x d) and weights W (d x q); covariances of centred
 * columns, pseudo-inverse of the output covariance. */
int gy_encode_haufe(gy_mat *A, const gy_mat *X, const gy_mat *W);

#endif
