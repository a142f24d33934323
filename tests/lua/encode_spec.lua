-- gy.encode against numpy re-computations of himalaya's formulas and sklearn
-- (tests/fixtures/make_encode.py), and the golden values of the reference note (section 8.1).
local F = fixture("encode.lua")
local E = require "gyrus.encode"
local TOL = 1e-9

local G = F.golden

describe("gy.encode design matrices", function()
  it("delays as voxelwise_tutorials' Delayer", function()
    expect_near(E.delay(F.delay.X, F.delay.delays), F.delay.out, 0)
    expect_near(E.delay(F.delay.X, F.delay.neg), F.delay.out_neg, 0)
    expect_near(E.delay(F.delay.X), F.delay.X, 0)
  end)

  it("TRF lags from tmin, tmax and sfreq (mTRF)", function()
    local Xl, lags = E.lag(F.lag.x, { tmin = -0.01, tmax = 0.02, sfreq = 100 })
    expect_near(lags, F.lag.lags, 0)
    expect_near(Xl, F.lag.out, 0)
    expect_error(function() E.lag(F.lag.x, { tmin = 0, tmax = 1 }) end, "sfreq")
    expect_error(function() E.lag(F.lag.x, { tmin = 1, tmax = 0, sfreq = 10 }) end, "tmax")
  end)
end)

describe("gy.encode.ridge", function()
  it("closed form as himalaya's solve_ridge_svd", function()
    expect_near(E.ridge(G.X, G.Y, 0.1).weights, G.ridge01, TOL)
    expect_near(E.ridge(G.X, G.Y, 10).weights, G.ridge10, TOL)
    -- the reference note's printed values
    local W = E.ridge(G.X, G.Y, 0.1).weights
    expect_near(W:get(3, 2), 2.315375445726, 1e-11)
  end)

  it("one alpha per target as sklearn Ridge", function()
    local m = E.ridge(F.primal.X, F.primal.Y, F.sklearn.ridge_alphas)
    expect_near(m.weights, F.sklearn.ridge, TOL)
    expect_near(m.alphas, F.sklearn.ridge_alphas, 0)
  end)

  it("kernel form when features outnumber samples", function()
    expect_near(E.ridge(F.dual.X, F.dual.Y, 3).weights, F.dual.ridge, TOL)
  end)

  it("predicts and scores", function()
    local m = E.ridge(G.X, G.Y, 10)
    local P = m:predict(G.X)
    expect_near(P, gy.matrix(G.X) * m.weights, 1e-12)
    expect_near(m:score(G.X, G.Y), E.score(G.Y, P, "r2"), 1e-15)
    expect_error(function() m:predict({ { 1, 2 } }) end, "features")
  end)

  it("rejects bad input", function()
    expect_error(function() E.ridge(G.X, { { 1 }, { 2 } }, 1) end, "samples")
    expect_error(function() E.ridge(G.X, G.Y, -1) end, "non%-negative")
    expect_error(function() E.ridge(G.X, G.Y, { 1, 2, 3 }) end, "one per target")
    local Y = gy.matrix(G.Y)
    Y:set(2, 1, 0 / 0)
    expect_error(function() E.ridge(G.X, Y, 1) end, "gy.encode.ridge: .*Y")
  end)
end)

