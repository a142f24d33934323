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
  end)
end)
