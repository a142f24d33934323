-- Help texts of lua/gyrus/encode_trf.lua (mounted into gy.encode by the lead). Format: a
-- signature line, one paragraph with the formula, options with defaults, an "Example:".
return {
["gy.encode.trf"] = [[
gy.encode.trf(stim, resp, {fs=, tmin=, tmax=, lambda= [, method="ridge"] [, direction=1]}) -> model
Temporal response function as mTRF-Toolbox's mTRFtrain: with the lag-major, zero-padded
design Xl = [1 | x(t - l1) | ... | x(t - lk)], w = (sum_trials Xl'Xl + lambda*fs*M)^-1
(sum_trials Xl'y) * fs, so weights and lambda do not depend on the sampling rate.
method "ridge": M = I; "laplacian" (mTRF's "Tikhonov"): M = D'D/2, first differences over
the lags of each feature (mTRF's regmat applies it to the flattened vector, which for
several features couples neighbouring features; both agree for one feature). The bias is
never penalised. direction = 1 (forward) maps stim -> resp over lags floor(tmin*fs) ..
ceil(tmax*fs); direction = -1 (backward, decoder) maps resp -> stim over the negated lags
ceil(-tmax*fs) .. floor(-tmin*fs). stim and resp are samples x channels matrices, or lists
of trials (covariances summed over trials, as MATLAB; mTRFpy averages them, i.e. its
lambda is MATLAB's lambda / n_trials). Times in seconds.
The model has weights ((channels*lags) x outputs, row l*p + f), w (w[k] = inputs x lags
matrix of output k), b (1 x outputs), t (lags in s), lags, and model:predict(x) =
([1 | lagged x] [b; weights]) / fs (x = stim for a forward model, resp for a backward one).
Options: fs (Hz), tmin, tmax (s), lambda (>= 0) required; method = "ridge", direction = 1.
Example:
  local stim = gy.zeros(40, 1)
  for i = 1, 40 do stim:set(i, 1, math.sin(0.3 * (i - 1))) end
  local resp = gy.zeros(40, 1)
  for i = 2, 40 do resp:set(i, 1, 0.8 * stim:get(i - 1, 1)) end
  local m = gy.encode.trf(stim, resp, {fs = 100, tmin = -0.01, tmax = 0.02, lambda = 0.5})
  print(m.w[1], m.t[1])
  local pred = m:predict(stim)
]],
["gy.encode.haufe"] = [[
gy.encode.haufe(model, x) -> patterns, per_output  |  gy.encode.haufe(X, W) -> patterns
Activation patterns of a linear backward model (Haufe et al. 2014, NeuroImage 87:96):
A = Cov(X) W Cov(X W)^+, covariances of centred columns (the normalisation cancels), the
pseudo-inverse of the full output covariance as MNE's LinearModel (mTRFtransform divides by
its diagonal only). With a TRF model and its input data x (the response for a backward
model; one matrix or a list of trials, lagged per trial and stacked, centred over all) X is
the lagged design; patterns has the layout of model.weights and per_output[k]
is inputs x lags. Unlike the weights, patterns show where the decoded signal is in the data.
Example:
  local resp = gy.randn(200, 3, {seed = 1})
  local stim = gy.zeros(200, 1)
  for i = 1, 200 do stim:set(i, 1, resp:get(i, 1) + 0.5 * resp:get(i, 2)) end
  local dec = gy.encode.trf(stim, resp, {fs = 10, tmin = 0, tmax = 0.2, lambda = 1, direction = -1})
  local A, per = gy.encode.haufe(dec, resp)
  print(per[1])
]],
}
