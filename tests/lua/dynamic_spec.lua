-- gy.conn dynamic connectivity, Granger causality and group statistics against numpy/scipy/
-- statsmodels values from tests/fixtures/make_dynamic.py, plus option and input errors.
local D = require "gyrus.dynamic"
local F = fixture("dynamic.lua")
local C = require("gyrus.core").C

local function col(m, j)
  local t = {}
  for i = 1, #m do t[i] = m[i][j] end
  return t
end

describe("distributions", function()
  it("betainc, F and t tails match scipy", function()
    for _, c in ipairs(F.betainc) do expect_near(C.gy_betainc(c[1], c[2], c[3]), c[4], 1e-13) end
    for _, c in ipairs(F.f_sf) do expect_near(C.gy_f_sf(c[1], c[2], c[3]), c[4], 1e-13) end
    for _, c in ipairs(F.t_sf2) do expect_near(C.gy_t_sf2(c[1], c[2]), c[3], 1e-13) end
  end)
end)

describe("granger", function()
  local X = gy.matrix(F.macro)
  it("reproduces statsmodels grangercausalitytests on macrodata (realgdp -> realcons)", function()
    local r = D.granger(X, { order = 2 })
    local s = F.granger_statsmodels
    expect_near(r.F:get(2, 1), s.F, 1e-9)
    expect_near(r.p:get(2, 1), s.p, 1e-9)
    expect_near(r.F:get(2, 1), 0.243097, 1e-6)
    expect_near(r.p:get(2, 1), 0.7844328, 1e-6)
    expect_eq(r.df[1], 2)
    expect_eq(r.df[2], 195)
  end)
  it("pairwise F and p of every pair at lags 1-3", function()
    for L = 1, 3 do
      local ref = F["pairwise_" .. L]
      local r = D.granger(X, { order = L })
      expect_near(r.F, ref.F, 1e-9, "F lag " .. L)
      expect_near(r.p, ref.p, 1e-9, "p lag " .. L)
      expect_eq(r.df[2], ref.df)
    end
  end)
  it("conditional F equals statsmodels VAR test_causality", function()
    for L = 1, 3 do
      local ref = F["conditional_" .. L]
      local r = D.granger(X, { order = L, conditional = true })
      expect_near(r.F, ref.F, 1e-9, "F lag " .. L)
      expect_eq(r.df[2], ref.df)
    end
  end)
  it("VAR coefficients and residual covariance match statsmodels", function()
    for L = 1, 3 do
      local ref = F["var_" .. L]
      local v = D.var(X, { order = L })
      expect_near(v.coef, ref.coef, 1e-9, "coef " .. L)
      expect_near(v.sigma, ref.sigma, 1e-9, "sigma " .. L)
    end
  end)
  it("AIC and BIC order selection match statsmodels select_order", function()
    local best, crit = D.select_order(X, { max_order = 8, ic = "aic" })
    expect_near(crit, F.select.aic, 1e-10)
    expect_eq(best, F.select.best_aic)
    best, crit = D.select_order(X, { max_order = 8, ic = "bic" })
    expect_near(crit, F.select.bic, 1e-10)
    expect_eq(best, F.select.best_bic)
    local r = D.granger(X, { max_order = 8, ic = "bic" })
    expect_eq(r.order, F.select.best_bic)
  end)
  it("mne-connectivity test_regression: VAR(1) without intercept", function()
    local v = D.var(gy.matrix(F.mne_var.X), { order = 1, trend = false })
    expect_near(v.A[1], F.mne_var.A, 5e-8)
    local c = D.var(gy.matrix(F.mne_var.X_clean), { order = 1, trend = false })
    expect_near(c.A[1], F.mne_var.A_true, 1e-9)
  end)
  it("rejects bad options", function()
    expect_error(function() D.granger(X, {}) end, "gy.conn.granger: give option 'order'")
    expect_error(function() D.granger(X, { order = 2, ic = "hqic" }) end, "option 'ic'")
    expect_error(function() D.granger(X, { lag = 2 }) end, "unknown option 'lag'")
    expect_error(function() D.granger(X:colrange(1, 1), { order = 1 }) end, "2 variables")
  end)
end)

