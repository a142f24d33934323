-- gy.rsa topological RSA (core/src/rsa_trsa.c): rank-transformed geo-topological matrices
-- (RGTM), their geodesic version (RGTD) and a threshold sweep for model selection, after
-- Lin and Kriegeskorte (doerlbh/TopologicalRSA). Also the shared argument helpers of
-- rsa_infer.lua: RDM objects, vectors, square matrices and lists of them.
local ffi = require "ffi"
local core = require "gyrus.core"
local M = require "gyrus.mat"
local C, check, options = core.C, core.check, core.options


local T = {}

-- gyrus.rsa mounts this module, so it is required lazily (after it has loaded).
local function rsa() return require "gyrus.rsa" end

local function is_rdm(x) return type(x) == "table" and rsa().is_rdm(x) end

-- An RDM vector (K x 1 gy_mat) from an RDM object, a vector (matrix or flat table) or a
-- square matrix.
function T.vector(fname, x, what)
  if is_rdm(x) then return x.dissimilarities end
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
  if not M.is(x) and type(x) ~= "table" then
    core.fail(fname, string.format("%s must be an RDM, a vector or a square matrix, got %s",
      what, type(x)), 4)
  end
  local m = M.arg(x, fname, what)
  local r, c = m:shape()
  if c == 1 then return m end
  if r == 1 then return m:t() end
  if r ~= c then
    core.fail(fname, string.format("%s is %d x %d: neither a vector nor a square RDM", what,
      r, c), 4)
  end
  local v = M.empty()
  check(C.gy_rsa_vector(v, m), fname)
  return v
end

