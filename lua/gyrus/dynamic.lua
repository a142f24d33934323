-- gy.conn dynamic connectivity, Granger causality and group statistics
-- (core/src/conn_dynamic.c, conn_granger.c, conn_group.c). Mounted into gy.conn.
local ffi = require "ffi"
local core = require "gyrus.core"
local M = require "gyrus.mat"
local C, check, options = core.C, core.check, core.options


local D = {}

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

local function integer(fname, name, v, lo)
  if type(v) ~= "number" or v ~= math.floor(v) or v < lo then
    core.fail(fname, string.format("option '%s' must be an integer >= %d, got %s", name, lo,
      tostring(v)), 3)
  end
  return v
end

-- Takes ownership of a C-filled struct (from an array the GC does not collect).
local function adopt(s)
  local m = M.empty()
  m.data, m.rows, m.cols, m.ld, m.owner = s.data, s.rows, s.cols, s.ld, 1
  return m
end

local tapers = { rectangular = C.GY_DYN_RECTANGULAR, hamming = C.GY_DYN_HAMMING,
  gaussian = C.GY_DYN_GAUSSIAN }
local kinds = { covariance = C.GY_CONN_COVARIANCE, correlation = C.GY_CONN_CORRELATION,
  partial_correlation = C.GY_CONN_PARTIAL_CORRELATION, precision = C.GY_CONN_PRECISION }
local estimators = { empirical = C.GY_CONN_EMPIRICAL, ["ledoit-wolf"] = C.GY_CONN_LEDOIT_WOLF,
  oas = C.GY_CONN_OAS }

-- The taper weights of a window (a window x 1 matrix).
function D.taper(window, opts)
  local fname = "gy.conn.taper"
  opts = options(fname, opts, { taper = "gaussian", sigma = 0 })
  local w = M.empty()
  check(C.gy_dyn_taper(w, integer(fname, "window", window, 1),
    choice(fname, "taper", opts.taper, tapers), opts.sigma), fname)
  return w
end

-- One connectivity matrix per window; returns the list and the 1-based window starts.
function D.sliding(X, opts)
  local fname = "gy.conn.sliding"
  opts = options(fname, opts, { window = core.REQUIRED, step = 1, taper = "rectangular",
    sigma = 0, kind = "correlation", estimator = "empirical", standardize = true })
  local x = M.arg(X, fname, "X")
  local window = integer(fname, "window", opts.window, 2)
  local step = integer(fname, "step", opts.step, 1)
  local taper = choice(fname, "taper", opts.taper, tapers)
  local kind = choice(fname, "kind", opts.kind, kinds)
  local est = choice(fname, "estimator", opts.estimator, estimators)
  local std = flag(fname, "standardize", opts.standardize)
  if type(opts.sigma) ~= "number" then core.fail(fname, "option 'sigma' must be a number") end
  local n = tonumber(x.rows)
  if window > n then
    core.fail(fname, string.format("window (%d) is longer than the data (%d samples)", window, n))
  end
  local w = nil
  if taper ~= C.GY_DYN_RECTANGULAR then
    w = M.empty()
    check(C.gy_dyn_taper(w, window, taper, opts.sigma), fname)
  end
  local nw = tonumber(C.gy_dyn_n_windows(n, window, step))
  local outs = ffi.new("gy_mat[?]", nw)
  check(C.gy_dyn_sliding(outs, x, window, step, w, kind, est, std), fname)
  local res, starts = {}, {}
  for i = 1, nw do
    res[i], starts[i] = adopt(outs[i - 1]), (i - 1) * step + 1
  end
  core.account()
  return res, starts
end

local syncs = { ips = C.GY_DYN_SYNC_IPS, cos = C.GY_DYN_SYNC_COS }

-- Instantaneous phase synchrony: time points x pairs (upper triangle in row order).
function D.phase_sync(X, opts)
  local fname = "gy.conn.phase_sync"
  opts = options(fname, opts, { method = "ips", demean = true })
  local x = M.arg(X, fname, "X")
  local out = M.empty()
  check(C.gy_dyn_phase_sync(out, x, choice(fname, "method", opts.method, syncs),
    flag(fname, "demean", opts.demean)), fname)
  core.account()
  return out
