-- Help texts of gy.ica.find_bads, apply, outliers, ctps and ctps_threshold
-- (lua/gyrus/ica_artifact.lua). Format: a signature line, one paragraph, options with
-- defaults, and an "Example:" whose indented lines tests/lua/help_spec.lua runs.
return {
["gy.ica.find_bads"] = [[
gy.ica.find_bads(model, X, ref [, opts]) -> indices, scores [, n_epochs]
Components of an ICA that follow a reference channel (EOG for blinks and eye movements, ECG
for heartbeats), as MNE-Python's ICA.find_bads_eog / find_bads_ecg(method="correlation").
The sources of X (samples x channels) under model (from gy.ica.fit) are s = (X - mean)
unmixing'; sources and ref (samples x m reference channels, or a vector) are band-passed,
and each component's score is the Pearson correlation r(s_k, ref_j) (scipy.stats.pearsonr).
With measure = "zscore" the outliers of each reference's scores are found by MNE's iterated
z-score rule (gy.ica.outliers: up to 2 passes of z = |r - mean| / sd over the scores not yet
marked, marking z > threshold); with "correlation" they are the |r| > threshold. indices
(1-based) is the union over the reference channels ordered by decreasing |r|, as MNE; scores
is a components x m matrix. Differences from MNE: the band-pass is a zero-phase Butterworth
filter (gy.signal.butterworth: scipy's butter(order) run forward and backward) where MNE
uses a windowed FIR (firwin2, "zero-double"), so filtered scores differ slightly; without
filtering (l_freq = false, h_freq = false) the scores and indices equal MNE's to 1e-10.
Among n components |z| cannot exceed sqrt(n - 1) (3.3 for 12), so with few components the
z-score rule rarely marks anything.
method = "ctps" (MNE's default for find_bads_ecg; one ECG channel): the sources, band-passed,
are cut into epochs tmin..tmax s around the R peaks (events, or found in the ECG band-passed
5-35 Hz as maxima of |ecg| above 60 % of its 99th percentile, >= 0.3 s apart: a plain
detector, not MNE's qrs_detector), each component's score is the maximum over time of the
normalised Kuiper index of its phases across epochs (gy.ica.ctps), and components scoring
>= threshold are returned, highest first, with the scores and the number of epochs.
Options: kind = "eog" | "ecg" (sets the band: 1-10 Hz for EOG, 8-16 Hz for ECG, MNE's
defaults); method = "correlation" | "ctps"; threshold = "auto" (3.0 for zscore, 0.9 for
correlation, gy.ica.ctps_threshold(sfreq) for ctps); measure = "zscore" | "correlation";
sfreq = sampling rate in Hz (required when filtering and for ctps); l_freq = "auto" (the
kind's band) or Hz or false; h_freq = "auto" or Hz or false; order = 4 (Butterworth);
events = R-peak samples (1-based; ctps); tmin = -0.5, tmax = 0.5 (s, ctps epochs).

Example:
  local T, fs = 2000, 100
  local S = gy.randn(T, 12, { seed = 1 }):map(function(v) return v ^ 3 end)
  local eog = gy.randn(T, 1, { seed = 3 }) * 0.3 -- EOG electrode noise
  for t = 1, T do
    local blink = (t % 300 < 20) and 5 or 0
    S:set(t, 3, 0.1 * S:get(t, 3) + blink)
    eog:set(t, 1, eog:get(t, 1) + blink)
  end
  local X = S * gy.randn(12, 12, { seed = 2 })
  local m = gy.ica.fit(X, { seed = 1, max_iter = 1000 })
  local bad, scores = gy.ica.find_bads(m, X, eog, { sfreq = fs })
  print("blink components:", table.concat(bad, ", "))
]],
["gy.ica.apply"] = [[
gy.ica.apply(model, X [, opts]) -> cleaned
X (samples x channels) without the excluded components of an ICA, as MNE-Python's
ICA.apply(inst, exclude=...): cleaned = X - S_e A_e' where S_e = (X - mean) U_e' are the
excluded sources (U = model.unmixing, rows e) and A_e the matching columns of model.mixing.
With as many components as channels this is mean + (sources with the excluded ones zeroed)
mixing'; with fewer, whatever the ICA did not span passes through unchanged (MNE keeps the
residual PCA components), so excluding nothing returns X exactly. X may be other data than
the model was fitted on (same channels). Equal to MNE's apply to 1e-10.
Options: exclude = {} (1-based component numbers, e.g. the indices of gy.ica.find_bads).

Example:
  local X = gy.randn(500, 4, { seed = 3 })
  local m = gy.ica.fit(X, { seed = 1, max_iter = 2000, tol = 1e-3 })
  local clean = gy.ica.apply(m, X, { exclude = { 2 } })
  print(clean:shape())
]],
["gy.ica.ctps"] = [[
gy.ica.ctps(epochs) -> pk, ks
Cross-trial phase statistics (Dammers et al. 2008) as MNE-Python's
mne.preprocessing.ctps_.ctps: epochs is a list of n >= 2 matrices (samples x sources, same
shape, already band-passed). Each epoch's phase is phi = (angle(hilbert(x)) + pi) / (2 pi)
(scipy.signal.hilbert: the analytic signal by the DFT); per source and sample, Kuiper's
statistic of the n sorted phases against the uniform distribution, ks = max_j(j/n - phi_(j))
+ max_j(phi_(j) - (j-1)/n), and its normalised index pk = -log(sum_{j=1..100} 2 (4 j^2 l^2 -
1) exp(-2 j^2 l^2)) / (2 n) with l = (sqrt(n) + 0.155 + 0.24/sqrt(n)) ks, 0 when l < 0.4,
clipped to 1. pk and ks are samples x sources; equal to MNE's to 1e-10.

Example:
  local ep = {}
  for e = 1, 10 do
    local m = gy.randn(50, 2, { seed = e })
    for t = 1, 50 do m:set(t, 1, math.sin(t / 3) + 0.1 * m:get(t, 1)) end -- phase-locked
    ep[e] = m
  end
  local pk = gy.ica.ctps(ep)
  print(pk:col(1):max(), pk:col(2):max())
]],
["gy.ica.ctps_threshold"] = [[
gy.ica.ctps_threshold(sfreq) -> threshold
MNE-Python's automatic CTPS threshold (ICA._get_ctps_threshold with pk_threshold 20): the V
in 0.01, 0.02, ..., 0.99 whose first Kuiper term 2 (4 (V C)^2 - 1) exp(-2 (V C)^2) is closest
to 1e-20, with C = sqrt(N) + 0.155 + 0.24 / sqrt(N) and N the sampling rate (MNE uses the
sampling rate where the number of epochs would be expected; reproduced as is).

Example:
  print(gy.ica.ctps_threshold(250))  -- 0.32
]],
["gy.ica.outliers"] = [[
gy.ica.outliers(scores [, opts]) -> indices
The outliers of a vector of scores by MNE-Python's iterated z-score rule
(mne.preprocessing.bads._find_outliers): for up to max_iter passes, z-score (ddof 0) the
scores not yet marked, mark every one whose z exceeds threshold (tail 0: |z|, 1: z,
-1: -z), stop when a pass marks none. Returns the marked 1-based indices in increasing
order. Constant scores mark nothing. Note: MNE's own code, with scipy 1.10, turns the
z-scores of later passes into NaN once the first score is marked (scipy's zscore compares
against the masked first element), so MNE then stops after that pass; gyrus follows the
rule as documented and agrees with MNE whenever the first score is not an outlier.
Options: threshold = 3.0; max_iter = 2; tail = 0.

Example:
  local r = { 0.02, -0.01, 0.9, 0.03, 0.0, -0.02, 0.01, 0.02, -0.03, 0.01, 0.0, 0.02, 0.35 }
  print(table.concat(gy.ica.outliers(r), ", "))
]],
}