-- A list of RDMs (a list of RDM objects/vectors, or one K x n matrix whose columns are
-- RDM vectors) as a K x n matrix, plus the first RDM object met (for labels).
function T.set(fname, x, what)
  if M.is(x) then return x, nil end
  if not T.is_list(x) then
    core.fail(fname, string.format("%s must be a list of RDMs (or a K x n matrix of RDM "
      .. "vectors)", what), 3)
  end
  local vs, proto = {}, nil
  for i = 1, #x do
    vs[i] = T.vector(fname, x[i], string.format("%s %d", what, i))
    if not proto and is_rdm(x[i]) then proto = x[i] end
    if tonumber(vs[i].rows) ~= tonumber(vs[1].rows) then
      core.fail(fname, string.format("%s %d has %d entries but %s 1 has %d", what, i,
        tonumber(vs[i].rows), what, tonumber(vs[1].rows)), 3)
    end
  end
  local K = tonumber(vs[1].rows)
  local S = M.new(K, #vs, fname)
  for j = 1, #vs do
    local v, ld = vs[j], tonumber(S.ld)
    for k = 0, K - 1 do S.data[k + (j - 1) * ld] = v.data[k] end
  end
  return S, proto
end

-- The result in the input's kind: an RDM object stays one (same labels), else a vector.
local function wrap(x, v, method)
  if is_rdm(x) then
    return setmetatable({ dissimilarities = v, n_cond = x.n_cond, labels = x.labels,
      method = method }, getmetatable(x))
  end
  return v
end

-- A list of RDMs: a plain table whose items are RDM objects or gy matrices (a table of
-- numbers is one vector, a table of rows one square matrix).
function T.is_list(x)
  return type(x) == "table" and not is_rdm(x) and (is_rdm(x[1]) or M.is(x[1]))
end

-- Applies f to one RDM or to each RDM of a list.
local function each(fname, x, f)
  if T.is_list(x) then
    local out = {}
    for i = 1, #x do out[i] = f(x[i], T.vector(fname, x[i], "RDM " .. i)) end
    return out
  end
  return f(x, T.vector(fname, x, "the RDM"))
end

local function quantile_opt(fname, name, v)
  if type(v) ~= "number" or v ~= v or v < 0 or v > 1 then
    core.fail(fname, string.format("option '%s' must be a quantile in [0, 1], got %s", name,
      tostring(v)), 3)
  end
  return v
end

local function bool_opt(fname, name, v)
  if type(v) ~= "boolean" then
    core.fail(fname, string.format("option '%s' must be true or false, got %s", name,
      tostring(v)), 3)
  end
  return v
end

local inf_codes = { keep = C.GY_RSA_INF_KEEP, max = C.GY_RSA_INF_MAX }

local function geo_opts(fname, opts)
  local zero = bool_opt(fname, "zero_edge", opts.zero_edge) and C.GY_RSA_ZERO_IS_EDGE
    or C.GY_RSA_ZERO_NO_EDGE
  local inf = inf_codes[opts.inf]
  if not inf then
    core.fail(fname, "option 'inf' must be 'keep' or 'max', got " .. tostring(opts.inf), 3)
  end
  return zero, inf, bool_opt(fname, "rank", opts.rank) and 1 or 0
end

function T.rank(x)
  local fname = "gy.rsa.rank"
  return each(fname, x, function(orig, v)
    local out = M.empty()
    check(C.gy_rsa_rank(out, v), fname)
    return wrap(orig, out, "rank")
  end)
end

function T.rgtm(x, opts)
  local fname = "gy.rsa.rgtm"
  opts = options(fname, opts, { lower = 0.2, upper = 0.8 })
  local l, u = quantile_opt(fname, "lower", opts.lower), quantile_opt(fname, "upper", opts.upper)
  return each(fname, x, function(orig, v)
    local out = M.empty()
    check(C.gy_rsa_rgtm(out, v, l, u), fname)
    return wrap(orig, out, "rgtm")
  end)
end

function T.rgtd(x, opts)
  local fname = "gy.rsa.rgtd"
  opts = options(fname, opts, { lower = 0.2, upper = 0.8, zero_edge = false, inf = "keep",
    rank = true })
  local l, u = quantile_opt(fname, "lower", opts.lower), quantile_opt(fname, "upper", opts.upper)
  local zero, inf, rank = geo_opts(fname, opts)
  return each(fname, x, function(orig, v)
    local out = M.empty()
    check(C.gy_rsa_rgtd(out, v, l, u, zero, inf, rank), fname)
    return wrap(orig, out, "rgtd")
  end)
end

function T.geodesic(x, opts)
  local fname = "gy.rsa.geodesic"
  opts = options(fname, opts, { zero_edge = false, inf = "keep", rank = false })
  local zero, inf, rank = geo_opts(fname, opts)
  return each(fname, x, function(orig, v)
    local out = M.empty()
    check(C.gy_rsa_geodesic(out, v, zero, inf, rank), fname)
    return wrap(orig, out, "geodesic")
  end)
end

-- The authors' regimes of (lower, upper) (utils_analysis.get_rgtm_type).
function T.regime(l, u)
  if type(l) ~= "number" or type(u) ~= "number" then
    core.fail("gy.rsa.regime", "lower and upper must be numbers")
  end
  local m = (l + u) / 2
  if m <= 0.2 then return "local extractor" end
  if m >= 0.8 then return "global extractor" end
  if u - l >= 0.8 then return "geometry sensitive" end
  if l >= 0.4 and u <= 0.6 then return "topology sensitive" end
  return "intermediate"
end

local sweep_mt = {}
sweep_mt.__index = sweep_mt
function sweep_mt.__tostring(s)
  return string.format("RGTM sweep (%d threshold pairs): best lower = %.3g, upper = %.3g, "
    .. "score = %.6g (%s)", #s.lower, s.best.lower, s.best.upper, s.best.score, s.best.regime)
end

-- Grid over 0 <= lower < upper <= 1 in steps of resolution; each pair is scored by
-- score(transformed data list, transformed model, lower, upper) or, by default, the mean of
-- gy.rsa.compare(transformed data RDM, transformed model, {method=}).
function T.rgtm_sweep(data, opts)
  local fname = "gy.rsa.rgtm_sweep"
  opts = options(fname, opts, { model = false, method = "corr", resolution = 0.05,
    geodesic = false, zero_edge = false, inf = "max", score = false, max_upper = 1 })
  local res = opts.resolution
  if type(res) ~= "number" or not (res > 0 and res <= 0.5) then
    core.fail(fname, "resolution must be a number in (0, 0.5], got " .. tostring(res))
  end
  if not opts.model and not opts.score then
    core.fail(fname, "give model= (an RDM to compare with) or score= (a function)")
  end
  if type(opts.geodesic) ~= "boolean" then
    core.fail(fname, "geodesic must be true or false, got " .. tostring(opts.geodesic))
  end
  if opts.score and type(opts.score) ~= "function" then
    core.fail(fname, "score must be a function(data_list, model, lower, upper) -> number")
  end
  quantile_opt(fname, "max_upper", opts.max_upper)
  local list = T.is_list(data) and data or { data }
  local vs = {}
  for i = 1, #list do vs[i] = T.vector(fname, list[i], "data RDM " .. i) end
  local mv = opts.model and T.vector(fname, opts.model, "model")
  local zero, inf = geo_opts(fname, { zero_edge = opts.zero_edge, inf = opts.inf, rank = false })
  local function transform(v, l, u)
    local out = M.empty()
    if opts.geodesic then check(C.gy_rsa_rgtd(out, v, l, u, zero, inf, 1), fname)
    else check(C.gy_rsa_rgtm(out, v, l, u), fname) end
    return out
  end
  local s = setmetatable({ lower = {}, upper = {}, score = {}, regime = {} }, sweep_mt)
  local steps = math.floor(1 / res + 1e-9)
  for i = 0, steps - 1 do
    for j = i + 1, steps do
      local l, u = i * res, math.min(j * res, 1)
      if u <= opts.max_upper + 1e-12 then
        local n = #s.lower + 1
        s.lower[n], s.upper[n], s.regime[n] = l, u, T.regime(l, u)
      end
    end
  end
  local np = #s.lower
  if np == 0 then core.fail(fname, "no threshold pair below max_upper") end
  if opts.score then
    for n = 1, np do
      local l, u = s.lower[n], s.upper[n]
      local td = {}
      for k = 1, #vs do td[k] = transform(vs[k], l, u) end
      local sc = opts.score(td, mv and transform(mv, l, u) or false, l, u)
      if type(sc) ~= "number" then core.fail(fname, "score returned a " .. type(sc)) end
      s.score[n] = sc
    end
  else
    -- ranks are computed once per RDM in C; each pair is then linear in the data size
    local code = require("gyrus.rsa_infer").method_code(fname, opts.method)
    local D = T.set(fname, vs, "data RDM")
    local lo, up = ffi.new("double[?]", np), ffi.new("double[?]", np)
    for n = 1, np do lo[n - 1], up[n - 1] = s.lower[n], s.upper[n] end
    local out = M.empty()
    check(C.gy_rsa_rgtm_sweep(out, D, mv, lo, up, np, code, opts.geodesic and 1 or 0, zero, inf),
      fname)
    for n = 1, np do s.score[n] = out.data[n - 1] end
  end
  local best
  for n = 1, np do
    local sc = s.score[n]
    if sc == sc and (not best or sc > s.score[best]) then best = n end
  end
  if not best then core.fail(fname, "no threshold pair gave a finite score") end
  s.best = { lower = s.lower[best], upper = s.upper[best], score = s.score[best],
    regime = s.regime[best] }
  return s
end

return T