describe("gy.encode.ridge_cv", function()
  local cv3 = { alphas = G.alphas, cv = 3 }
  it("himalaya's RidgeCV on the golden data, each score", function()
    for _, sc in ipairs { "l2_neg_loss", "r2", "correlation" } do
      local o = { alphas = G.alphas, cv = 3, score_func = sc }
      local m = E.ridge_cv(G.X, G.Y, o)
      expect_near(m.alphas, G[sc].best_alphas, 0, sc)
      expect_near(m.cv_scores, G[sc].cv_scores, TOL, sc)
      expect_near(m.weights, G[sc].weights, TOL, sc)
      expect_near(m.all_scores, G[sc].all_scores, 1e-8, sc)
    end
    local m = E.ridge_cv(G.X, G.Y, cv3)
    expect_near(m.alphas, { 10, 1 }, 0)
    expect_near(m.cv_scores, { -9.516492298034, -4.151824636042 }, 1e-11)
  end)

  it("leave-one-run-out from run labels and from run onsets", function()
    local P = F.primal
    local a = E.ridge_cv(P.X, P.Y, { alphas = P.alphas, cv = P.runs, score_func = "r2" })
    expect_near(a.alphas, P.r2.best_alphas, 0)
    expect_near(a.cv_scores, P.r2.cv_scores, TOL)
    expect_near(a.weights, P.r2.weights, TOL)
    local b = E.ridge_cv(P.X, P.Y, { alphas = P.alphas, run_onsets = { 1, 13, 21, 31 },
      score_func = "r2" })
    expect_near(b.cv_scores, a.cv_scores, 0)
    -- a constant target scores 0 for every alpha and takes the largest
    expect_near(a.cv_scores:get(1, 5), 1e-10 * math.log(1000), 1e-15)
  end)

  it("k-fold, batches and one alpha for all targets", function()
    local P = F.primal
    local m = E.ridge_cv(P.X, P.Y, { alphas = P.alphas, cv = 5 })
    expect_near(m.alphas, P.l2.best_alphas, 0)
    expect_near(m.cv_scores, P.l2.cv_scores, TOL)
    expect_near(m.weights, P.l2.weights, TOL)
    local b = E.ridge_cv(P.X, P.Y, { alphas = P.alphas, cv = 5, n_targets_batch = 2 })
    expect_near(b.cv_scores, m.cv_scores, 1e-12)
    local g = E.ridge_cv(P.X, P.Y, { alphas = P.alphas, cv = 5, local_alpha = false })
    expect_near(g.alphas, P.l2_global.best_alphas, 0)
    expect_near(g.weights, P.l2_global.weights, TOL)
  end)

  it("one alpha for all targets by mean R2 as sklearn RidgeCV", function()
    local P = F.primal
    local Y = gy.matrix(P.Y)
    local Y4m = gy.zeros(Y:shape(), 4)
    for i = 1, Y:shape() do for j = 1, 4 do Y4m:set(i, j, Y:get(i, j)) end end
    local m = E.ridge_cv(P.X, Y4m, { alphas = P.alphas, cv = 5, score_func = "r2",
      local_alpha = false })
    expect_near(m.alphas:get(1, 1), F.sklearn.ridgecv_alpha, 1e-12)
  end)

  it("a grid of 20 alphas agrees with alphas predicted one pair at a time", function()
    -- Grids are predicted through a low-rank basis of the alpha family; pairs directly.
    local X = gy.randn(120, 30, { seed = 1 })
    local Y = X * gy.randn(30, 6, { seed = 2 }) * 0.1 + gy.randn(120, 6, { seed = 3 })
    local al = {}
    for k = 0, 19 do al[#al + 1] = 10 ^ (-2 + 10 * k / 19) end
    for _, sc in ipairs { "l2_neg_loss", "correlation" } do
      local m = E.ridge_cv(X, Y, { alphas = al, cv = 4, score_func = sc })
      for k = 1, 19, 2 do
        local d = E.ridge_cv(X, Y, { alphas = { al[k], al[k + 1] }, cv = 4, score_func = sc })
        for t = 0, 1 do
          for j = 1, 6 do expect_near(m.all_scores:get(k + t, j), d.all_scores:get(1 + t, j), 1e-12, sc) end
        end
      end
    end
  end)

  it("kernel form when features outnumber training samples", function()
    local D = F.dual
    local m = E.kernel_ridge_cv(D.X, D.Y, { alphas = D.alphas, cv = 3 })
    expect_near(m.alphas, D.l2.best_alphas, 0)
    expect_near(m.cv_scores, D.l2.cv_scores, TOL)
    expect_near(m.weights, D.l2.weights, TOL)
    local c = E.ridge_cv(D.X, D.Y, { alphas = D.alphas, cv = 3, score_func = "correlation" })
    expect_near(c.cv_scores, D.corr.cv_scores, TOL)
  end)

  it("rejects bad input", function()
    expect_error(function() E.ridge_cv(G.X, G.Y, { alphs = { 1 } }) end, "unknown option")
    expect_error(function() E.ridge_cv(G.X, { 1, 2 }) end, "samples")
    expect_error(function() E.ridge_cv(G.X, G.Y, { cv = 13 }) end, "cannot split")
    expect_error(function() E.ridge_cv(G.X, G.Y, { cv = { 1, 2 } }) end, "fold labels")
    expect_error(function() E.ridge_cv(G.X, G.Y, { alphas = { 0, 1 } }) end, "positive")
    expect_error(function() E.ridge_cv(G.X, G.Y, { score_func = "mse" }) end, "unknown score")
    expect_error(function() E.ridge_cv(G.X, G.Y, { run_onsets = { 1, 20 } }) end, "run_onsets")
    expect_error(function() E.ridge_cv(G.X, G.Y, { run_onsets = { 1, 5, 5 } }) end, "run_onsets")
    expect_error(function() E.ridge_cv(G.X, G.Y, { run_onsets = { 2, 5 } }) end, "run_onsets")
    local lab = {}
    for i = 1, 12 do lab[i] = 1 end
    expect_error(function() E.ridge_cv(G.X, G.Y, { cv = lab }) end, "at least 2 folds")
  end)
end)

describe("gy.encode.score", function()
  it("r2, correlation and l2_neg_loss as himalaya.scoring", function()
    local S = F.score
    expect_near(E.score(S.Y, S.P), S.r2, 1e-13)
    expect_near(E.score(S.Y, S.P, "correlation"), S.correlation, 1e-13)
    expect_near(E.score(S.Y, S.P, "l2_neg_loss"), S.l2_neg_loss, 1e-13)
    expect_error(function() E.score(S.Y, { 1, 2 }) end, "predictions")
  end)
end)

describe("gy.encode.banded_ridge_cv", function()
  -- Reference note section 8.1: two spaces (features 1-2 and 3), fixed band weights.
  local X = gy.matrix(G.X)
  local n = #G.X
  local X1 = gy.zeros(n, 2)
  local X2 = gy.zeros(n, 1)
  for i = 1, n do
    X1:set(i, 1, G.X[i][1]); X1:set(i, 2, G.X[i][2]); X2:set(i, 1, G.X[i][3])
  end
  local gam = { { 0.5, 0.5 }, { 0.8, 0.2 }, { 0.2, 0.8 } }
  local m = E.banded_ridge_cv({ X1, X2 }, G.Y, { alphas = G.alphas, cv = 3, gammas = gam })

  it("himalaya's random search with fixed band weights", function()
    expect_near(m.deltas, { { -3.912023005428, -0.69314718056 }, { -2.525728644308, -0.69314718056 } }, 1e-10)
    expect_near(m.weights, { { 0.578653705144, -0.286859645714 }, { 0.394337788166, -0.178495234551 },
      { -1.163053337885, 2.263723775818 } }, 1e-10)
    expect_near(m.all_scores, { { -9.042882018283, -4.060761785214 }, { -11.090876012686, -4.102667678351 },
      { -8.465867033948, -4.115928349076 } }, 1e-10)
    expect_near(m:predict(X), X * m.weights, 1e-12)
    expect_near(m:predict({ X1, X2 }), X * m.weights, 1e-12)
  end)

  it("split R2 (product measure) sums to the joint R2", function()
    local P = m:predict_split({ X1, X2 })
    expect_near(E.score(G.Y, P[1] + P[2]), { 0.866768402891, 0.960837271125 }, 1e-10)
    expect_near(E.score_split(G.Y, P), { { 0.346441484501, 0.085228481577 }, { 0.52032691839, 0.875608789548 } }, 1e-10)
    expect_near(E.score(G.Y, P[1] + P[2], "correlation"), { 0.937600284817, 0.980336503694 }, 1e-10)
  end)

  it("seeded Dirichlet band weights, the first uniform", function()
    local a = E.banded_ridge_cv({ X1, X2 }, G.Y, { alphas = G.alphas, cv = 3, n_iter = 6, seed = 3 })
    local b = E.banded_ridge_cv({ X1, X2 }, G.Y, { alphas = G.alphas, cv = 3, n_iter = 6, seed = 3 })
    expect_near(a.weights, b.weights, 0)
    expect_near(a.gammas[1], { 0.5, 0.5 }, 0)
    for it = 1, 6 do expect_near(a.gammas[it][1] + a.gammas[it][2], 1, 1e-15) end
    -- the uniform first candidate scales X by sqrt(1/2): plain ridge_cv with alphas doubled
    local a2 = {}
    for k, v in ipairs(G.alphas) do a2[k] = 2 * v end
    local r = E.ridge_cv(X, G.Y, { alphas = a2, cv = 3 })
    expect_near(a.all_scores:row(1), r.cv_scores, 1e-9)
  end)

  it("rejects bad input", function()
    expect_error(function() E.banded_ridge_cv(X, G.Y) end, "")
    expect_error(function() E.banded_ridge_cv({ X1, { { 1 } } }, G.Y) end, "samples")
    expect_error(function() E.banded_ridge_cv({ X1, X2 }, G.Y, { gammas = { { 1 } } }) end, "2 weights")
    expect_error(function() E.score_split(G.Y, { { { 1 } } }) end, "prediction 1")
  end)
end)
