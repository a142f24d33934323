-- gy.signal.clean against nilearn.signal.clean re-computed by tests/fixtures/make_signal.py
-- on nitime's fmri_timeseries.csv, plus bad input.
local signal = require "gyrus.signal"
local F = fixture("signal.lua")

local function nitime_rows()
  local dir = os.getenv("GY_DATA")
  if not dir or dir == "" then
    local cache = os.getenv("XDG_CACHE_HOME")
    if not cache or cache == "" then cache = (os.getenv("HOME") or "") .. "/.cache" end
    dir = cache .. "/gyrus/data"
  end
  local index = loadfile(dir .. "/paths.lua")
  if not index then error("no data cache in " .. dir .. ": run scripts/setup.sh", 0) end
  -- Plain Lua until gy.read lands: a header line, then rows of numbers.
  local rows, first = {}, true
  for line in io.lines(index().nitime_dir .. "/fmri_timeseries.csv") do
    if first then first = false
    else
      local row = {}
      for field in line:gmatch("[^,]+") do row[#row + 1] = assert(tonumber(field)) end
      rows[#rows + 1] = row
    end
  end
  return rows
end

local D = nitime_rows()
local function cols(a, b)
  local t = {}
  for i = 1, #D do
    local r = {}
    for j = a, b do r[#r + 1] = D[i][j] end
    t[i] = r
  end
  return gy.matrix(t)
end
local X, Cf = cols(4, 9), cols(1, 3)

-- |a - b| <= tol * max|b| over the whole matrix.
local function expect_rel(A, B, tol, msg)
  local scale = 0
  for i = 1, #B do for j = 1, #B[i] do scale = math.max(scale, math.abs(B[i][j])) end end
  expect_near(A, B, tol * math.max(scale, 1), msg)
end

describe("gy.signal.clean matches nilearn", function()
  it("detrend", function()
    expect_rel(signal.detrend(X), F.detrend, 1e-13)
  end)
  it("defaults: detrend + zscore_sample", function()
    expect_rel(signal.clean(X), F["clean/default"], 1e-12)
  end)
  it("band-pass 0.01-0.1 Hz, t_r 2", function()
    expect_rel(signal.clean(X, { low_pass = 0.1, high_pass = 0.01, t_r = 2 }), F["clean/bandpass"],
      1e-10)
    expect_rel(signal.clean(X, { bandpass = { 0.01, 0.1 }, tr = 2 }), F["clean/bandpass"], 1e-10)
  end)
  it("high-pass with confounds, zscore", function()
    expect_rel(signal.clean(X, { high_pass = 0.01, t_r = 2, confounds = Cf, standardize = "zscore" }),
      F["clean/highpass_confounds"], 1e-10)
  end)
  it("low-pass without detrending, psc", function()
    expect_rel(signal.clean(X, { low_pass = 0.08, t_r = 2, standardize = "psc", detrend = false }),
      F["clean/lowpass_psc"], 1e-10)
  end)
  it("high-pass then psc against the original mean", function()
    expect_rel(signal.clean(X, { high_pass = 0.02, t_r = 2, standardize = "psc" }),
      F["clean/highpass_psc"], 1e-10)
  end)
  it("confounds scaled by their maximum, no standardisation", function()
    expect_rel(signal.clean(X, { confounds = Cf, standardize_confounds = false, standardize = false }),
      F["clean/confounds_max"], 1e-10)
  end)
  it("censoring (no filter) with confounds", function()
    local R = signal.clean(X, { sample_mask = F.keep, confounds = Cf })
    expect_eq(R.rows, #F.keep)
    expect_rel(R, F["clean/censor"], 1e-12)
    local mask = {}
    for i = 1, 250 do mask[i] = false end
    for _, k in ipairs(F.keep) do mask[k] = true end
    expect_rel(signal.clean(X, { sample_mask = mask, confounds = Cf }), F["clean/censor"], 1e-12)
  end)
  it("censoring with a band-pass: spline interpolation, filter, censor", function()
    local o = { sample_mask = F.keep_f, confounds = Cf, low_pass = 0.1, high_pass = 0.01, t_r = 2 }
    local R = signal.clean(X, o)
    expect_eq(R.rows, #F.keep_f)
    expect_rel(R, F["clean/censor_bandpass"], 1e-10, "no extrapolation")
    o.extrapolate = true
    expect_rel(signal.clean(X, o), F["clean/censor_bandpass_extrapolate"], 1e-10, "extrapolated")
    expect_rel(signal.clean(X, { sample_mask = { 6, 101, 241 }, low_pass = 0.1, t_r = 2,
      extrapolate = true }), F["clean/censor_lowpass_3"], 1e-10, "three kept volumes")
  end)
  it("a low-pass at Nyquist is lowered just below it (warning)", function()
    expect_rel(signal.clean(X, { low_pass = 0.25, high_pass = 0.01, t_r = 2 }), F["clean/nyquist"],
      1e-10)
  end)
  it("sosfiltfilt for several designs", function()
    local X4 = cols(4, 7)
    local designs = { low5 = { 5, 0.1, false }, high5 = { 5, false, 0.01 }, band5 = { 5, 0.1, 0.01 },
      band4 = { 4, 0.2, 0.02 }, low2 = { 2, 0.05, false } }
    for name, d in pairs(designs) do
      local Y = signal.butterworth(X4, { sampling_rate = 0.5, order = d[1], low_pass = d[2],
        high_pass = d[3] })
      expect_rel(Y, F["filt/" .. name], 1e-10, name)
    end
  end)
  it("runs are cleaned one by one", function()
    local runs = {}
    for i = 1, 250 do runs[i] = i <= 125 and 1 or 2 end
    local R = signal.clean(X, { runs = runs })
    local A = signal.clean(cols(4, 9):rowrange(1, 125))
    for j = 1, 6 do expect_near(R:get(7, j), A:get(7, j), 1e-12) end
  end)
end)

describe("cosine drift and high-variance confounds match nilearn", function()
  it("cosine_drift from a frame count and t_r, and from frame times", function()
    local D = signal.cosine_drift(250, { high_pass = 0.01, t_r = 2 })
    expect_eq(D.cols, #F["cosine/250_t2"][1])
    expect_near(D, F["cosine/250_t2"], 1e-14)
    local T = signal.cosine_drift({ 0, 1.5, 3, 4.5, 6, 7.5, 9, 10.5 }, { high_pass = 0.1 })
    expect_near(T, F["cosine/times"], 1e-14)
  end)
  it("clean with the cosine filter (drift regressors as confounds)", function()
    expect_rel(signal.clean(X, { filter = "cosine", high_pass = 0.01, t_r = 2 }), F["clean/cosine"],
      1e-10)
    expect_rel(signal.clean(X, { filter = "cosine", high_pass = 0.02, t_r = 2, confounds = Cf }),
      F["clean/cosine_confounds"], 1e-10)
    expect_rel(signal.clean(X, { filter = "cosine", high_pass = 0.01, t_r = 2, confounds = Cf,
      sample_mask = F.keep }), F["clean/cosine_censor"], 1e-10)
  end)
  it("high_variance_confounds (eigenvector signs are free)", function()
    local function same_up_to_sign(A, B, tol, msg)
      for j = 1, #B[1] do
        local s = 0
        for i = 1, #B do s = s + A:get(i, j) * B[i][j] end
        local sg = s < 0 and -1 or 1
        for i = 1, #B do expect_near(sg * A:get(i, j), B[i][j], tol, msg) end
      end
    end
    local all = cols(1, 31)
    local H = signal.high_variance_confounds(all, { percentile = 20 })
    expect_eq(H.cols, 5)
    same_up_to_sign(H, F["hvc/default31"], 1e-9, "detrended")
    same_up_to_sign(signal.high_variance_confounds(all, { n_confounds = 3, percentile = 10,
      detrend = false }), F["hvc/nodetrend"], 1e-9, "not detrended")
    expect_error(function() signal.high_variance_confounds(all, { n_confounds = 300 }) end,
      "300 confounds asked from 250")
  end)
end)

describe("gy.signal.clean bad input", function()
  it("errors", function()
    expect_error(function() signal.clean(X, { low_pass = 0.01, high_pass = 0.1, t_r = 2 }) end,
      "must be below the low%-pass")
    expect_error(function() signal.clean(X, { low_pass = -1 }) end, "must be positive")
    expect_error(function() signal.clean(X, { confounds = cols(1, 2):rowrange(1, 100) }) end,
      "confounds have 100 time points, the signals 250")
    expect_error(function() signal.clean(X, { standardize = "minmax" }) end, "standardize")
    expect_error(function() signal.clean(X, { filter = "cosine" }) end, "needs option 'high_pass'")
    expect_error(function() signal.clean(X, { filter = "fir", high_pass = 0.01 }) end, "cosine")
    expect_error(function() signal.clean(X, { lowpass = 0.1 }) end, "unknown option")
    expect_error(function() signal.clean(X, { sample_mask = { 3, 2 } }) end, "increasing")
    expect_error(function() signal.clean(X, { sample_mask = { 1, 300 } }) end, "outside 1..250")
    expect_error(function() signal.clean(X, { sample_mask = { 7 }, low_pass = 0.1, t_r = 2 }) end,
      "at least 2 kept")
    expect_error(function()
      signal.clean(cols(4, 5):rowrange(1, 30), { low_pass = 0.1, high_pass = 0.01, t_r = 2 })
    end, "30 time points are too few")
    local bad = X:copy()
    bad:set(5, 2, 0 / 0)
    expect_error(function() signal.clean(bad) end, "non%-finite value %(%-?nan%) at row 5, column 2")
    local fixed = signal.clean(bad, { ensure_finite = true })
    expect_eq(fixed.rows, 250)
  end)
end)
