-- gy.par under `mpirun -np 2` (registered by cmake/GyPar.cmake): the collectives, par.map,
-- errors on one rank, and the distributed analyses against the one-process result computed
-- in the same script with par.solo.
local par = require "gyrus.par"
local I = require "gyrus.rsa_infer"
local SL = require "gyrus.rsa_searchlight"

local me = par.rank()

local function same_bits(a, b, what)
  local r, c = a:shape()
  local r2, c2 = b:shape()
  expect_eq(r, r2, what .. " rows")
  expect_eq(c, c2, what .. " cols")
  for i = 1, r do
    for j = 1, c do
      local x, y = a:get(i, j), b:get(i, j)
      expect_true(x == y or (x ~= x and y ~= y), string.format("%s (%d, %d): %.17g vs %.17g",
        what, i, j, x, y))
    end
  end
end

describe("gy.par with 2 processes", function()
  it("has two ranks", function()
    expect_eq(par.size(), 2)
    expect_true(me == 0 or me == 1)
  end)
  it("broadcasts nested values and matrices from any root", function()
    local v = par.bcast(me == 0 and { 1.5, "two", { x = true, m = gy.matrix{{1, 2}, {3, 4}} },
      nan = 0 / 0, big = 2 ^ 60 + 1 } or nil)
    expect_eq(v[1], 1.5)
    expect_eq(v[2], "two")
    expect_eq(v[3].x, true)
    expect_eq(v[3].m:get(2, 1), 3)
    expect_true(v.nan ~= v.nan)
    expect_eq(v.big, 2 ^ 60 + 1)
    expect_eq(par.bcast(me * 10 + 7, { root = 1 }), 17)
  end)
  it("gathers to a root and to all", function()
    local g = par.gather({ r = me }, { root = 1 })
    if me == 1 then
      expect_eq(#g, 2)
      expect_eq(g[1].r, 0)
      expect_eq(g[2].r, 1)
    else
      expect_eq(g, nil)
    end
    local a = par.allgather(me == 0 and "zero" or gy.ones(2, 3))
    expect_eq(a[1], "zero")
    expect_eq(a[2]:get(2, 3), 1)
  end)
  it("reduces numbers and matrices in rank order", function()
    expect_eq(par.allreduce(me + 1), 3)
    expect_eq(par.allreduce(me + 1, { op = "max" }), 2)
    expect_eq(par.allreduce(me + 1, { op = "min" }), 1)
    local m = par.reduce(gy.matrix{{me, 1}, {2 * me, 0 / 0}}, { root = 0 })
    if me == 0 then
      expect_eq(m:get(1, 1), 1)
      expect_eq(m:get(2, 1), 2)
      expect_true(m:get(2, 2) ~= m:get(2, 2))
    else
      expect_eq(m, nil)
    end
    expect_error(function() par.allreduce(me == 0 and gy.ones(2, 2) or gy.ones(3, 1)) end,
      "rank")
  end)
  it("maps items over the ranks and returns them in order on every rank", function()
    local items = {}
    for i = 1, 7 do items[i] = i end
    local who = par.map(items, function(x, i) return { x * x, par.rank(), i } end)
    for i = 1, 7 do
      expect_eq(who[i][1], i * i)
      expect_eq(who[i][2], (i - 1) % 2)
      expect_eq(who[i][3], i)
    end
  end)
  it("stacks the ranks' blocks in rank order", function()
    local first, last = par.range(5)
    local B = gy.zeros(last - first + 1, 2)
    for i = first, last do B:set(i - first + 1, 1, i); B:set(i - first + 1, 2, -i) end
    local S = par.stack(B)
    expect_eq(S:shape(), 5)
    for i = 1, 5 do expect_eq(S:get(i, 1), i); expect_eq(S:get(i, 2), -i) end
    local T = par.stack(B:t(), { dim = 2 })
    for i = 1, 5 do expect_eq(T:get(2, i), -i) end
    local one = par.stack(me == 1 and gy.ones(1, 3) or false)
    expect_eq(one:shape(), 1)
    expect_error(function() par.stack(me == 0 and "gy.x: failed on 0" or B) end, "failed on 0")
    expect_error(function() par.stack(me == 0 and gy.ones(1, 2) or gy.ones(1, 3)) end,
      "rank 1's block has 3 columns")
    expect_eq(par.allreduce(1), 2)
  end)
  it("turns an error on one rank into an error on every rank (no hang)", function()
    expect_error(function()
      par.map({ 1, 2, 3 }, function(x) if x == 2 then error("bad item " .. x, 0) end return x end)
    end, "rank 1: bad item 2")
    expect_error(function() par.bcast(me == 0 and function() end or nil) end, "cannot send")
    expect_error(function() par.allgather(me == 1 and print or 1) end, "send")
    -- the ranks are still in step
    expect_eq(par.allreduce(1), 2)
  end)
  it("splits a 2,000-permutation RSA test and gets the one-process null and p", function()
    -- two RDMs of 20 conditions that share a structure plus deterministic "noise"
    local K = 190
    local a, b = gy.zeros(K, 1), gy.zeros(K, 1)
    for k = 1, K do
      a:set(k, 1, math.sin(0.37 * k) + 0.5 * math.cos(1.91 * k * k))
      b:set(k, 1, math.sin(0.37 * k) + 0.8 * math.sin(2.3 * k + 1))
    end
    local D, Ms = { a, a * 1.1 }, gy.zeros(K, 2)
    for k = 1, K do Ms:set(k, 1, b:get(k, 1)); Ms:set(k, 2, math.cos(k)) end
    local opts = { n = 2001, seed = 11 }
    local a = I.permutation_test(D, Ms:col(1), opts)
    local b = par.solo(I.permutation_test, D, Ms:col(1), opts)
    expect_eq(a.p, b.p)
    expect_eq(a.observed, b.observed)
    same_bits(a.null, b.null, "null")
    for _, m in ipairs({ "spearman", "cosine" }) do
      local o = { n = 301, seed = 3, method = m }
      local x, y = I.permutation_test(D, Ms:col(2), o), par.solo(I.permutation_test, D, Ms:col(2), o)
      expect_eq(x.p, y.p, m)
      same_bits(x.null, y.null, m)
    end
  end)
  it("splits the searchlight centres and gets the one-process map", function()
    local F = fixture("rsa_searchlight.lua")
    local mask = { data = gy.matrix(F.mask), shape = F.shape, affine = gy.eye(4) }
    local X = gy.matrix(F.X)
    local o = { radius = 2, conditions = F.conds, model = { F.model1, F.model2 },
      compare = "spearman", min_voxels = 4, return_rdms = true }
    local map, info = SL.searchlight(X, mask, o)
    local map1, info1 = par.solo(SL.searchlight, X, mask, o)
    same_bits(map, map1, "map")
    same_bits(info.rdms, info1.rdms, "rdms")
    expect_near(map, F.corr_spearman, 1e-10)
    local xn = { radius = 1.5, method = "crossnobis", conditions = F.conds, runs = F.runs,
      model = F.model1 }
    same_bits(SL.searchlight(X, mask, xn), par.solo(SL.searchlight, X, mask, xn), "crossnobis")
    xn.noise, xn.residuals = "per_sphere", gy.matrix(F.resid)
    local xmap = SL.searchlight(X, mask, xn)
    same_bits(xmap, par.solo(SL.searchlight, X, mask, xn), "crossnobis, noise per sphere")
    for i = 1, xmap:shape() do expect_near(xmap:get(i, 1), F.xnobis_noise_corr[i][1], 1e-9) end
    -- a voxel without residual variance at the end of the mask: only rank 1's block
    -- fails, and both ranks raise its error
    local R = gy.matrix(F.resid)
    local nr, V = R:shape()
    for i = 1, nr do R:set(i, V, 1) end
    xn.residuals = R
    expect_error(function() SL.searchlight(X, mask, xn) end, "zero variance")
    expect_eq(par.allreduce(1), 2)
  end)
  it("splits the bootstrap samples and gets the one-process samples", function()
    -- 6 subjects' RDMs of 8 conditions: a shared structure plus deterministic noise
    local K, S = 28, 6
    local D, Ms = gy.zeros(K, S), gy.zeros(K, 3)
    for k = 1, K do
      for s = 1, S do D:set(k, s, math.sin(0.41 * k) + 0.3 * math.cos(1.7 * k * s + s)) end
      Ms:set(k, 1, math.sin(0.41 * k))
      Ms:set(k, 2, math.cos(0.9 * k))
      Ms:set(k, 3, (k % 5) / 5)
    end
    for _, resample in ipairs({ "both", "rdms", "conditions" }) do
      for _, o in ipairs({ { n = 201, seed = 5, method = "corr", resample = resample },
          { n = 3, seed = 9, method = "cosine", resample = resample } }) do
        local a = I.bootstrap(Ms, D, o)
        local b = par.solo(I.bootstrap, Ms, D, o)
        same_bits(a.samples, b.samples, "samples " .. resample)
        expect_eq(a.n_valid, b.n_valid)
        for i = 1, 3 do
          expect_eq(a.mean[i], b.mean[i], "mean " .. resample)
          expect_eq(a.p_zero[i], b.p_zero[i])
          expect_eq(a.ci[i][1], b.ci[i][1])
        end
        same_bits(a.p_pairs, b.p_pairs, "p_pairs")
      end
    end
    -- one sample: rank 1 has none and must raise rank 0's error, not wait
    expect_error(function() I.bootstrap(gy.zeros(3, 1), gy.zeros(6, 2), { n = 1 }) end,
      "gy.rsa.bootstrap: model RDMs have 3 entries but data RDMs have 6")
    expect_eq(par.allreduce(1), 2)
  end)
  it("spreads group connectivity over the ranks and gets the one-process result", function()
    local subjects = {}
    for s = 1, 5 do
      local X = gy.zeros(40, 4)
      for t = 1, 40 do
        for j = 1, 4 do X:set(t, j, math.sin(0.3 * t * j + s) + 0.2 * math.cos(t * s + j * j)) end
      end
      subjects[s] = X
    end
    local C = require "gyrus.conn"
    local o = { kinds = { "correlation", "partial_correlation", "tangent" } }
    local a, b = C.connectivity(subjects, o), par.solo(C.connectivity, subjects, o)
    for s = 1, 5 do
      same_bits(a.correlation[s], b.correlation[s], "correlation " .. s)
      same_bits(a.partial_correlation[s], b.partial_correlation[s], "partial " .. s)
      expect_eq(a.shrinkage.correlation[s], b.shrinkage.correlation[s])
    end
    same_bits(a.tangent, b.tangent, "tangent")
    same_bits(a.mean, b.mean, "tangent mean")
    local t1, m1 = C.tangent(subjects)
    local t2, m2 = par.solo(C.tangent, subjects)
    same_bits(t1, t2, "gy.conn.tangent")
    same_bits(m1, m2, "gy.conn.tangent mean")
    local c1, s1 = C.correlation(subjects, { vectorize = true })
    local c2, s2 = par.solo(C.correlation, subjects, { vectorize = true })
    same_bits(c1, c2, "gy.conn.correlation")
    expect_eq(s1[5], s2[5])
    -- an error in a subject of one rank is raised on every rank
    local bad = { subjects[1], subjects[2], gy.zeros(1, 4) }
    expect_error(function() C.connectivity(bad, o) end, "subject 3")
    expect_eq(par.allreduce(1), 2)
  end)
end)
