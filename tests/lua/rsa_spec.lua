-- gy.rsa against numpy/scipy re-computations of rsatoolbox's formulas
-- (tests/fixtures/rsa.lua, made by make_rsa.py), the hard-coded values of the reference
-- note (section 5), the object API and the error paths.
local F = fixture("rsa.lua")
local rsa = gy.rsa or require "gyrus.rsa"
local TOL = 1e-12

-- A Lua table of rows as a flat column-major list, to compare with a gy matrix.
local function rows(t)
  local out = {}
  for i = 1, #t do
    out[i] = {}
    for j = 1, #t[i] do out[i][j] = t[i][j] end
  end
  return out
end

local function vec(r) return r:vector() end

describe("rdm methods", function()
  it("euclidean is |b_i - b_j|^2 / P (calc_rdm_euclidean)", function()
    local r = rsa.rdm(F.B)
    expect_near(vec(r), F.euclidean, TOL)
    expect_eq(r.n_cond, 6)
    expect_eq(r.method, "euclidean")
  end)
  it("correlation is 1 - Pearson r (calc_rdm_correlation)", function()
    expect_near(vec(rsa.rdm(F.B, { method = "correlation" })), F.correlation, TOL)
  end)
  it("poisson with rsatoolbox's 1/P (code, not docs) and its prior", function()
    expect_near(vec(rsa.rdm(F.Bpos, { method = "poisson" })), F.poisson, TOL)
    expect_near(vec(rsa.rdm(F.Bpos, { method = "poisson", prior_lambda = 2, prior_weight = 0.5 })),
      F.poisson_prior, TOL)
  end)
  it("mahalanobis with a shrinkage precision (calc_rdm_mahalanobis)", function()
    local prec = rsa.noise(F.R)
    expect_near(vec(rsa.rdm(F.B, { method = "mahalanobis", noise = prec })), F.mahalanobis, 1e-11)
  end)
  it("remove_mean subtracts each pattern's mean first", function()
    expect_near(vec(rsa.rdm(F.B, { remove_mean = true })), F.euclidean_remove_mean, TOL)
    expect_near(vec(rsa.rdm(F.X, { method = "crossnobis", conditions = F.cond, runs = F.runs,
      remove_mean = true })), F.cn_remove_mean, TOL)
    expect_near(vec(rsa.rdm(F.B, { method = "correlation", remove_mean = true })),
      F.correlation, TOL)
  end)
  it("mahalanobis without noise is euclidean", function()
    expect_near(vec(rsa.rdm(F.B, { method = "mahalanobis" })), F.euclidean, TOL)
  end)
  it("averages trials to conditions from labels", function()
    local means, labels = rsa.average(F.X, F.cond)
    expect_near(means, F.mean_patterns, TOL)
    expect_eq(#labels, 5)
    local r = rsa.rdm(F.X, { conditions = F.cond })
    local direct = rsa.rdm(F.mean_patterns)
    expect_near(vec(r), vec(direct), TOL)
  end)
end)

describe("crossnobis", function()
  local base = { method = "crossnobis", conditions = F.cond, runs = F.runs }
  local function with(t)
    local o = {}
    for k, v in pairs(base) do o[k] = v end
    for k, v in pairs(t) do o[k] = v end
    return o
  end
  it("balanced, identity (calc_rdm_crossnobis)", function()
    expect_near(vec(rsa.rdm(F.X, base)), F.cn_balanced, TOL)
  end)
  it("balanced: the pairwise engine agrees", function()
    expect_near(vec(rsa.rdm(F.X, with { cv = "pairs" })), F.cn_balanced, TOL)
  end)
  it("balanced with a noise precision", function()
    expect_near(vec(rsa.rdm(F.X, with { noise = F.precX })), F.cn_balanced_prec, 1e-11)
  end)
  it("default folds are the k-th repeat of each condition", function()
    expect_near(vec(rsa.rdm(F.X, { method = "crossnobis", conditions = F.cond })),
      F.cn_default_cv, TOL)
  end)
  it("is invariant to reordering the observations", function()
    local n = #F.cond
    local X2, c2, r2 = {}, {}, {}
    for k = 1, n do
      local src = n + 1 - k
      X2[k], c2[k], r2[k] = F.X[src], F.cond[src], F.runs[src]
    end
    expect_near(vec(rsa.rdm(X2, { method = "crossnobis", conditions = c2, runs = r2 })),
      F.cn_balanced, TOL)
  end)
  it("unbalanced cells, fold means (calc_rdm) and pairs (calc_rdm_unbalanced)", function()
    local o = { method = "crossnobis", conditions = F.cu, runs = F.ru }
    expect_near(vec(rsa.rdm(F.Xu, o)), F.cnu_folds, TOL)
    o.cv = "pairs"
    expect_near(vec(rsa.rdm(F.Xu, o)), F.cnu_pairs, TOL)
    o.noise = F.precX
    expect_near(vec(rsa.rdm(F.Xu, o)), F.cnu_pairs_prec, 1e-11)
    o.cv = "folds"
    expect_near(vec(rsa.rdm(F.Xu, o)), F.cnu_folds_prec, 1e-11)
  end)
  it("pairs: a condition seen in one run only has NaN distances (calc_rdm_unbalanced)", function()
    local X = { { 1, 2 }, { 3, 1 }, { 0, 2 }, { 2, 2 }, { 5, 5 } }
    local r = rsa.rdm(X, { method = "crossnobis", cv = "pairs",
      conditions = { "a", "b", "a", "b", "c" }, runs = { 1, 1, 2, 2, 1 } })
    local v = r:vector()
    expect_true(v:get(1, 1) == v:get(1, 1), "a-b is defined")
    expect_true(v:get(2, 1) ~= v:get(2, 1) and v:get(3, 1) ~= v:get(3, 1), "c is NaN")
    -- a-b by hand: s_aa = (1,2).(0,2)/2 = 2, s_bb = (3,1).(2,2)/2 = 4,
    -- s_ab = ((1,2).(2,2) + (3,1).(0,2))/(2*2) = 2, so d = 2 + 4 - 4 = 2
    expect_near(v:get(1, 1), 2, TOL)
  end)
  it("a missing cell: folds refuse, pairs work", function()
    -- drop every observation of condition 1 in run 1
    local X, c, r = {}, {}, {}
    for k = 1, #F.cond do
      if not (F.cond[k] == 1 and F.runs[k] == 1) then
        X[#X + 1], c[#c + 1], r[#r + 1] = F.X[k], F.cond[k], F.runs[k]
      end
    end
    expect_error(function()
      rsa.rdm(X, { method = "crossnobis", conditions = c, runs = r })
    end, "condition 1 has no observation in run 1")
    local d = rsa.rdm(X, { method = "crossnobis", conditions = c, runs = r, cv = "pairs" })
    expect_eq(d.n_cond, 5)
  end)
end)

describe("noise", function()
  for _, m in ipairs { "shrinkage_diag", "shrinkage_eye", "diag", "full" } do
    it(m .. " covariance and precision (cov/prec_from_residuals)", function()
      local cov, lambda = rsa.noise(F.R, { method = m, output = "covariance" })
      expect_near(cov, F["cov_" .. m], 1e-12)
      expect_near(rsa.noise(F.R, { method = m }), F["prec_" .. m], 1e-10)
      if F["lambda_" .. m] then expect_near(lambda, F["lambda_" .. m], 1e-12) end
    end)
  end
  it("explicit dof", function()
    expect_near(rsa.noise(F.R, { method = "shrinkage_diag", dof = 25, output = "covariance" }),
      F.cov_shrinkage_diag_dof25, 1e-12)
    expect_near(rsa.noise(F.R, { method = "shrinkage_eye", dof = 25, output = "covariance" }),
      F.cov_shrinkage_eye_dof25, 1e-12)
  end)
  it("conditions: residuals around condition means, dof = N - n_cond", function()
    expect_near(rsa.noise(F.X, { conditions = F.cond }), F.prec_unbalanced, 1e-10)
    expect_near(rsa.noise(F.X, { conditions = F.cond, dof = #F.cond - 1 }), F.precX, 1e-10)
  end)
end)

describe("compare", function()
  local names = { cosine = "cosine", corr = "corr", spearman = "spearman", tau_b = "tau-b",
    tau_a = "tau-a", rho_a = "rho-a", cosine_cov = "cosine_cov", corr_cov = "corr_cov",
    bures = "bures" }
  for _, set in ipairs { { "cmp", "ra", "rb", "ties" }, { "cmp_g", "ga", "gb", "euclidean RDMs" },
      { "cmp_nan", "ran", "rbn", "NaN entries" } } do
    for key, want in pairs(F[set[1]]) do
      it(names[key] .. " (" .. set[4] .. ")", function()
        local tol = key == "bures" and 1e-10 or TOL
        expect_near(rsa.compare(F[set[2]], F[set[3]], { method = names[key] }), want, tol)
      end)
    end
  end
  it("cosine_cov and corr_cov with pattern variances sigma_k", function()
    local S = F.cmp_sigma
    expect_near(rsa.compare(F.ra, F.rb, { method = "cosine_cov", sigma_k = F.sigma_k }),
      S.cosine_cov, TOL)
    expect_near(rsa.compare(F.ra, F.rb, { method = "corr_cov", sigma_k = F.sigma_k }),
      S.corr_cov, TOL)
    expect_near(rsa.compare(F.ran, F.rbn, { method = "cosine_cov", sigma_k = F.sigma_k }),
      S.cosine_cov_nan, TOL)
    expect_near(rsa.compare(F.ran, F.rbn, { method = "corr_cov", sigma_k = F.sigma_k }),
      S.corr_cov_nan, TOL)
    local ones = {}
    for i = 1, 8 do ones[i] = 1 end
    expect_near(rsa.compare(F.ra, F.rb, { method = "cosine_cov", sigma_k = ones }),
      F.cmp.cosine_cov, TOL)
    expect_error(function()
      rsa.compare(F.ra, F.rb, { method = "corr", sigma_k = F.sigma_k })
    end, "cosine_cov and corr_cov only")
    expect_error(function()
      rsa.compare(F.ra, F.rb, { method = "cosine_cov", sigma_k = { 1, 2 } })
    end, "vector of 8 pattern variances")
    expect_error(function()
      rsa.compare(F.ra, F.rb, { method = "cosine_cov", sigma_k = { 1, 2, 3, 4, 5, 6, 7, -1 } })
    end, "positive")
  end)
  it("kendall is tau-b; cosine is the default", function()
    expect_near(rsa.compare(F.ra, F.rb, { method = "kendall" }), F.cmp.tau_b, TOL)
    expect_near(rsa.compare(F.ra, F.rb), F.cmp.cosine, TOL)
  end)
  it("accepts RDM objects, vectors and square matrices alike", function()
    local a = rsa.rdm(F.B)
    local b = rsa.rdm(F.B, { method = "correlation" })
    local s1 = rsa.compare(a, b, { method = "spearman" })
    expect_near(rsa.compare(a:square(), b:vector(), { method = "spearman" }), s1, TOL)
    expect_near(rsa.compare(a, a, { method = "corr" }), 1, TOL)
  end)
  it("lists of RDMs give the n1 x n2 matrix", function()
    local a = rsa.rdm(F.B)
    local b = rsa.rdm(F.B, { method = "correlation" })
    local c = rsa.rdm(F.Bpos, { method = "poisson" })
    local S = rsa.compare({ a, b }, { a, b, c }, { method = "corr" })
    local r, k = S:shape()
    expect_eq(r .. "x" .. k, "2x3")
    expect_near(S:get(1, 1), 1, TOL)
    expect_near(S:get(2, 3), rsa.compare(b, c, { method = "corr" }), TOL)
    local T = rsa.compare(a, { b, c })
    expect_near(T:get(1, 2), rsa.compare(a, c), TOL)
  end)
  it("tau-a is O(K log K): 200,000 distances in well under a second", function()
    local K = 200000
    local a, b = gy.zeros(K, 1), gy.zeros(K, 1)
    local s = 1
    for k = 0, K - 1 do
      s = (s * 16807) % 2147483647
      a.data[k] = s % 1000
      b.data[k] = a.data[k] + (s % 7)
    end
    local t0 = os.clock()
    local t = rsa.compare(a, b, { method = "tau-a" })
    expect_true(os.clock() - t0 < 2, "tau-a took too long")
    expect_true(t > 0.9 and t <= 1, "tau-a of nearly monotone data")
  end)
end)

describe("RDM object", function()
  it("vector, square, get and labels", function()
    local X = { { 0, 0 }, { 2, 2 }, { 0, 4 } }
    local r = rsa.rdm(X, { conditions = { "b", "a", "c" } })
    -- rows sorted alphabetically: a = (2,2), b = (0,0), c = (0,4)
    expect_eq(r.labels[1], "a")
    expect_eq(r.labels[2], "b")
    expect_near(r:vector(), { 4, 4, 8 }, TOL)
    expect_near(r:square(), { { 0, 4, 4 }, { 4, 0, 8 }, { 4, 8, 0 } }, TOL)
    expect_eq(r:get(3, 2), 8)
    expect_eq(r:get(2, 2), 0)
    expect_true(tostring(r):find("3 conditions") ~= nil)
  end)
  it("numeric labels sort numerically", function()
    local r = rsa.rdm({ { 1 }, { 2 }, { 4 } }, { conditions = { 10, 9, 100 } })
    expect_eq(r.labels[1], 9)
    expect_eq(r.labels[3], 100)
  end)
end)

describe("reference note section 5", function()
  it("test_c: unbalanced RDM of (0,0) and (2,2) is 4", function()
    local r = rsa.rdm({ { 0, 0 }, { 2, 2 } })
    expect_near(r:vector(), { 4 }, TOL)
  end)
  it("test_calc_poisson_extreme_pairs: pair 0-2 is the farthest", function()
    local r = rsa.rdm(F.poisson_extreme, { method = "poisson", conditions = { 0, 0, 1, 1, 2, 2 } })
    local v = r:vector()
    expect_true(v:get(2, 1) > v:get(1, 1) and v:get(2, 1) > v:get(3, 1))
  end)
  it("euclidean = pdist^2/P and correlation = 1 - corrcoef (test_calc_rdm)", function()
    -- F.euclidean and F.correlation were asserted against pdist/corrcoef when made
    expect_near(vec(rsa.rdm(F.B)), F.euclidean, TOL)
  end)
end)

describe("bad input", function()
  it("crossnobis with fewer than two runs", function()
    expect_error(function()
      rsa.rdm(F.X, { method = "crossnobis", conditions = F.cond, runs = {} })
    end, "runs has 0 labels")
    local one = {}
    for k = 1, #F.cond do one[k] = 1 end
    expect_error(function()
      rsa.rdm(F.X, { method = "crossnobis", conditions = F.cond, runs = one })
    end, "at least two runs")
  end)
  it("crossnobis without runs on unbalanced labels", function()
    expect_error(function()
      rsa.rdm(F.Xu, { method = "crossnobis", conditions = F.cu })
    end, "same number of observations per condition")
  end)
  it("crossnobis without conditions", function()
    expect_error(function() rsa.rdm(F.X, { method = "crossnobis" }) end, "needs conditions")
  end)
  it("NaN patterns", function()
    local X = rows(F.B)
    X[2][3] = 0 / 0
    expect_error(function() rsa.rdm(X) end, "non%-finite value")
    expect_error(function() rsa.noise(X) end, "non%-finite")
  end)
  it("RDMs of different sizes", function()
    expect_error(function() rsa.compare({ 1, 2, 3 }, { 1, 2, 3, 4, 5, 6 }) end, "different sizes")
  end)
  it("different NaN positions", function()
    expect_error(function()
      rsa.compare({ 1, 0 / 0, 3 }, { 1, 2, 0 / 0 }, { method = "corr" })
    end, "different NaN positions")
  end)
  it("bures needs complete RDMs; vector lengths must be n(n-1)/2", function()
    expect_error(function() rsa.compare(F.ran, F.rbn, { method = "bures" }) end, "complete")
    expect_error(function()
      rsa.compare({ 1, 2, 3, 4 }, { 1, 2, 3, 5 }, { method = "cosine_cov" })
    end, "n%(n%-1%)/2")
  end)
  it("options and labels are checked", function()
    expect_error(function() rsa.rdm(F.B, { method = "cityblock" }) end, "unknown method")
    expect_error(function() rsa.rdm(F.B, { metod = "euclidean" }) end, "unknown option")
    expect_error(function() rsa.rdm(F.B, { noise = F.precX }) end, "mahalanobis and crossnobis")
    expect_error(function() rsa.rdm(F.B, { conditions = { 1, 2 } }) end, "has 2 labels")
    expect_error(function() rsa.rdm(F.B, { conditions = { 1, 2, "a", 4, 5, 6 } }) end, "mixes")
    expect_error(function() rsa.compare(F.ra, F.rb, { method = "pearson" }) end, "unknown method")
    expect_error(function() rsa.noise(F.R, { method = "oas" }) end, "unknown method")
    expect_error(function()
      rsa.rdm(F.B, { method = "mahalanobis", noise = gy.eye(3) })
    end, "3 x 3 but the data have 10 channels")
  end)
  it("constant patterns and non-positive Poisson rates", function()
    expect_error(function() rsa.rdm({ { 1, 1, 1 }, { 1, 2, 3 } }, { method = "correlation" }) end,
      "constant")
    expect_error(function() rsa.rdm({ { -5, 1 }, { 1, 2 } }, { method = "poisson" }) end,
      "rates must be positive")
  end)
  it("a single condition", function()
    expect_error(function() rsa.rdm({ { 1, 2 } }) end, "at least two conditions")
  end)
end)
