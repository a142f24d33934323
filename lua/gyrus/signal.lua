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

-- Columns 1..q of m followed by those of extra (both n rows) as a new matrix.
local function hstack(fname, m, extra)
  local n, q, e = tonumber(extra.rows), m and tonumber(m.cols) or 0, tonumber(extra.cols)
  local out = M.new(n, q + e, fname)
  local ld = tonumber(out.ld)
  for j = 0, q + e - 1 do
    local src, sj = m, j
    if j >= q then src, sj = extra, j - q end
    local sld = tonumber(src.ld)
    for i = 0, n - 1 do out.data[i + j * ld] = src.data[i + sj * sld] end
  end
  return out
end

local function corr_abs(a, aj, b, bj)
  local n = tonumber(a.rows)
  local ma, mb = 0, 0
  for i = 0, n - 1 do
    ma = ma + a.data[i + aj * tonumber(a.ld)]
    mb = mb + b.data[i + bj * tonumber(b.ld)]
  end
  ma, mb = ma / n, mb / n
  local sab, saa, sbb = 0, 0, 0
  for i = 0, n - 1 do
    local x, y = a.data[i + aj * tonumber(a.ld)] - ma, b.data[i + bj * tonumber(b.ld)] - mb
    sab, saa, sbb = sab + x * y, saa + x * x, sbb + y * y
  end
  if saa == 0 or sbb == 0 then return 0 end
  return math.abs(sab / math.sqrt(saa * sbb))
end

-- nilearn's cosine path: the DCT drift (without its constant, the signals being centred)
-- joins the confounds, unless the user's confounds already hold every drift cosine
-- (|corr| > 0.9 with some confound column, nilearn's check).
local function with_cosines(fname, Cf, n, high_pass, t_r)
  local D = S.cosine_drift(n, { high_pass = high_pass, t_r = t_r })
  local k = tonumber(D.cols) - 1
  if k == 0 then return Cf end
  local drift = D:colrange(1, k)
  if Cf then
    local all = true
    for d = 0, k - 1 do
      local found = false
      for c = 0, tonumber(Cf.cols) - 1 do
        if corr_abs(Cf, c, drift, d) > 0.9 then found = true; break end
      end
      if not found then all = false; break end
    end
    if all then
      warn(fname, "the confounds already hold the cosine drift terms: not adding them again")
      return Cf
    end
  end
  return hstack(fname, Cf, drift)
end

local function clean_one(fname, X, Cf, keep, o, cosine)
  if cosine then Cf = with_cosines(fname, Cf, tonumber(X.rows), cosine.high_pass, cosine.t_r) end
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
  local cosine = nil
  if opts.filter == false then
    if lo ~= 0 or hi ~= 0 then warn(fname, "no filter selected but a cut-off was given: not filtering") end
    lo, hi = 0, 0
  elseif opts.filter == "cosine" then
    if hi == 0 then core.fail(fname, "the cosine filter needs option 'high_pass' (Hz)") end
    if lo ~= 0 then warn(fname, "the cosine filter is a high-pass only: low_pass ignored") end
    cosine = { high_pass = hi, t_r = t_r }
    lo, hi = 0, 0
  elseif opts.filter ~= "butterworth" then
    core.fail(fname, "option 'filter' must be \"butterworth\", \"cosine\" or false, got "
      .. tostring(opts.filter))
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
    return clean_one(fname, X, Cf, keep, o, cosine)
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
    parts[k] = clean_one(fname, Xr, Cr, keep, o, cosine)
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

-- nilearn's create_cosine_drift (the DCT basis of make_first_level_design_matrix's
-- "cosine" drift model): order K = min(n - 1, floor(2 n high_pass dt)) columns
-- sqrt(2/n) cos(pi k (t + 0.5) / n), k = 1..K, then a constant column.
function S.cosine_drift(frames, opts)
  local fname = "gy.signal.cosine_drift"
  opts = options(fname, opts, { high_pass = 0.01, t_r = false })
  local hp = opts.high_pass
  if type(hp) ~= "number" or not (hp >= 0) or hp == math.huge then
    core.fail(fname, "option 'high_pass' must be a frequency in Hz, got " .. tostring(hp))
  end
  local n, dt
  if type(frames) == "number" then
    n = frames
    if n ~= math.floor(n) or n < 2 then
      core.fail(fname, "the number of frames must be an integer of at least 2, got " .. tostring(n))
    end
    dt = opts.t_r
    if type(dt) ~= "number" or not (dt > 0) or dt == math.huge then
      core.fail(fname, "with a number of frames, option 't_r' must be a positive number of seconds")
    end
  else
    local ft = M.arg(frames, fname, "frame_times")
    n = tonumber(ft.rows) * tonumber(ft.cols)
    if tonumber(ft.cols) ~= 1 and tonumber(ft.rows) ~= 1 then
      core.fail(fname, "frame_times must be a vector")
    end
    if n < 2 then core.fail(fname, "frame_times needs at least 2 frames") end
    local first, last = ft:get(1, 1), tonumber(ft.cols) == 1 and ft:get(n, 1) or ft:get(1, n)
    dt = (last - first) / (n - 1)
    if not (dt > 0) then core.fail(fname, "frame_times must increase") end
    if opts.t_r ~= false then core.fail(fname, "give frame_times or 't_r' with a frame count, not both") end
  end
  if hp * dt >= 0.5 then
    warn(fname, string.format("high_pass %g Hz is not below the Nyquist frequency of the frames (%g Hz)",
      hp, 0.5 / dt))
  end
  local K = math.min(n - 1, math.floor(2 * n * hp * dt))
  local D = M.new(n, K + 1, fname)
  local ld, norm = tonumber(D.ld), math.sqrt(2 / n)
  for k = 1, K do
    for t = 0, n - 1 do D.data[t + (k - 1) * ld] = norm * math.cos(math.pi / n * (t + 0.5) * k) end
  end
  for t = 0, n - 1 do D.data[t + K * ld] = 1 end
  return D
