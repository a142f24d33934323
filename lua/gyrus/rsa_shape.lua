-- gy.rsa comparisons of two systems' representations (core/src/rsa_shape.c): centred
-- kernel alignment (linear, RBF, debiased) and generalised shape metrics (netrep).
-- X and Y are stimuli x units with the same stimuli in the same rows.
local ffi = require "ffi"
local core = require "gyrus.core"
local M = require "gyrus.mat"
local C, check, options = core.C, core.check, core.options


local S = {}

local kernels = { linear = C.GY_RSA_CKA_LINEAR, rbf = C.GY_RSA_CKA_RBF }
local scores = { angular = C.GY_RSA_SHAPE_ANGULAR, euclidean = C.GY_RSA_SHAPE_EUCLIDEAN }

function S.cka(X, Y, opts)
  local fname = "gy.rsa.cka"
  opts = options(fname, opts, { kernel = "linear", threshold = 1.0, debiased = false })
  local k = kernels[opts.kernel]
  if not k then
    core.fail(fname, "kernel must be 'linear' or 'rbf', got " .. tostring(opts.kernel))
  end
  if type(opts.threshold) ~= "number" then
    core.fail(fname, "threshold must be a number, got " .. tostring(opts.threshold))
  end
  if type(opts.debiased) ~= "boolean" then
    core.fail(fname, "debiased must be true or false, got " .. tostring(opts.debiased))
  end
  local out = ffi.new("double[1]")
  check(C.gy_rsa_cka(out, M.arg(X, fname, "X"), M.arg(Y, fname, "Y"), k, opts.threshold,
    opts.debiased and 1 or 0), fname)
  return out[0]
end

function S.shape_distance(X, Y, opts)
  local fname = "gy.rsa.shape_distance"
  opts = options(fname, opts, { alpha = 1.0, score = "angular", center_columns = true })
  local sc = scores[opts.score]
  if not sc then
    core.fail(fname, "score must be 'angular' or 'euclidean', got " .. tostring(opts.score))
  end
  if type(opts.alpha) ~= "number" then
    core.fail(fname, "alpha must be a number in [0, 1], got " .. tostring(opts.alpha))
  end
  if type(opts.center_columns) ~= "boolean" then
    core.fail(fname, "center_columns must be true or false, got "
      .. tostring(opts.center_columns))
  end
  local out = ffi.new("double[1]")
  check(C.gy_rsa_shape_distance(out, M.arg(X, fname, "X"), M.arg(Y, fname, "Y"), opts.alpha,
    opts.center_columns and 1 or 0, sc), fname)
  return out[0]
end

-- A stochastic representation {means = M x n, covs = {M matrices n x n}} as the means and
-- the covariances stacked side by side (n x M n).
local function gaussian(fname, x, what)
  if type(x) ~= "table" or x.means == nil or type(x.covs) ~= "table" then
    core.fail(fname, what .. " must be a table {means = M x n matrix, covs = list of M "
      .. "n x n covariances}", 4)
  end
  local m = M.arg(x.means, fname, what .. ".means")
  local Mn, n = m:shape()
  if #x.covs ~= Mn then
    core.fail(fname, string.format("%s has %d means but %d covariances", what, Mn, #x.covs), 4)
  end
  local stack = M.new(n, Mn * n, fname)
  for i = 1, Mn do
    local c = M.arg(x.covs[i], fname, string.format("%s.covs[%d]", what, i))
    local r, k = c:shape()
    if r ~= n or k ~= n then
      core.fail(fname, string.format("%s.covs[%d] is %d x %d, expected %d x %d", what, i, r, k,
        n, n), 4)
    end
    for b = 1, n do
      for a = 1, n do stack:set(a, (i - 1) * n + b, c:get(a, b)) end
    end
  end
  return m, stack
end

function S.stochastic_distance(X, Y, opts)
  local fname = "gy.rsa.stochastic_distance"
  opts = options(fname, opts, { alpha = 1.0, max_iter = 1000, tol = 1e-8 })
  if type(opts.alpha) ~= "number" then
    core.fail(fname, "alpha must be a number in [0, 2], got " .. tostring(opts.alpha))
  end
  if type(opts.max_iter) ~= "number" or opts.max_iter < 1 or opts.max_iter % 1 ~= 0 then
    core.fail(fname, "max_iter must be a positive integer, got " .. tostring(opts.max_iter))
  end
  if type(opts.tol) ~= "number" then
    core.fail(fname, "tol must be a number, got " .. tostring(opts.tol))
  end
  local mx, cx = gaussian(fname, X, "X")
  local my, cy = gaussian(fname, Y, "Y")
  local out = ffi.new("double[1]")
  check(C.gy_rsa_stochastic_distance(out, mx, cx, my, cy, opts.alpha, opts.max_iter, opts.tol),
    fname)
  return out[0]
end

return S