end

-- Instantaneous phase (radians) of each column's analytic signal.
function D.phase(X, opts)
  local fname = "gy.conn.phase"
  opts = options(fname, opts, { demean = true })
  local x = M.arg(X, fname, "X")
  local out = M.empty()
  check(C.gy_dyn_phase(out, x, flag(fname, "demean", opts.demean)), fname)
  return out
end

local ics = { aic = C.GY_GRANGER_AIC, bic = C.GY_GRANGER_BIC }

-- VAR fit by least squares: coef ((1 + k order) x k, intercept row first), sigma, and
-- A = list of the k x k lag matrices (A[l](i, j): effect of x_j(t - l) on x_i(t)).
function D.var(X, opts)
  local fname = "gy.conn.var"
  opts = options(fname, opts, { order = core.REQUIRED, trend = true })
  local x = M.arg(X, fname, "X")
  local order = integer(fname, "order", opts.order, 0)
  local trend = flag(fname, "trend", opts.trend)
  local coef, sigma = M.empty(), M.empty()
  check(C.gy_granger_var(coef, sigma, x, order, trend), fname)
  local k = tonumber(x.cols)
  local A = {}
  for l = 1, order do
    local a = M.zeros(k, k)
    for i = 0, k - 1 do
      for j = 0, k - 1 do
        a.data[i + j * a.ld] = coef.data[trend + (l - 1) * k + j + i * coef.ld]
      end
    end
    A[l] = a
  end
  return { coef = coef, sigma = sigma, A = A, order = order }
end

-- Information criteria of orders 0..max_order (statsmodels select_order).
function D.select_order(X, opts)
  local fname = "gy.conn.select_order"
  opts = options(fname, opts, { max_order = core.REQUIRED, ic = "aic" })
  local x = M.arg(X, fname, "X")
  local best = ffi.new("int64_t[1]")
  local crit = M.empty()
  check(C.gy_granger_select(best, crit, x, integer(fname, "max_order", opts.max_order, 0),
    choice(fname, "ic", opts.ic, ics)), fname)
  return tonumber(best[0]), crit
end

-- Granger causality F tests of every pair: F(i, j), p(i, j) test j -> i.
function D.granger(X, opts)
  local fname = "gy.conn.granger"
  opts = options(fname, opts, { order = 0, max_order = 0, ic = "aic", conditional = false })
  local x = M.arg(X, fname, "X")
  local order = integer(fname, "order", opts.order, 0)
  local max_order = integer(fname, "max_order", opts.max_order, 0)
  local ic = choice(fname, "ic", opts.ic, ics)
  local cond = flag(fname, "conditional", opts.conditional)
  local crit
  if order == 0 then
    if max_order == 0 then core.fail(fname, "give option 'order' or 'max_order'") end
    local best = ffi.new("int64_t[1]")
    crit = M.empty()
    check(C.gy_granger_select(best, crit, x, max_order, ic), fname)
    -- order 0 (no dynamics) cannot be tested: the smallest testable order is 1
    order = math.max(1, tonumber(best[0]))
  end
  local F, p = M.empty(), M.empty()
  local df = ffi.new("double[1]")
  check(C.gy_granger_test(F, p, df, x, order, cond), fname)
  return { F = F, p = p, order = order, df = { order, df[0] }, crit = crit }
end

