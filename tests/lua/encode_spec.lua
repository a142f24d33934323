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

describe("gy.encode hemodynamic design", function()
  local H = F.hrf
  it("canonical HRFs as nilearn's spm_hrf and glover_hrf", function()
    expect_near(E.hrf(2), H.spm2, 1e-14)
    expect_near(E.hrf(2, { model = "glover" }), H.glover2, 1e-14)
    expect_near(E.hrf(1.5, { oversampling = 4, time_length = 20, onset = 1 }), H.spm_os4, 1e-14)
    expect_error(function() E.hrf(2, { model = "boxcar" }) end, "unknown HRF model")
    expect_error(function() E.hrf(-1) end, "tr")
  end)

  it("convolves regressors held over each sample", function()
    expect_near(E.convolve_hrf(H.X, { tr = 2 }), H.conv_spm, 1e-13)
    expect_near(E.convolve_hrf(H.X, { tr = 2, model = "glover", oversampling = 10 }), H.conv_glover, 1e-13)
    expect_error(function() E.convolve_hrf(H.X) end, "tr")
  end)

  it("z-scores within runs as voxelwise_tutorials' zscore_runs", function()
    expect_near(E.zscore(F.zscore.X, { runs = F.zscore.runs }), F.zscore.out, 1e-14)
    -- a column constant within a run becomes 0 there
    expect_near(E.zscore(F.zscore.Xr, { runs = F.zscore.runs_r }), F.zscore.out_r, 1e-14)
    expect_error(function() E.zscore(F.zscore.X, { runs = { 1, 2 } }) end, "8 labels")
  end)
end)

describe("gy.encode named feature spaces", function()
  it("stacks spaces and reports banded results by name", function()
    local X = gy.matrix(G.X)
    local fs = E.features { { name = "ab", X = X:colrange(1, 2):copy() }, { name = "c", X = X:colrange(3, 3):copy() } }
    expect_eq(fs.slices.c[1], 3)
    expect_near(fs.X, G.X, 0)
    expect_near(fs:get("c"), X:colrange(3, 3):copy(), 0)
    local gam = { { 0.5, 0.5 }, { 0.8, 0.2 }, { 0.2, 0.8 } }
    local m = E.banded_ridge_cv(fs, G.Y, { alphas = G.alphas, cv = 3, gammas = gam })
    local m2 = E.banded_ridge_cv(fs.mats, G.Y, { alphas = G.alphas, cv = 3, gammas = gam })
    expect_near(m.weights, m2.weights, 0)
    local all, by = E.score_split(G.Y, m:predict_split(fs))
    expect_near(by.ab, all:rowrange(1):copy(), 0)
    expect_near(by.c, all:rowrange(2):copy(), 0)
    expect_near(m:predict(fs), m:predict(G.X), 0)
    expect_error(function() E.features { { name = "a", X = G.X }, { name = "a", X = G.X } } end, "repeated")
    expect_error(function() E.features { { name = "a", X = G.X }, { name = "b", X = { { 1 } } } } end, "samples")
  end)
end)

describe("gy.encode cross-validation schemes", function()
  it("fold labels from k, runs and onsets", function()
    local f, k = E.cv_folds(7, { cv = 3 })
    expect_near(f, { 1, 1, 1, 2, 2, 3, 3 }, 0)
    expect_eq(k, 3)
    expect_near(E.cv_folds(6, { cv = { runs = { 5, 5, 2, 2, 9, 9 } } }), { 2, 2, 1, 1, 3, 3 }, 0)
    expect_near(E.cv_folds(5, { run_onsets = { 1, 4 } }), { 1, 1, 1, 2, 2 }, 0)
    expect_error(function() E.cv_folds(3, { cv = 4 }) end, "cannot split")
  end)

  it("ridge_cv with cv = {runs = ...} is leave-one-run-out", function()
    local P = F.primal
    local a = E.ridge_cv(P.X, P.Y, { alphas = P.alphas, cv = { runs = P.runs }, score_func = "r2" })
    expect_near(a.alphas, P.r2.best_alphas, 0)
    expect_near(a.cv_scores, P.r2.cv_scores, TOL)
  end)

  it("nested CV: inner leave-one-run-out per outer training set", function()
    local P, N = F.primal, F.nested
    local r = E.nested_cv(P.X, P.Y, { alphas = P.alphas, cv = { runs = P.runs } })
    expect_near(r.scores, N.scores, TOL)
    expect_near(r.alphas, N.alphas, 0)
    expect_near(r.mean, N.mean, TOL)
    expect_near(r.predictions, N.predictions, TOL)
    expect_error(function() E.nested_cv(P.X, P.Y, { cv = { runs = P.runs }, inner_cv = "x" }) end, "inner_cv")
    -- two runs leave one run to the inner CV: too few folds
    local two = {}
    for i = 1, #P.runs do two[i] = P.runs[i] <= 2 and 1 or 2 end
    expect_error(function() E.nested_cv(P.X, P.Y, { cv = { runs = two } }) end, "outer fold 1")
  end)
end)

