-- Artifact components of an ICA (EOG blinks, ECG heartbeats), as MNE-Python's
-- ICA.find_bads_eog / find_bads_ecg (correlation with the iterated z-score, or CTPS) and
-- ICA.apply(exclude=). The lead mounts the functions of the returned table into gy.ica
-- (gy.ica.find_bads, apply, outliers, ctps, ctps_threshold).
local ffi = require "ffi"
local core = require "gyrus.core"
local M = require "gyrus.mat"
local C, check, options = core.C, core.check, core.options


local A = {}

-- The pass band MNE uses per reference kind (find_bads_eog: 1-10 Hz, find_bads_ecg: 8-16 Hz).
local bands = { eog = { 1, 10 }, ecg = { 8, 16 } }
local tails = { [0] = C.GY_ICA_TAIL_BOTH, [1] = C.GY_ICA_TAIL_HIGH, [-1] = C.GY_ICA_TAIL_LOW }

local function model_parts(fname, model)
  if type(model) ~= "table" or not M.is(model.unmixing) or not M.is(model.mixing)
      or not M.is(model.mean) then
    core.fail(fname, "the first argument must be an ICA model from gy.ica.fit (with "
      .. "unmixing, mixing and mean)", 3)
  end
  return model.unmixing, model.mixing, model.mean
end

-- Sources of X under the model: (X - mean) unmixing'.
local function sources_of(fname, model, X)
  local U, _, mean = model_parts(fname, model)
  local _, p = X:shape()
  if tonumber(U.cols) ~= p then
    core.fail(fname, string.format("X has %d channels (columns) but the ICA was fitted on %d",
      p, tonumber(U.cols)), 3)
  end
  return X:sub(mean) * U:t()
end

local function band_pass(fname, X, sfreq, lo, hi, order)
  if type(sfreq) ~= "number" or not (sfreq > 0) then
    core.fail(fname, "option 'sfreq' (sampling rate in Hz) is required to band-pass the "
      .. "sources and the reference; or pass l_freq = false, h_freq = false", 3)
  end
  -- butterworth's low_pass is our h_freq and its high_pass our l_freq.
  return (require "gyrus.signal").butterworth(X, { sampling_rate = sfreq,
    low_pass = hi or false, high_pass = lo or false, order = order })
end

