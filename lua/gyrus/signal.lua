-- gy.signal: cleaning of time series as nilearn.signal.clean (core/src/signal.c,
-- signal_filter.c). Signals are time points x channels.
local ffi = require "ffi"
local core = require "gyrus.core"
local M = require "gyrus.mat"
local C, check, options = core.C, core.check, core.options


local S = {}

local function warn(fname, msg)
  io.stderr:write(fname, ": warning: ", msg, "\n")
end

local function freq(fname, name, v)
  if v == false then return 0 end
  if type(v) ~= "number" or v ~= v or v == math.huge then
    core.fail(fname, string.format("option '%s' must be a frequency in Hz (or false), got %s",
      name, tostring(v)), 3)
  end
  if v <= 0 then
    core.fail(fname, string.format("option '%s' must be positive (false for none), got %g", name, v), 3)
  end
  return v
end

local standardizations = { zscore_sample = C.GY_SIGNAL_ZSCORE_SAMPLE, zscore = C.GY_SIGNAL_ZSCORE,
  psc = C.GY_SIGNAL_PSC }

-- Rows idx (0-based, a Lua list) of m as a new matrix.
local function take_rows(m, idx, fname)
  local out = M.new(#idx, tonumber(m.cols), fname)
  local ld, old = tonumber(out.ld), tonumber(m.ld)
  for j = 0, tonumber(m.cols) - 1 do
    for k, i in ipairs(idx) do out.data[(k - 1) + j * ld] = m.data[i + j * old] end
  end
  return out
end

-- The kept volumes as increasing 0-based indices from 1-based indices or n booleans.
local function mask_indices(fname, mask, n)
  if type(mask) ~= "table" then
    core.fail(fname, "option 'sample_mask' must be a table of kept volumes (1-based indices or booleans)", 3)
  end
  local keep = {}
  if type(mask[1]) == "boolean" then
    if #mask ~= n then
      core.fail(fname, string.format("a boolean sample_mask needs %d values, got %d", n, #mask), 3)
    end
    for i = 1, n do if mask[i] then keep[#keep + 1] = i - 1 end end
  else
    for i, v in ipairs(mask) do
      if type(v) ~= "number" or v ~= math.floor(v) then
        core.fail(fname, string.format("sample_mask entry %d is not an integer index", i), 3)
      end
      keep[i] = v - 1
    end
  end
  return keep
end

local function clean_one(fname, X, Cf, keep, o)
  local out = M.empty()
  local karr, nk = nil, 0
  if keep then
    nk = #keep
    karr = ffi.new("int64_t[?]", math.max(nk, 1))
    for i, v in ipairs(keep) do karr[i - 1] = v end
  end
  check(C.gy_signal_clean(out, X, Cf, karr, nk, o), fname)
  core.account()
  return out
end

local function vstack(fname, parts)
  local rows, cols = 0, tonumber(parts[1].cols)
  for _, p in ipairs(parts) do rows = rows + tonumber(p.rows) end
  local out = M.new(rows, cols, fname)
  local r0, ld = 0, tonumber(out.ld)
  for _, p in ipairs(parts) do
    local pr, pld = tonumber(p.rows), tonumber(p.ld)
    for j = 0, cols - 1 do
      for i = 0, pr - 1 do out.data[r0 + i + j * ld] = p.data[i + j * pld] end
    end
    r0 = r0 + pr
  end
  return out
end

function S.clean(X, opts)
  local fname = "gy.signal.clean"
  opts = options(fname, opts, { detrend = true, standardize = "zscore_sample", confounds = false,
    standardize_confounds = true, filter = "butterworth", low_pass = false, high_pass = false,
    bandpass = false, t_r = false, tr = false, sample_mask = false, runs = false, order = 5,
    padlen = false, ensure_finite = false, extrapolate = false })
  X = M.arg(X, fname, "X")
  local n = tonumber(X.rows)
  local o = ffi.new("gy_signal_clean_opts")
  C.gy_signal_clean_defaults(o)
  if type(opts.detrend) ~= "boolean" then core.fail(fname, "option 'detrend' must be true or false") end
  o.detrend = opts.detrend and 1 or 0
  local std = opts.standardize
  if std == true then std = "zscore_sample" end
  if std == false then o.standardize = C.GY_SIGNAL_STD_NONE
  elseif standardizations[std] then o.standardize = standardizations[std]
  else
    core.fail(fname, "option 'standardize' must be \"zscore_sample\", \"zscore\", \"psc\" or false, got "
      .. tostring(std))
  end
  o.standardize_confounds = opts.standardize_confounds and 1 or 0
  if opts.t_r ~= false and opts.tr ~= false then
    core.fail(fname, "give the repetition time once: 't_r' (nilearn's name) or 'tr'")
  end
  local t_r = opts.t_r ~= false and opts.t_r or (opts.tr ~= false and opts.tr or 2.5)
  if type(t_r) ~= "number" or not (t_r > 0) or t_r == math.huge then
    core.fail(fname, "option 't_r' must be a positive number of seconds, got " .. tostring(t_r))
  end
  o.t_r = t_r
  local lo, hi = freq(fname, "low_pass", opts.low_pass), freq(fname, "high_pass", opts.high_pass)
  if opts.bandpass ~= false then
    local b = opts.bandpass
    if type(b) ~= "table" or #b ~= 2 then
      core.fail(fname, "option 'bandpass' must be {high_pass, low_pass} in Hz")
    end
    if lo ~= 0 or hi ~= 0 then core.fail(fname, "give either 'bandpass' or 'low_pass'/'high_pass'") end
    hi, lo = freq(fname, "bandpass[1]", b[1]), freq(fname, "bandpass[2]", b[2])
  end
  if opts.filter == false then
    if lo ~= 0 or hi ~= 0 then warn(fname, "no filter selected but a cut-off was given: not filtering") end
    lo, hi = 0, 0
  elseif opts.filter ~= "butterworth" then
    core.fail(fname, "option 'filter' must be \"butterworth\" or false (the cosine filter is not "
      .. "implemented), got " .. tostring(opts.filter))
  end
  local nyq = 0.5 / t_r
  if lo >= nyq then warn(fname, string.format("low_pass %g Hz is not below Nyquist (%g Hz): lowered just below it", lo, nyq)) end
  if hi >= nyq then warn(fname, string.format("high_pass %g Hz is not below Nyquist (%g Hz): lowered just below it", hi, nyq)) end
  if lo >= nyq and hi >= nyq and hi < lo then warn(fname, "both band edges are at Nyquist: returned unfiltered") end
  o.low_pass, o.high_pass = lo, hi
  if type(opts.order) ~= "number" or opts.order ~= math.floor(opts.order) or opts.order < 1 then
    core.fail(fname, "option 'order' must be a positive integer")
  end
  o.order = opts.order
  if type(opts.extrapolate) ~= "boolean" then core.fail(fname, "option 'extrapolate' must be true or false") end
  o.extrapolate = opts.extrapolate and 1 or 0
  if opts.padlen ~= false then
    if type(opts.padlen) ~= "number" or opts.padlen < 0 or opts.padlen ~= math.floor(opts.padlen) then
      core.fail(fname, "option 'padlen' must be a non-negative integer (or false for scipy's default)")
    end
    o.padlen = opts.padlen
  end
  if opts.ensure_finite then
    X = X:copy()
    local ld = tonumber(X.ld)
    for j = 0, tonumber(X.cols) - 1 do
      for i = 0, n - 1 do
        local v = X.data[i + j * ld]
        if v ~= v or v == math.huge or v == -math.huge then X.data[i + j * ld] = 0 end
      end
    end
  end
  local Cf = nil
  if opts.confounds ~= false then
    Cf = M.arg(opts.confounds, fname, "confounds")
    if tonumber(Cf.rows) ~= n then
      core.fail(fname, string.format("the confounds have %d time points, the signals %d",
        tonumber(Cf.rows), n))
    end
  end

  if opts.runs == false then
    local keep = opts.sample_mask ~= false and mask_indices(fname, opts.sample_mask, n) or nil
    return clean_one(fname, X, Cf, keep, o)
  end
  -- Runs are cleaned independently, in the order of their sorted labels (as nilearn).
  local runs = opts.runs
  if type(runs) ~= "table" or #runs ~= n then
    core.fail(fname, string.format("option 'runs' must hold one label per time point (%d), got %s",
      n, type(runs) == "table" and tostring(#runs) or type(runs)))
  end
  local labels, rows = {}, {}
  for i = 1, n do
    local r = runs[i]
    if not rows[r] then rows[r] = {}; labels[#labels + 1] = r end
    table.insert(rows[r], i - 1)
  end
  table.sort(labels)
  local masks = opts.sample_mask
  if masks ~= false and (type(masks) ~= "table" or #masks ~= #labels or type(masks[1]) ~= "table") then
    core.fail(fname, string.format("with runs, 'sample_mask' must be a list of %d masks, one per run",
      #labels))
  end
  local parts = {}
  for k, r in ipairs(labels) do
    local Xr = take_rows(X, rows[r], fname)
    local Cr = Cf and take_rows(Cf, rows[r], fname) or nil
    local keep = masks ~= false and mask_indices(fname, masks[k], #rows[r]) or nil
    parts[k] = clean_one(fname, Xr, Cr, keep, o)
  end
  return vstack(fname, parts)
end

function S.detrend(X)
  local fname = "gy.signal.detrend"
  X = M.arg(X, fname, "X")
  local out = M.empty()
  check(C.gy_signal_detrend(out, X), fname)
  core.account()
  return out
end

function S.butterworth(X, opts)
  local fname = "gy.signal.butterworth"
  opts = options(fname, opts, { sampling_rate = core.REQUIRED, low_pass = false, high_pass = false,
    order = 5, padlen = false })
  X = M.arg(X, fname, "X")
  local lo, hi = freq(fname, "low_pass", opts.low_pass), freq(fname, "high_pass", opts.high_pass)
  local fs = opts.sampling_rate
  if type(fs) ~= "number" or not (fs > 0) then core.fail(fname, "option 'sampling_rate' must be positive") end
  local sos, out = M.empty(), M.empty()
  check(C.gy_signal_butter(sos, opts.order, lo, hi, fs), fname)
  check(C.gy_signal_sosfiltfilt(out, sos, X, opts.padlen == false and -1 or opts.padlen), fname)
  core.account()
  return out, sos
end

return S
