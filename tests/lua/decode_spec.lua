-- Decoding baselines against python3-sklearn (tests/fixtures/make_decode.py).
local F = fixture("decode.lua")
local D = require "gyrus.decode"
local TOL = 1e-9

local function labels(t)
  local out = {}
  for i, v in ipairs(t) do out[i] = v end
  return out
end

for ci, c in ipairs(F.cases) do
  local X, y = gy.matrix(c.X), labels(c.y)
  describe(string.format("decoding case %d (%d x %d, %d classes)", ci, #c.X, #c.X[1],
    #c.lda_auto.coef[1] == 1 and 2 or #c.lda_auto.coef[1]), function()
    local function same(m, ref, tol, what)
      expect_near(m.coef, ref.coef, tol, what .. " coef")
      expect_near(m.intercept, ref.intercept, tol, what .. " intercept")
      expect_near(m:decision_function(X), ref.decision, tol, what .. " decision")
      expect_near(m:predict(X), ref.predict, 0, what .. " predict")
      if ref.proba then expect_near(m:predict_proba(X), ref.proba, tol, what .. " proba") end
    end
    it("LDA lsqr, shrinkage auto / 0.3 / none", function()
      same(D.lda(X, y), c.lda_auto, TOL, "auto")
      same(D.lda(X, y, { shrinkage = 0.3 }), c.lda_03, TOL, "0.3")
      same(D.lda(X, y, { shrinkage = false }), c.lda_none, 1e-8, "none")
    end)
    it("PCA + LDA", function()
      local m = D.pca_lda(X, y, { n_components = 3 })
      expect_near(m:decision_function(X), c.pca_lda.decision, 1e-8)
      expect_near(m:predict(X), c.pca_lda.predict, 0)
    end)
    it("ridge classifier", function()
      same(D.ridge_classifier(X, y), c.ridge, TOL, "ridge")
      expect_error(function() D.ridge_classifier(X, y):predict_proba(X) end, "no probabilities")
    end)
    it("L2 logistic regression", function()
      local m = D.logistic(X, y, { tol = 1e-10 })
      same(m, c.logistic, 1e-8, "logistic")
      -- sklearn's default tol 1e-4 stops lbfgs early; Newton lands near the optimum anyway
      expect_near(D.logistic(X, y).coef, c.logistic_lbfgs.coef, 1e-3)
    end)
    it("StratifiedKFold folds and cross-validated accuracy", function()
      local r = D.cross_validate(X, y, { estimator = "lda", cv = 5 })
      expect_near(r.folds, c.folds, 0)
      expect_near(r.accuracy, c.cv_accuracy, 1e-12)
      expect_near(r.balanced_accuracy, c.cv_balanced, 1e-12)
    end)
  end)
end

describe("leave-one-group-out (groups = runs)", function()
  it("folds follow the sorted group labels and each fold scores its group", function()
    local c = F.cases[1]
    local X, y = gy.matrix(c.X), labels(c.y)
    local n = #y
    local groups = {}
    for i = 1, n do groups[i] = ({ "b", "a", "c" })[(i - 1) % 3 + 1] end
    local r = D.cross_validate(X, y, { estimator = "lda", groups = groups })
    expect_eq(#r.accuracy, 3)
    for i = 1, n do expect_eq(r.folds[i], ({ b = 2, a = 1, c = 3 })[groups[i]], "fold of " .. i) end
    -- fold 1 (group "a") by hand
    local tr, te, ytr, yte = {}, {}, {}, {}
    for i = 1, n do
      if groups[i] == "a" then te[#te + 1] = X:row(i):values(); yte[#yte + 1] = y[i]
      else tr[#tr + 1] = X:row(i):values(); ytr[#ytr + 1] = y[i] end
    end
    local pred = D.lda(gy.matrix(tr), ytr):predict(gy.matrix(te))
    local ok = 0
    for i = 1, #yte do if pred[i] == yte[i] then ok = ok + 1 end end
    expect_near(r.accuracy[1], ok / #yte, 1e-15)
    local p = D.permutation_test(X, y, { groups = groups, n_permutations = 9, seed = 1 })
    expect_eq(#p.permutation_scores, 9)
    expect_near(p.score, r.mean_accuracy, 1e-15)
    expect_error(function() D.cross_validate(X, y, { groups = { 1, 2 } }) end,
      "groups must hold one label per sample")
    local one = {}
    for i = 1, n do one[i] = 7 end
    expect_error(function() D.cross_validate(X, y, { groups = one }) end, "at least 2 different")
  end)
end)

describe("gy.decode.permutation_test", function()
  it("p = (C + 1) / (n + 1), seeded", function()
    local c = F.cases[1]
    local X, y = gy.matrix(c.X), labels(c.y)
    local r = D.permutation_test(X, y, { n_permutations = 19, seed = 3 })
    expect_eq(#r.permutation_scores, 19)
    local n = 0
    for _, s in ipairs(r.permutation_scores) do if s >= r.score then n = n + 1 end end
    expect_near(r.pvalue, (n + 1) / 20, 1e-15)
    expect_near(r.score, r.score, 0)
    local r2 = D.permutation_test(X, y, { n_permutations = 19, seed = 3 })
    expect_near(r2.permutation_scores, r.permutation_scores, 0)
    -- class structure is strong: no permutation reaches the observed accuracy
    expect_near(r.pvalue, 0.05, 1e-15)
  end)
end)

describe("decoding bad input", function()
  local c = F.cases[2]
  local X, y = gy.matrix(c.X), labels(c.y)
  it("clear errors", function()
    local one = {}
    for i = 1, #y do one[i] = 1 end
    expect_error(function() D.lda(X, one) end, "two classes")
    expect_error(function() D.logistic(X, { 1, 2 }) end, "labels for")
    local bad = X:copy()
    bad:set(2, 2, 0 / 0)
    expect_error(function() D.ridge_classifier(bad, y) end, "non%-finite")
    -- more features than samples and no shrinkage: singular pooled covariance
    local wide = gy.randn(10, 20, { seed = 1 })
    local yw = { 1, 2, 1, 2, 1, 2, 1, 2, 1, 2 }
    expect_error(function() D.lda(wide, yw, { shrinkage = false }) end, "singular")
    D.lda(wide, yw) -- shrinkage 'auto' copes
    expect_error(function() D.lda(X, y, { shrinkage = 2 }) end, "shrinkage")
    expect_error(function() D.pca_lda(X, y, { n_components = 99 }) end, "n_components")
    expect_error(function() D.cross_validate(X, y, { cv = 50 }) end, "exceeds")
    expect_error(function() D.cross_validate(X, y, { estimator = "svm" }) end, "unknown estimator")
    expect_error(function() D.lda(X, y):predict(gy.zeros(2, 3)) end, "features")
  end)
end)

-- Real data: nitime's event-related fMRI (one BOLD series, 6 event types, TR 2 s). The
-- event type is decoded from the 8 BOLD samples after each event; the responses overlap, so
-- accuracy stays near chance (1/6) — this checks the pipeline runs on real data.
describe("decoding real data (nitime event_related_fmri.csv)", function()
  it("cross-validated LDA, logistic and a permutation test run", function()
    local ok, paths = pcall(gy.data)
    if not ok then return end
    local t = gy.read(paths.nitime_dir .. "/event_related_fmri.csv").data
    local bold, ev = t:col(1):values(), t:col(2):values()
    local rows, labs = {}, {}
    for i = 1, #bold - 8 do
      if ev[i] > 0 then
        local r = {}
        for k = 0, 7 do r[k + 1] = bold[i + k] end
        rows[#rows + 1], labs[#labs + 1] = r, ev[i]
      end
    end
    expect_eq(#labs, 576)
    local X = gy.matrix(rows)
    for _, est in ipairs { "lda", "logistic", "ridge_classifier" } do
      local r = D.cross_validate(X, labs, { estimator = est })
      assert(r.mean_accuracy > 0.1 and r.mean_accuracy < 0.4, est)
    end
    local pt = D.permutation_test(X, labs, { n_permutations = 9, seed = 1 })
    assert(pt.pvalue > 0 and pt.pvalue <= 1)
  end)
end)
