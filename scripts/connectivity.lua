-- Functional connectivity on real data: `gyrus scripts/connectivity.lua [OUTDIR]` (default
-- ./figures/connectivity). nitime's resting-state run (28 grey-matter ROI time series plus
-- white matter, ventricle and global signals; TR 1.89 s) from gy.data() is cleaned as
-- nilearn would (detrend, cosine drift below 0.01 Hz and the three nuisance signals
-- regressed out, then a 0.01-0.1 Hz band-pass variant), then:
--   01_timeseries      raw and cleaned series of three regions
--   02_matrices        correlation, Ledoit-Wolf partial correlation and tangent matrices
--                      (the tangent space of the run's two halves, as two "sessions")
--   03_graph           the 20%-densest correlation graph and its per-region measures
--   04_coherence       multitaper coherence, 0.025-0.1 Hz, over 2 epochs of 125 volumes
-- It prints what it measures; it runs in about ten seconds.
local gy = gy or require "gyrus"
local conn, signal = require "gyrus.conn", require "gyrus.signal"

local outdir = arg and arg[1] or "figures/connectivity"
os.execute("mkdir -p '" .. outdir:gsub("'", "'\\''") .. "'")
local t_start = gy.clock()
local function say(fmt, ...) print(string.format(fmt, ...)) end
local function figure(name)
  local path = outdir .. "/" .. name .. ".png"
  return path
end

-- ------------------------------------------------------------------ data
local paths = gy.data()
local tab = gy.read(paths.nitime_dir .. "/fmri_timeseries.csv")
local data, names = tab.data, tab.names
local n_time, n_col = data:shape()
local TR = 1.89
local labels = {}
for k = 4, n_col do labels[#labels + 1] = names[k] end
local n_roi = #labels
local rois, nuisance = data:colrange(4, n_col), data:colrange(1, 3)
say("nitime fMRI: %d volumes x %d regions (TR %.2f s); nuisance: %s, %s, %s", n_time, n_roi, TR,
  names[1], names[2], names[3])

-- ------------------------------------------------------------------ cleaning
local clean = signal.clean(rois, { confounds = nuisance, filter = "cosine", high_pass = 0.01,
  t_r = TR })
local drift = signal.cosine_drift(n_time, { high_pass = 0.01, t_r = TR })
say("gy.signal.clean: detrend, %d cosine drift regressors (< 0.01 Hz) + 3 nuisance signals "
  .. "regressed out, z-scored", drift.cols - 1)
local band = signal.clean(rois, { confounds = nuisance, low_pass = 0.1, high_pass = 0.01, t_r = TR })
local compcor = signal.high_variance_confounds(rois, { n_confounds = 3, percentile = 20 })
say("band-pass 0.01-0.1 Hz variant; CompCor-like high-variance confounds: %d x %d", compcor:shape())

local time = gy.linspace(0, (n_time - 1) * TR, n_time)
local p = figure("01_timeseries")
local fig = gy.plot.figure { rows = 2, cols = 1, file = p, size = { 900, 700 } }
gy.plot.line(gy.stats.zscore(rois:colrange(1, 3)), { figure = fig, x = time,
  labels = { labels[1], labels[2], labels[3] }, xlabel = "time (s)", ylabel = "z",
  title = "Raw (z-scored)" })
gy.plot.line(band:colrange(1, 3), { figure = fig, x = time, labels = { labels[1], labels[2], labels[3] },
  xlabel = "time (s)", ylabel = "z", title = "Cleaned: nuisance regressed, 0.01-0.1 Hz" })
fig:close()
say("  -> wrote %s", p)

-- ------------------------------------------------------------------ connectivity
local R = conn.correlation(clean)
local P = conn.partial_correlation(clean)
local half = math.floor(n_time / 2)
local sessions = { clean:rowrange(1, half), clean:rowrange(half + 1, 2 * half) }
local T = conn.tangent(sessions, { vectorize = false })
local Tm = T[1]
local best, bi, bj = -2, 1, 1
for i = 1, n_roi do
  for j = i + 1, n_roi do
    if R:get(i, j) > best then best, bi, bj = R:get(i, j), i, j end
  end
end
say("gy.conn.correlation: strongest pair %s - %s, r = %.3f (partial %.3f)", labels[bi], labels[bj],
  best, P:get(bi, bj))
p = figure("02_matrices")
fig = gy.plot.figure { rows = 1, cols = 3, file = p, size = { 1800, 620 } }
gy.plot.matrix(R, { figure = fig, labels = labels, center = 0, title = "Correlation" })
gy.plot.matrix(P, { figure = fig, labels = labels, center = 0, title = "Partial correlation (Ledoit-Wolf)" })
gy.plot.matrix(Tm, { figure = fig, labels = labels, center = 0, title = "Tangent (first half)" })
fig:close()
say("  -> wrote %s", p)

-- ------------------------------------------------------------------ graph
local W = gy.graph.threshold(R, { proportional = 0.2 })
local degree, strength = gy.graph.degree(W), gy.graph.strength(W)
local clustering = gy.graph.clustering(W)
local modules, Q = gy.graph.modularity(W, { seed = 1 })
say("graph (20%% densest links): %d links, global efficiency %.3f, transitivity %.3f, "
  .. "%d modules (Q = %.3f)", degree:sum() / 2, gy.graph.efficiency(W), gy.graph.transitivity(W),
  modules:max(), Q)
p = figure("03_graph")
fig = gy.plot.figure { rows = 1, cols = 2, file = p, size = { 1500, 620 } }
gy.plot.matrix(W, { figure = fig, labels = labels, clabel = "r", title = "Strongest 20% of links" })
gy.plot.scatter(strength, clustering, { figure = fig, labels = labels, groups = modules:values(),
  xlabel = "strength", ylabel = "clustering (Onnela)", title = "Regions (colour: module)" })
fig:close()
say("  -> wrote %s", p)

-- ------------------------------------------------------------------ spectral coherence
local n_ep, ep_len = 2, 125
local epochs = {}
for e = 1, n_ep do epochs[e] = clean:rowrange((e - 1) * ep_len + 1, e * ep_len) end
local sfreq = 1 / TR
local coh = gy.conn.spectral(epochs, { method = "coh", sfreq = sfreq, fmin = 0.025, fmax = 0.1,
  faverage = true, mt_bandwidth = 0.05 })
local Cm = gy.zeros(n_roi, n_roi)
for i = 1, n_roi do Cm:set(i, i, 1) end
for c = 1, #coh.seeds do
  local v = coh.con:get(c, 1)
  Cm:set(coh.seeds[c], coh.targets[c], v)
  Cm:set(coh.targets[c], coh.seeds[c], v)
end
say("gy.conn.spectral: multitaper coherence 0.025-0.1 Hz of %d epochs x %d volumes; mean %.3f",
  n_ep, ep_len, (coh.con:sum()) / #coh.seeds)
p = figure("04_coherence")
gy.plot.matrix(Cm, { labels = labels, clabel = "coherence", title = "Coherence 0.025-0.1 Hz (2 epochs of 125 volumes)",
  file = p, size = { 820, 720 } })
say("  -> wrote %s", p)
say("done in %.1f s", gy.clock() - t_start)
