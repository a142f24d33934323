/* gyrus: spectral connectivity of EEG/MEG epochs (mne-connectivity's
 * spectral_connectivity_epochs).
 *
 * Epochs are one matrix X of n_times rows and n_signals*n_epochs columns: column
 * e*n_signals + s is signal s of epoch e, so every time series is contiguous for the FFT.
 * Connections are all pairs of the lower triangle in row order, as numpy's
 * tril_indices(n_signals, -1): (1,0), (2,0), (2,1), (3,0), ...; connection c = (i, j),
 * i > j, has the seed i and the target j, and its cross-spectrum is S = X_i conj(X_j)
 * (Im S > 0 when the seed's phase leads). Outputs have one row per connection and one
 * column per frequency (or per band with faverage). */
#ifndef GYRUS_SPECTRAL_H
#define GYRUS_SPECTRAL_H

#include "mat.h"

enum gy_spectral_mode {
  GY_SPECTRAL_MULTITAPER = 0, /* DPSS tapers, weights sqrt(eigenvalue) (adaptive = 0) */
  GY_SPECTRAL_FOURIER = 1     /* Hanning window, weight 1 */
};

enum gy_spectral_method {
  GY_SPECTRAL_COH = 0,
  GY_SPECTRAL_COHY = 1, /* complex: out has 2*n_freqs columns, real parts then imaginary */
  GY_SPECTRAL_IMCOH = 2,
  GY_SPECTRAL_PLV = 3,
  GY_SPECTRAL_CIPLV = 4,
  GY_SPECTRAL_PPC = 5,
  GY_SPECTRAL_PLI = 6,
  GY_SPECTRAL_PLI2_UNBIASED = 7,
  GY_SPECTRAL_DPLI = 8,
  GY_SPECTRAL_WPLI = 9,
  GY_SPECTRAL_WPLI2_DEBIASED = 10
};

/* Discrete prolate spheroidal sequences as MNE's dpss_windows (scipy's dpss with norm 2):
 * tapers (n x k, one taper per column) and their concentration ratios (k x 1), for
 * length n, half bandwidth half_nbw and at most kmax tapers. sym = 0 makes periodic
 * tapers (computed at length n+1, last sample dropped); low_bias = 1 keeps the tapers with
 * ratio > 0.9 (the best one if none is). */
int gy_spectral_dpss(gy_mat *tapers, gy_mat *ratios, int64_t n, double half_nbw, int64_t kmax,
                     int sym, int low_bias);

/* Connectivity of the epochs in X (see above) sampled at sfreq Hz. Frequencies are the
 * rfft bins of n_times within any band [fmin[b], fmax[b]] (b < n_bands); freqs (empty)
 * receives them as a column. mt_bandwidth <= 0 means half bandwidth 4 (mne's default).
 * outs[m] (empty) receives method methods[m]; with faverage = 1 its columns are the bands
 * (the method's value averaged over each band's bins). */
int gy_spectral_conn(gy_mat *outs, gy_mat *freqs, const gy_mat *X, int64_t n_signals,
                     double sfreq, int mode, const int *methods, int64_t n_methods,
                     const double *fmin, const double *fmax, int64_t n_bands, int faverage,
                     double mt_bandwidth, int mt_low_bias);

/* Connectivity from Morlet wavelet transforms (mne-connectivity's mode "cwt_morlet": MNE's
 * morlet(sfreq, freqs, n_cycles, zero_mean=True), cwt(..., use_fft=True, mode="same"),
 * S = W_x conj(W_y) per frequency and time point, no mean removal). outs[m] (empty) has one
 * row per connection and n_freqs*n_times columns, column f*n_times + t (cohy: twice as many,
 * real parts then imaginary). n_cycles has n_freqs entries; every wavelet must fit in the
 * epoch. */
int gy_spectral_conn_cwt(gy_mat *outs, const gy_mat *X, int64_t n_signals, double sfreq,
                         const int *methods, int64_t n_methods, const double *freqs,
                         const double *n_cycles, int64_t n_freqs);

#endif
