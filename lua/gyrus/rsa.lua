-- gy.rsa: representational dissimilarity matrices (RDMs) and their comparison, with
-- rsatoolbox's conventions (core/src/rsa_*.c). Data are observations x channels; an RDM
-- keeps its distances as the upper triangle in row order (scipy squareform order) and its
-- condition labels, sorted as rsatoolbox sorts them (numbers numerically, strings
-- alphabetically).
local ffi = require "ffi"
local core = require "gyrus.core"
local M = require "gyrus.mat"
local C, check, options = core.C, core.check, core.options


local R = {}

local int64_arr = ffi.typeof("int64_t[?]")

local function finish(m)
  core.account()
  return m
end

---------------------------------------------------------------------------- labels

-- Labels from a Lua table or an N x 1 / 1 x N matrix, checked against N observations.
local function label_list(fname, what, t, N)
  local list = {}
  if M.is(t) then
    local r, c = t:shape()
    if r ~= 1 and c ~= 1 then
      core.fail(fname, string.format("%s must be a vector, got a %d x %d matrix", what, r, c), 3)
    end
    for k = 1, r * c do list[k] = (c == 1) and t:get(k, 1) or t:get(1, k) end
  elseif type(t) == "table" then
    for k = 1, #t do list[k] = t[k] end
  else
    core.fail(fname, string.format("%s must be a table of labels, got %s", what, type(t)), 3)
  end
  if #list ~= N then
    core.fail(fname, string.format("%s has %d labels but the data have %d rows", what, #list, N), 3)
  end
  local kind
  for k = 1, N do
    local v, tv = list[k], type(list[k])
    if tv ~= "number" and tv ~= "string" then
      core.fail(fname, string.format("%s label %d is a %s, not a number or string", what, k, tv), 3)
    end
    if tv == "number" and v ~= v then
      core.fail(fname, string.format("%s label %d is NaN", what, k), 3)
    end
    if kind and kind ~= tv then
      core.fail(fname, string.format("%s mixes numbers and strings", what), 3)
    end
    kind = tv
  end
  return list
end

-- Sorted unique values, and each observation's 0-based index into them (C array).
local function encode(list)
  local seen, uniq = {}, {}
  for _, v in ipairs(list) do
    if not seen[v] then
      seen[v] = true
      uniq[#uniq + 1] = v
    end
  end
  table.sort(uniq)
  local index = {}
  for k, v in ipairs(uniq) do index[v] = k - 1 end
  local codes = int64_arr(#list)
  for k, v in ipairs(list) do codes[k - 1] = index[v] end
  return uniq, codes
end

------------------------------------------------------------------------------- RDM

local rdm_methods = {}
local rdm_mt = { __index = rdm_methods }

local function new_rdm(v, n, labels, method)
  return setmetatable({ dissimilarities = v, n_cond = n, labels = labels, method = method },
    rdm_mt)
end

function R.is_rdm(x) return getmetatable(x) == rdm_mt end

-- The K x 1 vector of distances (a copy: changing it leaves the RDM alone).
function rdm_methods.vector(self) return self.dissimilarities:copy() end

function rdm_methods.square(self)
  local out = M.empty()
  check(C.gy_rsa_square(out, self.dissimilarities), "gy.rsa.rdm:square")
  return finish(out)
end

-- The distance between conditions i and j (1-based; 0 on the diagonal).
function rdm_methods.get(self, i, j)
  local n = self.n_cond
  if type(i) ~= "number" or type(j) ~= "number" or i < 1 or j < 1 or i > n or j > n
    or i % 1 ~= 0 or j % 1 ~= 0 then
    core.fail("gy.rsa.rdm:get", string.format("indices must be integers in 1..%d", n))
  end
  if i == j then return 0 end
  if i > j then i, j = j, i end
  -- 0-based position of (i-1, j-1) in the row-order upper triangle
  local a, b = i - 1, j - 1
  local k = a * n - a * (a + 1) / 2 + (b - a - 1)
  return self.dissimilarities.data[k]
end

function rdm_mt.__tostring(self)
  local labels = {}
  for k = 1, math.min(#self.labels, 6) do labels[k] = tostring(self.labels[k]) end
  if #self.labels > 6 then labels[#labels + 1] = "..." end
  return string.format("RDM (%s, %d conditions: %s)", self.method, self.n_cond,
    table.concat(labels, ", "))
end

------------------------------------------------------------------------------ gy.rsa.rdm

local rdm_codes = {
  euclidean = C.GY_RSA_EUCLIDEAN,
  correlation = C.GY_RSA_CORRELATION,
  mahalanobis = C.GY_RSA_MAHALANOBIS,
  poisson = C.GY_RSA_POISSON,
}

local function number_opt(fname, name, v)
  if type(v) ~= "number" or v ~= v or v == math.huge or v == -math.huge then
    core.fail(fname, string.format("option '%s' must be a finite number, got %s", name,
      tostring(v)), 3)
  end
  return v
end

-- rsatoolbox _gen_default_cv_descriptor: the k-th occurrence of each condition (in data
-- order) is fold k; every condition must occur equally often.
local function default_runs(fname, cond, uniq)
  local count, runs = {}, {}
  for k, v in ipairs(cond) do
    count[v] = (count[v] or 0) + 1
    runs[k] = count[v]
  end
  local first = count[uniq[1]]
  for _, v in ipairs(uniq) do
    if count[v] ~= first then
      core.fail(fname, string.format("without runs, crossnobis needs the same number of "
        .. "observations per condition (condition %s has %d, condition %s has %d): pass runs=",
        tostring(uniq[1]), first, tostring(v), count[v]), 4)
    end
  end
  return runs
end

local function remove_row_means(X, fname)
  local n, P = X:shape()
  local Y = M.new(n, P, fname)
  local xd, yd, xl, yl = X.data, Y.data, tonumber(X.ld), tonumber(Y.ld)
  local m = ffi.new("double[?]", n)
  for j = 0, P - 1 do
    for i = 0, n - 1 do m[i] = m[i] + xd[i + j * xl] end
  end
  for i = 0, n - 1 do m[i] = m[i] / P end
  for j = 0, P - 1 do
    for i = 0, n - 1 do yd[i + j * yl] = xd[i + j * xl] - m[i] end
  end
  return Y
end

function R.rdm(X, opts)
  local fname = "gy.rsa.rdm"
  opts = options(fname, opts, { method = "euclidean", conditions = false, runs = false,
    noise = false, prior_lambda = 1, prior_weight = 0.1, cv = "folds", remove_mean = false })
  X = M.arg(X, fname, "X")
  local N = tonumber(X.rows)
  local method = opts.method
  if method ~= "crossnobis" and not rdm_codes[method] then
    core.fail(fname, "unknown method '" .. tostring(method) .. "' (euclidean, correlation, "
      .. "mahalanobis, crossnobis, poisson)")
  end
  local prec
  if opts.noise then
    if method ~= "mahalanobis" and method ~= "crossnobis" then
      core.fail(fname, "noise applies to the mahalanobis and crossnobis methods only")
    end
    prec = M.arg(opts.noise, fname, "noise")
  end
  if opts.runs and method ~= "crossnobis" then
    core.fail(fname, "runs applies to the crossnobis method only")
  end
  if type(opts.remove_mean) ~= "boolean" then
    core.fail(fname, "remove_mean must be true or false, got " .. tostring(opts.remove_mean))
  end
  -- rsatoolbox's remove_mean: each pattern loses its mean across channels (linear, so it
  -- commutes with averaging; correlation centres anyway and poisson ignores it).
  if opts.remove_mean and (method == "euclidean" or method == "mahalanobis"
      or method == "crossnobis") then
    X = remove_row_means(X, fname)
  end
  local cond, uniq, codes
  if opts.conditions then
    cond = label_list(fname, "conditions", opts.conditions, N)
    uniq, codes = encode(cond)
  elseif method == "crossnobis" then
    core.fail(fname, "crossnobis needs conditions= (which rows repeat which condition)")
  else
    uniq = {}
    for k = 1, N do uniq[k] = k end
  end

  local out = M.empty()
  if method == "crossnobis" then
    local engine = ({ folds = C.GY_RSA_CV_FOLDS, pairs = C.GY_RSA_CV_PAIRS })[opts.cv]
    if not engine then
      core.fail(fname, "cv must be 'folds' (rsatoolbox calc_rdm) or 'pairs' "
        .. "(calc_rdm_unbalanced), got " .. tostring(opts.cv))
    end
    local runs = opts.runs and label_list(fname, "runs", opts.runs, N)
      or default_runs(fname, cond, uniq)
    local runs_uniq, run_codes = encode(runs)
    if #runs_uniq < 2 then
      core.fail(fname, string.format("crossnobis needs at least two runs, got %d", #runs_uniq))
    end
    if engine == C.GY_RSA_CV_FOLDS then
      local cell = {}
      for k = 1, N do cell[cond[k] .. "\0" .. runs[k]] = true end
      for _, c in ipairs(uniq) do
        for _, r in ipairs(runs_uniq) do
          if not cell[c .. "\0" .. r] then
            core.fail(fname, string.format("condition %s has no observation in run %s: the "
              .. "fold-mean estimator needs every condition in every run (cv = 'pairs' "
              .. "handles unbalanced designs)", tostring(c), tostring(r)))
          end
        end
      end
    end
    check(C.gy_rsa_crossnobis(out, X, codes, #uniq, run_codes, #runs_uniq, prec, engine), fname)
  else
    local B = X
    if codes then
      B = M.empty()
      check(C.gy_rsa_average(B, X, codes, #uniq), fname)
    end
    check(C.gy_rsa_rdm(out, B, rdm_codes[method], prec,
      number_opt(fname, "prior_lambda", opts.prior_lambda),
      number_opt(fname, "prior_weight", opts.prior_weight)), fname)
  end
  return new_rdm(finish(out), #uniq, uniq, method)
end

-- Per-condition means (rsatoolbox average_dataset_by): n_cond x P and the sorted labels.
function R.average(X, conditions)
  local fname = "gy.rsa.average"
  X = M.arg(X, fname, "X")
  local uniq, codes = encode(label_list(fname, "conditions", conditions, tonumber(X.rows)))
  local out = M.empty()
  check(C.gy_rsa_average(out, X, codes, #uniq), fname)
  return finish(out), uniq
end

---------------------------------------------------------------------------- gy.rsa.noise

local noise_codes = {
  shrinkage_diag = C.GY_RSA_NOISE_SHRINKAGE_DIAG,
  shrinkage_eye = C.GY_RSA_NOISE_SHRINKAGE_EYE,
  diag = C.GY_RSA_NOISE_DIAG,
  full = C.GY_RSA_NOISE_FULL,
}

function R.noise(residuals, opts)
  local fname = "gy.rsa.noise"
  opts = options(fname, opts, { method = "shrinkage_diag", dof = false, output = "precision",
    conditions = false })
  local code = noise_codes[opts.method]
  if not code then
    core.fail(fname, "unknown method '" .. tostring(opts.method)
      .. "' (shrinkage_diag, shrinkage_eye, diag, full)")
  end
  if opts.output ~= "precision" and opts.output ~= "covariance" then
    core.fail(fname, "output must be 'precision' or 'covariance', got " .. tostring(opts.output))
  end
  local X = M.arg(residuals, fname, "residuals")
  local dof = 0
  if opts.conditions then
    -- rsatoolbox cov_from_unbalanced: remove each condition's mean, dof = N - n_cond
    local N, P = X:shape()
    local uniq, codes = encode(label_list(fname, "conditions", opts.conditions, N))
    local means = M.empty()
    check(C.gy_rsa_average(means, X, codes, #uniq), fname)
    local Y = M.new(N, P, fname)
    local yd, xd, md = Y.data, X.data, means.data
    local yl, xl, ml = tonumber(Y.ld), tonumber(X.ld), tonumber(means.ld)
    for j = 0, P - 1 do
      for i = 0, N - 1 do
        yd[i + j * yl] = xd[i + j * xl] - md[tonumber(codes[i]) + j * ml]
      end
    end
    X = Y
    dof = N - #uniq
  end
  if opts.dof then
    dof = number_opt(fname, "dof", opts.dof)
    if dof <= 0 then core.fail(fname, "dof must be positive, got " .. tostring(dof)) end
  end
  local out = M.empty()
  local lambda = ffi.new("double[1]")
  check(C.gy_rsa_noise(out, X, code, dof, opts.output == "precision" and 1 or 0, lambda), fname)
  return finish(out), lambda[0]
end

-------------------------------------------------------------------------- gy.rsa.compare

local compare_codes = {
  cosine = C.GY_RSA_COSINE,
  corr = C.GY_RSA_CORR,
  spearman = C.GY_RSA_SPEARMAN,
  ["tau-b"] = C.GY_RSA_TAU_B,
  kendall = C.GY_RSA_TAU_B,
  ["tau-a"] = C.GY_RSA_TAU_A,
  ["rho-a"] = C.GY_RSA_RHO_A,
  cosine_cov = C.GY_RSA_COSINE_COV,
  corr_cov = C.GY_RSA_CORR_COV,
  bures = C.GY_RSA_BURES,
}

-- An RDM vector from an RDM object, a vector (matrix or flat table) or a square matrix.
local function rdm_vector(fname, x, what)
  if R.is_rdm(x) then return x.dissimilarities end
  if type(x) == "table" and type(x[1]) == "number" then
    local v = M.new(#x, 1, fname)
    for k = 1, #x do
      if type(x[k]) ~= "number" then
        core.fail(fname, string.format("%s: element %d is not a number", what, k), 4)
      end
      v.data[k - 1] = x[k]
    end
    return v
  end
  local m = M.arg(x, fname, what)
  local r, c = m:shape()
  if r == 1 or c == 1 then return m end
  if r ~= c then
    core.fail(fname, string.format("%s is %d x %d: neither a vector nor a square RDM", what,
      r, c), 4)
  end
  local v = M.empty()
  check(C.gy_rsa_vector(v, m), fname)
  return v
end

function R.compare(a, b, opts)
  local fname = "gy.rsa.compare"
  opts = options(fname, opts, { method = "cosine", sigma_k = false })
  local code = compare_codes[opts.method]
  if not code then
    core.fail(fname, "unknown method '" .. tostring(opts.method) .. "' (cosine, corr, spearman, "
      .. "tau-b, tau-a, rho-a, cosine_cov, corr_cov, bures)")
  end
  -- sigma_k: the variances of the n pattern estimates (a flat table or a vector)
  local sk = opts.sigma_k and M.arg(opts.sigma_k, fname, "sigma_k") or nil
  local out = ffi.new("double[1]")
  -- Lists of RDM objects give the n1 x n2 matrix of similarities, as rsatoolbox's compare.
  local la = type(a) == "table" and not R.is_rdm(a) and R.is_rdm(a[1])
  local lb = type(b) == "table" and not R.is_rdm(b) and R.is_rdm(b[1])
  if la or lb then
    local A, B = la and a or { a }, lb and b or { b }
    local va, vb = {}, {}
    for i = 1, #A do va[i] = rdm_vector(fname, A[i], "RDM " .. i .. " of the first list") end
    for j = 1, #B do vb[j] = rdm_vector(fname, B[j], "RDM " .. j .. " of the second list") end
    local S = M.new(#A, #B, fname)
    for i = 1, #A do
      for j = 1, #B do
        check(C.gy_rsa_compare(out, va[i], vb[j], code, sk), fname)
        S:set(i, j, out[0])
      end
    end
    return finish(S)
  end
  local va, vb = rdm_vector(fname, a, "the first RDM"), rdm_vector(fname, b, "the second RDM")
  check(C.gy_rsa_compare(out, va, vb, code, sk), fname)
  return out[0]
end

-- Part 2 (topological RSA, models and inference, CKA and shape metrics) lives in
-- rsa_trsa.lua, rsa_infer.lua and rsa_shape.lua; their public functions join gy.rsa here.
do
  local mounts = {
    ["gyrus.rsa_trsa"] = { "rank", "rgtm", "rgtd", "geodesic", "regime", "rgtm_sweep" },
    ["gyrus.rsa_infer"] = { "pool", "noise_ceiling", "evaluate", "t_cdf", "t_tests", "bootstrap",
      "permutation_test", "fit_model", "crossval" },
    ["gyrus.rsa_shape"] = { "cka", "shape_distance", "stochastic_distance" },
    ["gyrus.rsa_fit"] = { "fit_optimize", "fit_interpolate", "fit_loss" },
  }
  for mod, names in pairs(mounts) do
    local m = require(mod)
    for _, k in ipairs(names) do R[k] = m[k] end
  end
end

-- Searchlight and time-resolved RSA (lua/gyrus/rsa_searchlight.lua).
do
  local SL = require "gyrus.rsa_searchlight"
  R.searchlight, R.timecourse = SL.searchlight, SL.timecourse
end

return R
