-- gy.conn: functional connectivity as nilearn's ConnectivityMeasure computes it
-- (core/src/conn.c, conn_tangent.c). Data are time points x regions; a function given one
-- matrix returns one result, given a list of matrices (subjects) a list of results.
local ffi = require "ffi"
local core = require "gyrus.core"
local M = require "gyrus.mat"
local par = require "gyrus.par"
local C, check, options = core.C, core.check, core.options


local conn = {}

local estimators = { empirical = C.GY_CONN_EMPIRICAL, ["ledoit-wolf"] = C.GY_CONN_LEDOIT_WOLF,
  oas = C.GY_CONN_OAS }
local conventions = { nilearn = C.GY_CONN_VEC_NILEARN, pyriemann = C.GY_CONN_VEC_PYRIEMANN }
local means = { nilearn = C.GY_CONN_MEAN_NILEARN, pyriemann = C.GY_CONN_MEAN_PYRIEMANN }

local function choice(fname, name, v, tbl)
  local code = tbl[v]
  if code == nil then
    local names = {}
    for k in pairs(tbl) do names[#names + 1] = string.format("%q", k) end
    table.sort(names)
    core.fail(fname, string.format("option '%s' must be one of %s, got %s", name,
      table.concat(names, ", "), tostring(v)), 3)
  end
  return code
end

local function flag(fname, name, v)
  if type(v) ~= "boolean" then
    core.fail(fname, string.format("option '%s' must be true or false, got %s", name,
      tostring(v)), 3)
  end
  return v and 1 or 0
end

local function warn(fname, msg)
  io.stderr:write(fname, ": warning: ", msg, "\n")
end

-- A list of subjects is a Lua list whose items are matrices (or tables of rows); anything
-- else is one matrix.
local function is_list(x)
  if type(x) ~= "table" or x[1] == nil then return false end
  local f = x[1]
  return M.is(f) or (type(f) == "table" and type(f[1]) == "table")
end

local function subjects(fname, x, what)
  if is_list(x) then
    local t = {}
    for i = 1, #x do t[i] = M.arg(x[i], fname, string.format("%s %d", what, i)) end
    return t, true
  end
  return { M.arg(x, fname, what) }, false
end

-- fn(x, i) over the subjects of list, in order. Under mpirun (gy.par) the subjects are
-- spread over the ranks with par.map and every rank gets every result, bit for bit the
-- one-process values; the first failing subject's error is raised on every rank.
local function per_subject(list, many, fn)
  if not many or par.size() == 1 or #list < 2 then
    local out = {}
    for i, x in ipairs(list) do out[i] = fn(x, i) end
    return out
  end
  local got = par.map(list, function(x, i)
    local ok, r = pcall(fn, x, i)
    if ok then return { v = r } end
    return { err = tostring(r) }
  end)
  local out = {}
  for i = 1, #list do
    if got[i].err then error(got[i].err, 0) end
    out[i] = got[i].v
  end
  return out
end

-- A C array of gy_mat holding non-owning copies of the structs; the Lua matrices must
-- stay referenced while C uses it.
local function mat_array(list)
  local arr = ffi.new("gy_mat[?]", #list)
  for i, m in ipairs(list) do
    arr[i - 1].data, arr[i - 1].rows, arr[i - 1].cols, arr[i - 1].ld = m.data, m.rows, m.cols, m.ld
    arr[i - 1].owner = 0
  end
  return arr
end

-- Vectorises the matrices of a list: k x L (rows = subjects), or L x 1 for one matrix.
local function vectorise(fname, list, single, discard, convention)
  local out = M.empty()
  check(C.gy_conn_vec(out, mat_array(list), #list, discard, convention), fname)
  core.account()
  if single then
    -- 1 x L with ld 1 is the same storage as the column L x 1.
    local L = out.cols
    out.rows, out.cols, out.ld = L, 1, L > 0 and L or 1
  end
  return out
end

local function estimate(fname, kind, X, opts, has_standardize)
  local defaults = { estimator = "ledoit-wolf", vectorize = false, discard_diagonal = false }
  if has_standardize then defaults.standardize = true end
  opts = options(fname, opts, defaults)
  local est = choice(fname, "estimator", opts.estimator, estimators)
  local vec = flag(fname, "vectorize", opts.vectorize)
  local discard = flag(fname, "discard_diagonal", opts.discard_diagonal)
  local std = has_standardize and flag(fname, "standardize", opts.standardize) or 0
  local list, many = subjects(fname, X, "X")
  local outs, shrink = {}, {}
  local s = ffi.new("double[1]")
  local got = per_subject(list, many, function(x, i)
    local out = M.empty()
    local st = C.gy_conn_matrix(out, s, x, kind, est, std)
    if st ~= 0 and many then
      core.fail(fname, "subject " .. i .. ": " .. ffi.string(C.gy_errmsg()))
    end
    check(st, fname)
    core.account()
    return { out, s[0] }
  end)
  for i, r in ipairs(got) do outs[i], shrink[i] = r[1], r[2] end
  if vec == 1 then
    local v = vectorise(fname, outs, not many, discard, C.GY_CONN_VEC_NILEARN)
    if many then return v, shrink end
    return v, shrink[1]
  end
  if many then return outs, shrink end
  return outs[1], shrink[1]
end

function conn.covariance(X, opts)
  return estimate("gy.conn.covariance", C.GY_CONN_COVARIANCE, X, opts)
end

function conn.correlation(X, opts)
  return estimate("gy.conn.correlation", C.GY_CONN_CORRELATION, X, opts, true)
end

function conn.partial_correlation(X, opts)
  return estimate("gy.conn.partial_correlation", C.GY_CONN_PARTIAL_CORRELATION, X, opts)
end

function conn.precision(X, opts)
  return estimate("gy.conn.precision", C.GY_CONN_PRECISION, X, opts)
end

local kind_codes = { covariance = C.GY_CONN_COVARIANCE, correlation = C.GY_CONN_CORRELATION,
  partial_correlation = C.GY_CONN_PARTIAL_CORRELATION, precision = C.GY_CONN_PRECISION,
  tangent = true }

-- Several kinds at once: one pass over each subject's data and one X'X serve every kind
-- (and the covariances of the tangent space).
function conn.connectivity(X, opts)
  local fname = "gy.conn.connectivity"
  opts = options(fname, opts, { kinds = core.REQUIRED, estimator = "ledoit-wolf",
    standardize = true, vectorize = false, discard_diagonal = false, tangent = false })
  local est = choice(fname, "estimator", opts.estimator, estimators)
  local std = flag(fname, "standardize", opts.standardize)
  local vec = flag(fname, "vectorize", opts.vectorize)
  local discard = flag(fname, "discard_diagonal", opts.discard_diagonal)
  if type(opts.kinds) ~= "table" or #opts.kinds == 0 then
    core.fail(fname, "option 'kinds' must list kinds, e.g. {\"correlation\", \"tangent\"}")
  end
  local want, ckinds, names, tangent = {}, {}, {}, false
  for _, k in ipairs(opts.kinds) do
    choice(fname, "kinds", k, kind_codes)
    if k == "tangent" then tangent = true
    elseif not want[k] then
      want[k] = true
      ckinds[#ckinds + 1], names[#names + 1] = kind_codes[k], k
    end
  end
  if tangent and not want.covariance then
    ckinds[#ckinds + 1], names[#names + 1] = C.GY_CONN_COVARIANCE, "covariance"
  end
  local list, many = subjects(fname, X, "X")
  if tangent and not many then
    core.fail(fname, "the tangent kind needs a list of subjects: it measures deviations from a "
      .. "group mean")
  end
  local nk = #ckinds
  local karr = ffi.new("int[?]", nk)
  for i, c in ipairs(ckinds) do karr[i - 1] = c end
  local res, shrink = {}, {}
  for _, name in ipairs(names) do res[name], shrink[name] = {}, {} end
  local s = ffi.new("double[?]", nk)
  local got = per_subject(list, many, function(x, i)
    local outs = ffi.new("gy_mat[?]", nk)
    local st = C.gy_conn_matrices(outs, s, x, karr, nk, est, std)
    if st ~= 0 then
      -- raised below, at this function's level, in subject order
      local msg = ffi.string(C.gy_errmsg())
      return many and ("subject " .. i .. ": " .. msg) or msg
    end
    -- Move each result into its own GC-owned matrix (the array itself is not collected).
    local r = {}
    for k = 1, nk do
      local m = M.empty()
      m.data, m.rows, m.cols, m.ld, m.owner = outs[k - 1].data, outs[k - 1].rows,
        outs[k - 1].cols, outs[k - 1].ld, 1
      r[k] = { m, s[k - 1] }
    end
    core.account()
    return r
  end)
  for _, r in ipairs(got) do
    if type(r) == "string" then core.fail(fname, r) end
  end
  for i, r in ipairs(got) do
    for k, name in ipairs(names) do res[name][i], shrink[name][i] = r[k][1], r[k][2] end
  end
  local out = { shrinkage = {} }
  for _, name in ipairs(names) do
    if want[name] then
      local r = res[name]
      if vec == 1 then r = vectorise(fname, r, not many, discard, C.GY_CONN_VEC_NILEARN)
      elseif not many then r = r[1] end
      out[name] = r
      out.shrinkage[name] = many and shrink[name] or shrink[name][1]
    end
  end
  if tangent then
    local topts = {}
    if opts.tangent ~= false then
      if type(opts.tangent) ~= "table" then core.fail(fname, "option 'tangent' must be a table") end
      for k, v in pairs(opts.tangent) do topts[k] = v end
    end
    if topts.estimator ~= nil then
      core.fail(fname, "the estimator of the tangent kind is option 'estimator'")
    end
    topts.estimator = "precomputed"
    out.tangent, out.mean, out.info = conn.tangent(res.covariance, topts)
  end
  return out
end

local function number_opt(fname, name, v)
  if v == false then return -1 end
  if type(v) ~= "number" or v ~= v or v <= 0 or v == math.huge then
    core.fail(fname, string.format("option '%s' must be a positive number, got %s", name,
      tostring(v)), 3)
  end
  return v
end

function conn.tangent(Xs, opts)
  local fname = "gy.conn.tangent"
  opts = options(fname, opts, { estimator = "ledoit-wolf", method = "nilearn", max_iter = false,
    tol = false, vectorize = true, discard_diagonal = false, convention = "nilearn" })
  if opts.estimator ~= "precomputed" then choice(fname, "estimator", opts.estimator, estimators) end
  local method = choice(fname, "method", opts.method, means)
  local convention = choice(fname, "convention", opts.convention, conventions)
  local vec = flag(fname, "vectorize", opts.vectorize)
  local discard = flag(fname, "discard_diagonal", opts.discard_diagonal)
  local max_iter = opts.max_iter == false and 0 or number_opt(fname, "max_iter", opts.max_iter)
  local tol = number_opt(fname, "tol", opts.tol)
  if not is_list(Xs) then
    core.fail(fname, "expects a list of subjects (a table of matrices): the tangent space "
      .. "measures deviations from a group mean")
  end
  local covs
  if opts.estimator == "precomputed" then
    covs = subjects(fname, Xs, "matrix")
  else
    local list = subjects(fname, Xs, "subject")
    local p = tonumber(list[1].cols)
    for i, x in ipairs(list) do
      if tonumber(x.cols) ~= p then
        core.fail(fname, string.format("subject %d has %d regions (columns), subject 1 has %d: "
          .. "every subject needs the same regions", i, tonumber(x.cols), p))
      end
    end
    covs = per_subject(list, true, function(x)
      return (estimate(fname, C.GY_CONN_COVARIANCE, x, { estimator = opts.estimator }))
    end)
  end
  if vec == 0 then discard, convention = 0, C.GY_CONN_VEC_NILEARN end
  local out, mean = M.empty(), M.empty()
  local it, conv = ffi.new("int[1]"), ffi.new("int[1]")
  check(C.gy_conn_tangent(out, mean, it, conv, mat_array(covs), #covs, method, max_iter, tol,
    discard, convention), fname)
  core.account()
  local info = { n_iter = it[0], converged = conv[0] == 1 }
  if not info.converged then
    warn(fname, string.format("the geometric mean did not converge in %d iterations", it[0]))
  end
  if vec == 0 then
    local mats = {}
    for i = 1, tonumber(out.rows) do
      mats[i] = conn.unvec(out:row(i))
    end
    out = mats
  end
  return out, mean, info
end

function conn.geometric_mean(mats, opts)
  local fname = "gy.conn.geometric_mean"
  opts = options(fname, opts, { method = "nilearn", max_iter = false, tol = false })
  local method = choice(fname, "method", opts.method, means)
  local max_iter = opts.max_iter == false and 0 or number_opt(fname, "max_iter", opts.max_iter)
  local tol = number_opt(fname, "tol", opts.tol)
  if not is_list(mats) then core.fail(fname, "expects a list of SPD matrices") end
  local list = subjects(fname, mats, "matrix")
  local out = M.empty()
  local it, conv = ffi.new("int[1]"), ffi.new("int[1]")
  check(C.gy_conn_geometric_mean(out, it, conv, mat_array(list), #list, method, max_iter, tol),
    fname)
  core.account()
  local info = { n_iter = it[0], converged = conv[0] == 1 }
  if not info.converged then
    warn(fname, string.format("did not converge in %d iterations", it[0]))
  end
  return out, info
end

function conn.fisher_z(R, opts)
  local fname = "gy.conn.fisher_z"
  opts = options(fname, opts, { diagonal = false })
  local list, many = subjects(fname, R, "R")
  if opts.diagonal ~= false and type(opts.diagonal) ~= "number" then
    core.fail(fname, "option 'diagonal' must be a number (the value put on the diagonal)")
  end
  local outs = {}
  for i, r in ipairs(list) do
    local out = M.empty()
    check(C.gy_conn_fisher_z(out, r), fname)
    core.account()
    if opts.diagonal ~= false then
      local n = math.min(tonumber(out.rows), tonumber(out.cols))
      for k = 0, n - 1 do out.data[k + k * out.ld] = opts.diagonal end
    end
    outs[i] = out
  end
  if many then return outs end
  return outs[1]
end

function conn.vec(X, opts)
  local fname = "gy.conn.vec"
  opts = options(fname, opts, { discard_diagonal = false, convention = "nilearn" })
  local discard = flag(fname, "discard_diagonal", opts.discard_diagonal)
  local convention = choice(fname, "convention", opts.convention, conventions)
  local list, many = subjects(fname, X, "matrix")
  return vectorise(fname, list, not many, discard, convention)
end

function conn.unvec(v, opts)
  local fname = "gy.conn.unvec"
  opts = options(fname, opts, { diagonal = false, convention = "nilearn" })
  local convention = choice(fname, "convention", opts.convention, conventions)
  v = M.arg(v, fname, "v")
  local diag = nil
  if opts.diagonal ~= false then
    local q = math.floor((math.sqrt(8 * tonumber(v.rows * v.cols) + 1) - 1) / 2 + 0.5)
    if type(opts.diagonal) == "number" then
      diag = M.full(q + 1, 1, opts.diagonal)
    else
      diag = M.arg(opts.diagonal, fname, "diagonal")
    end
  end
  -- A k x L matrix holds k vectors, one per row.
  if v.rows > 1 and v.cols > 1 then
    local out = {}
    for i = 1, tonumber(v.rows) do out[i] = conn.unvec(v:row(i), opts) end
    return out
  end
  local out = M.empty()
  check(C.gy_conn_unvec(out, v, diag, convention), fname)
  core.account()
  return out
end

-- Spectral connectivity of EEG/MEG epochs lives in spectral.lua.
do
  local sp = require "gyrus.spectral"
  conn.spectral, conn.dpss = sp.spectral, sp.dpss
end
-- Dynamic connectivity, Granger causality and group statistics (lua/gyrus/dynamic.lua).
for name, fn in pairs(require "gyrus.dynamic") do conn[name] = fn end

return conn
