-- gy.rsa.searchlight and gy.rsa.timecourse against the brute-force numpy/scipy
-- re-computation of rsatoolbox's formulas in tests/fixtures/rsa_searchlight.lua
-- (make_rsa_searchlight.py).
local F = fixture("rsa_searchlight.lua")
local SL = require "gyrus.rsa_searchlight"
local rsa = gy.rsa or require "gyrus.rsa"
local searchlight = rsa.searchlight or SL.searchlight
local timecourse = rsa.timecourse or SL.timecourse
local TOL = 1e-10

local nvox = F.shape[1] * F.shape[2] * F.shape[3]
local mask = { data = gy.matrix(F.mask), shape = F.shape, affine = gy.eye(4), pixdim = { 1, 1, 1 },
  voxel_size = { 1, 1, 1 } }
local X = gy.matrix(F.X)
local models = { F.model1, F.model2 }

-- Storage index (1-based, x fastest) of each mask voxel in gy.image.mask's order (z fastest).
local storage = {}
for x = 0, F.shape[1] - 1 do
  for y = 0, F.shape[2] - 1 do
    for z = 0, F.shape[3] - 1 do
      local v = x + F.shape[1] * (y + F.shape[2] * z) + 1
      if F.mask[v] ~= 0 then storage[#storage + 1] = v end
    end
  end
end

describe("gy.rsa.searchlight", function()
  it("matches correlation RDMs scored by Spearman (inclusive radius 2, min_voxels 4)", function()
    local map, info = searchlight(X, mask, { radius = 2, conditions = F.conds, model = models,
      compare = "spearman", min_voxels = 4, return_rdms = true })
    expect_near(map, F.corr_spearman, TOL)
    local K = #F.model1
    local first = {}
    for k = 1, K do first[k] = info.rdms:get(k, 1) end
    expect_near(first, F.first_rdm, TOL)
    for c = 1, info.n_centres do
      expect_near(info.sizes[c], F.sizes_incl2[info.centres[c]], 0)
    end
  end)
  it("matches euclidean RDMs scored by Pearson (exclusive radius 2, as rsatoolbox)", function()
    local map, info = searchlight(X, mask, { radius = 2, boundary = "exclusive",
      method = "euclidean", conditions = F.conds, model = models })
    expect_near(map, F.eucl_corr, TOL)
    expect_eq(info.n_centres, #F.sizes_excl2)
    expect_near(info.sizes, F.sizes_excl2, 0)
  end)
  it("runs crossnobis with runs inside each sphere", function()
    local map = searchlight(X, mask, { radius = 1.5, method = "crossnobis", conditions = F.conds,
      runs = F.runs, model = models, compare = "spearman" })
    expect_near(map, F.xnobis_spearman, TOL)
  end)
  it("gives the same map with any number of threads", function()
    local a = searchlight(X, mask, { conditions = F.conds, model = F.model1, threads = 1 })
    local b = searchlight(X, mask, { conditions = F.conds, model = F.model1, threads = 3 })
    for i = 1, a:shape() do
      local x, y = a:get(i, 1), b:get(i, 1)
      expect_true(x == y or (x ~= x and y ~= y), "voxel " .. i)
    end
  end)
  it("takes a 4-D image and returns a map image", function()
    local N = X:shape()
    local Xt = gy.zeros(nvox, N)
    for j, v in ipairs(storage) do
      for t = 1, N do Xt:set(v, t, X:get(t, j)) end
    end
    local img = { data = Xt, shape = { F.shape[1], F.shape[2], F.shape[3], X:shape() },
      affine = gy.eye(4) }
    local map = searchlight(img, mask, { radius = 2, conditions = F.conds, model = models,
      compare = "spearman", min_voxels = 4 })
    expect_eq(map.shape[4], 2)
    for j, v in ipairs(storage) do
      expect_near(map.data:get(v, 2), F.corr_spearman[j][2], TOL)
    end
  end)
  it("estimates the noise precision per sphere from residuals (crossnobis, mahalanobis)", function()
    local R = gy.matrix(F.resid)
    local map, info = searchlight(X, mask, { radius = 1.5, method = "crossnobis",
      conditions = F.conds, runs = F.runs, model = models, noise = "per_sphere", residuals = R,
      return_rdms = true })
    expect_near(map, F.xnobis_noise_corr, 1e-9)
    local first = {}
    for k = 1, #F.model1 do first[k] = info.rdms:get(k, 1) end
    expect_near(first, F.xnobis_noise_rdm1, 1e-9)
    map, info = searchlight(X, mask, { radius = 2, method = "mahalanobis", conditions = F.conds,
      model = models, noise = "per_sphere", residuals = R, noise_method = "shrinkage_diag",
      return_rdms = true, threads = 2 })
    expect_near(map, F.maha_noise_corr, 1e-9)
    for k = 1, #F.model1 do first[k] = info.rdms:get(k, 1) end
    expect_near(first, F.maha_noise_rdm1, 1e-9)
    -- spheres that hold the whole mask: gy.rsa.rdm with gy.rsa.noise of all residuals
    local _, all = searchlight(X, mask, { radius = 100, method = "crossnobis",
      conditions = F.conds, runs = F.runs, noise = "per_sphere", residuals = R,
      noise_method = "shrinkage_eye", return_rdms = true })
    local whole = rsa.rdm(X, { method = "crossnobis", conditions = F.conds, runs = F.runs,
      noise = rsa.noise(R, { method = "shrinkage_eye" }) }):vector()
    for k = 1, #F.model1 do expect_near(all.rdms:get(k, all.n_centres), whole:get(k, 1), 1e-10) end
  end)
  it("names bad per-sphere noise options", function()
    local R = gy.matrix(F.resid)
    expect_error(function() searchlight(X, mask, { model = F.model1, conditions = F.conds,
      method = "mahalanobis" }) end, "per_sphere")
    expect_error(function() searchlight(X, mask, { model = F.model1, conditions = F.conds,
      method = "crossnobis", noise = "per_sphere" }) end, "residuals=")
    expect_error(function() searchlight(X, mask, { model = F.model1, conditions = F.conds,
      noise = "per_sphere", residuals = R }) end, "mahalanobis and crossnobis")
    expect_error(function() searchlight(X, mask, { model = F.model1, conditions = F.conds,
      method = "crossnobis", noise = "global", residuals = R }) end, "per_sphere")
    expect_error(function() searchlight(X, mask, { model = F.model1, conditions = F.conds,
      method = "crossnobis", noise = "per_sphere", residuals = R, noise_method = "lw" }) end,
      "noise_method")
    expect_error(function() searchlight(X, mask, { model = F.model1, conditions = F.conds,
      method = "crossnobis", noise = "per_sphere", residuals = R:block(1, 16, 1, 10) }) end,
      "residuals have 10 columns")
  end)
  it("names bad input", function()
    expect_error(function() searchlight(X, mask, { conditions = F.conds }) end, "model=")
    expect_error(function() searchlight(X, mask, { model = F.model1, radius = -1 }) end, "radius")
    expect_error(function() searchlight(X, mask, { model = F.model1, boundary = "open" }) end,
      "boundary")
    expect_error(function() searchlight(X:block(1, 21, 1, 10), mask, { model = F.model1 }) end,
      "columns")
    expect_error(function() searchlight(X, mask, { model = F.model1 }) end, "distances")
    expect_error(function() searchlight(X, mask, { model = F.model1, method = "crossnobis" }) end,
      "conditions")
    expect_error(function() searchlight(X, mask, { model = F.model1, raduis = 2 }) end, "raduis")
  end)
end)

describe("gy.rsa.timecourse", function()
  it("scores windowed RDMs against models", function()
    local epochs = {}
    for t = 1, #F.epochs do epochs[t] = gy.matrix(F.epochs[t]) end
    local tc = timecourse(epochs, { conditions = F.conds, window = 2, step = 1,
      model = { F.model1, F.model2 }, compare = "corr" })
    expect_eq(#tc.rdms, 4)
    expect_near(tc.times, { 1.5, 2.5, 3.5, 4.5 }, 0)
    expect_near(tc.rdms[1]:vector(), F.tc_rdm1, TOL)
    local s = tc.scores
    for k = 1, 4 do expect_near(s:get(k, 1), F.tc_scores[k][1], TOL) end
    local tc2 = timecourse(epochs, { conditions = F.conds, window = 2, step = 1,
      model = F.model2, compare = "spearman" })
    for k = 1, 4 do expect_near(tc2.scores:get(k, 1), F.tc_scores[k][2], TOL) end
    expect_error(function() timecourse(epochs, { window = 9 }) end, "window")
  end)
end)
