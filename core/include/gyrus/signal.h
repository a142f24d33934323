/* gyrus: signal cleaning as nilearn.signal.clean (Butterworth path).
 *
 * Signals are time points x channels. The order of operations is nilearn's: detrend
 * (signals and confounds), Butterworth zero-phase filter (signals and confounds, Lindquist
 * et al. 2018), censoring of volumes, confound regression by orthogonal projection,
 * standardisation. Filters follow scipy.signal.butter(output="sos", fs) applied with
 * sosfiltfilt (odd padding of 3 (order_total + 1) samples by default). */
#ifndef GYRUS_SIGNAL_H
#define GYRUS_SIGNAL_H

#include "mat.h"

enum gy_signal_standardize {
  GY_SIGNAL_STD_NONE = 0,
  GY_SIGNAL_ZSCORE_SAMPLE = 1, /* (x - mean) / std with ddof 1 */
  GY_SIGNAL_ZSCORE = 2,        /* (x - mean) / std with ddof 0 */
  GY_SIGNAL_PSC = 3            /* 100 (x - mean) / |mean| */
};

typedef struct gy_signal_clean_opts {
  int32_t detrend;               /* 1: remove the mean and the linear trend */
  int32_t standardize;           /* enum gy_signal_standardize */
  int32_t standardize_confounds; /* 1: z-score the confounds, 0: divide by max |c| */
  int32_t order;                 /* Butterworth order (nilearn: 5) */
  int32_t extrapolate;           /* censoring with a filter: 1 extrapolates the spline past the
                                    first and last kept volumes, 0 drops those volumes */
  double t_r;                    /* repetition time in seconds */
  double low_pass;               /* Hz; 0 = no low-pass */
  double high_pass;              /* Hz; 0 = no high-pass */
  int64_t padlen;                /* filter padding; -1 = scipy's default */
} gy_signal_clean_opts;

/* Fills opts with nilearn's defaults: detrend, zscore_sample, standardize_confounds,
 * order 5, no extrapolation, t_r 2.5, no filter, default padding. */
void gy_signal_clean_defaults(gy_signal_clean_opts *opts);

/* Cleans X (n x p). confounds (n x q) may be NULL. keep (n_keep increasing 0-based time
 * indices, NULL for all) censors volumes; out is n_keep x p. With a filter the censored
 * volumes are first replaced by a not-a-knot cubic spline through the kept ones
 * (scipy CubicSpline, as nilearn), filtered, then removed. */
int gy_signal_clean(gy_mat *out, const gy_mat *X, const gy_mat *confounds, const int64_t *keep,
                    int64_t n_keep, const gy_signal_clean_opts *opts);

/* nilearn _detrend: removes each column's mean and its projection on the centred,
 * normalised time ramp. */
int gy_signal_detrend(gy_mat *out, const gy_mat *X);

/* Butterworth second-order sections (n_sections x 6: b0 b1 b2 a0 a1 a2) of
 * scipy.signal.butter(order, Wn, btype, output="sos", fs): low_pass only is a low-pass,
 * high_pass only a high-pass, both a band-pass (0 = absent). */
int gy_signal_butter(gy_mat *sos, int order, double low_pass, double high_pass, double fs);

/* Zero-phase filtering of every column of X by the sections sos (scipy sosfiltfilt with
 * odd padding); padlen -1 takes scipy's default 3 * (2 n_sections + 1 - first-order
 * sections). */
int gy_signal_sosfiltfilt(gy_mat *out, const gy_mat *sos, const gy_mat *X, int64_t padlen);

#endif
