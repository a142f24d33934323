-- gy.stats: statistics along a dimension (core/src/stats.c). Lua dims are 1 (down the
-- rows: one value per column, numpy axis 0) and 2 (across the columns, numpy axis 1).
local ffi = require "ffi"
local core = require "gyrus.core"
local M = require "gyrus.mat"
local C, check = core.C, core.check

local S = {}

local floor = math.floor

-- The C dim (0 or 1) of a Lua dim (1 or 2); level 4 blames the caller of the public function.
local function cdim(fname, d)
  if d ~= 1 and d ~= 2 then
    core.fail(fname, "dim must be 1 (down the rows) or 2 (across the columns), got "
      .. tostring(d), 3)
  end
  return d - 1
end

local function ddof_arg(fname, v)
  if type(v) ~= "number" or v ~= v then
    core.fail(fname, "ddof must be a number, got " .. tostring(v), 3)
  end
  return v
end

local function finish(out)
  core.account()
  return out
end

function S.sum(X, opts)
  local fname = "gy.stats.sum"
  opts = core.options(fname, opts, { dim = 1 })
  X = M.arg(X, fname, "X")
  local out = M.empty()
  check(C.gy_stats_sum(out, X, cdim(fname, opts.dim)), fname)
  return finish(out)
end

function S.mean(X, opts)
  local fname = "gy.stats.mean"
  opts = core.options(fname, opts, { dim = 1 })
  X = M.arg(X, fname, "X")
  local out = M.empty()
  check(C.gy_stats_mean(out, X, cdim(fname, opts.dim)), fname)
  return finish(out)
end

function S.var(X, opts)
  local fname = "gy.stats.var"
  opts = core.options(fname, opts, { dim = 1, ddof = 0 })
  X = M.arg(X, fname, "X")
  local out = M.empty()
  check(C.gy_stats_var(out, X, cdim(fname, opts.dim), ddof_arg(fname, opts.ddof)), fname)
  return finish(out)
end

function S.std(X, opts)
  local fname = "gy.stats.std"
  opts = core.options(fname, opts, { dim = 1, ddof = 0 })
  X = M.arg(X, fname, "X")
  local out = M.empty()
  check(C.gy_stats_std(out, X, cdim(fname, opts.dim), ddof_arg(fname, opts.ddof)), fname)
  return finish(out)
end

function S.zscore(X, opts)
  local fname = "gy.stats.zscore"
  opts = core.options(fname, opts, { dim = 1, ddof = 0 })
  X = M.arg(X, fname, "X")
  local out = M.empty()
  check(C.gy_stats_zscore(out, X, cdim(fname, opts.dim), ddof_arg(fname, opts.ddof)), fname)
  return finish(out)
end

-- scipy.signal.detrend's type names, with its one-letter abbreviations.
local detrend_types = { linear = 1, l = 1, constant = 0, c = 0 }

function S.detrend(X, opts)
  local fname = "gy.stats.detrend"
  opts = core.options(fname, opts, { type = "linear", order = false })
  X = M.arg(X, fname, "X")
  local order = opts.order
  if order == false then
    order = detrend_types[opts.type]
    if not order then
      core.fail(fname, "type must be \"linear\" or \"constant\", got " .. tostring(opts.type))
    end
  elseif type(order) ~= "number" or order ~= floor(order) or order < 0 or order > 1e6 then
    core.fail(fname, "order must be an integer >= 0, got " .. tostring(order))
  end
  local out = M.empty()
  check(C.gy_stats_detrend(out, X, order), fname)
  return finish(out)
end

function S.corr(X, Y)
  local fname = "gy.stats.corr"
  X = M.arg(X, fname, "X")
  local out = M.empty()
  if Y == nil then
    check(C.gy_stats_corr(out, X), fname)
  else
    Y = M.arg(Y, fname, "Y")
    check(C.gy_stats_corr2(out, X, Y), fname)
  end
  return finish(out)
end

function S.rank(X, opts)
  local fname = "gy.stats.rank"
  opts = core.options(fname, opts, { dim = 1, method = "average" })
  if opts.method ~= "average" then
    core.fail(fname, "method must be \"average\" (the only one gyrus has), got "
      .. tostring(opts.method))
  end
  X = M.arg(X, fname, "X")
  local out = M.empty()
  check(C.gy_stats_rank(out, X, cdim(fname, opts.dim)), fname)
  return finish(out)
end

-- q: a number, a Lua list of numbers, or a gy matrix (its elements in column order).
local function quantiles(fname, q)
  local list
  if type(q) == "number" then
    list = { q }
  elseif M.is(q) then
    list = q:values()
  elseif type(q) == "table" then
    list = q
  else
    core.fail(fname, "q must be a number or a list of numbers, got " .. type(q), 3)
  end
  local n = #list
  if n == 0 then core.fail(fname, "q is an empty list", 3) end
  local buf = ffi.new("double[?]", n)
  for k = 1, n do
    if type(list[k]) ~= "number" then
      core.fail(fname, string.format("q[%d] is a %s, not a number", k, type(list[k])), 3)
    end
    buf[k - 1] = list[k]
  end
  return buf, n
end

function S.quantile(X, q, opts)
  local fname = "gy.stats.quantile"
  opts = core.options(fname, opts, { dim = 1, method = "linear" })
  if opts.method ~= "linear" then
    core.fail(fname, "method must be \"linear\" (numpy's default, the only one gyrus has), got "
      .. tostring(opts.method))
  end
  X = M.arg(X, fname, "X")
  local buf, n = quantiles(fname, q)
  local out = M.empty()
  check(C.gy_stats_quantile(out, X, buf, n, cdim(fname, opts.dim)), fname)
  return finish(out)
end

return S
