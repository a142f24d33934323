-- gy.rsa part 2 (topological RSA, models and inference, CKA and shape metrics) against the
-- numpy/scipy re-computations in tests/fixtures/rsa_more.lua (make_rsa_more.py), the
-- reference note's worked example (5.12), t-test values (5.1) and CKA values (5.10).
local F = fixture("rsa_more.lua")
local rsa = gy.rsa or require "gyrus.rsa"
local T = require "gyrus.rsa_trsa"
local I = require "gyrus.rsa_infer"
local S = require "gyrus.rsa_shape"
local TOL = 1e-12

local function vals(v)
  local t = {}
  for k = 1, v:numel() do t[k] = v.data[k - 1] end
  return t
end

-- Element-wise with +inf allowed on both sides.
local function expect_near_inf(a, b, tol, msg)
  local ta = vals(a)
  expect_eq(#ta, #b, msg)
  for k = 1, #b do
    if b[k] == math.huge then expect_eq(ta[k], math.huge, (msg or "") .. " element " .. k)
    else expect_near(ta[k], b[k], tol, (msg or "") .. " element " .. k) end
  end
end

local function data_list()
  local out = {}
  for i = 1, #F.R do out[i] = gy.matrix({ F.R[i] }):t() end
  return out
end

describe("topological RSA", function()
  it("reproduces the worked example of the reference note (5.12)", function()
    expect_near(T.rgtm(F.ex.d), F.ex.rgtm, TOL)
    expect_near_inf(T.rgtd(F.ex.d, { rank = false }), F.ex.gd_noedge, TOL, "no edge")
    expect_near(T.rgtd(F.ex.d), F.ex.gd_noedge_rank, TOL)
    expect_near(T.rgtd(F.ex.d, { rank = false, zero_edge = true }), F.ex.gd_edge, TOL)
  end)
  it("matches numpy on a 9-condition RDM with ties, over several thresholds", function()
    expect_near(T.rank(F.tr_v), F.tr_rank, 0)
    for _, c in ipairs(F.tr_cases) do
      local msg = string.format("l=%g u=%g", c.l, c.u)
      expect_near(T.rgtm(F.tr_v, { lower = c.l, upper = c.u }), c.rgtm, TOL, msg)
      expect_near_inf(T.rgtd(F.tr_v, { lower = c.l, upper = c.u, inf = "max", rank = false }),
        c.gd_noedge, TOL, msg)
      expect_near_inf(T.rgtd(F.tr_v, { lower = c.l, upper = c.u, inf = "max", rank = false,
        zero_edge = true }), c.gd_edge, TOL, msg)
      expect_near(T.rgtd(F.tr_v, { lower = c.l, upper = c.u, zero_edge = true }),
        c.gd_edge_rank, TOL, msg)
      expect_near_inf(T.geodesic(T.rgtm(F.tr_v, { lower = c.l, upper = c.u }),
        { zero_edge = true, inf = "max" }), c.gd_edge, TOL, msg)
    end
  end)
  it("keeps RDM objects (labels) and maps over lists", function()
    local r = rsa.rdm(gy.randn(5, 7, { seed = 2 }), { conditions = { "e", "d", "c", "b", "a" } })
    local g = T.rgtm(r)
    expect_eq(g.method, "rgtm")
    expect_eq(g.labels[1], "a")
    expect_eq(g.n_cond, 5)
    local sq = g:square()
    expect_eq(select(1, sq:shape()), 5)
    local list = T.rgtd({ r, r }, { inf = "max" })
    expect_eq(#list, 2)
    expect_near(list[1]:vector(), list[2]:vector(), 0)
    local p = I.pool({ r, r }, { method = "corr" })
    expect_eq(p.labels[2], "b")
    expect_eq(p.method, "pooled euclidean")
  end)
  it("sweeps the thresholds and names the regimes", function()
    local D = data_list()
    local s = T.rgtm_sweep(D, { model = gy.matrix(F.M):col(1), resolution = 0.25 })
    -- l in {0, .25, .5, .75}, u above l up to 1: 4 + 3 + 2 + 1 pairs
    expect_eq(#s.lower, 10)
    for k = 1, #s.lower do expect_true(s.upper[k] > s.lower[k]) end
    expect_true(s.best.score >= s.score[1])
    expect_eq(T.regime(0, 0.2), "local extractor")
    expect_eq(T.regime(0.8, 1), "global extractor")
    expect_eq(T.regime(0.05, 0.95), "geometry sensitive")
    expect_eq(T.regime(0.45, 0.55), "topology sensitive")
    expect_eq(T.regime(0.2, 0.7), "intermediate")
    -- the C sweep equals transforming and comparing pair by pair
    for _, geo in ipairs({ false, true }) do
      local model = gy.matrix(F.M):col(1)
      local fast = T.rgtm_sweep(D, { model = model, resolution = 0.2, geodesic = geo,
        method = "spearman" })
      local slow = T.rgtm_sweep(D, { model = model, resolution = 0.2, geodesic = geo,
        score = function(td, tm)
          local sum = 0
          for k = 1, #td do sum = sum + rsa.compare(td[k], tm, { method = "spearman" }) end
          return sum / #td
        end })
      expect_near(fast.score, slow.score, 1e-12, geo and "geodesic" or "rgtm")
    end
    local calls = 0
    local s2 = T.rgtm_sweep(D, { resolution = 0.5, geodesic = true,
      score = function(td, tm, l, u) calls = calls + 1; expect_eq(tm, false); return u - l end })
    expect_eq(calls, 3)
    expect_eq(s2.best.upper - s2.best.lower, 1)
    expect_true(tostring(s2):find("RGTM sweep") ~= nil)
  end)
  it("rejects bad thresholds and options", function()
    expect_error(function() T.rgtm(F.ex.d, { lower = 0.9, upper = 0.1 }) end, "gy.rsa.rgtm: .*above")
    expect_error(function() T.rgtm(F.ex.d, { lower = 2 }) end, "quantile in")
    expect_error(function() T.rgtd({ 1, 2, 3, 4, 5 }) end, "not the upper triangle")
    expect_error(function() T.rgtd(F.ex.d, { inf = "drop" }) end, "'keep' or 'max'")
    expect_error(function() T.rgtd(F.ex.d, { zero_is_edge = true }) end, "unknown option")
    expect_error(function() T.rgtm_sweep(data_list(), {}) end, "model=")
    expect_error(function() T.rgtm("x") end, "gy.rsa.rgtm")
  end)
end)

describe("noise ceiling, pooling and models", function()
  local D = data_list()
  local Ms = gy.matrix(F.M)
  it("pools and bounds the noise ceiling per method (pool_rdm, boot_noise_ceiling)", function()
    for _, m in ipairs({ "cosine", "corr", "spearman" }) do
      local f = F["nc_" .. m]
      local lo, up = I.noise_ceiling(D, { method = m })
      expect_near(lo, f.lower, TOL, m .. " lower")
      expect_near(up, f.upper, TOL, m .. " upper")
      expect_near(I.pool(D, { method = m }), f.pool, TOL, m .. " pool")
    end
  end)
  it("evaluates fixed models with t-tests (eval_fixed)", function()
    local r = I.evaluate(Ms, D, { method = "corr", names = { "a", "b", "c" } })
    expect_near(r.evaluations, F.nc_corr.eval, TOL)
    local n = #F.R
    for i = 1, 3 do
      local s, ss = 0, 0
      for j = 1, n do s = s + F.nc_corr.eval[i][j] end
      for j = 1, n do ss = ss + (F.nc_corr.eval[i][j] - s / n) ^ 2 end
      expect_near(r.mean[i], s / n, TOL)
      expect_near(r.sem[i], math.sqrt(ss / (n - 1) / n), TOL)
    end
    expect_eq(r.dof, n - 1)
    expect_near(r.noise_ceiling.lower, F.nc_corr.lower, TOL)
    local txt = tostring(r)
    expect_true(txt:find("noise ceiling") and txt:find("\na ") ~= nil, txt)
    expect_eq(#r:rows(), 3)
  end)
  it("reproduces the reference note's t-test p-values (5.1)", function()
    local p0, pnc = I.t_tests((0.9 + 0.85 + 0.87) / 3, 0.01, 2, 0.99, 0.01)
    expect_near(p0, 0.006429, 5e-7)
    expect_near(pnc, 0.496129, 5e-7)
    p0, pnc = I.t_tests((0.12 + 0.11 + 0.13) / 3, 0.02, 2, 0.99, 0.01)
    expect_near(p0, 0.242752, 5e-7)
    expect_near(pnc, 0.037424, 5e-7)
    for i, t in ipairs(F.t_cdf.t) do
      for j, v in ipairs(F.t_cdf.dof) do expect_near(I.t_cdf(t, v), F.t_cdf.cdf[i][j], 1e-12) end
    end
  end)
  it("fits weighted models (fit_regress, fit_regress_nn) and selection models", function()
    local function theta(md) return md.theta end
    expect_near(theta(I.fit_model(Ms, D, { fitter = "lstsq", method = "cosine" })), F.fit.ols_cosine, 1e-9)
    expect_near(theta(I.fit_model(Ms, D, { fitter = "lstsq" })), F.fit.ols_corr, 1e-9)
    expect_near(theta(I.fit_model(Ms, D, { fitter = "nnls" })), F.fit.nn_corr, 1e-9)
    expect_near(theta(I.fit_model(Ms, D, { fitter = "nnls", method = "cosine" })), F.fit.nn_cosine, 1e-9)
    expect_near(theta(I.fit_model(Ms, D, { fitter = "lstsq", ridge = 2.5 })), F.fit.ridge_corr, 1e-9)
    local Mneg = gy.matrix(F.Mneg)
    expect_near(theta(I.fit_model(Mneg, D, { fitter = "nnls" })), F.fit.nn_neg, 1e-9)
    expect_near(theta(I.fit_model(Mneg, D, { fitter = "lstsq" })), F.fit.ols_neg, 1e-9)
    local sel = I.fit_model(Ms, D, { type = "select" })
    expect_eq(sel.theta[1], 1)
    expect_near(sel:predict(), Ms:col(1), 0)
    local fx = I.fit_model({ Ms:col(1), Ms:col(2) }, D, { type = "fixed" })
    expect_near(fx:predict(), (Ms:col(1) + Ms:col(2)) * 0.5, TOL)
    local md = I.fit_model(Ms, D)
    local want = Ms:col(1) * md.theta[1] + Ms:col(2) * md.theta[2] + Ms:col(3) * md.theta[3]
    expect_near(md:predict(), want, TOL)
    expect_error(function() I.fit_model(Ms, D, { fitter = "bfgs" }) end, "'nnls' or 'lstsq'")
    expect_error(function() I.fit_model(Ms, D, { type = "family" }) end, "type must be")
  end)
  it("cross-validates leaving one subject out", function()
    local r = I.crossval(Ms, D, { fitter = "nnls" })
    local _, n = r.evaluations:shape()
    expect_eq(n, #F.R)
    expect_true(r.mean[1] > 0.9 and r.mean[1] <= 1)
    expect_eq(#r.thetas, #F.R)
  end)
end)

describe("resampling tests", function()
  local D = data_list()
  local Ms = gy.matrix(F.M)
  it("permutation test: seeded, conservative p, detects the true model", function()
    local a = I.permutation_test(D, Ms:col(1), { n = 999, seed = 4 })
    local b = I.permutation_test(D, Ms:col(1), { n = 999, seed = 4 })
    expect_eq(a.p, b.p)
    expect_near(a.null, b.null, 0)
    -- 6 conditions have 720 orders, a few as similar as the true one
    expect_true(a.p >= 0.001 and a.p < 0.01, "p = " .. a.p)
    expect_near(a.observed, rsa.compare(I.pool(D, { method = "bures" }), Ms:col(1),
      { method = "corr" }), TOL)
    local c = I.permutation_test(D, Ms:col(2), { n = 999, seed = 4 })
    expect_true(c.p > 0.05, "unrelated model: p = " .. c.p)
    local d = I.permutation_test(D, Ms:col(1), { n = 999, seed = 5 })
    expect_true(d.null:get(1, 1) ~= a.null:get(1, 1))
    expect_error(function() I.permutation_test(D, Ms:col(1), { n = 0 }) end, "positive integer")
    expect_error(function() I.permutation_test(D, Ms:col(1), { seed = -1 }) end, "seed")
  end)
  it("bootstrap over subjects and/or conditions: seeded, summaries consistent", function()
    for _, kind in ipairs({ "both", "rdms", "conditions" }) do
      local r = I.bootstrap(Ms, D, { method = "corr", n = 300, seed = 9, resample = kind })
      local r2 = I.bootstrap(Ms, D, { method = "corr", n = 300, seed = 9, resample = kind })
      expect_near(r.samples, r2.samples, 0, kind)
      expect_eq(select(2, r.samples:shape()), 5)
      for i = 1, 3 do
        expect_true(r.ci[i][1] <= r.mean[i] and r.mean[i] <= r.ci[i][2], kind)
        expect_true(r.p_zero[i] > 0 and r.p_zero[i] <= 1, kind)
      end
      expect_true(r.p_zero[1] < 0.01, kind)
      expect_true(r.p_pairs:get(1, 2) < 0.05, kind)
      expect_true(tostring(r):find("bootstrap") ~= nil)
    end
    local f = I.evaluate(Ms, D, { method = "corr" })
    local r = I.bootstrap(Ms, D, { method = "corr", n = 400, seed = 1, resample = "rdms" })
    expect_near(r.mean[1], f.mean[1], 0.01)
    expect_error(function() I.bootstrap(Ms, D, { resample = "voxels" }) end, "resample must")
  end)
  it("rejects bad inputs", function()
    expect_error(function() I.noise_ceiling({ D[1] }) end, "at least 2")
    expect_error(function() I.noise_ceiling(D, { method = "euclid" }) end, "unknown method")
    expect_error(function() I.evaluate(Ms, "x") end, "list of RDMs")
    expect_error(function() I.evaluate(gy.ones(14, 1), D) end, "entries")
  end)
end)

describe("CKA and shape metrics", function()
  local X, Y = gy.matrix(F.X), gy.matrix(F.Y)
  it("reproduces the google-research demo values (5.10)", function()
    expect_near(S.cka(X, Y), 0.55761, 5e-6)
    expect_near(S.cka(X, Y, { kernel = "rbf", threshold = 0.5 }), 0.65483, 5e-6)
    expect_near(S.cka(X, Y, { debiased = true }), 0.51346, 5e-6)
    expect_near(S.cka(X, Y), F.cka.linear, TOL)
    expect_near(S.cka(X, Y, { kernel = "rbf", threshold = 0.5 }), F.cka.rbf, TOL)
    expect_near(S.cka(X, Y, { debiased = true }), F.cka.debiased, TOL)
    expect_near(S.cka(X, Y, { kernel = "rbf", debiased = true }), F.cka.rbf_debiased_1, TOL)
  end)
  it("matches netrep's LinearMetric with zero padding, alpha 0, 0.5 and 1", function()
    local A, B = gy.matrix(F.SA), gy.matrix(F.SB)
    for _, a in ipairs({ 0.0, 0.5, 1.0 }) do
      local key = (a == 0 and "0_0") or (a == 0.5 and "0_5") or "1_0"
      expect_near(S.shape_distance(A, B, { alpha = a }), F.shape["ang_" .. key], 1e-10, key)
      expect_near(S.shape_distance(A, B, { alpha = a, score = "euclidean" }),
        F.shape["euc_" .. key], 1e-10, key)
    end
    expect_near(S.shape_distance(A, B, { center_columns = false }), F.shape.ang_nocentre_1, 1e-10)
  end)
  it("Gaussian stochastic shape distance matches the numpy re-computation", function()
    local st = F.stoch
    local gx = { means = gy.matrix(st.mx), covs = {} }
    local gyy = { means = gy.matrix(st.my), covs = {} }
    for i = 1, #st.cx do
      gx.covs[i] = gy.matrix(st.cx[i])
      gyy.covs[i] = gy.matrix(st.cy[i])
    end
    for _, a in ipairs({ { 0, "0_0" }, { 1, "1_0" }, { 2, "2_0" }, { 0.5, "0_5" } }) do
      expect_near(S.stochastic_distance(gx, gyy, { alpha = a[1] }), st["d_" .. a[2]], 1e-7, a[2])
    end
    -- a rotated copy (means and covariances) is at distance 0
    local Q = gy.matrix({ { 0, -1, 0 }, { 1, 0, 0 }, { 0, 0, 1 } })
    local rot = { means = gx.means * Q, covs = {} }
    for i = 1, #gx.covs do rot.covs[i] = Q:t() * gx.covs[i] * Q end
    expect_near(S.stochastic_distance(gx, rot), 0, 1e-6)
    expect_error(function() S.stochastic_distance(gx, { means = gyy.means }) end, "covs")
    expect_error(function() S.stochastic_distance(gx, gyy, { alpha = 3 }) end, "alpha must be in")
  end)
  it("rejects bad inputs", function()
    expect_error(function() S.cka(X, gy.ones(5, 3)) end, "gy.rsa.cka: X has 100 stimuli")
    expect_error(function() S.cka(X, Y, { kernel = "poly" }) end, "'linear' or 'rbf'")
    expect_error(function() S.shape_distance(X, Y, { alpha = 2 }) end, "alpha must be in")
    expect_error(function() S.shape_distance(X, Y, { score = "cos" }) end, "'angular' or")
  end)
end)
