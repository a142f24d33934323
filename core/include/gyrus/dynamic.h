/* gyrus: dynamic (time-resolved) connectivity.
 *
 * Data are time points x regions (n x p). Sliding windows follow pydfc/teneto: windows of
 * `window` samples start at 0, step, 2 step, ... while they fit; a tapered window weighs the
 * samples and the connectivity is the weighted Pearson estimate (statsmodels DescrStatsW).
 * Phase synchrony follows teneto (Glerean 2012) and LEiDA (Cabral 2017) on the phase of the
 * analytic signal (scipy.signal.hilbert). */
#ifndef GYRUS_DYNAMIC_H
#define GYRUS_DYNAMIC_H

#include "mat.h"

enum gy_dyn_taper {
  GY_DYN_RECTANGULAR = 0, /* all weights 1 */
  GY_DYN_HAMMING = 1,     /* 0.54 - 0.46 cos(2 pi k / (W - 1)), numpy.hamming */
  GY_DYN_GAUSSIAN = 2     /* rectangle convolved with a Gaussian of std sigma (Allen 2014) */
};

enum gy_dyn_sync {
  GY_DYN_SYNC_IPS = 0, /* 1 - sin(|theta_i - theta_j| / 2), teneto instantaneousphasesync */
  GY_DYN_SYNC_COS = 1  /* cos(theta_i - theta_j), LEiDA's iFC */
};

/* The taper weights (window x 1). For the Gaussian taper sigma <= 0 takes 3W/22 (pydfc). */
int gy_dyn_taper(gy_mat *out, int64_t window, int taper, double sigma);
/* Number of windows of X's length n: floor((n - window) / step) + 1 (0 if window > n). */
int64_t gy_dyn_n_windows(int64_t n, int64_t window, int64_t step);
/* One connectivity matrix per window into outs[0..n_windows) (each p x p): with weights NULL
 * (or all equal) the window's matrix is gy_conn_matrix(kind, estimator, standardize);
 * otherwise weights (window x 1, >= 0) give the weighted covariance or correlation (kind
 * GY_CONN_COVARIANCE or GY_CONN_CORRELATION only, normalised by the sum of weights). */
int gy_dyn_sliding(gy_mat *outs, const gy_mat *X, int64_t window, int64_t step,
                   const gy_mat *weights, int kind, int estimator, int standardize);
/* Instantaneous phase (n x p, radians in (-pi, pi]) of each column's analytic signal
 * (FFT-based, as scipy.signal.hilbert); demean = 1 removes each column's mean first. */
int gy_dyn_phase(gy_mat *out, const gy_mat *X, int demean);
/* Phase synchrony of every pair at every time point: out is n x p(p-1)/2, the pairs (i < j)
 * in row order of the upper triangle. */
int gy_dyn_phase_sync(gy_mat *out, const gy_mat *X, int method, int demean);

#endif
