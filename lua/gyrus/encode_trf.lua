-- Temporal response functions with mTRF-Toolbox semantics (core/src/encode_trf.c): forward
-- (stimulus -> response) and backward (response -> stimulus) models with a ridge or
-- Laplacian (first-difference) penalty, and Haufe patterns. The lead mounts the returned
-- functions into gy.encode.
local ffi = require "ffi"
local core = require "gyrus.core"
local M = require "gyrus.mat"
local C, check = core.C, core.check


local T = {}
local floor, ceil = math.floor, math.ceil

-- A list of trials (matrices or tables of rows) or one matrix, as gy_mat views kept alive
-- by the returned `keep` table.
local function trials(x, fname, what)
  local list
  if type(x) == "table" and not M.is(x) and
     (M.is(x[1]) or (type(x[1]) == "table" and type(x[1][1]) == "table")) then
    list = x
  else
    list = { x }
  end
  local arr, keep = ffi.new("gy_mat[?]", #list), {}
  for i = 1, #list do
    keep[i] = M.arg(list[i], fname, what)
    arr[i - 1] = keep[i]
  end
  return arr, #list, keep
end

local function finite(fname, k, v)
  if type(v) ~= "number" or v ~= v or v == math.huge or v == -math.huge then
    core.fail(fname, "option '" .. k .. "' must be a finite number", 3)
  end
end

local methods = { ridge = 0, laplacian = 1, tikhonov = 1 }

local Model = {}
Model.__index = Model

local function lag_array(self)
  local a = ffi.new("int64_t[?]", #self.lags)
  for i, l in ipairs(self.lags) do a[i - 1] = l end
  return a
end

-- Predicts the model's output from its input (the stimulus for a forward model, the
-- response for a backward one).
function Model:predict(x)
  local fname = "trf:predict"
  x = M.arg(x, fname, "x")
  local out = M.empty()
  check(C.gy_encode_trf_predict(out, x, self.weights, self.b, lag_array(self), #self.lags,
    self.fs), fname)
  core.account()
  return out
end

Model.__tostring = function(self)
  return string.format("TRF (%s, %s, lambda %g): %d inputs x %d lags -> %d outputs",
    self.direction == 1 and "forward" or "backward", self.method, self.lambda,
    self.n_inputs, #self.lags, tonumber(self.weights.cols))
end

-- Lag-major rows (lag l, feature f at row l*p + f) split into one features x lags matrix
-- per output.
local function per_output(Wm, p, nl)
  local out = {}
  for k = 0, tonumber(Wm.cols) - 1 do
    local m = M.new(p, nl, "gy.encode.trf")
    for l = 0, nl - 1 do
      for f = 0, p - 1 do m.data[f + l * p] = Wm.data[(l * p + f) + k * Wm.ld] end
    end
    out[k + 1] = m
  end
  return out
end

function T.trf(stim, resp, opts)
  local fname = "gy.encode.trf"
  opts = core.options(fname, opts, { fs = core.REQUIRED, tmin = core.REQUIRED,
    tmax = core.REQUIRED, lambda = core.REQUIRED, method = "ridge", direction = 1 })
  for _, k in ipairs { "fs", "tmin", "tmax", "lambda" } do finite(fname, k, opts[k]) end
  if opts.fs <= 0 then core.fail(fname, "fs must be positive", 2) end
  if opts.tmax < opts.tmin then core.fail(fname, "tmax must not be below tmin", 2) end
  if opts.lambda < 0 then core.fail(fname, "lambda must be >= 0", 2) end
  local method = methods[opts.method]
  if not method then
    core.fail(fname, "unknown method '" .. tostring(opts.method) .. "' (ridge, laplacian)", 2)
  end
  local dir = opts.direction
  if dir ~= 1 and dir ~= -1 then core.fail(fname, "direction must be 1 or -1", 2) end
  -- mTRFtrain: the backward model maps the response to the stimulus over negated lags.
  local lo, hi
  if dir == 1 then
    lo, hi = floor(opts.tmin * opts.fs), ceil(opts.tmax * opts.fs)
  else
    lo, hi = ceil(-opts.tmax * opts.fs), floor(-opts.tmin * opts.fs)
  end
  local lags = {}
  for l = lo, hi do lags[#lags + 1] = l end
  local S, ns, k1 = trials(stim, fname, "stim")
  local R, nr, k2 = trials(resp, fname, "resp")
  if ns ~= nr then
    core.fail(fname, string.format("%d stimulus trials but %d response trials", ns, nr), 2)
  end
  local X, Y = S, R
  if dir == -1 then X, Y = R, S end
  local la = ffi.new("int64_t[?]", #lags)
  for i, l in ipairs(lags) do la[i - 1] = l end
  local W, b = M.empty(), M.empty()
  check(C.gy_encode_trf(W, b, X, Y, ns, la, #lags, opts.lambda, opts.fs, method), fname)
  core.account()
  local _ = { k1, k2 }
  local p = tonumber(X[0].cols)
  local t = {}
  for i, l in ipairs(lags) do t[i] = l / opts.fs end
  return setmetatable({ weights = W, b = b, w = per_output(W, p, #lags), t = t, lags = lags,
    fs = opts.fs, lambda = opts.lambda, method = opts.method == "tikhonov" and "laplacian"
    or opts.method, direction = dir, n_inputs = p }, Model)
end

-- haufe(model, x): patterns of a TRF from its input data x (the response for a backward
-- model; one matrix or a list of trials); haufe(X, W): patterns of any linear model with design X and weights W.
function T.haufe(a, b)
  local fname = "gy.encode.haufe"
  local A = M.empty()
  if getmetatable(a) == Model then
    -- Trials are lagged one by one (no lag crosses a trial boundary), then stacked.
    local xs, nt, keep = trials(b, fname, "x")
    local lags, parts, rows = lag_array(a), {}, 0
    for t = 0, nt - 1 do
      parts[t + 1] = M.empty()
      check(C.gy_encode_delay(parts[t + 1], xs[t], lags, #a.lags), fname)
      rows = rows + tonumber(parts[t + 1].rows)
    end
    local _ = keep
    local Xl = parts[1]
    if nt > 1 then
      local cols = tonumber(parts[1].cols)
      Xl = M.new(rows, cols, fname)
      local r0 = 0
      for _, m in ipairs(parts) do
        if tonumber(m.cols) ~= cols then core.fail(fname, "trials differ in channels", 2) end
        for j = 0, cols - 1 do
          ffi.copy(Xl.data + j * Xl.ld + r0, m.data + j * m.ld, tonumber(m.rows) * 8)
        end
        r0 = r0 + tonumber(m.rows)
      end
    end
    check(C.gy_encode_haufe(A, Xl, a.weights), fname)
    core.account()
    return A, per_output(A, a.n_inputs, #a.lags)
  end
  local X, W = M.arg(a, fname, "X"), M.arg(b, fname, "W")
  check(C.gy_encode_haufe(A, X, W), fname)
  core.account()
  return A
end

return T