-- Subjects as rows of edges: a matrix (subjects x edges) is taken as is; a list of p x p
-- matrices gives the strict upper triangles in row order.
local function edges(fname, g, what)
  if M.is(g) then return g, nil end
  if type(g) ~= "table" or g[1] == nil then
    core.fail(fname, what .. " must be a list of p x p matrices or a subjects x edges matrix", 3)
  end
  local first = M.arg(g[1], fname, what .. " subject 1")
  local p = tonumber(first.rows)
  if p ~= tonumber(first.cols) or p < 2 then
    core.fail(fname, string.format("%s subject 1 is %dx%d, not a square matrix of >= 2 nodes",
      what, p, tonumber(first.cols)), 3)
  end
  local L = p * (p - 1) / 2
  local out = M.new(#g, L, fname)
  for s = 1, #g do
    local m = s == 1 and first or M.arg(g[s], fname, what .. " subject " .. s)
    if tonumber(m.rows) ~= p or tonumber(m.cols) ~= p then
      core.fail(fname, string.format("%s subject %d is %dx%d, expected %dx%d", what, s,
        tonumber(m.rows), tonumber(m.cols), p, p), 3)
    end
    local e = 0
    for i = 0, p - 1 do
      for j = i + 1, p - 1 do
        out.data[(s - 1) + e * out.ld] = m.data[i + j * m.ld]
        e = e + 1
      end
    end
  end
  return out, p
end

-- A symmetric p x p matrix from edge values (diagonal = diag).
local function square(v, p, diag)
  local m = M.zeros(p, p)
  local e = 0
  for i = 0, p - 1 do
    m.data[i + i * m.ld] = diag
    for j = i + 1, p - 1 do
      local x = v.data[e * v.ld]
      m.data[i + j * m.ld], m.data[j + i * m.ld] = x, x
      e = e + 1
    end
  end
  return m
end

-- Edge-wise two-sample t tests with Benjamini-Hochberg FDR.
function D.ttest_edges(g1, g2, opts)
  local fname = "gy.conn.ttest_edges"
  opts = options(fname, opts, { fdr = 0.05, equal_var = true })
  if type(opts.fdr) ~= "number" or not (opts.fdr > 0 and opts.fdr < 1) then
    core.fail(fname, "option 'fdr' must be in (0, 1), got " .. tostring(opts.fdr))
  end
  local A, p1 = edges(fname, g1, "group 1")
  local B, p2 = edges(fname, g2, "group 2")
  if p1 ~= p2 then core.fail(fname, "the groups' matrices differ in size") end
  local t, pv, q = M.empty(), M.empty(), M.empty()
  check(C.gy_group_ttest(t, pv, A, B, flag(fname, "equal_var", opts.equal_var)), fname)
  check(C.gy_group_fdr(q, pv), fname)
  local rej = M.zeros(1, tonumber(q.cols))
  for e = 0, tonumber(q.cols) - 1 do rej.data[e] = q.data[e] <= opts.fdr and 1 or 0 end
  if p1 then
    return { t = square(t, p1, 0), p = square(pv, p1, 1), q = square(q, p1, 1),
      reject = square(rej, p1, 0) }
  end
  return { t = t, p = pv, q = q, reject = rej }
end

-- Network-based statistic (Zalesky 2010; bctpy nbs_bct, tail "both").
function D.nbs(g1, g2, opts)
  local fname = "gy.conn.nbs"
  opts = options(fname, opts, { threshold = core.REQUIRED, n_perm = 1000, seed = 0, nodes = 0 })
  if type(opts.threshold) ~= "number" then core.fail(fname, "option 'threshold' must be a number") end
  local n_perm = integer(fname, "n_perm", opts.n_perm, 1)
  local seed = integer(fname, "seed", opts.seed, 0)
  local A, p1 = edges(fname, g1, "group 1")
  local B, p2 = edges(fname, g2, "group 2")
  if p1 ~= p2 then core.fail(fname, "the groups' matrices differ in size") end
  local p = p1
  if not p then
    -- subjects x edges: the node count follows from the number of edges
    local L = tonumber(A.cols)
    p = math.floor((1 + math.sqrt(1 + 8 * L)) / 2 + 0.5)
    if opts.nodes ~= 0 then p = integer(fname, "nodes", opts.nodes, 2) end
  end
  local lab, comps, null = M.empty(), M.empty(), M.empty()
  check(C.gy_group_nbs(lab, comps, null, A, B, p, opts.threshold, n_perm, seed), fname)
  local list = {}
  for c = 0, tonumber(comps.rows) - 1 do
    list[c + 1] = { size = comps.data[c], p = comps.data[c + comps.ld] }
  end
  local labels = p1 and square(lab, p, 0) or lab
  return { components = list, labels = labels, null = null, pvals = comps }
end

return D
