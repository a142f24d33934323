-- Help texts of gy.signal (lua/gyrus/signal.lua). Format: a signature line, one paragraph,
-- options with defaults, and an "Example:" whose indented lines tests/lua/help_spec.lua runs.
return {
["gy.signal.clean"] = [[
gy.signal.clean(X [, opts]) -> cleaned
Cleans time series (time points x channels) as nilearn.signal.clean with its Butterworth
filter, in nilearn's order: (1) censoring when no filter is asked for, else cubic-spline
interpolation of the censored volumes (removed after filtering); (2) detrend the signals and
the confounds (remove the mean and the projection on the centred time ramp); (3) Butterworth
zero-phase filter of signals and confounds (scipy butter(order, Wn, output="sos", fs =
1/t_r) run forward and backward by sosfiltfilt with odd padding of 3 (total order + 1)
samples: effective order 2 x order), keeping the regression orthogonal to the filter
(Lindquist et al. 2018); (4) confound regression: the confounds are z-scored (or divided by
their maximum |c|), a pivoted QR keeps the columns with |R_ii| > 100 eps, and X <- X - Q Q'X
(after censoring, when filtering); (5) standardisation: "zscore_sample" (x - mean) / std
with ddof 1 (a std below eps counts as 1), "zscore" with ddof 0, or "psc" 100 (x - mean) /
|mean| (against the original mean when detrending or a high-pass removed it; a zero-mean
column gives 0).
Options: detrend = true; standardize = "zscore_sample" (nilearn's default; true is the same)
| "zscore" | "psc" | false; confounds = false (an n x q matrix); standardize_confounds =
true; filter = "butterworth" | "cosine" | false ("cosine", nilearn's DCT path: the drift
of gy.signal.cosine_drift(n, {high_pass, t_r}) without its constant joins the confounds,
unless they already hold every drift cosine (|corr| > 0.9), and no Butterworth filter runs:
censor, detrend, regress, standardise; low_pass is ignored with a warning); low_pass =
false, high_pass = false (Hz; a cut-off at or past Nyquist is lowered just below it with a
warning, as nilearn); bandpass = false ({high_pass, low_pass}, shorthand); t_r = 2.5
(seconds; 'tr' is accepted too); order = 5; padlen = false (scipy's default); sample_mask =
false (kept volumes: increasing 1-based indices or n booleans; with a filter the censored
volumes are first filled by a not-a-knot cubic spline through the kept ones, as nilearn,
then removed after filtering); extrapolate = false (with a filter and censoring: true
extrapolates the spline past the first and last kept volumes, false drops those volumes
before filtering, as nilearn >= 0.13); runs = false (one label per time point: each run is
cleaned on its own and the runs are stacked in sorted label order; sample_mask then is a
list of per-run masks); ensure_finite = false (true: NaN/Inf become 0; otherwise they are an
error naming the element).
Example:
  local X = gy.randn(200, 4, { seed = 1 })
  local Y = gy.signal.clean(X, { low_pass = 0.1, high_pass = 0.01, t_r = 2 })
  print(Y:shape())
]],
["gy.signal.detrend"] = [[
gy.signal.detrend(X) -> D
nilearn's linear detrending (signal._detrend): each column minus its mean, minus its
projection on the centred time ramp r = (0..n-1) - mean, r / ||r||. Equal to
scipy.signal.detrend(X, axis=0, type="linear") up to rounding.
Example:
  print(gy.signal.detrend({ { 1 }, { 3 }, { 5 }, { 8 } }))
]],
["gy.signal.butterworth"] = [[
gy.signal.butterworth(X, opts) -> Y, sos
Zero-phase Butterworth filter of every column (scipy.signal.butter(order, Wn, btype,
output="sos", fs) then sosfiltfilt with odd padding): low_pass alone is a low-pass,
high_pass alone a high-pass, both a band-pass. The second result holds the second-order
sections (one row b0 b1 b2 a0 a1 a2 each; paired differently from scipy, the same filter).
Series not longer than the padding (3 (total order + 1) samples) are an error.
Options: sampling_rate (Hz, required); low_pass = false; high_pass = false (each strictly
between 0 and Nyquist); order = 5; padlen = false (scipy's default).
Example:
  local X = gy.randn(100, 2, { seed = 2 })
  local Y = gy.signal.butterworth(X, { sampling_rate = 0.5, low_pass = 0.1 })
  print(Y:shape())
]],
["gy.signal.cosine_drift"] = [[
gy.signal.cosine_drift(frame_times | n [, opts]) -> D
The discrete cosine drift basis of nilearn (create_cosine_drift, the "cosine" drift model
of make_first_level_design_matrix): with n frames of spacing dt = (t_n - t_1)/(n - 1),
order K = min(n - 1, floor(2 n high_pass dt)) and D[t, k] = sqrt(2/n) cos(pi k (t + 0.5)/n)
for k = 1..K (t = 0..n-1), then a last column of ones: n x (K + 1). It removes drifts
slower than high_pass Hz when regressed out (gy.signal.clean with filter = "cosine").
Options: high_pass = 0.01 (Hz); t_r = false (seconds; required when a frame count n is
given instead of the frame times).
Example:
  local D = gy.signal.cosine_drift(200, { high_pass = 0.01, t_r = 2 })
  print(D:shape())
]],
["gy.signal.high_variance_confounds"] = [[
gy.signal.high_variance_confounds(X [, opts]) -> U
CompCor-like confounds as nilearn.signal.high_variance_confounds: X (time points x voxels)
is detrended (optionally), the columns whose mean of squares v_j = sum_t x_tj^2 / n exceeds
the (100 - percentile)th percentile of v (numpy's linear rule) are kept, and the result is
the n_confounds eigenvectors of X_kept X_kept' / n with the largest eigenvalues (the leading
left singular vectors), largest first: n x n_confounds. Signs are arbitrary, as in nilearn.
Options: n_confounds = 5; percentile = 2.0 (percent of the columns kept); detrend = true.
Example:
  local X = gy.randn(100, 500, { seed = 3 })
  local U = gy.signal.high_variance_confounds(X, { n_confounds = 5 })
  print(U:shape())
]],
}