-- MNE's _find_outliers: indices (1-based, increasing) of the iterated z-score outliers.
function A.outliers(scores, opts)
  local fname = "gy.ica.outliers"
  local o = options(fname, opts, { threshold = 3.0, max_iter = 2, tail = 0 })
  local s = M.arg(scores, fname, "scores")
  if type(o.threshold) ~= "number" then core.fail(fname, "option 'threshold' must be a number") end
  if type(o.max_iter) ~= "number" or o.max_iter < 1 or o.max_iter ~= math.floor(o.max_iter) then
    core.fail(fname, "option 'max_iter' must be an integer >= 1")
  end
  local tail = tails[o.tail]
  if tail == nil then core.fail(fname, "option 'tail' must be 0, 1 or -1") end
  local bad = M.empty()
  check(C.gy_ica_artifact_outliers(bad, s, o.threshold, o.max_iter, tail), fname)
  local idx = {}
  for k = 0, tonumber(bad.rows) - 1 do
    if bad.data[k] ~= 0 then idx[#idx + 1] = k + 1 end
  end
  return idx
end

local find_defaults = { kind = "eog", threshold = "auto", measure = "zscore", sfreq = false,
  l_freq = "auto", h_freq = "auto", order = 4, method = "correlation", events = false,
  tmin = -0.5, tmax = 0.5 }

-- R peaks of an ECG (1-based samples): the maxima of |ecg| band-passed 5-35 Hz that exceed
-- 60 % of its 99th percentile, at least 0.3 s apart. A plain detector, not MNE's
-- qrs_detector.
local function r_peaks(fname, ecg, sfreq, order)
  local f = band_pass(fname, ecg, sfreq, 5, math.min(35, 0.45 * sfreq), order)
  local a = f:col(1):abs():values()
  local sorted = {}
  for i = 1, #a do sorted[i] = a[i] end
  table.sort(sorted)
  local cut = 0.6 * sorted[math.max(1, math.floor(0.99 * #sorted))]
  local gap = math.floor(0.3 * sfreq)
  local peaks, i = {}, 1
  while i <= #a do
    if a[i] > cut then
      local best, bi = a[i], i
      local j = i
      while j <= #a and j < i + gap do
        if a[j] > best then best, bi = a[j], j end
        j = j + 1
      end
      peaks[#peaks + 1] = bi
      i = bi + gap
    else
      i = i + 1
    end
  end
  return peaks
end

-- CTPS scores of the (band-passed) sources S around the events: max over time of pk.
local function ctps_scores(fname, S, events, sfreq, tmin, tmax)
  local T, n = S:shape()
  local a, b = math.floor(tmin * sfreq + 0.5), math.floor(tmax * sfreq + 0.5)
  local epochs = {}
  for _, e in ipairs(events) do
    if type(e) ~= "number" or e ~= math.floor(e) then
      core.fail(fname, "option 'events' must hold sample numbers", 3)
    end
    if e + a >= 1 and e + b <= T then epochs[#epochs + 1] = S:rowrange(e + a, e + b) end
  end
  if #epochs < 2 then
    core.fail(fname, string.format("only %d heartbeat epochs fit in the data (%d events); CTPS "
      .. "needs at least 2", #epochs, #events), 3)
  end
  local pk = A.ctps(epochs)
  local scores = M.zeros(n, 1)
  for k = 1, n do scores:set(k, 1, pk:col(k):max()) end
  return scores, #epochs
end

-- gy.ica.find_bads(model, X, ref, opts) -> indices, scores
function A.find_bads(model, X, ref, opts)
  local fname = "gy.ica.find_bads"
  local o = options(fname, opts, find_defaults)
  local band = bands[o.kind]
  if not band then
    core.fail(fname, "option 'kind' must be \"eog\" or \"ecg\", got " .. tostring(o.kind))
  end
  if o.measure ~= "zscore" and o.measure ~= "correlation" then
    core.fail(fname, "option 'measure' must be \"zscore\" or \"correlation\", got "
      .. tostring(o.measure))
  end
  if o.method ~= "correlation" and o.method ~= "ctps" then
    core.fail(fname, "option 'method' must be \"correlation\" or \"ctps\", got "
      .. tostring(o.method))
  end
  local thr = o.threshold
  if thr == "auto" and o.method == "ctps" then
    if type(o.sfreq) ~= "number" then core.fail(fname, "method \"ctps\" needs option 'sfreq'") end
    thr = A.ctps_threshold(o.sfreq)
  elseif thr == "auto" then
    thr = o.measure == "zscore" and 3.0 or 0.9
  end
  if type(thr) ~= "number" then
    core.fail(fname, "option 'threshold' must be a number or \"auto\"")
  end
  X = M.arg(X, fname, "X")
  ref = M.arg(ref, fname, "ref")
  local T = X:shape()
  local rr, rc = ref:shape()
  if rr == 1 and rc == T and T > 1 then ref = ref:t(); rr, rc = rc, rr end
  if rr ~= T then
    core.fail(fname, string.format("ref has %d samples (rows) but X has %d", rr, T))
  end
  local S = sources_of(fname, model, X)
  local lo = o.l_freq == "auto" and band[1] or o.l_freq
  local hi = o.h_freq == "auto" and band[2] or o.h_freq
  if o.method == "ctps" then
    -- MNE: sources of 8-16 Hz ECG epochs (tmin..tmax around each R peak), Kuiper index of
    -- their phases across epochs, component marked when its maximum reaches threshold.
    if rc ~= 1 then core.fail(fname, "method \"ctps\" takes one ECG channel") end
    if type(o.sfreq) ~= "number" or not (o.sfreq > 0) then
      core.fail(fname, "method \"ctps\" needs option 'sfreq'")
    end
    local events = o.events or r_peaks(fname, ref, o.sfreq, o.order)
    if lo or hi then S = band_pass(fname, S, o.sfreq, lo, hi, o.order) end
    local scores, n_ep = ctps_scores(fname, S, events, o.sfreq, o.tmin, o.tmax)
    local idx = {}
    for k = 1, tonumber(scores.rows) do
      if scores:get(k, 1) >= thr then idx[#idx + 1] = k end
    end
    table.sort(idx, function(p, q)
      local sp, sq = scores:get(p, 1), scores:get(q, 1)
      return sp > sq or (sp == sq and p < q)
    end)
    return idx, scores, n_ep
  end
  if lo or hi then
    S = band_pass(fname, S, o.sfreq, lo, hi, o.order)
    ref = band_pass(fname, ref, o.sfreq, lo, hi, o.order)
  end
  local scores = M.empty()
  check(C.gy_stats_corr2(scores, S, ref), fname)
  core.account()
  -- Per reference channel, then the union ordered by decreasing |score| (as MNE).
  local hits = {}
  for j = 1, rc do
    local col = scores:col(j)
    local idx
    if o.measure == "zscore" then
      idx = A.outliers(col, { threshold = thr })
    else
      idx = {}
      for i = 1, tonumber(col.rows) do
        if math.abs(col:get(i, 1)) > thr then idx[#idx + 1] = i end
      end
    end
    for _, i in ipairs(idx) do hits[#hits + 1] = { i = i, s = math.abs(col:get(i, 1)) } end
  end
  table.sort(hits, function(a, b) return a.s > b.s or (a.s == b.s and a.i < b.i) end)
  local out, seen = {}, {}
  for _, h in ipairs(hits) do
    if not seen[h.i] then seen[h.i] = true; out[#out + 1] = h.i end
  end
  return out, scores
end

-- ------------------------------------------------------------------ CTPS (ECG)

-- Phase of the analytic signal (scipy.signal.hilbert) of x[1..n], as MNE's
-- _compute_normalized_phase: (angle + pi) / (2 pi). A direct DFT: epochs are short.
local function normalized_phase(x, n)
  local re, im = {}, {}
  for k = 0, n - 1 do
    local c, s = math.cos(2 * math.pi * k / n), -math.sin(2 * math.pi * k / n)
    local a, b, cr, ci = 0, 0, 1, 0
    for i = 0, n - 1 do
      a, b = a + x[i + 1] * cr, b + x[i + 1] * ci
      cr, ci = cr * c - ci * s, cr * s + ci * c
    end
    -- The analytic signal keeps DC (and Nyquist), doubles positive and drops negative bins.
    local h = (k == 0 or (n % 2 == 0 and k == n / 2)) and 1 or (k < n / 2 and 2 or 0)
    re[k], im[k] = a * h, b * h
  end
  local out = {}
  for i = 0, n - 1 do
    local c, s = math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)
    local a, b, cr, ci = 0, 0, 1, 0
    for k = 0, n - 1 do
      if re[k] ~= 0 or im[k] ~= 0 then
        a, b = a + re[k] * cr - im[k] * ci, b + re[k] * ci + im[k] * cr
      end
      cr, ci = cr * c - ci * s, cr * s + ci * c
    end
    out[i + 1] = (math.atan2(b / n, a / n) + math.pi) / (2 * math.pi)
  end
  return out
end

-- MNE's _prob_kuiper: the normalised Kuiper index of statistic d over n trials.
local function prob_kuiper(d, n)
  local en = math.sqrt(n)
  local lam = (en + 0.155 + 0.24 / en) * d
  if lam < 0.4 then return 0 end
  local l2 = lam * lam
  -- log sum_j 2 (4 j^2 l2 - 1) exp(-2 j^2 l2) with scipy's logsumexp(a, b=) scaling.
  local amax = -2 * l2
  local s = 0
  for j = 1, 100 do
    local j2 = j * j
    s = s + 2 * (4 * j2 * l2 - 1) * math.exp(-2 * j2 * l2 - amax)
  end
  local pk = -(math.log(s) + amax) / (2 * n)
  if pk > 1 then pk = 1 end
  return pk
end

-- gy.ica.ctps(epochs) -> pk, ks: cross-trial phase statistics (MNE's ctps).
function A.ctps(epochs)
  local fname = "gy.ica.ctps"
  if type(epochs) ~= "table" or #epochs < 2 then
    core.fail(fname, "epochs must be a list of at least 2 matrices (samples x sources)")
  end
  local ep = {}
  local T, ns
  for e = 1, #epochs do
    ep[e] = M.arg(epochs[e], fname, "epoch " .. e)
    local r, c = ep[e]:shape()
    if e == 1 then T, ns = r, c end
    if r ~= T or c ~= ns then
      core.fail(fname, string.format("epoch %d is %d x %d, epoch 1 is %d x %d", e, r, c, T, ns))
    end
    if not ep[e]:isfinite() then core.fail(fname, "epoch " .. e .. " has NaN or Inf values") end
  end
  if T < 2 then core.fail(fname, "epochs need at least 2 samples") end
  local n = #ep
  local pk, ks = M.zeros(T, ns), M.zeros(T, ns)
  local ph = {}
  for j = 1, ns do
    for e = 1, n do ph[e] = normalized_phase(ep[e]:col(j):values(), T) end
    local v = {}
    for t = 1, T do
      for e = 1, n do v[e] = ph[e][t] end
      table.sort(v)
      local d1, d2 = -math.huge, -math.huge
      for i = 1, n do
        d1 = math.max(d1, i / n - v[i])
        d2 = math.max(d2, v[i] - (i - 1) / n)
      end
      ks:set(t, j, d1 + d2)
      pk:set(t, j, prob_kuiper(d1 + d2, n))
    end
  end
  return pk, ks
end

-- MNE's automatic CTPS threshold (ICA._get_ctps_threshold, pk_threshold 20): the V in
-- 0.01..0.99 whose first Kuiper term 2 (4 (V C)^2 - 1) exp(-2 (V C)^2), C = sqrt(N) + 0.155 +
-- 0.24 / sqrt(N), is closest to 1e-20; N is the sampling rate, as MNE.
function A.ctps_threshold(sfreq)
  local fname = "gy.ica.ctps_threshold"
  if type(sfreq) ~= "number" or not (sfreq > 0) then core.fail(fname, "sfreq must be positive") end
  local c = math.sqrt(sfreq) + 0.155 + 0.24 / math.sqrt(sfreq)
  local best, bv = math.huge, 0.01
  for i = 1, 99 do
    local v = i / 100
    local x = (v * c) ^ 2
    local diff = math.abs(2 * (4 * x - 1) * math.exp(-2 * x) - 1e-20)
    if diff < best then best, bv = diff, v end
  end
  return bv
end

-- gy.ica.apply(model, X, {exclude = {...}}) -> X without the excluded components
function A.apply(model, X, opts)
  local fname = "gy.ica.apply"
  local o = options(fname, opts, { exclude = {} })
  local U, Am, mean = model_parts(fname, model)
  X = M.arg(X, fname, "X")
  if type(o.exclude) ~= "table" then
    core.fail(fname, "option 'exclude' must be a list of component numbers")
  end
  local n = #o.exclude
  local ex = ffi.new("int64_t[?]", math.max(n, 1))
  for k = 1, n do
    local v = o.exclude[k]
    if type(v) ~= "number" or v ~= math.floor(v) then
      core.fail(fname, "option 'exclude' must hold integer component numbers, got " .. tostring(v))
    end
    ex[k - 1] = v - 1
  end
  local out = M.empty()
  check(C.gy_ica_artifact_apply(out, X, U, Am, mean, ex, n), fname)
  core.account()
  return out
end

return A
