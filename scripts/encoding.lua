-- Encoding models on real data: `gyrus scripts/encoding.lua [OUTDIR]` (default
-- ./figures/encoding). Two data sets from gy.data() (nitime's example data):
--   1. a grasshopper auditory receptor neuron: the amplitude-modulated stimulus (two 10 s
--      recordings at 20 kHz) and the spike times; a temporal response function (TRF) from
--      the stimulus envelope and its rising slope (two named feature spaces) to the firing
--      rate, with nested leave-one-segment-out CV, banded ridge and a block-permutation test;
--   2. an event-related fMRI series (one voxel, 3360 volumes, six event types, TR 2 s as in
--      nitime's example): the events convolved with the SPM HRF against an FIR model (delays
--      0..7 volumes), both scored out of sample.
-- It prints what it does and writes PNG figures of the prediction accuracy into OUTDIR.
local gy = gy or require "gyrus"
local E = gy.encode

local outdir = arg and arg[1] or "figures/encoding"
os.execute("mkdir -p '" .. outdir:gsub("'", "'\\''") .. "'")
local t_start = gy.clock()
local made = {}

local function section(title)
  print("\n== " .. title .. " " .. string.rep("=", math.max(2, 72 - #title)))
end
local function say(fmt, ...) print(string.format(fmt, ...)) end
local function figure(name)
  local path = outdir .. "/" .. name .. ".png"
  made[#made + 1] = path
  return path
end

local paths = gy.data()
local dir = paths.nitime_dir

-- Whitespace-separated numbers of a text file, lines starting with '#' skipped.
local function numbers(path)
  local rows = {}
  for line in io.lines(path) do
    if line:sub(1, 1) ~= "#" and line:find("%d") then
      local r = {}
      for v in line:gmatch("%S+") do r[#r + 1] = tonumber(v) end
      rows[#rows + 1] = r
    end
  end
  return rows
end

local function mean_of(m)
  local s = 0
  for j = 1, tonumber(m.cols) do s = s + m:get(1, j) end
  return s / tonumber(m.cols)
end

----------------------------------------------------------------- 1. grasshopper neuron
section("1. Grasshopper auditory receptor: stimulus envelope -> firing rate")
local BIN_US, FS = 2000, 500 -- 2 ms bins
local n_bins = 5000 -- 10 s per recording
local env = gy.zeros(2 * n_bins, 1)
local rate = gy.zeros(2 * n_bins, 1)
for rec = 1, 2 do
  local off = (rec - 1) * n_bins
  local stim = numbers(string.format("%s/grasshopper_stimulus%d.txt", dir, rec))
  local sum, cnt = {}, {}
  for _, r in ipairs(stim) do
    local b = math.floor(r[1] / BIN_US) + 1
    if b <= n_bins then
      sum[b] = (sum[b] or 0) + r[2]
      cnt[b] = (cnt[b] or 0) + 1
    end
  end
  for b = 1, n_bins do env:set(off + b, 1, cnt[b] and sum[b] / cnt[b] or 0) end
  local spikes = numbers(string.format("%s/grasshopper_spike_times%d.txt", dir, rec))
  local counts = {}
  for _, r in ipairs(spikes) do
    local b = math.floor(r[1] / BIN_US) + 1
    if b >= 1 and b <= n_bins then counts[b] = (counts[b] or 0) + 1 end
  end
  -- Firing rate (Hz): spike counts smoothed by a 5-bin (10 ms) triangular window.
  local w = { 1, 2, 3, 2, 1 }
  for b = 1, n_bins do
    local s = 0
    for k = -2, 2 do s = s + w[k + 3] * (counts[b + k] or 0) end
    rate:set(off + b, 1, s / 9 * FS)
  end
  say("recording %d: %d stimulus samples (20 kHz) in %d bins of 2 ms, %d spikes (%.0f Hz)",
    rec, #stim, n_bins, #spikes, #spikes / 10)
end

-- Runs: each recording in 5 segments of 2 s, z-scored per recording.
local runs = {}
for i = 1, 2 * n_bins do runs[i] = math.floor((i - 1) / 1000) + 1 end
local rec_of = {}
for i = 1, 2 * n_bins do rec_of[i] = i <= n_bins and 1 or 2 end
local z = E.zscore(env, { runs = rec_of })
local slope = gy.zeros(2 * n_bins, 1)
for i = 2, 2 * n_bins do
  local d = z:get(i, 1) - z:get(i - 1, 1)
  if rec_of[i] == rec_of[i - 1] and d > 0 then slope:set(i, 1, d) end
end
slope = E.zscore(slope, { runs = rec_of })
local Xenv, lags = E.lag(z, { tmin = 0, tmax = 0.03, sfreq = FS })
local Xslope = E.lag(slope, { tmin = 0, tmax = 0.03, sfreq = FS })
local fs = E.features { { name = "envelope", X = Xenv }, { name = "slope", X = Xslope } }
local y = E.zscore(rate, { runs = rec_of })
say("design: %s; lags 0..%d ms; 10 runs of 2 s", tostring(fs), lags[#lags] * 2)

local alphas = gy.logspace(-2, 5, 15)
local t0 = gy.clock()
local nest = E.nested_cv(fs.X, y, { alphas = alphas, cv = { runs = runs }, score = "correlation" })
say("nested CV (outer leave-one-run-out, inner leave-one-run-out over the 9 others): " ..
  "mean held-out r = %.3f (%.2f s)", mean_of(nest.mean), gy.clock() - t0)
local r_all = E.score(y, nest.predictions, "correlation"):get(1, 1)
say("correlation of the out-of-fold predictions with the rate over all 20 s: r = %.3f", r_all)
local pt = E.permutation_test(y, nest.predictions, { score_func = "correlation", n_perm = 500,
  block = 50, seed = 1 })
say("block permutation (100 ms blocks, 500 permutations): p = %.4f", pt.pvalue:get(1, 1))

local bm = E.banded_ridge_cv(fs, y, { alphas = alphas, cv = { runs = runs }, n_iter = 20, seed = 1 })
local _, by = E.score_split(y, bm:predict_split(fs))
say("banded ridge (20 band weightings): in-sample R2 split envelope %.3f, slope %.3f",
  by.envelope:get(1, 1), by.slope:get(1, 1))

local p = figure("01_grasshopper_prediction")
local YP = gy.zeros(1000, 2)
for i = 1, 1000 do
  YP:set(i, 1, y:get(i, 1))
  YP:set(i, 2, nest.predictions:get(i, 1))
end
gy.plot.line(YP, { x = gy.linspace(0, 1.998, 1000), labels = { "firing rate (z)", "held-out prediction" },
  xlabel = "time (s)", ylabel = "z", title = string.format("Grasshopper receptor: held-out r = %.2f", r_all),
  file = p, size = { 900, 420 } })
say("  -> wrote %s", p)

local full = E.ridge_cv(fs.X, y, { alphas = alphas, cv = { runs = runs } })
local trf = gy.zeros(#lags, 2)
for k = 1, #lags do
  trf:set(k, 1, full.weights:get(k, 1))
  trf:set(k, 2, full.weights:get(#lags + k, 1))
end
local lag_ms = {}
for k = 1, #lags do lag_ms[k] = lags[k] * 2 end
p = figure("02_grasshopper_trf")
gy.plot.line(trf, { x = lag_ms, labels = { "envelope", "slope" }, xlabel = "lag (ms)",
  ylabel = "weight", title = "Temporal response function (ridge, CV alpha)", file = p,
  size = { 700, 420 } })
say("  -> wrote %s", p)

p = figure("03_grasshopper_null")
gy.plot.hist(pt.null_max, { bins = 30, title = string.format(
  "Block-permutation null of r (observed %.2f, p = %.3f)", pt.score:get(1, 1), pt.pvalue:get(1, 1)),
  file = p, size = { 700, 420 } })
say("  -> wrote %s", p)

---------------------------------------------------------- 2. event-related fMRI
section("2. Event-related fMRI: HRF-convolved events vs FIR")
local TR = 2
local tab = gy.read(dir .. "/event_related_fmri.csv")
local data = tab.data
local n = tonumber(data.rows)
local events = gy.zeros(n, 6)
for i = 1, n do
  local e = data:get(i, 2)
  if e > 0 then events:set(i, e, 1) end
end
local bold = E.zscore(data:colrange(1, 1):copy())
say("%d volumes (TR %g s), %d events of 6 types", n, TR, tonumber(events:sum()))
local fmri_runs = {}
for i = 1, n do fmri_runs[i] = math.floor((i - 1) * 8 / n) + 1 end
local designs = {
  { name = "SPM HRF", X = E.zscore(E.convolve_hrf(events, { tr = TR, model = "spm" })) },
  { name = "Glover HRF", X = E.zscore(E.convolve_hrf(events, { tr = TR, model = "glover" })) },
  { name = "FIR 0-7", X = E.zscore(E.delay(events, { 0, 1, 2, 3, 4, 5, 6, 7 })) },
}
local fa = gy.logspace(-1, 5, 13)
local rs, names = {}, {}
local fir_pred
for k, d in ipairs(designs) do
  local r = E.nested_cv(d.X, bold, { alphas = fa, cv = { runs = fmri_runs }, score = "correlation" })
  local perm = E.permutation_test(bold, r.predictions, { score_func = "correlation",
    n_perm = 500, block = 10, seed = 2 })
  rs[k], names[k] = mean_of(r.mean), d.name
  say("%-10s %2d regressors: held-out r = %.3f (8 runs), permutation p = %.4f", d.name,
    tonumber(d.X.cols), rs[k], perm.pvalue:get(1, 1))
  if k == 3 then fir_pred = r.predictions end
end

-- The FIR weights of the full-data fit are the estimated response to each event type.
local fir = E.ridge_cv(designs[3].X, bold, { alphas = fa, cv = { runs = fmri_runs } })
local resp = gy.zeros(8, 6)
for d = 0, 7 do
  for e = 1, 6 do resp:set(d + 1, e, fir.weights:get(d * 6 + e, 1)) end
end
p = figure("04_fmri_fir_response")
gy.plot.line(resp, { x = { 0, 2, 4, 6, 8, 10, 12, 14 }, labels = { "event 1", "event 2", "event 3",
  "event 4", "event 5", "event 6" }, xlabel = "time after event (s)", ylabel = "weight",
  title = "FIR estimate of the response to each event type", file = p, size = { 800, 450 } })
say("  -> wrote %s", p)

p = figure("05_fmri_accuracy")
gy.plot.scatter(gy.matrix({ 1, 2, 3 }), gy.matrix(rs), { title = string.format(
  "Held-out r: %s %.2f, %s %.2f, %s %.2f", names[1], rs[1], names[2], rs[2], names[3], rs[3]),
  xlabel = "model (1 SPM, 2 Glover, 3 FIR)", ylabel = "held-out r", s = 8, file = p, size = { 700, 420 } })
say("  -> wrote %s", p)

p = figure("06_fmri_prediction")
local BP = gy.zeros(200, 2)
for i = 1, 200 do
  BP:set(i, 1, bold:get(i, 1))
  BP:set(i, 2, fir_pred:get(i, 1))
end
gy.plot.line(BP, { x = gy.linspace(0, 199 * TR, 200), labels = { "BOLD (z)", "FIR held-out prediction" },
  xlabel = "time (s)", ylabel = "z", title = "Event-related BOLD and its out-of-sample prediction",
  file = p, size = { 900, 420 } })
say("  -> wrote %s", p)

say("\n%d figures in %s, %.1f s", #made, outdir, gy.clock() - t_start)
