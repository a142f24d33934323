-- An RSA walk-through on real data: `gyrus scripts/rsa.lua [OUTDIR]` (default ./figures/rsa).
-- Data from gy.data() (scripts/fetch_data.sh): nitime's resting-state time series of 28
-- grey-matter regions (250 TRs) and nitime's 4-D BOLD run fmri1.nii.gz.
--
-- Resting state has no stimulus conditions, so the walk-through treats each region as a
-- "condition" whose pattern is its time course: the RDM (1 - Pearson r between regions)
-- is the functional geometry of the regions. Five consecutive 50-TR segments play the part
-- of subjects (independent estimates of the same geometry), which gives a noise ceiling.
-- Model RDMs say why regions behave alike: same hemisphere, homologous pair, or same
-- anatomical system. The searchlight takes eight 5-volume time blocks of the BOLD run as
-- conditions and tests a temporal-drift model (blocks far apart in time differ more).
local gy = gy or require "gyrus"
-- functions added in this round, before the lead mounts them into gy.rsa / gy.plot
local fit_optimize = gy.rsa.fit_optimize or require("gyrus.rsa_fit").fit_optimize
local model_comparison = gy.plot.model_comparison
  or require("gyrus.plot_bars").model_comparison

local outdir = arg and arg[1] or "figures/rsa"
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
local function wrote(path) say("  -> wrote %s", path) end

