-- Linear decoding baselines with scikit-learn's semantics (core/src/decode.c): shrinkage
-- LDA, PCA + LDA, ridge classifier, L2 logistic regression, stratified cross-validation and
-- the permutation test. Samples are rows of X; labels are a Lua list (numbers or strings)
-- whose sorted unique values are the classes (sklearn's classes_).
-- Meant as the gy.decode submodule (gy.encode.permutation_test already exists for encoding models).
local ffi = require "ffi"
local core = require "gyrus.core"
local M = require "gyrus.mat"
local C, check = core.C, core.check


local D = {}

-- Class indices (0-based int64 array) of the labels and the sorted classes.
local function encode_labels(fname, y, n)
  if M.is(y) then y = y:values() end
  if type(y) ~= "table" then core.fail(fname, "labels must be a list", 3) end
  if #y ~= n then
    core.fail(fname, string.format("%d labels for %d samples", #y, n), 3)
  end
  local seen, classes, kind = {}, {}, type(y[1])
  for i = 1, n do
    local v = y[i]
    if (type(v) ~= "number" and type(v) ~= "string") or type(v) ~= kind or v ~= v then
      core.fail(fname, string.format("label %d (%s) must be a number or a string like label 1", i,
        tostring(v)), 3)
    end
    if not seen[v] then seen[v] = true; classes[#classes + 1] = v end
  end
  table.sort(classes)
  if #classes < 2 then core.fail(fname, "need at least two classes, got one", 3) end
  local index = {}
  for k, v in ipairs(classes) do index[v] = k - 1 end
  local a = ffi.new("int64_t[?]", n)
  for i = 1, n do a[i - 1] = index[y[i]] end
  return a, classes
end

local function shrinkage_value(fname, s)
  if s == "auto" then return -1 end
  if s == false or s == nil then return 0 end
  if type(s) ~= "number" or not (s >= 0 and s <= 1) then
    core.fail(fname, "shrinkage must be 'auto', false or a number in [0, 1]", 3)
  end
  return s
end

------------------------------------------------------------------------------- models

local Model = {}
Model.__index = Model

function Model:decision_function(X)
  local fname = "model:decision_function"
  X = M.arg(X, fname, "X")
  local out = M.empty()
  check(C.gy_decode_decision(out, X, self.coef, self.intercept), fname)
  core.account()
  return out
end

function Model:predict(X)
  local d = self:decision_function(X)
  local n, m, out = tonumber(d.rows), tonumber(d.cols), {}
  for i = 0, n - 1 do
    local best = 0
    if m == 1 then
      best = d.data[i] > 0 and 1 or 0
    else
      for k = 1, m - 1 do
        if d.data[i + k * d.ld] > d.data[i + best * d.ld] then best = k end
      end
    end
    out[i + 1] = self.classes[best + 1]
  end
  return out
end

function Model:predict_proba(X)
  if not self.probabilistic then
    core.fail("model:predict_proba", self.kind .. " gives no probabilities", 2)
  end
  local out = M.empty()
  check(C.gy_decode_proba(out, self:decision_function(X)), "model:predict_proba")
  core.account()
  return out
end

-- Accuracy and balanced accuracy (mean recall over the classes present in y).
local function accuracies(pred, y)
  local hit, per, tot = 0, {}, {}
  for i = 1, #y do
    tot[y[i]] = (tot[y[i]] or 0) + 1
    if pred[i] == y[i] then hit = hit + 1; per[y[i]] = (per[y[i]] or 0) + 1 end
  end
  local sum, k = 0, 0
  for c, t in pairs(tot) do sum = sum + (per[c] or 0) / t; k = k + 1 end
  return hit / #y, sum / k
end

function Model:score(X, y)
  local fname = "model:score"
  X = M.arg(X, fname, "X")
  if M.is(y) then y = y:values() end
  if type(y) ~= "table" or #y ~= tonumber(X.rows) then
    core.fail(fname, "labels must be a list with one label per row of X", 2)
  end
  return (accuracies(self:predict(X), y))
end

Model.__tostring = function(self)
  return string.format("%s classifier: %d features, %d classes", self.kind,
    tonumber(self.coef.rows), #self.classes)
end

local function model(kind, coef, intercept, classes, extra)
  core.account()
  local m = setmetatable({ kind = kind, coef = coef, intercept = intercept, classes = classes,
    probabilistic = kind ~= "ridge_classifier" }, Model)
  for k, v in pairs(extra or {}) do m[k] = v end
  return m
end

----------------------------------------------------------------------------- estimators

function D.lda(X, y, opts)
  local fname = "gy.decode.lda"
  opts = core.options(fname, opts, { shrinkage = "auto" })
  X = M.arg(X, fname, "X")
  local lab, classes = encode_labels(fname, y, tonumber(X.rows))
  local coef, b = M.empty(), M.empty()
  check(C.gy_decode_lda(coef, b, X, lab, #classes, shrinkage_value(fname, opts.shrinkage)), fname)
  return model("lda", coef, b, classes)
end

function D.pca_lda(X, y, opts)
  local fname = "gy.decode.pca_lda"
  opts = core.options(fname, opts, { n_components = core.REQUIRED, shrinkage = "auto" })
  X = M.arg(X, fname, "X")
  local nc = opts.n_components
  if type(nc) ~= "number" or nc ~= math.floor(nc) then
    core.fail(fname, "n_components must be an integer", 2)
  end
  local lab, classes = encode_labels(fname, y, tonumber(X.rows))
  local coef, b = M.empty(), M.empty()
  check(C.gy_decode_pca_lda(coef, b, X, lab, #classes, nc, shrinkage_value(fname, opts.shrinkage)),
    fname)
  return model("pca_lda", coef, b, classes, { n_components = nc })
end

function D.ridge_classifier(X, y, opts)
  local fname = "gy.decode.ridge_classifier"
  opts = core.options(fname, opts, { alpha = 1.0 })
  X = M.arg(X, fname, "X")
  if type(opts.alpha) ~= "number" then core.fail(fname, "alpha must be a number", 2) end
  local lab, classes = encode_labels(fname, y, tonumber(X.rows))
  local coef, b = M.empty(), M.empty()
  check(C.gy_decode_ridge(coef, b, X, lab, #classes, opts.alpha), fname)
  return model("ridge_classifier", coef, b, classes, { alpha = opts.alpha })
end

function D.logistic(X, y, opts)
  local fname = "gy.decode.logistic"
  opts = core.options(fname, opts, { C = 1.0, tol = 1e-4, max_iter = 100 })
  X = M.arg(X, fname, "X")
  for _, k in ipairs { "C", "tol", "max_iter" } do
    if type(opts[k]) ~= "number" then core.fail(fname, "option '" .. k .. "' must be a number", 2) end
  end
  local lab, classes = encode_labels(fname, y, tonumber(X.rows))
  local coef, b, it = M.empty(), M.empty(), ffi.new("int64_t[1]")
  check(C.gy_decode_logistic(coef, b, it, X, lab, #classes, opts.C, opts.tol, opts.max_iter), fname)
  return model("logistic", coef, b, classes, { n_iter = tonumber(it[0]) })
end

------------------------------------------------------------------------ cross-validation

local estimators = { lda = D.lda, pca_lda = D.pca_lda, ridge_classifier = D.ridge_classifier,
  logistic = D.logistic }

local function estimator(fname, e)
  if type(e) == "function" then return e end
  local f = estimators[e]
  if not f then
    core.fail(fname, "unknown estimator '" .. tostring(e) ..
      "' (lda, pca_lda, ridge_classifier, logistic, or a function(X, y))", 3)
  end
  return f
end

-- Fold (1-based) of every sample as sklearn's StratifiedKFold(k, shuffle=False): classes
-- in order of first appearance, class k's samples dealt to folds by the counts of
-- sorted(labels)[i::k].
local function stratified_folds(fname, y, k)
  local n = #y
  local order, code = {}, {}
  for i = 1, n do
    if code[y[i]] == nil then order[#order + 1] = y[i]; code[y[i]] = #order end
  end
  -- classes were first indexed by sorted value in sklearn's np.unique, then renumbered by
  -- first appearance: the sorted encoded labels are what "y_order" holds.
  local nk, counts = #order, {}
  for c = 1, nk do counts[c] = 0 end
  for i = 1, n do counts[code[y[i]]] = counts[code[y[i]]] + 1 end
  local all_small = true
  for c = 1, nk do if counts[c] >= k then all_small = false end end
  if k < 2 then core.fail(fname, "cv must be at least 2 folds", 3) end
  if all_small then
    core.fail(fname, string.format("cv = %d folds exceeds the size of every class", k), 3)
  end
  local sorted, s = {}, 0
  for c = 1, nk do for _ = 1, counts[c] do s = s + 1; sorted[s] = c end end
  local alloc = {}
  for f = 1, k do
    alloc[f] = {}
    for c = 1, nk do alloc[f][c] = 0 end
    for i = f, n, k do alloc[f][sorted[i]] = alloc[f][sorted[i]] + 1 end
  end
  local fold, next_ = {}, {}
  for c = 1, nk do
    local list = {}
    for f = 1, k do for _ = 1, alloc[f][c] do list[#list + 1] = f end end
    next_[c] = list
  end
  local pos = {}
  for c = 1, nk do pos[c] = 0 end
  for i = 1, n do
    local c = code[y[i]]
    pos[c] = pos[c] + 1
    fold[i] = next_[c][pos[c]]
  end
  return fold
end

local function take_rows(X, idx)
  local p = tonumber(X.cols)
  local out = M.new(#idx, p, "gy.decode.cross_validate")
  for j = 0, p - 1 do
    local src, dst = X.data + j * X.ld, out.data + j * out.ld
    for r = 1, #idx do dst[r - 1] = src[idx[r] - 1] end
  end
  return out
end

local function run_cv(fit, X, y, fold, k, params)
  local acc, bal = {}, {}
  for f = 1, k do
    local tr, te, ytr, yte = {}, {}, {}, {}
    for i = 1, #y do
      if fold[i] == f then te[#te + 1] = i; yte[#yte + 1] = y[i]
      else tr[#tr + 1] = i; ytr[#ytr + 1] = y[i] end
    end
    local m = fit(take_rows(X, tr), ytr, params)
    acc[f], bal[f] = accuracies(m:predict(take_rows(X, te)), yte)
  end
  return acc, bal
end

local function mean(t)
  local s = 0
  for i = 1, #t do s = s + t[i] end
  return s / #t
end

-- Leave-one-group-out folds (sklearn's LeaveOneGroupOut): fold f holds the samples of
-- the f-th group in sorted order (numbers numerically, other labels as strings).
local function group_folds(fname, groups, n)
  if M.is(groups) then groups = groups:values() end
  if type(groups) ~= "table" or #groups ~= n then
    core.fail(fname, string.format("groups must hold one label per sample (%d), got %s", n,
      type(groups) == "table" and tostring(#groups) or type(groups)), 4)
  end
  local seen, list = {}, {}
  for i = 1, n do
    local g = groups[i]
    if g == nil or g ~= g then core.fail(fname, "group label " .. i .. " is missing or NaN", 4) end
    if not seen[g] then seen[g] = true; list[#list + 1] = g end
  end
  if #list < 2 then core.fail(fname, "groups needs at least 2 different labels", 4) end
  table.sort(list, function(a, b)
    if type(a) == "number" and type(b) == "number" then return a < b end
    return tostring(a) < tostring(b)
  end)
  local index, fold = {}, {}
  for f, g in ipairs(list) do index[g] = f end
  for i = 1, n do fold[i] = index[groups[i]] end
  return fold, #list
end

local function cv_args(fname, X, y, opts, extra)
  local defaults = { estimator = "lda", params = false, cv = 5, groups = false }
  for k, v in pairs(extra or {}) do defaults[k] = v end
  opts = core.options(fname, opts, defaults)
  X = M.arg(X, fname, "X")
  if M.is(y) then y = y:values() end
  encode_labels(fname, y, tonumber(X.rows))
  local k = opts.cv
  if type(k) ~= "number" or k ~= math.floor(k) then core.fail(fname, "cv must be an integer", 3) end
  local gfold
  if opts.groups then gfold, k = group_folds(fname, opts.groups, #y) end
  return opts, X, y, estimator(fname, opts.estimator), k, gfold
end

function D.cross_validate(X, y, opts)
  local fname = "gy.decode.cross_validate"
  local o, Xm, yl, fit, k, gfold = cv_args(fname, X, y, opts)
  local fold = gfold or stratified_folds(fname, yl, k)
  local acc, bal = run_cv(fit, Xm, yl, fold, k, o.params or nil)
  return { accuracy = acc, balanced_accuracy = bal, mean_accuracy = mean(acc),
    mean_balanced_accuracy = mean(bal), folds = fold }
end

function D.permutation_test(X, y, opts)
  local fname = "gy.decode.permutation_test"
  local o, Xm, yl, fit, k, gfold = cv_args(fname, X, y, opts,
    { n_permutations = 100, seed = 0, scoring = "accuracy" })
  local n_perm = o.n_permutations
  if type(n_perm) ~= "number" or n_perm < 1 or n_perm ~= math.floor(n_perm) then
    core.fail(fname, "n_permutations must be a positive integer", 2)
  end
  local pick = ({ accuracy = 1, balanced_accuracy = 2 })[o.scoring]
  if not pick then core.fail(fname, "scoring must be 'accuracy' or 'balanced_accuracy'", 2) end
  local function score(labels)
    local acc, bal = run_cv(fit, Xm, labels, gfold or stratified_folds(fname, labels, k), k,
      o.params or nil)
    return mean(pick == 1 and acc or bal)
  end
  local observed = score(yl)
  local rng = M.generator(fname, { seed = o.seed })
  local n = #yl
  local perm = ffi.new("int64_t[?]", n)
  local null, count = {}, 0
  -- With groups the labels are shuffled within each group (sklearn's permutation_test_score).
  local members = {}
  if gfold then
    for i = 1, n do
      members[gfold[i]] = members[gfold[i]] or {}
      table.insert(members[gfold[i]], i)
    end
  else
    members[1] = {}
    for i = 1, n do members[1][i] = i end
  end
  for b = 1, n_perm do
    local shuffled = {}
    for _, idx in ipairs(members) do
      C.gy_rng_permutation(rng, perm, #idx)
      for j = 1, #idx do shuffled[idx[j]] = yl[idx[tonumber(perm[j - 1]) + 1]] end
    end
    null[b] = score(shuffled)
    if null[b] >= observed then count = count + 1 end
  end
  return { score = observed, permutation_scores = null, pvalue = (count + 1) / (n_perm + 1) }
end

return D
