-- gy.graph against BCT's formulas re-implemented in numpy (tests/fixtures/make_graph.py,
-- checked there against networkx) on a 40-node random weighted graph thresholded at 30 %.
local graph = gy.graph or require "gyrus.graph"
local F = fixture("graph.lua")

local W = gy.matrix(F.W)
local L = graph.lengths(W)
local n = #F.W

-- Q = sum_ij [c_i = c_j] (W_ij - gamma k_i k_j / s) / s from the definition, in Lua.
local function modularity(Wt, ci, gamma)
  local k, s, q = {}, 0, 0
  for i = 1, #Wt do
    k[i] = 0
    for j = 1, #Wt do k[i] = k[i] + Wt[i][j] end
    s = s + k[i]
  end
  for i = 1, #Wt do
    for j = 1, #Wt do
      if ci[i] == ci[j] then q = q + Wt[i][j] - gamma * k[i] * k[j] / s end
    end
  end
  return q / s
end

describe("gy.graph thresholds", function()
  it("proportional keeps round-half-up (n^2 - n) p / 2 links, as BCT", function()
    local T = graph.threshold(F.W0, { proportional = F.p })
    expect_near(T, F.W, 0)
    local links = 0
    for _, v in ipairs(T:values()) do if v ~= 0 then links = links + 1 end end
    expect_eq(links / 2, F.links)
    expect_eq(links / 2, math.floor((n * n - n) * F.p / 2 + 0.5))
    expect_near(graph.threshold(F.W0, { proportional = F.p_sparse }), F.W_sparse, 0)
  end)
  it("absolute keeps weights >= thr; binarize gives 0/1", function()
    expect_near(graph.threshold(F.W0, { absolute = F.thr }):sum(), F.sum_absolute, 1e-12)
    local B = graph.threshold(F.W0, { proportional = F.p, binarize = true })
    expect_near(B:sum(), 2 * F.links, 0)
  end)
  it("rejects bad options", function()
    expect_error(function() graph.threshold(W) end, "exactly one")
    expect_error(function() graph.threshold(W, { proportional = 0.1, absolute = 0.2 }) end,
      "exactly one")
    expect_error(function() graph.threshold(W, { proportion = 0.1 }) end, "unknown option")
    expect_error(function() graph.threshold(W, { proportional = 2 }) end,
      "gy.graph.threshold: the proportion must be in")
    expect_error(function() graph.threshold({ { 1, 2, 3 } }, { absolute = 0 }) end, "square")
  end)
end)

describe("gy.graph node metrics", function()
  it("degree and strength", function()
    expect_near(graph.degree(W), F.degree, 0)
    expect_near(graph.strength(W), F.strength, 1e-13)
  end)
  it("clustering: Onnela weighted and binary", function()
    expect_near(graph.clustering(W), F.clustering_wu, 1e-12)
    expect_near(graph.clustering(W, { binary = true }), F.clustering_bu, 1e-12)
  end)
  it("transitivity, weighted and binary", function()
    expect_near(graph.transitivity(W), F.transitivity_wu, 1e-12)
    expect_near(graph.transitivity(W, { binary = true }), F.transitivity_bu, 1e-12)
  end)
  it("3-cycle participation (triangles per node)", function()
    expect_near(graph.triangles(W), F.triangles_bu, 0)
    expect_near(graph.triangles(W, { weighted = true }), F.triangles_wu, 1e-12)
  end)
  it("participation coefficient, and BCT's analytic case", function()
    expect_near(graph.participation(W, F.ci), F.participation, 1e-12)
    expect_near(graph.participation(gy.ones(3, 3), { 1, 1, 2 }), { 4 / 9, 4 / 9, 4 / 9 }, 1e-15)
    expect_error(function() graph.participation(W, { 1, 2 }) end, "2 community labels")
  end)
  it("rejects a directed graph where an undirected one is needed", function()
    local D = W:copy()
    D:set(1, 2, 0.5)
    D:set(2, 1, 0.25)
    expect_error(function() graph.clustering(D) end,
      "gy.graph.clustering: the graph must be undirected")
    expect_error(function() graph.modularity(D) end, "undirected")
  end)
end)

