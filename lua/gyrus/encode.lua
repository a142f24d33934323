-- gy.encode: encoding models (core/src/encode_*.c) with himalaya's semantics: FIR delays and
-- TRF lags, HRF convolution (nilearn), run-wise z-scores, named feature spaces, ridge for
-- many targets, cross-validated (k-fold, leave-one-run-out, nested) ridge with one alpha per
-- target, scores, noise ceilings (explainable variance, CCnorm) and block-permutation tests.
-- Data are samples x features (X) and samples x targets (Y).
local ffi = require "ffi"
local core = require "gyrus.core"
local M = require "gyrus.mat"
local C, check = core.C, core.check



local E = {}
local floor, ceil = math.floor, math.ceil

local function is_int(x) return type(x) == "number" and x == floor(x) and x == x end

local function finish(out)
  core.account()
  return out
end

-- A Lua list of integers as an int64_t array.
local function int_list(fname, what, t)
  if type(t) ~= "table" or #t == 0 then
    core.fail(fname, what .. " must be a non-empty list of integers", 4)
  end
  local a = ffi.new("int64_t[?]", #t)
  for i = 1, #t do
    if not is_int(t[i]) then
      core.fail(fname, string.format("%s[%d] must be an integer, got %s", what, i, tostring(t[i])), 4)
    end
    a[i - 1] = t[i]
  end
  return a, #t
end

-- A number, a Lua list or a matrix of numbers as a double array.
local function num_list(fname, what, v)
  if type(v) == "number" then return ffi.new("double[1]", v), 1 end
  if M.is(v) then
    local n = tonumber(v.rows * v.cols)
    local a = ffi.new("double[?]", n)
    local k = 0
    for j = 0, tonumber(v.cols) - 1 do
      for i = 0, tonumber(v.rows) - 1 do a[k] = v.data[i + j * v.ld]; k = k + 1 end
    end
    return a, n
  end
  if type(v) ~= "table" or #v == 0 then
    core.fail(fname, what .. " must be a number or a non-empty list of numbers", 4)
  end
  local a = ffi.new("double[?]", #v)
  for i = 1, #v do
    if type(v[i]) ~= "number" then
      core.fail(fname, string.format("%s[%d] must be a number, got %s", what, i, tostring(v[i])), 4)
    end
    a[i - 1] = v[i]
  end
  return a, #v
end

local score_kinds = {
  l2_neg_loss = 0, r2 = 1, r2_score = 1, correlation = 2, correlation_score = 2,
}

local function score_kind(fname, s)
  local k = score_kinds[s]
  if not k then
    core.fail(fname, "unknown score '" .. tostring(s) .. "' (l2_neg_loss, r2, correlation)", 4)
  end
  return k
end

------------------------------------------------------------------------ design matrices

function E.delay(X, delays)
  local fname = "gy.encode.delay"
  X = M.arg(X, fname, "X")
  local d, nd = int_list(fname, "delays", delays or { 0 })
  local out = M.empty()
  check(C.gy_encode_delay(out, X, d, nd), fname)
  return finish(out)
end

-- mTRFpy's lags: floor(tmin*sfreq) .. ceil(tmax*sfreq), times in seconds.
function E.lag(X, opts)
  local fname = "gy.encode.lag"
  opts = core.options(fname, opts, { tmin = core.REQUIRED, tmax = core.REQUIRED,
    sfreq = core.REQUIRED })
  for _, k in ipairs { "tmin", "tmax", "sfreq" } do
    local v = opts[k]
    if type(v) ~= "number" or v ~= v or v == math.huge or v == -math.huge then
      core.fail(fname, "option '" .. k .. "' must be a finite number", 2)
    end
  end
  if opts.sfreq <= 0 then core.fail(fname, "sfreq must be positive", 2) end
  if opts.tmax < opts.tmin then core.fail(fname, "tmax must not be below tmin", 2) end
  local lo, hi = floor(opts.tmin * opts.sfreq), ceil(opts.tmax * opts.sfreq)
  local lags = {}
  for l = lo, hi do lags[#lags + 1] = l end
  local out = E.delay(X, lags)
  return out, lags
end

------------------------------------------------------------------------------- models

local Model = {}
Model.__index = Model

-- Named feature spaces (gy.encode.features), accepted wherever a list of spaces is.
local Features = {}
Features.__index = Features
local function is_features(x) return type(x) == "table" and getmetatable(x) == Features end

local function predict(self, X)
  X = M.arg(X, "model:predict", "X")
  if tonumber(X.cols) ~= tonumber(self.weights.rows) then
    core.fail("model:predict", string.format("X has %d features, the model was fit with %d",
      tonumber(X.cols), tonumber(self.weights.rows)), 2)
  end
  local out = M.empty()
  check(C.gy_linalg_matmul(out, X, 0, self.weights, 0), "model:predict")
  return finish(out)
end
Model.predict = predict

function Model:score(X, Y, kind)
  return E.score(Y, predict(self, X), kind)
end

function Model:free()
  for _, k in ipairs { "weights", "alphas", "cv_scores", "all_scores" } do
    if self[k] then self[k]:free() end
  end
end

Model.__tostring = function(self)
  return string.format("encoding model: %d features -> %d targets%s", tonumber(self.weights.rows),
    tonumber(self.weights.cols), self.cv_scores and " (cross-validated)" or "")
end

function E.ridge(X, Y, alpha)
  local fname = "gy.encode.ridge"
  X = M.arg(X, fname, "X")
  Y = M.arg(Y, fname, "Y")
  local a, na = num_list(fname, "alpha", alpha == nil and 1 or alpha)
  local W = M.empty()
  check(C.gy_encode_ridge(W, X, Y, a, na), fname)
  local alphas = M.new(1, tonumber(Y.cols), fname)
  for j = 0, tonumber(Y.cols) - 1 do alphas.data[j] = a[na == 1 and 0 or j] end
  return setmetatable({ weights = finish(W), alphas = alphas }, Model)
end

-- Labels (any numbers, one per sample) as 0-based consecutive int64 labels.
local function relabel(fname, what, t, n)
  if M.is(t) then t = t:totable() end
  if type(t) ~= "table" or #t ~= n then
    core.fail(fname, string.format("%s must hold %d labels (one per sample)", what, n), 3)
  end
  local ids, distinct = {}, {}
  local function get(i) local v = t[i]; if type(v) == "table" then v = v[1] end; return v end
  for i = 1, n do
    local v = get(i)
    if type(v) ~= "number" or v ~= v then
      core.fail(fname, string.format("%s label %d is not a number", what, i), 3)
    end
    if not ids[v] then ids[v] = true; distinct[#distinct + 1] = v end
  end
  table.sort(distinct)
  for k, v in ipairs(distinct) do ids[v] = k - 1 end
  local lab = ffi.new("int64_t[?]", n)
  for i = 1, n do lab[i - 1] = ids[get(i)] end
  return lab, #distinct
end

-- Fold labels (0-based) from cv = k, a list of run labels, or run onsets.
local function folds(fname, n, cv, onsets)
  local lab = ffi.new("int64_t[?]", n)
  if onsets ~= nil then
    if type(onsets) ~= "table" or #onsets == 0 then
      core.fail(fname, "run_onsets must be a list of 1-based sample indices", 3)
    end
    -- Every onset is checked before any label is written: lab holds exactly n values.
    for r = 1, #onsets do
      local o, prev = onsets[r], onsets[r - 1] or 0
      if not is_int(o) or o < 1 or o > n or (r == 1 and o ~= 1) or o <= prev then
        core.fail(fname, string.format("run_onsets must increase from 1 within 1..%d; onset %d is %s",
          n, r, tostring(o)), 3)
      end
    end
    for r = 1, #onsets do
      for i = onsets[r], (onsets[r + 1] or n + 1) - 1 do lab[i - 1] = r - 1 end
    end
    return lab, #onsets
  end
  if type(cv) == "number" then
    if not is_int(cv) then core.fail(fname, "cv must be an integer number of folds", 3) end
    check(C.gy_encode_kfold(lab, n, cv), fname)
    return lab, cv
  end
  local t = cv
  if type(cv) == "table" and not M.is(cv) and cv.runs ~= nil then t = cv.runs end
  if type(t) ~= "table" and not M.is(t) then
    core.fail(fname, string.format("cv must be a number of folds, %d fold labels (one per sample) or {runs = %d run labels}", n, n), 3)
  end
  -- Labels may be any numbers (run ids): fold k is the k-th distinct label in sorted order.
  return relabel(fname, "the cv fold labels", t, n)
end

local cv_defaults = { alphas = { 0.1, 1 }, cv = 5, run_onsets = false, score_func = "l2_neg_loss",
  local_alpha = true, n_targets_batch = 0 }

local function ridge_cv(fname, X, Y, opts)
  opts = core.options(fname, opts, cv_defaults)
  X = M.arg(X, fname, "X")
  Y = M.arg(Y, fname, "Y")
  local a, na = num_list(fname, "alphas", opts.alphas)
  local kind = score_kind(fname, opts.score_func)
  if not is_int(opts.n_targets_batch) or opts.n_targets_batch < 0 then
    core.fail(fname, "n_targets_batch must be a non-negative integer", 2)
  end
  local n = tonumber(X.rows)
  if tonumber(Y.rows) ~= n then
    core.fail(fname, string.format("X has %d samples (rows) but Y has %d", n, tonumber(Y.rows)), 2)
  end
  local lab, nf = folds(fname, n, opts.cv, opts.run_onsets or nil)
  local W, best, cvs, all = M.empty(), M.empty(), M.empty(), M.empty()
  check(C.gy_encode_ridge_cv(W, best, cvs, all, X, Y, a, na, lab, nf, kind,
    opts.local_alpha and 1 or 0, opts.n_targets_batch), fname)
  core.account()
  return setmetatable({ weights = W, alphas = best, cv_scores = cvs, all_scores = all,
    n_folds = nf }, Model)
end

function E.ridge_cv(X, Y, opts) return ridge_cv("gy.encode.ridge_cv", X, Y, opts) end

-- With a linear kernel, kernel ridge is ridge in its dual form; the core picks that form by
-- itself whenever features outnumber training samples, so both names give the same model.
function E.kernel_ridge_cv(X, Y, opts) return ridge_cv("gy.encode.kernel_ridge_cv", X, Y, opts) end

function E.score(Y, P, kind)
  local fname = "gy.encode.score"
  Y = M.arg(Y, fname, "Y")
  P = M.arg(P, fname, "P")
  local out = M.empty()
  check(C.gy_encode_score(out, Y, P, score_kind(fname, kind or "r2")), fname)
  return finish(out)
end

------------------------------------------------------------------------- banded ridge

-- A Gamma(shape) draw (Marsaglia & Tsang; shape < 1 boosted by U^(1/shape)).
local function gamma_draw(g, shape)
  if shape < 1 then
    local u = C.gy_rng_uniform(g)
    return gamma_draw(g, shape + 1) * u ^ (1 / shape)
  end
  local d = shape - 1 / 3
  local c = 1 / math.sqrt(9 * d)
  while true do
    local x, v
    repeat
      x = C.gy_rng_normal(g)
      v = 1 + c * x
    until v > 0
    v = v * v * v
    local u = C.gy_rng_uniform(g)
    if u < 1 - 0.0331 * x ^ 4 or math.log(u) < 0.5 * x * x + d * (1 - v + math.log(v)) then
      return d * v
    end
  end
end

-- himalaya's candidate band weights: the first is uniform (plain ridge), then Dirichlet
-- samples alternating between the concentrations. Seeded gyrus stream, not numpy's.
local function dirichlet_gammas(n_iter, m, concentration, seed)
  local g = ffi.new("gy_rng")
  C.gy_rng_seed(g, seed)
  local out = {}
  for it = 1, n_iter do
    local row = {}
    if it == 1 then
      for i = 1, m do row[i] = 1 / m end
    else
      local c = concentration[(it - 2) % #concentration + 1]
      local s = 0
      for i = 1, m do row[i] = gamma_draw(g, c); s = s + row[i] end
      if s == 0 then
        for i = 1, m do row[i] = 1 / m end
      else
        for i = 1, m do row[i] = row[i] / s end
      end
    end
    out[it] = row
  end
  return out
end

local Banded = setmetatable({}, { __index = Model })
Banded.__index = Banded
Banded.__tostring = Model.__tostring

-- X is the joined feature spaces, or a list of the spaces' matrices.
function Banded:predict(X)
  if is_features(X) then return predict(self, X.X) end
  if type(X) == "table" and M.is(X[1]) then
    local mats = {}
    for i, Xi in ipairs(X) do mats[i] = Xi end
    X = self._hcat("model:predict", mats)
  end
  return predict(self, X)
end

-- Predictions of each feature space alone (their sum is :predict of the joined spaces).
function Banded:predict_split(Xs)
  local fname = "model:predict_split"
  if is_features(Xs) then Xs = Xs.mats end
  if type(Xs) ~= "table" or #Xs ~= #self.spaces then
    core.fail(fname, string.format("give a list of %d feature spaces", #self.spaces), 2)
  end
  local out, r0 = {}, 0
  for i, Xi in ipairs(Xs) do
    Xi = M.arg(Xi, fname, "X")
    local p = self.spaces[i]
    if tonumber(Xi.cols) ~= p then
      core.fail(fname, string.format("space %d has %d features, the model was fit with %d", i,
        tonumber(Xi.cols), p), 2)
    end
    local Wi = M.empty()
    check(C.gy_mat_view(Wi, self.weights, r0, 0, p, self.weights.cols), fname)
    local P = M.empty()
    check(C.gy_linalg_matmul(P, Xi, 0, Wi, 0), fname)
    out[i] = finish(P)
    r0 = r0 + p
  end
  out.names = self.names
  return out
end

local function hcat(fname, mats, scale)
  local n = tonumber(mats[1].rows)
  local p = 0
  for _, m in ipairs(mats) do p = p + tonumber(m.cols) end
  local Z = M.new(n, p, fname)
  local c0, ld = 0, tonumber(Z.ld)
  for i, m in ipairs(mats) do
    local f, mld = scale and scale[i] or 1, tonumber(m.ld)
    for j = 0, tonumber(m.cols) - 1 do
      local dst, src = Z.data + (c0 + j) * ld, m.data + j * mld
      for t = 0, n - 1 do dst[t] = f * src[t] end
    end
    c0 = c0 + tonumber(m.cols)
  end
  return Z
end

Banded._hcat = hcat

function E.banded_ridge_cv(Xs, Y, opts)
  local fname = "gy.encode.banded_ridge_cv"
  opts = core.options(fname, opts, { alphas = { 1 }, cv = 5, run_onsets = false,
    score_func = "l2_neg_loss", n_iter = 100, gammas = false, concentration = { 0.1, 1 },
    seed = 0, n_targets_batch = 0 })
  local names
  if is_features(Xs) then Xs, names = Xs.mats, Xs.names end
  if type(Xs) ~= "table" or #Xs < 1 then
    core.fail(fname, "Xs must be gy.encode.features or a list of feature-space matrices (samples x features)", 2)
  end
  local mats, spaces = {}, {}
  for i, Xi in ipairs(Xs) do
    mats[i] = M.arg(Xi, fname, "Xs[" .. i .. "]")
    spaces[i] = tonumber(mats[i].cols)
    if tonumber(mats[i].rows) ~= tonumber(mats[1].rows) then
      core.fail(fname, string.format("feature space %d has %d samples, space 1 has %d", i,
        tonumber(mats[i].rows), tonumber(mats[1].rows)), 2)
    end
  end
  Y = M.arg(Y, fname, "Y")
  local n, ns, m = tonumber(mats[1].rows), #mats, tonumber(Y.cols)
  if tonumber(Y.rows) ~= n then
    core.fail(fname, string.format("X has %d samples (rows) but Y has %d", n, tonumber(Y.rows)), 2)
  end
  local a, na = num_list(fname, "alphas", opts.alphas)
  local kind = score_kind(fname, opts.score_func)
  local gammas = opts.gammas
  if gammas then
    if type(gammas) ~= "table" or #gammas == 0 then
      core.fail(fname, "gammas must be a list of band-weight lists", 2)
    end
    for it, row in ipairs(gammas) do
      if type(row) ~= "table" or #row ~= ns then
        core.fail(fname, string.format("gammas[%d] must hold %d weights", it, ns), 2)
      end
      for i = 1, ns do
        if type(row[i]) ~= "number" or not (row[i] >= 0) or row[i] == math.huge then
          core.fail(fname, string.format("gammas[%d][%d] must be a non-negative number", it, i), 2)
        end
      end
    end
  else
    if not is_int(opts.n_iter) or opts.n_iter < 1 then
      core.fail(fname, "n_iter must be a positive integer", 2)
    end
    if not is_int(opts.seed) then core.fail(fname, "seed must be an integer", 2) end
    gammas = dirichlet_gammas(opts.n_iter, ns, opts.concentration, opts.seed)
  end
  local lab, nf = folds(fname, n, opts.cv, opts.run_onsets or nil)
  local ptot = 0
  for i = 1, ns do ptot = ptot + spaces[i] end
  local W = M.new(ptot, m, fname)
  local deltas = M.new(ns, m, fname)
  local best_alpha = M.new(1, m, fname)
  local best = M.new(1, m, fname)
  local all = M.new(#gammas, m, fname)
  for j = 0, m - 1 do best.data[j] = -math.huge end
  local wld, dld, ald = tonumber(W.ld), tonumber(deltas.ld), tonumber(all.ld)
  for it, gam in ipairs(gammas) do
    local sq = {}
    for i = 1, ns do sq[i] = math.sqrt(gam[i]) end
    local Z = hcat(fname, mats, sq)
    local Wz, ba, cvs = M.empty(), M.empty(), M.empty()
    check(C.gy_encode_ridge_cv(Wz, ba, cvs, nil, Z, Y, a, na, lab, nf, kind, 1,
      opts.n_targets_batch), fname)
    Z:free()
    local zld = tonumber(Wz.ld)
    for j = 0, m - 1 do
      local s = cvs.data[j]
      all.data[(it - 1) + j * ald] = s
      -- himalaya keeps a candidate only when it beats the best so far by more than eps.
      if s - best.data[j] > 2.220446049250313e-16 then
        best.data[j] = s
        local alpha = ba.data[j]
        best_alpha.data[j] = alpha
        local r0 = 0
        for i = 1, ns do
          deltas.data[(i - 1) + j * dld] = math.log(gam[i] / alpha)
          -- Weights on the unscaled features: Z_i = sqrt(gamma_i) X_i.
          for k = 0, spaces[i] - 1 do
            W.data[(r0 + k) + j * wld] = sq[i] * Wz.data[(r0 + k) + j * zld]
          end
          r0 = r0 + spaces[i]
        end
      end
    end
    Wz:free(); ba:free(); cvs:free()
  end
  -- himalaya's best_alphas_ = 1 / sum_i exp(deltas_i).
  for j = 0, m - 1 do
    local s = 0
    for i = 0, ns - 1 do s = s + math.exp(deltas.data[i + j * dld]) end
    best_alpha.data[j] = 1 / s
  end
  core.account()
  return setmetatable({ weights = W, deltas = deltas, alphas = best_alpha, cv_scores = best,
    all_scores = all, gammas = gammas, spaces = spaces, names = names, n_folds = nf }, Banded)
end

-- himalaya's r2_score_split (product measure): R2_i = sum(2 y p_i - p_i sum_j p_j) / sum(y^2),
-- so the spaces' parts add up to the R2 of the summed prediction (y assumed centred).
function E.score_split(Y, Ps)
  local fname = "gy.encode.score_split"
  Y = M.arg(Y, fname, "Y")
  if type(Ps) ~= "table" or #Ps < 1 then
    core.fail(fname, "give a list of per-space predictions (model:predict_split)", 2)
  end
  local n, m = tonumber(Y.rows), tonumber(Y.cols)
  local P = {}
  for i, Pi in ipairs(Ps) do
    P[i] = M.arg(Pi, fname, "predictions")
    if tonumber(P[i].rows) ~= n or tonumber(P[i].cols) ~= m then
      core.fail(fname, string.format("prediction %d is %d x %d, Y is %d x %d", i,
        tonumber(P[i].rows), tonumber(P[i].cols), n, m), 2)
    end
    if C.gy_mat_isfinite(P[i]) == 0 then core.fail(fname, "prediction " .. i .. " has NaN or Inf", 2) end
  end
  if C.gy_mat_isfinite(Y) == 0 then core.fail(fname, "Y has NaN or Inf", 2) end
  local out = M.new(#P, m, fname)
  local yld, old = tonumber(Y.ld), tonumber(out.ld)
  for j = 0, m - 1 do
    local syy = 0
    for t = 0, n - 1 do local y = Y.data[t + j * yld]; syy = syy + y * y end
    for i = 1, #P do
      local Pi, s = P[i], 0
      local pld = tonumber(Pi.ld)
      for t = 0, n - 1 do
        local tot = 0
        for k = 1, #P do tot = tot + P[k].data[t + j * tonumber(P[k].ld)] end
        local pi = Pi.data[t + j * pld]
        s = s + 2 * Y.data[t + j * yld] * pi - pi * tot
      end
      out.data[(i - 1) + j * old] = syy == 0 and 0 or s / syy
    end
  end
  -- With named spaces (gy.encode.features), also each space's row by name.
  local names = type(Ps.names) == "table" and #Ps.names == #P and Ps.names or nil
  if not names then return out end
  local by = {}
  for i, nm in ipairs(names) do by[nm] = out:rowrange(i, i):copy() end
  return out, by
end

---------------------------------------------------------------- hemodynamic design

local hrf_models = { spm = 0, glover = 1 }

local function hrf_model(fname, m)
  local k = hrf_models[m]
  if not k then core.fail(fname, "unknown HRF model '" .. tostring(m) .. "' (spm, glover)", 4) end
  return k
end

local function posint(fname, what, v)
  if not is_int(v) or v < 1 then core.fail(fname, what .. " must be a positive integer", 4) end
  return v
end

-- nilearn's spm_hrf / glover_hrf: the HRF on a grid of tr/oversampling seconds, sum 1.
function E.hrf(tr, opts)
  local fname = "gy.encode.hrf"
  opts = core.options(fname, opts, { model = "spm", oversampling = 50, time_length = 32, onset = 0 })
  if type(tr) ~= "number" then core.fail(fname, "tr must be a number of seconds", 2) end
  local out = M.empty()
  check(C.gy_encode_hrf(out, tr, hrf_model(fname, opts.model),
    posint(fname, "oversampling", opts.oversampling), opts.time_length, opts.onset), fname)
  return finish(out)
end

function E.convolve_hrf(X, opts)
  local fname = "gy.encode.convolve_hrf"
  opts = core.options(fname, opts, { tr = core.REQUIRED, model = "spm", oversampling = 50,
    time_length = 32 })
  X = M.arg(X, fname, "X")
  if type(opts.tr) ~= "number" then core.fail(fname, "option 'tr' must be a number of seconds", 2) end
  local out = M.empty()
  check(C.gy_encode_convolve_hrf(out, X, opts.tr, hrf_model(fname, opts.model),
    posint(fname, "oversampling", opts.oversampling), opts.time_length), fname)
  return finish(out)
end

-- voxelwise_tutorials' zscore_runs: each column z-scored (ddof 0) within each run.
function E.zscore(X, opts)
  local fname = "gy.encode.zscore"
  opts = core.options(fname, opts, { runs = false })
  X = M.arg(X, fname, "X")
  local n = tonumber(X.rows)
  local lab, nr
  if opts.runs then
    lab, nr = relabel(fname, "runs", opts.runs, n)
  else
    lab, nr = ffi.new("int64_t[?]", n), 1
  end
  local out = M.empty()
  check(C.gy_encode_zscore_runs(out, X, lab, nr), fname)
  return finish(out)
end

------------------------------------------------------------------ named feature spaces

Features.__tostring = function(self)
  local parts = {}
  for i, nm in ipairs(self.names) do
    parts[i] = string.format("%s (%d)", nm, self.spaces[i])
  end
  return string.format("feature spaces: %d samples, %s", tonumber(self.X.rows), table.concat(parts, ", "))
end

-- The columns of one space of the stacked matrix, by name or index.
function Features:get(name)
  local i = type(name) == "number" and name or self.index[name]
  if not i or not self.mats[i] then core.fail("features:get", "no feature space " .. tostring(name), 2) end
  return self.mats[i]
end

-- A list of {name = "...", X = matrix} as one stacked matrix with named column bands.
function E.features(list)
  local fname = "gy.encode.features"
  if type(list) ~= "table" or #list < 1 then
    core.fail(fname, "give a list of feature spaces {name = '...', X = matrix}", 2)
  end
  local mats, names, spaces, slices, index = {}, {}, {}, {}, {}
  local c0 = 0
  for i, sp in ipairs(list) do
    if type(sp) ~= "table" or type(sp.name) ~= "string" or sp.X == nil then
      core.fail(fname, string.format("feature space %d must be {name = '...', X = matrix}", i), 2)
    end
    if index[sp.name] then core.fail(fname, "feature space name '" .. sp.name .. "' is repeated", 2) end
    mats[i] = M.arg(sp.X, fname, sp.name)
    if C.gy_mat_isfinite(mats[i]) == 0 then core.fail(fname, "feature space '" .. sp.name .. "' has NaN or Inf", 2) end
    if tonumber(mats[i].rows) ~= tonumber(mats[1].rows) then
      core.fail(fname, string.format("feature space '%s' has %d samples, '%s' has %d", sp.name,
        tonumber(mats[i].rows), names[1], tonumber(mats[1].rows)), 2)
    end
    names[i], index[sp.name], spaces[i] = sp.name, i, tonumber(mats[i].cols)
    slices[sp.name] = { c0 + 1, c0 + spaces[i] }
    c0 = c0 + spaces[i]
  end
  return setmetatable({ X = hcat(fname, mats), mats = mats, names = names, spaces = spaces,
    slices = slices, index = index }, Features)
end

--------------------------------------------------------------------- cross-validation

-- The fold of each sample (1-based) from cv = k (unshuffled k-fold), run labels or
-- {runs = labels} (leave-one-run-out), or run_onsets.
function E.cv_folds(n, opts)
  local fname = "gy.encode.cv_folds"
  opts = core.options(fname, opts, { cv = 5, run_onsets = false })
  if not is_int(n) or n < 1 then core.fail(fname, "n must be a positive number of samples", 2) end
  local lab, nf = folds(fname, n, opts.cv, opts.run_onsets or nil)
  local out = {}
  for i = 1, n do out[i] = tonumber(lab[i - 1]) + 1 end
  return out, nf
end

local function take_rows(fname, A, idx)
  local out = M.new(#idx, tonumber(A.cols), fname)
  local ld, old = tonumber(A.ld), tonumber(out.ld)
  for j = 0, tonumber(A.cols) - 1 do
    local src, dst = A.data + j * ld, out.data + j * old
    for k = 1, #idx do dst[k - 1] = src[idx[k]] end
  end
  return out
end

-- Nested CV: outer folds score models whose alphas were chosen by an inner ridge_cv on the
-- outer training set only, so the scores are not biased by the alpha selection.
function E.nested_cv(X, Y, opts)
  local fname = "gy.encode.nested_cv"
  opts = core.options(fname, opts, { alphas = { 0.1, 1 }, cv = 5, inner_cv = false,
    run_onsets = false, score_func = "l2_neg_loss", score = "r2", local_alpha = true,
    n_targets_batch = 0 })
  X = M.arg(X, fname, "X")
  Y = M.arg(Y, fname, "Y")
  local n, m = tonumber(X.rows), tonumber(Y.cols)
  if tonumber(Y.rows) ~= n then
    core.fail(fname, string.format("X has %d samples (rows) but Y has %d", n, tonumber(Y.rows)), 2)
  end
  local outer, nf = folds(fname, n, opts.cv, opts.run_onsets or nil)
  local by_runs = type(opts.cv) == "table" or M.is(opts.cv) or opts.run_onsets
  local inner = opts.inner_cv or (by_runs and "runs" or 5)
  if inner ~= "runs" and not is_int(inner) then
    core.fail(fname, "inner_cv must be a number of folds or \"runs\"", 2)
  end
  local kind = score_kind(fname, opts.score)
  local scores = M.new(nf, m, fname)
  local alphas = M.new(nf, m, fname)
  local pred = M.new(n, m, fname)
  local sld, ald, pld = tonumber(scores.ld), tonumber(alphas.ld), tonumber(pred.ld)
  for f = 0, nf - 1 do
    local tr, te, inner_lab = {}, {}, {}
    for i = 0, n - 1 do
      if outer[i] == f then te[#te + 1] = i
      else
        tr[#tr + 1] = i
        inner_lab[#inner_lab + 1] = tonumber(outer[i])
      end
    end
    local Xtr, Ytr = take_rows(fname, X, tr), take_rows(fname, Y, tr)
    local cv = inner == "runs" and inner_lab or inner
    local ok, model = pcall(ridge_cv, fname, Xtr, Ytr, { alphas = opts.alphas, cv = cv,
      score_func = opts.score_func, local_alpha = opts.local_alpha,
      n_targets_batch = opts.n_targets_batch })
    if not ok then
      local msg = tostring(model):gsub("^.-gy%.encode%.nested_cv: ", "")
      core.fail(fname, string.format("outer fold %d: %s", f + 1, msg), 2)
    end
    local Xte, Yte = take_rows(fname, X, te), take_rows(fname, Y, te)
    local P = predict(model, Xte)
    local sc = M.empty()
    check(C.gy_encode_score(sc, Yte, P, kind), fname)
    local ppld = tonumber(P.ld)
    for j = 0, m - 1 do
      scores.data[f + j * sld] = sc.data[j]
      alphas.data[f + j * ald] = model.alphas.data[j]
      for k = 1, #te do pred.data[te[k] + j * pld] = P.data[(k - 1) + j * ppld] end
    end
    model:free(); Xtr:free(); Ytr:free(); Xte:free(); Yte:free(); P:free(); sc:free()
  end
  local mean = M.new(1, m, fname)
  for j = 0, m - 1 do
    local s = 0
    for f = 0, nf - 1 do s = s + scores.data[f + j * sld] end
    mean.data[j] = s / nf
  end
  core.account()
  return { scores = scores, mean = mean, alphas = alphas, predictions = pred, n_folds = nf }
end

------------------------------------------------------------ noise ceilings and tests

-- Repeats as a list of T x m matrices, or one stacked (N T) x m matrix with n_repeats.
local function repeats(fname, R, n_repeats)
  if type(R) == "table" and (M.is(R[1]) or (type(R[1]) == "table" and type(R[1][1]) == "table")) then
    local mats = {}
    for i, Ri in ipairs(R) do mats[i] = M.arg(Ri, fname, "repeat " .. i) end
    for i = 2, #mats do
      if mats[i].rows ~= mats[1].rows or mats[i].cols ~= mats[1].cols then
        core.fail(fname, string.format("repeat %d is %d x %d, repeat 1 is %d x %d", i,
          tonumber(mats[i].rows), tonumber(mats[i].cols), tonumber(mats[1].rows), tonumber(mats[1].cols)), 3)
      end
    end
    local S = M.new(#mats * tonumber(mats[1].rows), tonumber(mats[1].cols), fname)
    local T = tonumber(mats[1].rows)
    for i, Mi in ipairs(mats) do
      for j = 0, tonumber(Mi.cols) - 1 do
        for t = 0, T - 1 do S.data[(i - 1) * T + t + j * S.ld] = Mi.data[t + j * Mi.ld] end
      end
    end
    return S, #mats
  end
  R = M.arg(R, fname, "R")
  if not is_int(n_repeats) then
    core.fail(fname, "give a list of repeats (time x targets each) or option n_repeats", 3)
  end
  return R, n_repeats
end

function E.explainable_variance(R, opts)
  local fname = "gy.encode.explainable_variance"
  opts = core.options(fname, opts, { n_repeats = false, bias_correction = true, do_zscore = true })
  local S, nr = repeats(fname, R, opts.n_repeats)
  local out = M.empty()
  check(C.gy_encode_explainable_variance(out, S, nr, opts.bias_correction and 1 or 0,
    opts.do_zscore and 1 or 0), fname)
  return finish(out)
end

function E.ccnorm(R, P, opts)
  local fname = "gy.encode.ccnorm"
  opts = core.options(fname, opts, { n_repeats = false })
  local S, nr = repeats(fname, R, opts.n_repeats)
  P = M.arg(P, fname, "P")
  local out = M.empty()
  check(C.gy_encode_ccnorm(out, S, nr, P), fname)
  local r = { ccnorm = out:rowrange(1):copy(), ccabs = out:rowrange(2):copy(),
    ccmax = out:rowrange(3):copy() }
  out:free()
  core.account()
  return r
end

local corrections = { fdr = true, max = true, none = true }

function E.permutation_test(Y, P, opts)
  local fname = "gy.encode.permutation_test"
  opts = core.options(fname, opts, { score_func = "r2", n_perm = 1000, block = 10, seed = 0,
    correction = "fdr", alpha = 0.05 })
  Y = M.arg(Y, fname, "Y")
  P = M.arg(P, fname, "P")
  local kind = score_kind(fname, opts.score_func)
  posint(fname, "n_perm", opts.n_perm)
  posint(fname, "block", opts.block)
  if not is_int(opts.seed) or opts.seed < 0 then core.fail(fname, "seed must be a non-negative integer", 2) end
  if not corrections[opts.correction] then
    core.fail(fname, "correction must be 'fdr', 'max' or 'none', got " .. tostring(opts.correction), 2)
  end
  if type(opts.alpha) ~= "number" or not (opts.alpha > 0 and opts.alpha < 1) then
    core.fail(fname, "alpha must be in (0, 1)", 2)
  end
  local sc, pv, pm, nm = M.empty(), M.empty(), M.empty(), M.empty()
  check(C.gy_encode_permutation_test(sc, pv, pm, nm, Y, P, kind, opts.n_perm, opts.block,
    opts.seed), fname)
  local q = M.empty()
  check(C.gy_group_fdr(q, pv), fname)
  local adj = opts.correction == "fdr" and q or opts.correction == "max" and pm or pv
  local sig = M.new(1, tonumber(sc.cols), fname)
  for j = 0, tonumber(sc.cols) - 1 do sig.data[j] = adj.data[j] <= opts.alpha and 1 or 0 end
  core.account()
  return { score = sc, pvalue = pv, pvalue_fdr = q, pvalue_max = pm, null_max = nm,
    significant = sig }
end

-- Temporal response functions and Haufe patterns (encode_trf.lua).
for k, v in pairs(require "gyrus.encode_trf") do E[k] = v end

return E
