-- A tour of the workbench on real data: `gyrus scripts/tour.lua [OUTDIR]` (default
-- ./tour-figures). It prints what it does and writes its figures into OUTDIR: matrices,
-- resting-state connectivity of nitime's 31 ROI time series, graph measures, an RSA of the
-- regions' time courses with model RDMs, and a brain map when NIfTI reading is available.
-- The data come from gy.data() (fetched by scripts/setup.sh).
local gy = gy or require "gyrus"

local outdir = arg and arg[1] or "tour-figures"
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

-- ------------------------------------------------------------------ matrices
section("1. Matrices")
say("Data matrices are observations x variables, column-major doubles; * is the matrix")
say("product, + - / broadcast like numpy, indices start at 1.")
local A = gy.matrix{{4, 1}, {1, 3}}
print("A =")
print(A)
print("A * inv(A) =")
print(A * gy.linalg.inv(A))
local X = gy.randn(1000, 200, {seed = 1})
local t0 = gy.clock()
local G = X:t() * X
say("X'X of a 1000 x 200 random matrix (seeded: same on every machine): %.1f ms, trace %.1f",
  1000 * (gy.clock() - t0), (function() local s = 0 for i = 1, 200 do s = s + G:get(i, i) end return s end)())

-- ------------------------------------------------------------------ data
section("2. Real data: nitime's resting-state ROI time series")
local paths = gy.data()
local csv = paths.nitime_dir .. "/fmri_timeseries.csv"


local tab = gy.read(csv)  -- header row kept as column names
local data, names = tab.data, tab.names
local n_time, n_col = data:shape()
say("%s: %d time points x %d columns (TR 1.89 s)", csv:match("[^/]+$"), n_time, n_col)
say("columns 1-3 are nuisance signals (%s, %s, %s); 4-31 are 28 grey-matter regions",
  names[1], names[2], names[3])