describe("gy.graph paths", function()
  it("characteristic path length on lengths 1/W (charpath)", function()
    local lambda, eff, ecc, rad, dia = graph.path_length(L)
    expect_near({ lambda, eff, rad, dia }, F.charpath, 1e-12)
    expect_near(ecc, F.ecc, 1e-12)
    lambda, eff, ecc, rad, dia = graph.path_length(W, { binary = true })
    expect_near({ lambda, eff, rad, dia }, F.charpath_bin, 1e-12)
  end)
  it("infinite distances count unless include_infinite = false", function()
    expect_true(not F.sparse_connected)
    local Ls = graph.lengths(F.W_sparse)
    expect_eq(graph.path_length(Ls), math.huge)
    local lambda, eff, _, rad, dia = graph.path_length(Ls, { include_infinite = false })
    expect_near({ lambda, eff, rad, dia }, F.charpath_sparse_finite, 1e-12)
    local D = graph.distance(Ls)
    expect_eq(D:get(1, 1), 0)
  end)
  it("global efficiency, weighted and binary", function()
    expect_near(graph.efficiency(W), F.efficiency_wei, 1e-12)
    expect_near(graph.efficiency(W, { binary = true }), F.efficiency_bin, 1e-12)
    expect_near(graph.efficiency(F.W_sparse), F.efficiency_sparse, 1e-12)
  end)
  it("local efficiency: binary, original (Rubinov-Sporns), Wang", function()
    expect_near(graph.efficiency(W, { binary = true, ["local"] = true }), F.local_bin, 1e-12)
    expect_near(graph.efficiency(W, { ["local"] = "original" }), F.local_original, 1e-12)
    expect_near(graph.efficiency(W, { ["local"] = "wang" }), F.local_wang, 1e-12)
    expect_near(graph.efficiency(W, { ["local"] = true }), F.local_wang, 1e-12)
    expect_error(function() graph.efficiency(W, { ["local"] = "onnela" }) end, "wang")
    expect_error(function() graph.efficiency(gy.matrix({ { 0, -1 }, { -1, 0 } })) end,
      "negative weight")
  end)
  it("betweenness on lengths (Brandes, both directions), binary, normalised", function()
    expect_near(graph.betweenness(L), F.betweenness_wei, 1e-10)
    expect_near(graph.betweenness(W, { binary = true }), F.betweenness_bin, 1e-10)
    local b = graph.betweenness(L, { normalized = true })
    expect_near(b * ((n - 1) * (n - 2)), F.betweenness_wei, 1e-10)
  end)
end)

describe("gy.graph on a directed graph", function()
  local Wd = gy.matrix(F.Wd)
  local Ld = graph.lengths(Wd)
  it("proportional threshold ranks all n^2 - n entries", function()
    expect_near(graph.threshold(F.Wd0, { proportional = 0.15 }), F.Wd, 0)
  end)
  it("degree and strength are per column (in-links)", function()
    expect_near(graph.degree(Wd), F.degree_dir, 0)
    expect_near(graph.strength(Wd), F.strength_dir, 1e-13)
  end)
  it("paths, efficiency and betweenness follow link direction", function()
    local lambda, eff, _, rad, dia = graph.path_length(Ld)
    expect_eq(lambda, F.charpath_dir[1]) -- Inf: some nodes cannot reach others
    expect_eq(dia, F.charpath_dir[4])
    expect_near({ eff, rad }, { F.charpath_dir[2], F.charpath_dir[3] }, 1e-12)
    expect_near(graph.efficiency(Wd), F.efficiency_dir, 1e-12)
    expect_near(graph.efficiency(Wd, { ["local"] = "original" }), F.local_original_dir, 1e-12)
    expect_near(graph.efficiency(Wd, { ["local"] = "wang" }), F.local_wang_dir, 1e-12)
    expect_near(graph.efficiency(Wd, { binary = true, ["local"] = true }), F.local_bin_dir, 1e-12)
    expect_near(graph.betweenness(Ld), F.betweenness_dir, 1e-10)
  end)
end)