end

-- nilearn.signal.high_variance_confounds: the columns whose mean of squares (after
-- detrending) is above the (100 - percentile)th percentile, and the top n_confounds
-- eigenvectors of their X X' / n (their left singular vectors), largest first.
function S.high_variance_confounds(X, opts)
  local fname = "gy.signal.high_variance_confounds"
  opts = options(fname, opts, { n_confounds = 5, percentile = 2.0, detrend = true })
  local nc, pct = opts.n_confounds, opts.percentile
  if type(nc) ~= "number" or nc ~= math.floor(nc) or nc < 1 then
    core.fail(fname, "option 'n_confounds' must be a positive integer, got " .. tostring(nc))
  end
  if type(pct) ~= "number" or not (pct > 0 and pct <= 100) then
    core.fail(fname, "option 'percentile' must be in (0, 100], got " .. tostring(pct))
  end
  if type(opts.detrend) ~= "boolean" then core.fail(fname, "option 'detrend' must be true or false") end
  X = M.arg(X, fname, "X")
  local n, p = tonumber(X.rows), tonumber(X.cols)
  if nc > n then
    core.fail(fname, string.format("%d confounds asked from %d time points", nc, n))
  end
  if opts.detrend then
    local D = M.empty()
    check(C.gy_signal_detrend(D, X), fname)
    X = D
  end
  local ld = tonumber(X.ld)
  local var = M.new(p, 1, fname)
  for j = 0, p - 1 do
    local s = 0
    for i = 0, n - 1 do
      local v = X.data[i + j * ld]
      s = s + v * v
    end
    var.data[j] = s / n
  end
  local q, thr = ffi.new("double[1]", (100 - pct) / 100), M.empty()
  check(C.gy_stats_quantile(thr, var, q, 1, 0), fname)
  local cut, keep = thr.data[0], {}
  for j = 0, p - 1 do if var.data[j] > cut then keep[#keep + 1] = j end end
  if #keep == 0 then core.fail(fname, "no column has a variance above the percentile (constant data?)") end
  local Sel = M.new(n, #keep, fname)
  local sld = tonumber(Sel.ld)
  for k, j in ipairs(keep) do ffi.copy(Sel.data + (k - 1) * sld, X.data + j * ld, n * 8) end
  local G, w, V = M.empty(), M.empty(), M.empty()
  check(C.gy_linalg_syrk(G, Sel, 0, 1 / n), fname)
  check(C.gy_linalg_eigh(w, V, G), fname)
  local out = M.new(n, nc, fname)
  local old, vld = tonumber(out.ld), tonumber(V.ld)
  for k = 0, nc - 1 do ffi.copy(out.data + k * old, V.data + (n - 1 - k) * vld, n * 8) end
  core.account()
  return out
end

return S