local labels = {}
for k = 4, n_col do labels[#labels + 1] = names[k] end
local n_roi = #labels
local rois = gy.stats.zscore(gy.stats.detrend(data:colrange(4, n_col)))
say("detrended and z-scored the regions (gy.stats.detrend, gy.stats.zscore)")

local TR = 1.89
local time = gy.linspace(0, (n_time - 1) * TR, n_time)
local p = figure("01_timeseries")
gy.plot.line(rois:colrange(1, 3), {x = time, labels = {labels[1], labels[2], labels[3]},
  xlabel = "time (s)", ylabel = "BOLD (z)", title = "Resting-state time series", file = p,
  size = {900, 450}})
wrote(p)

-- ------------------------------------------------------------------ connectivity
section("3. Functional connectivity")
local R = gy.stats.corr(rois)
local best, bi, bj = -2, 0, 0
for i = 1, n_roi do
  for j = i + 1, n_roi do
    if R:get(i, j) > best then best, bi, bj = R:get(i, j), i, j end
  end
end
say("gy.stats.corr: %d x %d Pearson correlations; strongest pair %s-%s, r = %.3f", n_roi, n_roi,
  labels[bi], labels[bj], best)
p = figure("02_connectivity")
gy.plot.matrix(R, {labels = labels, center = 0, clabel = "Pearson r",
  title = "Functional connectivity (28 regions)", file = p, size = {820, 720}})
wrote(p)

-- ------------------------------------------------------------------ graph
section("4. Graph measures")
local W = gy.graph.threshold(R, {proportional = 0.2})
local degree = gy.graph.degree(W)
local strength = gy.graph.strength(W)
local modules, Q = gy.graph.modularity(W, {seed = 1})
local pc = gy.graph.participation(W, modules)
say("gy.graph.threshold{proportional = 0.2}: %d links", degree:sum() / 2)
say("global efficiency %.3f, mean clustering %.3f, transitivity %.3f",
  gy.graph.efficiency(W), gy.graph.clustering(W):mean(), gy.graph.transitivity(W))
say("Louvain modularity (seed 1): %d modules, Q = %.3f", modules:max(), Q)
local hub, hs = 1, -1
for k = 1, n_roi do if strength:get(k, 1) > hs then hub, hs = k, strength:get(k, 1) end end
say("strongest hub: %s (degree %d, strength %.2f, participation %.2f)", labels[hub],
  degree:get(hub, 1), hs, pc:get(hub, 1))
p = figure("03_graph")
local fig = gy.plot.figure{rows = 1, cols = 2, file = p, size = {1300, 600}}
gy.plot.matrix(W, {figure = fig, labels = labels, clabel = "weight", title = "Strongest 20% of links"})
local smax = strength:max()
gy.plot.scatter(strength, pc, {figure = fig, labels = labels, groups = modules:values(),
  xlabel = "strength", ylabel = "participation", title = "Hubs (colour: module)",
  xlim = {-0.05 * smax, 1.3 * smax}, ylim = {-0.05, 0.75}})
fig:close()
wrote(p)

-- ------------------------------------------------------------------ RSA
section("5. Representational similarity")
say("Each region is a 'condition' whose pattern is its time course: the correlation-")
say("distance RDM says which regions behave alike, and model RDMs test why.")
local rdm = gy.rsa.rdm(rois:t(), {method = "correlation"})
say("gy.rsa.rdm: %d conditions, %d dissimilarities", rdm.n_cond, rdm:vector():numel())
-- Model RDMs: same hemisphere (regions 1-14 are left, 15-28 right, in the same order) and
-- homologous pairs (region k and k + 14).
local half = n_roi / 2
local hemi, homol = gy.zeros(n_roi, n_roi), gy.ones(n_roi, n_roi)
for i = 1, n_roi do
  for j = 1, n_roi do
    hemi:set(i, j, ((i <= half) == (j <= half)) and 0 or 1)
    if i == j or math.abs(i - j) == half then homol:set(i, j, 0) end
  end
end
for _, m in ipairs({ { "hemisphere", hemi }, { "homologues", homol } }) do
  say("  model %-10s  Spearman rho = %6.3f   Kendall tau-a = %6.3f", m[1],
    gy.rsa.compare(rdm, m[2], {method = "spearman"}), gy.rsa.compare(rdm, m[2], {method = "tau-a"}))
end
p = figure("04_rdm")
gy.plot.rdm(rdm, {labels = labels, rank = true, title = "Region RDM (1 - r, rank-transformed)",
  file = p, size = {820, 720}})
wrote(p)
p = figure("05_mds")
gy.plot.mds(rdm, {labels = labels, groups = modules:values(), title = "MDS of the region RDM (colour: module)",
  file = p})
wrote(p)

-- ------------------------------------------------------------------ brain
section("6. A brain map")
local image = gy.image
do
  -- nipy's functional run when that package was fetched (some Debian releases lack it),
  -- otherwise nitime's BOLD run.
  local fpath = paths.nitime_dir .. "/fmri1.nii.gz"
  local nipy = paths.nipy_dir and (paths.nipy_dir .. "/functional.nii.gz")
  local fh = nipy and io.open(nipy)
  if fh then fh:close(); fpath = nipy end
  local img = image.read(fpath)
  local nvox, nvol = img.data:shape()
  say("%s: %s, %d volumes", fpath:match("[^/]+$"), table.concat(img.shape, " x ", 1, 3), nvol)
  -- Temporal SNR (mean / sd over time) of the voxels inside the brain (mean above a fifth
  -- of the maximum), z-scored across those voxels: red is steadier than average, blue noisier.
  local mean, sd = img.data:mean(2), img.data:std(2)
  local cut = 0.2 * mean:max()
  local inside, sum, sum2 = {}, 0, 0
  local tsnr = gy.zeros(nvox, 1)
  for v = 1, nvox do
    local m, s = mean:get(v, 1), sd:get(v, 1)
    if m > cut and s > 0 then
      inside[#inside + 1] = v
      tsnr:set(v, 1, m / s)
      sum, sum2 = sum + m / s, sum2 + (m / s) ^ 2
    end
  end
  local mu = sum / #inside
  local sigma = math.sqrt(sum2 / #inside - mu * mu)
  local z = gy.zeros(nvox, 1)
  for _, v in ipairs(inside) do z:set(v, 1, (tsnr:get(v, 1) - mu) / sigma) end
  say("temporal SNR in %d brain voxels: mean %.1f, sd %.1f", #inside, mu, sigma)
  local shape = { img.shape[1], img.shape[2], img.shape[3] }
  p = figure("06_brain")
  gy.plot.brain({ data = z, shape = shape, affine = img.affine, voxel_size = img.voxel_size },
    {bg = { data = mean, shape = shape, affine = img.affine, voxel_size = img.voxel_size },
     threshold = 1, clabel = "tSNR (z across voxels)",
     title = "Temporal SNR of " .. fpath:match("[^/]+$"), file = p})
  wrote(p)
end

section("Done")
say("%d figures in %s/ (%.1f s)", #made, outdir, gy.clock() - t_start)