describe("gy.graph.modularity (Louvain)", function()
  it("recovers planted communities; Q is the modularity of the partition", function()
    local ci, q = graph.modularity(F.planted, { seed = 3 })
    expect_near(ci, F.planted_ci, 0)
    expect_near(q, F.planted_q, 1e-12)
  end)
  it("is reproducible for a seed and Q matches the definition", function()
    local ci1, q1 = graph.modularity(W, { seed = 11 })
    local ci2, q2 = graph.modularity(W, { seed = 11 })
    expect_near(ci1, ci2, 0)
    expect_eq(q1, q2)
    for _, seed in ipairs({ 1, 2, 3, 4, 5 }) do
      for _, gamma in ipairs({ 0.5, 1, 2 }) do
        local ci, q = graph.modularity(W, { seed = seed, gamma = gamma })
        expect_near(q, modularity(F.W, ci:values(), gamma), 1e-12)
        -- labels 1..k, each used
        local used, k = {}, 0
        for _, c in ipairs(ci:values()) do
          if not used[c] then used[c] = true; k = k + 1 end
        end
        for c = 1, k do expect_true(used[c], "label " .. c .. " used") end
      end
      local _, q = graph.modularity(W, { seed = seed })
      expect_true(q > F.q_ci, "Louvain beats an arbitrary partition")
    end
  end)
  it("rejects bad options", function()
    expect_error(function() graph.modularity(W, { seed = -1 }) end, "seed")
    expect_error(function() graph.modularity(W, { gamma = 0 / 0 }) end, "gamma")
  end)
end)

describe("gy.graph.voxel_maps", function()
  -- Correlation of the columns of X by the textbook formula, in Lua.
  local function corr(X)
    local T, n = X:shape()
    local Z = {}
    for j = 1, n do
      local m, s = 0, 0
      for i = 1, T do m = m + X:get(i, j) end
      m = m / T
      local z = {}
      for i = 1, T do z[i] = X:get(i, j) - m; s = s + z[i] ^ 2 end
      s = math.sqrt(s)
      for i = 1, T do z[i] = s > 0 and z[i] / s or 0 end
      Z[j] = z
    end
    local R = {}
    for a = 1, n do
      R[a] = {}
      for b = 1, n do
        local r = 0
        for i = 1, T do r = r + Z[a][i] * Z[b][i] end
        R[a][b] = r
      end
    end
    return R
  end

  it("matches the dense route: correlation, threshold, degree, triangles", function()
    local T, n = 30, 60
    local X = gy.randn(T, n, { seed = 4 })
    for j = 1, n do
      for i = 1, T do X:set(i, j, X:get(i, j) + 1.2 * X:get(i, (j - 1) % 4 + 1)) end
    end
    local R = corr(X)
    local thr = 0.35
    local A = gy.zeros(n, n)
    local mean = {}
    for a = 1, n do
      mean[a] = 0
      for b = 1, n do
        if a ~= b then
          if R[a][b] >= thr then A:set(a, b, 1) end
          mean[a] = mean[a] + R[a][b] / (n - 1)
        end
      end
    end
    local deg, tri, mr = graph.voxel_maps(X, { threshold = thr, memory_mb = 0.03 })
    expect_near(deg, graph.degree(A), 0)
    expect_near(tri, graph.triangles(A), 0)
    expect_near(mr, mean, 1e-12)
    local d2, t2 = graph.voxel_maps(X, { threshold = thr, triangles = false })
    expect_near(d2, deg, 0)
    expect_eq(t2, false)
  end)
  it("needs a threshold and a workable budget", function()
    expect_error(function() graph.voxel_maps(gy.randn(10, 5)) end, "'threshold' is required")
    expect_error(function()
      graph.voxel_maps(gy.randn(10, 5), { threshold = 0.5, memory_mb = 1e-4 })
    end, "too small")
  end)
end)