describe("gy.encode noise ceilings and significance", function()
  it("explainable variance as voxelwise_tutorials (reference note 8.2)", function()
    local V = F.ev
    expect_near(E.explainable_variance(V.R, { n_repeats = 3 }), { V.ev }, 1e-14)
    expect_near(E.explainable_variance(V.R, { n_repeats = 3, bias_correction = false }), { V.ev_nobias }, 1e-14)
    expect_near(E.explainable_variance(V.Rb, { n_repeats = 4 }), { V.ev_b }, 1e-14)
    expect_near(E.explainable_variance(V.Rb, { n_repeats = 4, do_zscore = false }), { V.ev_b_raw }, 1e-14)
    expect_near(E.explainable_variance(V.R, { n_repeats = 3 }):get(1, 1), 0.904734493548, 1e-11)
    -- a list of repeats equals the stacked form
    local R = gy.matrix(V.Rb)
    local reps = {}
    for r = 1, 4 do reps[r] = R:rowrange((r - 1) * 25 + 1, r * 25):copy() end
    expect_near(E.explainable_variance(reps), { V.ev_b }, 1e-14)
    expect_error(function() E.explainable_variance(V.R) end, "n_repeats")
    expect_error(function() E.explainable_variance(V.R, { n_repeats = 5 }) end, "repeats")
  end)

  it("CCnorm as Schoppe et al.'s calc_CCnorm", function()
    local c = E.ccnorm(F.ccnorm.R, F.ccnorm.P, { n_repeats = 4 })
    expect_near(c.ccnorm, { { F.ccnorm.out[1] } }, 1e-14)
    expect_near(c.ccabs, { { 0.999558452097 } }, 1e-11)
    expect_near(c.ccmax, { { 1.029857301089 } }, 1e-11)
    local b = E.ccnorm(F.ccnorm.Rb, F.ccnorm.Pb, { n_repeats = 4 })
    expect_near(b.ccnorm, { F.ccnorm.out_b[1] }, 1e-13)
    expect_near(b.ccabs, { F.ccnorm.out_b[2] }, 1e-13)
    expect_near(b.ccmax, { F.ccnorm.out_b[3] }, 1e-13)
  end)

  it("block permutation test with FDR and max-statistic correction", function()
    local n, m = 120, 6
    local Y = gy.randn(n, m, { seed = 11 })
    local P = gy.randn(n, m, { seed = 12 })
    for t = 1, n do
      for j = 1, 3 do P:set(t, j, Y:get(t, j) + 0.5 * P:get(t, j)) end
    end
    local r = E.permutation_test(Y, P, { n_perm = 199, block = 8, seed = 3, score_func = "correlation" })
    expect_near(r.score, E.score(Y, P, "correlation"), 1e-14)
    for j = 1, 3 do
      expect_near(r.pvalue:get(1, j), 1 / 200, 0)
      expect_eq(r.significant:get(1, j), 1)
    end
    for j = 1, m do
      expect_eq(r.pvalue_max:get(1, j) >= r.pvalue:get(1, j), true)
      expect_eq(r.pvalue_fdr:get(1, j) >= r.pvalue:get(1, j), true)
    end
    -- one target: the null maxima are that target's null scores
    local y, p = Y:colrange(4, 4):copy(), P:colrange(4, 4):copy()
    local one = E.permutation_test(y, p, { n_perm = 99, block = 10, seed = 5 })
    local c = 0
    for k = 1, 99 do if one.null_max:get(k, 1) >= one.score:get(1, 1) then c = c + 1 end end
    expect_near(one.pvalue, { { (1 + c) / 100 } }, 1e-15)
    expect_near(one.pvalue_max, one.pvalue, 0)
    local again = E.permutation_test(y, p, { n_perm = 99, block = 10, seed = 5 })
    expect_near(again.null_max, one.null_max, 0)
    expect_error(function() E.permutation_test(Y, P, { block = 100 }) end, "block")
    expect_error(function() E.permutation_test(Y, P, { correction = "bonf" }) end, "correction")
    expect_error(function() E.permutation_test(Y, { { 1 } }) end, "predictions")
  end)
end)
