-- gy.rsa.searchlight and gy.rsa.timecourse: RSA over spheres of voxels in a mask
-- (core/src/rsa_searchlight.c, after rsatoolbox's util/searchlight.py) and over time points
-- or windows of epochs (rsatoolbox's calc_rdm_movie with binned time).
local ffi = require "ffi"
local core = require "gyrus.core"
local M = require "gyrus.mat"
local par = require "gyrus.par"
local C, check, options = core.C, core.check, core.options



local S = {}

-- gyrus.rsa mounts this module, so these are required lazily (after it has loaded).
local function rsa() return require "gyrus.rsa" end
local function trsa() return require "gyrus.rsa_trsa" end
local function image() return require "gyrus.image" end

local int64_arr = ffi.typeof("int64_t[?]")

local rdm_codes = {
  euclidean = C.GY_RSA_EUCLIDEAN,
  correlation = C.GY_RSA_CORRELATION,
  poisson = C.GY_RSA_POISSON,
}

local noise_codes = {
  shrinkage_diag = C.GY_RSA_NOISE_SHRINKAGE_DIAG,
  shrinkage_eye = C.GY_RSA_NOISE_SHRINKAGE_EYE,
  diag = C.GY_RSA_NOISE_DIAG,
  full = C.GY_RSA_NOISE_FULL,
}

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

-- Labels (a table or a vector matrix) of N rows: sorted unique values (as gy.rsa.rdm sorts
-- them) and each row's 0-based code.
local function encode(fname, what, t, N)
  local list = {}
  if M.is(t) then
    local r, c = t:shape()
    if r ~= 1 and c ~= 1 then
      core.fail(fname, string.format("%s must be a vector, got a %d x %d matrix", what, r, c), 3)
    end
    for k = 1, r * c do list[k] = t.data[(c == 1) and (k - 1) or (k - 1) * tonumber(t.ld)] end
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
    local tv = type(list[k])
    if (tv ~= "number" and tv ~= "string") or list[k] ~= list[k] then
      core.fail(fname, string.format("%s label %d is not a number or string", what, k), 3)
    end
    if kind and kind ~= tv then core.fail(fname, what .. " mixes numbers and strings", 3) end
    kind = tv
  end
  local seen, uniq = {}, {}
  for _, v in ipairs(list) do
    if not seen[v] then seen[v], uniq[#uniq + 1] = true, v end
  end
  table.sort(uniq)
  local index = {}
  for k, v in ipairs(uniq) do index[v] = k - 1 end
  local codes = int64_arr(N)
  for k, v in ipairs(list) do codes[k - 1] = index[v] end
  return uniq, codes, list
end

-- rsatoolbox's default cv descriptor: the k-th repeat of each condition is run k.
local function default_runs(cond)
  local count, runs = {}, {}
  for k, v in ipairs(cond) do
    count[v] = (count[v] or 0) + 1
    runs[k] = count[v]
  end
  return runs
end

-- The models as a Lua list: one RDM (an RDM object, a vector, a flat table of numbers or
-- a square matrix, also as a table of rows) or a list of them.
local function model_list(model)
  if type(model) ~= "table" or rsa().is_rdm(model) or type(model[1]) == "number" then
    return { model }
  end
  if type(model[1]) == "table" and type(model[1][1]) == "number" and #model[1] == #model then
    return { model } -- a square matrix as a table of rows
  end
  return model
end

-- The models as a K x M matrix (nil when none was given).
local function model_matrix(fname, model)
  if not model then return nil, 0 end
  local T, list = trsa(), model_list(model)
  local vs = {}
  for i = 1, #list do
    vs[i] = T.vector(fname, list[i], #list > 1 and ("model " .. i) or "the model")
  end
  local K = tonumber(vs[1].rows)
  local S = M.new(K, #vs, fname)
  for j = 1, #vs do
    if tonumber(vs[j].rows) ~= K then
      core.fail(fname, string.format("model %d has %d distances but model 1 has %d", j,
        tonumber(vs[j].rows), K), 3)
    end
    for k = 0, K - 1 do S.data[k + (j - 1) * tonumber(S.ld)] = vs[j].data[k] end
  end
  return S, #vs
end

local function positive_int(fname, name, v, min)
  if type(v) ~= "number" or v ~= math.floor(v) or v < min then
    core.fail(fname, string.format("option '%s' must be an integer >= %d, got %s", name, min,
      tostring(v)), 3)
  end
  return v
end

local function number_in(fname, name, v, lo, hi)
  if type(v) ~= "number" or v ~= v or v < lo or v > hi then
    core.fail(fname, string.format("option '%s' must be a number in [%g, %g], got %s", name,
      lo, hi, tostring(v)), 3)
  end
  return v
end

local function plan_free(p) C.gy_rsa_searchlight_free(p[0]) end

-- Under mpirun each rank scores a block of the centres (gy_rsa_searchlight_slice) and the
-- blocks are gathered in rank order, so every rank returns the one-process result.
local has_slice = pcall(function() return C.gy_rsa_searchlight_slice end)

local function my_slice(fname, plan)
  if par.size() == 1 or not has_slice then return plan end
  local first, last = par.range(tonumber(C.gy_rsa_searchlight_count(plan)))
  local sp = ffi.gc(ffi.new("gy_rsa_searchlight *[1]"), plan_free)
  check(C.gy_rsa_searchlight_slice(sp, plan, first - 1, last - first + 1), fname)
  return sp[0], sp
end

function S.searchlight(data, mask, opts)
  local fname = "gy.rsa.searchlight"
  opts = options(fname, opts, { radius = 2, boundary = "inclusive", threshold = 0,
    min_voxels = 1, method = "correlation", conditions = false, runs = false, cv = "folds",
    prior_lambda = 1, prior_weight = 0.1, model = false, compare = "corr",
    return_rdms = false, threads = 0, noise = false, residuals = false,
    noise_method = "shrinkage_diag", noise_dof = false })
  local img = image()
  if type(mask) == "string" then mask = img.read(mask, nil, fname) end
  if type(mask) ~= "table" or not mask.data or not mask.shape then
    core.fail(fname, "the mask must be an image or a file name")
  end
  local radius = number_in(fname, "radius", opts.radius, 0, 1000)
  local boundary = ({ inclusive = C.GY_RSA_SPHERE_INCLUSIVE,
    exclusive = C.GY_RSA_SPHERE_EXCLUSIVE })[opts.boundary]
  if not boundary then
    core.fail(fname, "boundary must be 'inclusive' (distance <= radius) or 'exclusive' "
      .. "(distance < radius, rsatoolbox), got " .. tostring(opts.boundary))
  end
  local method = opts.method
  local per_sphere = opts.noise ~= false
  if per_sphere and opts.noise ~= "per_sphere" then
    core.fail(fname, "noise must be 'per_sphere' (a precision from the residuals of each "
      .. "sphere), got " .. tostring(opts.noise))
  end
  if method == "mahalanobis" and not per_sphere then
    core.fail(fname, "the mahalanobis method needs noise = 'per_sphere' and residuals=")
  end
  if method ~= "crossnobis" and method ~= "mahalanobis" and not rdm_codes[method] then
    core.fail(fname, "unknown method '" .. tostring(method) .. "' (correlation, euclidean, "
      .. "poisson, mahalanobis, crossnobis)")
  end
  if per_sphere and method ~= "crossnobis" and method ~= "mahalanobis" then
    core.fail(fname, "noise applies to the mahalanobis and crossnobis methods only")
  end
  local noise_code = noise_codes[opts.noise_method]
  if not noise_code then
    core.fail(fname, "unknown noise_method '" .. tostring(opts.noise_method)
      .. "' (shrinkage_diag, shrinkage_eye, diag, full)")
  end
  if per_sphere and not opts.residuals then
    core.fail(fname, "noise = 'per_sphere' needs residuals= (observations x mask voxels, or "
      .. "an image)")
  end
  if opts.residuals and not per_sphere then
    core.fail(fname, "residuals are used with noise = 'per_sphere' only")
  end
  local noise_dof = 0
  if opts.noise_dof ~= false then
    noise_dof = opts.noise_dof
    if type(noise_dof) ~= "number" or noise_dof ~= noise_dof or noise_dof <= 0
        or noise_dof == math.huge then
      core.fail(fname, "noise_dof must be a positive number, got " .. tostring(opts.noise_dof))
    end
  end
  local compare = compare_codes[opts.compare]
  if not compare then
    core.fail(fname, "unknown compare method '" .. tostring(opts.compare) .. "' (cosine, "
      .. "corr, spearman, tau-b, tau-a, rho-a, cosine_cov, corr_cov, bures)")
  end
  local engine = ({ folds = C.GY_RSA_CV_FOLDS, pairs = C.GY_RSA_CV_PAIRS })[opts.cv]
  if not engine then
    core.fail(fname, "cv must be 'folds' or 'pairs', got " .. tostring(opts.cv))
  end
  if type(opts.return_rdms) ~= "boolean" then
    core.fail(fname, "return_rdms must be true or false")
  end
  local models, n_models = model_matrix(fname, opts.model)
  if not models and not opts.return_rdms then
    core.fail(fname, "give model= (an RDM or a list of RDMs) or return_rdms = true")
  end

  -- the data: an image on the mask's grid (volumes = observations), or observations x
  -- mask voxels
  local is_image = type(data) == "table" and data.data and data.shape
  local X = is_image and img.mask(data, mask) or M.arg(data, fname, "the data")
  local N = tonumber(X.rows)
  local resid
  if per_sphere then
    local r = opts.residuals
    resid = (type(r) == "table" and r.data and r.shape) and img.mask(r, mask)
      or M.arg(r, fname, "the residuals")
  end

  local sh = mask.shape
  local mcol = mask.data:block(1, tonumber(mask.data.rows), 1, 1)
  local pp = ffi.gc(ffi.new("gy_rsa_searchlight *[1]"), plan_free)
  check(C.gy_rsa_searchlight_plan(pp, mcol, sh[1], sh[2] or 1, sh[3] or 1, radius, boundary,
    positive_int(fname, "min_voxels", opts.min_voxels, 1),
    number_in(fname, "threshold", opts.threshold, 0, 1)), fname)
  local plan = pp[0]
  local V = tonumber(C.gy_rsa_searchlight_nmask(plan))
  if tonumber(X.cols) ~= V then
    core.fail(fname, string.format("the data have %d columns but the mask %d voxels",
      tonumber(X.cols), V))
  end

  local uniq, codes, cond, fold, n_fold = nil, nil, nil, nil, 0
  if opts.conditions then
    uniq, codes, cond = encode(fname, "conditions", opts.conditions, N)
  elseif method == "crossnobis" then
    core.fail(fname, "crossnobis needs conditions= (which rows repeat which condition)")
  end
  if opts.runs and method ~= "crossnobis" then
    core.fail(fname, "runs applies to the crossnobis method only")
  end
  if method == "crossnobis" then
    local runs_uniq
    runs_uniq, fold = encode(fname, "runs", opts.runs or default_runs(cond), N)
    n_fold = #runs_uniq
    if n_fold < 2 then
      core.fail(fname, string.format("crossnobis needs at least two runs, got %d", n_fold))
    end
  end
  local n_cond = uniq and #uniq or N
  local K = n_cond * (n_cond - 1) / 2
  if models and tonumber(models.rows) ~= K then
    core.fail(fname, string.format("the model has %d distances but %d conditions give %d",
      tonumber(models.rows), n_cond, K))
  end

  local scores, rdms = M.empty(), opts.return_rdms and M.empty() or nil
  local part, keep = my_slice(fname, plan)
  local threads = positive_int(fname, "threads", opts.threads, 0)
  local st
  if per_sphere then
    st = C.gy_rsa_searchlight_run_noise(scores, rdms, part, X, codes, n_cond, fold, n_fold,
      C.GY_RSA_MAHALANOBIS, engine, resid, noise_code, noise_dof, models, compare, threads)
  else
    st = C.gy_rsa_searchlight_run(scores, rdms, part, X, codes, n_cond, fold, n_fold,
      rdm_codes[method] or 0, engine, opts.prior_lambda, opts.prior_weight, models, compare,
      threads)
  end
  if keep and st ~= 0 then
    -- a sphere of this rank's block failed (e.g. a voxel without residual variance): the
    -- message goes to every rank, which all raise it instead of waiting for this one
    if st == C.GY_EINTR then C.gy_interrupt(0) end
    par.stack(fname .. ": " .. ffi.string(C.gy_errmsg()))
  end
  check(st, fname)
  if keep then
    scores = par.stack(scores)
    if rdms then rdms = par.stack(rdms, { dim = 2 }) end
  end
  local centres = M.empty()
  check(C.gy_rsa_searchlight_centres(centres, plan), fname)
  core.account()

  local info = { n_centres = tonumber(centres.rows), rdms = rdms,
    labels = uniq or nil }
  -- 1-based mask voxel index and sphere size of each centre
  info.centres, info.sizes = {}, {}
  for c = 0, info.n_centres - 1 do
    info.centres[c + 1] = centres.data[c] + 1
    info.sizes[c + 1] = centres.data[c + tonumber(centres.ld)]
  end
  if not models then return nil, info end

  -- per mask voxel: NaN where no sphere was kept
  local maps = M.new(n_models, V, fname)
  local md, ml, sd, sl = maps.data, tonumber(maps.ld), scores.data, tonumber(scores.ld)
  for k = 0, n_models * V - 1 do md[k] = 0 / 0 end
  for c = 0, info.n_centres - 1 do
    local v = centres.data[c]
    for m = 0, n_models - 1 do md[m + v * ml] = sd[c + m * sl] end
  end
  if is_image then return img.unmask(maps, mask), info end
  return maps:t(), info
end

------------------------------------------------------------------------- timecourse

-- Element-wise mean of the matrices epochs[a..b].
local function window_mean(fname, epochs, a, b)
  local first = epochs[a]
  local r, c = first:shape()
  local out = M.new(r, c, fname)
  local od, ol = out.data, tonumber(out.ld)
  for t = a, b do
    local e = epochs[t]
    local er, ec = e:shape()
    if er ~= r or ec ~= c then
      core.fail(fname, string.format("time point %d is %d x %d but time point %d is %d x %d",
        t, er, ec, a, r, c), 3)
    end
    local ed, el = e.data, tonumber(e.ld)
    for j = 0, c - 1 do
      for i = 0, r - 1 do od[i + j * ol] = od[i + j * ol] + ed[i + j * el] end
    end
  end
  local w = b - a + 1
  for j = 0, c - 1 do for i = 0, r - 1 do od[i + j * ol] = od[i + j * ol] / w end end
  return out
end

function S.timecourse(epochs, opts)
  local fname = "gy.rsa.timecourse"
  opts = options(fname, opts, { method = "correlation", conditions = false, runs = false,
    cv = "folds", noise = false, window = 1, step = false, times = false, model = false,
    compare = "corr" })
  if type(epochs) ~= "table" or M.is(epochs) or #epochs == 0 then
    core.fail(fname, "epochs must be a list of matrices (observations x channels), one per "
      .. "time point")
  end
  local E = {}
  for t = 1, #epochs do E[t] = M.arg(epochs[t], fname, "time point " .. t) end
  local T = #E
  local w = positive_int(fname, "window", opts.window, 1)
  local step = positive_int(fname, "step", opts.step or w, 1)
  if w > T then core.fail(fname, string.format("window %d is longer than the %d time points", w, T)) end
  if opts.times and (type(opts.times) ~= "table" or #opts.times ~= T) then
    core.fail(fname, string.format("times must be a table of %d numbers", T))
  end
  if not compare_codes[opts.compare] then
    core.fail(fname, "unknown compare method '" .. tostring(opts.compare) .. "'")
  end
  local models = opts.model and model_list(opts.model)
  local R = rsa()
  local ropts = { method = opts.method, conditions = opts.conditions, runs = opts.runs,
    cv = opts.cv, noise = opts.noise }
  local out = { rdms = {}, times = {} }
  local starts = {}
  for a = 1, T - w + 1, step do starts[#starts + 1] = a end
  if models then out.scores = M.new(#starts, #models, fname) end
  for k, a in ipairs(starts) do
    local b = a + w - 1
    local X = (w == 1) and E[a] or window_mean(fname, E, a, b)
    local rdm = R.rdm(X, ropts)
    out.rdms[k] = rdm
    if opts.times then
      local s = 0
      for t = a, b do s = s + opts.times[t] end
      out.times[k] = s / w
    else
      out.times[k] = (a + b) / 2
    end
    if models then
      for m = 1, #models do
        out.scores:set(k, m, R.compare(rdm, models[m], { method = opts.compare }))
      end
    end
  end
  return out
end

return S