describe("sliding", function()
  local X = gy.matrix(F.X)
  local W, step = F.sliding_window, F.sliding_step
  it("rectangular windows give np.corrcoef and the 1/n covariance of each window", function()
    local r, starts = D.sliding(X, { window = W, step = step })
    expect_eq(#r, #F.sliding_rect)
    for i = 1, #r do expect_near(r[i], F.sliding_rect[i], 1e-12) end
    expect_eq(starts[2], 1 + step)
    local c = D.sliding(X, { window = W, step = step, kind = "covariance" })
    for i = 1, #c do expect_near(c[i], F.sliding_rect_cov[i], 1e-12) end
  end)
  it("tapered windows give statsmodels DescrStatsW weighted estimates", function()
    expect_near(D.taper(W, { taper = "hamming" }), F.taper_hamming, 1e-15)
    expect_near(D.taper(W, { taper = "gaussian" }), F.taper_gaussian, 1e-14)
    local h = D.sliding(X, { window = W, step = step, taper = "hamming" })
    for i = 1, #h do expect_near(h[i], F.sliding_hamming[i], 1e-12) end
    local hc = D.sliding(X, { window = W, step = step, taper = "hamming", kind = "covariance" })
    for i = 1, #hc do expect_near(hc[i], F.sliding_hamming_cov[i], 1e-12) end
    local g = D.sliding(X, { window = W, step = step, taper = "gaussian" })
    for i = 1, #g do expect_near(g[i], F.sliding_gaussian[i], 1e-12) end
  end)
  it("other kinds and estimators per rectangular window", function()
    local r = D.sliding(X, { window = W, step = step, kind = "partial_correlation",
      estimator = "ledoit-wolf" })
    local conn = require "gyrus.conn"
    expect_near(r[3], conn.partial_correlation(X:rowrange(1 + 2 * step, 2 * step + W)), 1e-12)
  end)
  it("rejects bad windows and options", function()
    expect_error(function() D.sliding(X, {}) end, "option 'window' is required")
    expect_error(function() D.sliding(X, { window = 1000 }) end, "longer than the data")
    expect_error(function() D.sliding(X, { window = 10, taper = "hann" }) end, "option 'taper'")
    expect_error(function() D.sliding(X, { window = 10, step = 0 }) end, "option 'step'")
    expect_error(function() D.sliding(X, { window = 10, taper = "hamming", kind = "precision" }) end,
      "covariance or correlation only")
  end)
end)

describe("phase_sync", function()
  it("phases match angle(scipy.signal.hilbert) for even and odd lengths", function()
    expect_near(D.phase(gy.matrix(F.phase_X)), F.phase, 1e-12)
    expect_near(D.phase(gy.matrix(F.phase_X_odd)), F.phase_odd, 1e-12)
  end)
  it("teneto's IPS and LEiDA's cosine", function()
    local Y = gy.matrix(F.phase_X)
    expect_near(D.phase_sync(Y), F.ips, 1e-12)
    expect_near(D.phase_sync(Y, { method = "cos" }), F.cos, 1e-12)
    expect_error(function() D.phase_sync(Y, { method = "plv" }) end, "option 'method'")
  end)
end)

describe("group statistics", function()
  local G1, G2 = gy.matrix(F.G1), gy.matrix(F.G2)
  it("edge-wise t tests and BH FDR match scipy and statsmodels", function()
    local r = D.ttest_edges(G1, G2)
    expect_near(r.t, F.ttest.t, 1e-12)
    expect_near(r.p, F.ttest.p, 1e-12)
    expect_near(r.q, F.fdr, 1e-12)
    for e = 1, #F.fdr_reject do expect_eq(r.reject:get(1, e) == 1, F.fdr_reject[e]) end
    local w = D.ttest_edges(G1, G2, { equal_var = false })
    expect_near(w.t, F.welch.t, 1e-12)
    expect_near(w.p, F.welch.p, 1e-12)
  end)
  it("lists of square matrices give square results", function()
    local function squares(G)
      local list = {}
      local n, L = G:shape()
      local p = math.floor((1 + math.sqrt(1 + 8 * L)) / 2 + 0.5)
      for s = 1, n do
        local m = gy.zeros(p, p)
        local e = 1
        for i = 1, p do
          m:set(i, i, 1)
          for j = i + 1, p do
            m:set(i, j, G:get(s, e)); m:set(j, i, G:get(s, e)); e = e + 1
          end
        end
        list[s] = m
      end
      return list
    end
    local r = D.ttest_edges(squares(G1), squares(G2))
    expect_near(r.t:get(1, 2), F.ttest.t[1], 1e-12)
    expect_near(r.t:get(2, 1), F.ttest.t[1], 1e-12)
    expect_near(r.p:get(5, 6), F.ttest.p[#F.ttest.p], 1e-12)
    local nb = D.nbs(squares(G1), squares(G2), { threshold = F.nbs.threshold, n_perm = 50 })
    expect_eq(nb.labels:get(1, 2), nb.labels:get(2, 1))
  end)
  it("NBS finds the planted component and repeats with a seed", function()
    local a = D.nbs(G1, G2, { threshold = F.nbs.threshold, n_perm = 200, seed = 7 })
    expect_eq(#a.components, #F.nbs.sizes)
    for i, s in ipairs(F.nbs.sizes) do expect_eq(a.components[i].size, s) end
    expect_true(a.components[1].p < 0.05)
    local b = D.nbs(G1, G2, { threshold = F.nbs.threshold, n_perm = 200, seed = 7 })
    expect_near(a.null, b.null, 0)
    expect_eq(a.components[1].p, b.components[1].p)
  end)
  it("rejects bad groups and options", function()
    expect_error(function() D.ttest_edges(G1, G2:colrange(1, 3)) end, "edges")
    expect_error(function() D.ttest_edges(G1, G2, { fdr = 2 }) end, "option 'fdr'")
    expect_error(function() D.nbs(G1, G2, {}) end, "option 'threshold' is required")
    expect_error(function() D.nbs(G1, G2, { threshold = 2, n_perm = 0 }) end, "option 'n_perm'")
  end)
end)