-- ------------------------------------------------------------------ data
section("1. Data: 28 regions, five 50-TR segments")
local paths = gy.data()
local tab = gy.read(paths.nitime_dir .. "/fmri_timeseries.csv")
local data, names = tab.data, tab.names
local n_time, n_col = data:shape()
local labels = {}
for k = 4, n_col do labels[#labels + 1] = names[k] end -- 1-3 are nuisance signals
local n_roi = #labels
local rois = gy.stats.detrend(data:colrange(4, n_col))
say("fmri_timeseries.csv: %d TRs x %d regions (%s ... %s)", n_time, n_roi, labels[1],
  labels[n_roi])

local n_seg, seg_len = 5, math.floor(n_time / 5)
local sessions = {}
for s = 1, n_seg do
  local X = rois:rowrange((s - 1) * seg_len + 1, s * seg_len)
  sessions[s] = gy.rsa.rdm(X:t(), { method = "correlation", conditions = labels })
end
say("gy.rsa.rdm per segment: %d RDMs of %d regions (%d pairs each)", n_seg,
  sessions[1].n_cond, sessions[1]:vector():numel())
-- gy.rsa.rdm orders conditions alphabetically (rsatoolbox); build the models in that order
local order = sessions[1].labels
local mean_rdm = gy.rsa.pool(sessions, { method = "corr" })

-- ------------------------------------------------------------------ models
section("2. Model RDMs")
local systems = { Cau = "bg", Put = "bg", Thal = "bg", Hip = "mtl", PostPHG = "mtl",
  APHG = "mtl", AntPHG = "mtl", Amy = "mtl" }
local function side(name) return name:sub(1, 1) == "R" and "R" or "L" end
local function base(name)
  local b = name:sub(2)
  if name == "APHG" then b = "AntPHG" end -- nitime's left anterior PHG lacks the "L"
  return b
end
local function model(f)
  local D = gy.zeros(n_roi, n_roi)
  for i = 1, n_roi do
    for j = 1, n_roi do
      if i ~= j then D:set(i, j, f(order[i], order[j])) end
    end
  end
  return D
end
local models = {
  model(function(a, b) return side(a) == side(b) and 0 or 1 end),
  model(function(a, b) return base(a) == base(b) and 0 or 1 end),
  model(function(a, b)
    return (systems[base(a)] or "cortex") == (systems[base(b)] or "cortex") and 0 or 1
  end),
}
local rnd = gy.randn(n_roi, n_roi, { seed = 7 })
models[4] = model(function(a, b)
  local i, j
  for k = 1, n_roi do
    if order[k] == a then i = k end
    if order[k] == b then j = k end
  end
  return math.abs(rnd:get(math.min(i, j), math.max(i, j)))
end)
local model_names = { "hemisphere", "homologues", "system", "random" }
for i, n in ipairs(model_names) do
  say("  %-10s Spearman with the mean RDM: %6.3f", n,
    gy.rsa.compare(mean_rdm, models[i], { method = "spearman" }))
end

-- For display, regions go by system, then name, then hemisphere, so blocks show.
local rank_sys = { bg = 1, mtl = 2, cortex = 3 }
local shown = {}
for i = 1, n_roi do shown[i] = i end
table.sort(shown, function(i, j)
  local a, b = order[i], order[j]
  local sa, sb = rank_sys[systems[base(a)] or "cortex"], rank_sys[systems[base(b)] or "cortex"]
  if sa ~= sb then return sa < sb end
  if base(a) ~= base(b) then return base(a) < base(b) end
  return side(a) < side(b)
end)
local shown_labels = {}
for k, i in ipairs(shown) do shown_labels[k] = order[i] end
local function display(x)
  local S = gy.rsa.is_rdm(x) and x:square() or x
  local D = gy.zeros(n_roi, n_roi)
  for a = 1, n_roi do
    for b = 1, n_roi do D:set(a, b, S:get(shown[a], shown[b])) end
  end
  return D
end

local p = figure("01_rdms")
local fig = gy.plot.figure { rows = 1, cols = 3, file = p, size = { 1500, 560 } }
gy.plot.rdm(display(mean_rdm), { figure = fig, labels = shown_labels, rank = true,
  title = "Regions: pooled RDM (ranks)" })
gy.plot.rdm(display(models[2]), { figure = fig, labels = shown_labels, title = "Model: homologues" })
gy.plot.rdm(display(models[3]), { figure = fig, labels = shown_labels, title = "Model: system" })
fig:close()
wrote(p)

-- ------------------------------------------------------------------ evaluation
section("3. Model evaluation with the noise ceiling")
local ev = gy.rsa.evaluate(models, sessions, { method = "corr", names = model_names })
print(ev)
local boot = gy.rsa.bootstrap(models, sessions, { method = "corr", n = 1000, seed = 1,
  names = model_names })
print(boot)
p = figure("02_model_comparison")
model_comparison(boot, { error = "ci", pairs = true, file = p, size = { 900, 620 },
  title = "Which model explains the regions' geometry? (bootstrap 95% CI)" })
wrote(p)

-- ------------------------------------------------------------------ fitting
section("4. A weighted model fitted by BFGS")
local wm = fit_optimize({ models[1], models[2], models[3] }, sessions,
  { method = "corr", names = { "hemisphere", "homologues", "system" }, seed = 1 })
print(wm)
local ls = gy.rsa.fit_model({ models[1], models[2], models[3] }, sessions,
  { type = "weighted", fitter = "lstsq", method = "corr" })
local nrm = 0
for i = 1, 3 do nrm = nrm + ls.theta[i] ^ 2 end
say("least squares on the pooled RDM (scaled to unit norm): %.4f %.4f %.4f",
  ls.theta[1] / math.sqrt(nrm), ls.theta[2] / math.sqrt(nrm), ls.theta[3] / math.sqrt(nrm))
local cv = gy.rsa.crossval({ models[1], models[2], models[3] }, sessions,
  { method = "corr", fitter = "lstsq", name = "weighted (3 models)" })
print(cv)

-- ------------------------------------------------------------------ tRSA
section("5. Topological RSA")
local g = gy.rsa.rgtm(mean_rdm, { lower = 0.2, upper = 0.8 })
local gd = gy.rsa.rgtd(mean_rdm, { lower = 0.2, upper = 0.8 })
local tdata = {}
for s = 1, n_seg do tdata[s] = gy.rsa.rgtm(sessions[s]) end
local tev = gy.rsa.evaluate(models, tdata, { method = "corr", names = model_names })
say("models against the RGTM (l = 0.2, u = 0.8) of each segment:")
for i, n in ipairs(model_names) do say("  %-10s %6.3f +- %.3f", n, tev.mean[i], tev.sem[i]) end
p = figure("03_trsa")
fig = gy.plot.figure { rows = 1, cols = 3, file = p, size = { 1500, 560 } }
gy.plot.rdm(display(mean_rdm), { figure = fig, labels = shown_labels, rank = true,
  title = "RDM (ranks)" })
gy.plot.rdm(display(g), { figure = fig, labels = shown_labels, title = "RGTM (0.2, 0.8)" })
gy.plot.rdm(display(gd), { figure = fig, labels = shown_labels, title = "RGTD (geodesic, ranked)" })
fig:close()
wrote(p)

-- ------------------------------------------------------------------ searchlight
section("6. Searchlight on a BOLD run")
local img = gy.image.read(paths.nitime_dir .. "/fmri1.nii.gz")
local nvox, nvol = img.data:shape()
local mean = img.data:mean(2)
local cut = 0.2 * mean:max()
local mvals = gy.zeros(nvox, 1)
local n_in = 0
for v = 1, nvox do
  if mean:get(v, 1) > cut then mvals:set(v, 1, 1); n_in = n_in + 1 end
end
local mask = { data = mvals, shape = { img.shape[1], img.shape[2], img.shape[3] },
  affine = img.affine, voxel_size = img.voxel_size }
local n_block = 8
local blk = math.floor(nvol / n_block)
local cond = {}
for t = 1, nvol do cond[t] = string.format("b%d", math.min(n_block, math.floor((t - 1) / blk) + 1)) end
local drift = gy.zeros(n_block, n_block)
for i = 1, n_block do for j = 1, n_block do drift:set(i, j, math.abs(i - j)) end end
local t0 = gy.clock()
local map, info = gy.rsa.searchlight(img, mask, { radius = 2, method = "correlation",
  conditions = cond, model = drift, compare = "spearman" })
say("fmri1.nii.gz: %s x %d volumes; %d voxels in the mask, %d spheres (radius 2) in %.2f s",
  table.concat(mask.shape, " x "), nvol, n_in, info.n_centres, gy.clock() - t0)
local best = -2
for v = 1, nvox do
  local x = map.data:get(v, 1)
  if x == x and x > best then best = x end
end
say("Spearman of the block RDM with the drift model: max %.3f", best)
p = figure("04_searchlight")
gy.plot.brain({ data = map.data, shape = mask.shape, affine = img.affine,
  voxel_size = img.voxel_size }, { bg = { data = mean, shape = mask.shape, affine = img.affine,
  voxel_size = img.voxel_size }, threshold = 0.3, clabel = "Spearman rho",
  title = "Searchlight: temporal-drift model", file = p })
wrote(p)

section("Done")
say("%d figures in %s/ (%.1f s)", #made, outdir, gy.clock() - t_start)
