-- Help texts of gy.conn.spectral (lua/gyrus/spectral.lua), to be merged into the conn help.
-- Format: a signature line, one paragraph, options with defaults, and an "Example:" whose
-- indented lines tests/lua/help_spec.lua runs.
return {
["gy.conn.spectral"] = [[
gy.conn.spectral(epochs, opts) -> result
Spectral connectivity of EEG/MEG epochs as mne-connectivity's spectral_connectivity_epochs.
epochs is a Lua list of (times x channels) matrices (or tables of rows), all the same shape.
Each signal is de-meaned and tapered; X_k = rfft(x * taper_k) with the DC and (even length)
Nyquist bins divided by sqrt 2; the cross-spectrum of seed x and target y per epoch is
S = 2 sum_k w_k^2 X_k conj(Y_k) / sum_k w_k^2 (multitaper: MNE's DPSS tapers, w_k =
sqrt(concentration); fourier: numpy's Hanning window, w = 1). With E[.] the mean over epochs:
coh = |E[S]| / sqrt(E[Sxx] E[Syy]); cohy = E[S] / sqrt(..) (complex: {re=, im=}); imcoh =
Im E[S] / sqrt(..); plv = |E[S/|S|]|; ciplv = |Im E[S/|S|]| / sqrt(1 - (Re E[S/|S|])^2);
ppc = (|sum S/|S||^2 - N) / (N(N-1)); pli = |E[sign Im S]|; pli2_unbiased =
(N E[sign Im S]^2 - 1)/(N-1); dpli = E[H(Im S)] (H(0) = 0.5); wpli = |sum Im S| / sum |Im S|;
wpli2_debiased = ((sum Im S)^2 - sum (Im S)^2) / ((sum |Im S|)^2 - sum (Im S)^2) (0 when a
denominator is 0). Connections are all lower-triangle pairs in numpy's tril_indices(n, -1)
order: (2,1), (3,1), (3,2), (4,1), ... (seed > target, 1-based); Im S > 0 when the seed's
phase leads. The result table holds, per method name, a matrix with one row per connection
and one column per frequency (per band with faverage; cohy = {re=, im=}); con (the matrix
when one method was asked); freqs (column of the kept rfft frequencies, Hz); seeds and
targets (Lua lists, 1-based); n_signals, n_epochs; bands (with faverage).
mode = "cwt_morlet" uses MNE's Morlet wavelets (morlet(sfreq, freqs, n_cycles,
zero_mean=True): sigma_t = n_cycles/(2 pi f), t in [-5 sigma_t, 5 sigma_t], normalised by
sqrt(0.5) ||psi||) convolved in "same" mode without mean removal, S = W_x conj(W_y) per
frequency and time point (no factor 2); each method is then a Lua list over the kept
cwt_freqs of (connections x times) matrices (cohy: {re = list, im = list}).
Options: method = "coh" (a name or a list of names: "coh", "cohy", "imcoh", "plv", "ciplv",
"ppc", "pli", "pli2_unbiased", "dpli", "wpli", "wpli2_debiased"); sfreq (required, Hz);
fmin = 5 cycles per epoch (5 sfreq / n_times; a number or a list of band starts); fmax =
math.huge (a number or a list of band ends); mode = "multitaper" | "fourier"; mt_bandwidth =
nil (half bandwidth 4, i.e. up to 8 tapers; else mt_bandwidth n_times / (2 sfreq), which
must be >= 0.5); mt_low_bias = true (keep the tapers with concentration > 0.9); faverage =
false (average each method over each band's bins); cwt_freqs (required by "cwt_morlet", Hz,
<= sfreq/2, those within [fmin, fmax] kept; every wavelet must fit in the epoch);
cwt_n_cycles = 7 (a number or one per cwt_freq). Not implemented yet (errors): mt_adaptive =
true, faverage with "cwt_morlet", mne's indices/tmin/tmax/fskip.

Example:
  local ep = {}
  for e = 1, 5 do ep[e] = gy.randn(200, 3, { seed = e }) end
  local r = gy.conn.spectral(ep, { method = { "coh", "wpli" }, sfreq = 100, fmin = 8, fmax = 12 })
  print(r.freqs:t(), r.wpli)
]],
["gy.conn.dpss"] = [[
gy.conn.dpss(n, half_nbw [, opts]) -> tapers, ratios
Discrete prolate spheroidal (Slepian) sequences as MNE's dpss_windows (scipy's dpss with
norm 2): the eigenvectors of the tridiagonal matrix with diagonal ((n-1-2t)/2)^2 cos(2 pi W)
and off-diagonal t(n-t)/2, W = half_nbw / n, for the kmax largest eigenvalues; even tapers
sum positive, odd ones start with a positive lobe. tapers is n x k (one taper per column),
ratios (k x 1) the concentrations in [-W, W] from the autocorrelation (Percival & Walden).
Options: kmax = floor(2 half_nbw); sym = true (false: periodic tapers, computed at length
n+1 with the last sample dropped, as the multitaper spectra use); low_bias = true (keep the
tapers with concentration > 0.9, or the best one if none).

Example:
  local tapers, ratios = gy.conn.dpss(100, 4, { sym = false })
  print(tapers:shape(), ratios:t())
]],
}
