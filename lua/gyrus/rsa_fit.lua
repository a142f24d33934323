-- gy.rsa iterative model fits (core/src/rsa_fit.c), after rsatoolbox's model/fitter.py:
-- fit_optimize (BFGS on the weights of a weighted model, optionally non-negative as
-- fit_optimize_positive), fit_interpolate (bounded Brent on each adjacent pair of an
-- interpolation model) and the loss they minimise. The lead mounts these into gy.rsa.
local ffi = require "ffi"
local core = require "gyrus.core"
local M = require "gyrus.mat"
local T = require "gyrus.rsa_trsa"
local I = require "gyrus.rsa_infer"
local C, check, options = core.C, core.check, core.options


local F = {}

-- Model RDMs as a K x m matrix (a list of RDMs or a matrix of columns) and their names.
local function models_arg(fname, models, names)
  if not T.is_list(models) and not M.is(models) then
    core.fail(fname, "models must be a list of model RDMs or a K x m matrix of RDM vectors", 3)
  end
  local S = T.set(fname, models, "model")
  local out = {}
  for i = 1, tonumber(S.cols) do
    local given = type(names) == "table" and names[i]
      or (T.is_list(models) and type(models[i]) == "table" and models[i].name)
    out[i] = given and tostring(given) or ("model " .. i)
  end
  return S, out
end

local function data_arg(fname, data)
  if T.is_list(data) or M.is(data) then return (T.set(fname, data, "data RDM")) end
  return T.vector(fname, data, "data RDM") -- a single data RDM
end

local fit_mt = {}
fit_mt.__index = fit_mt
function fit_mt.__tostring(md)
  local th = {}
  for i, t in ipairs(md.theta) do th[i] = string.format("%s %.4g", md.names[i], t) end
  return string.format("RSA model (%s, %s, method %s): loss %.6g, theta = {%s}", md.type,
    md.fitter, md.method, md.loss, table.concat(th, ", "))
end
-- The predicted RDM vector (K x 1), sum_i theta_i model_i (negative weights clipped to 0
-- for interpolation models, as rsatoolbox's predict_rdm).
function fit_mt.predict(md, theta)
  theta = theta or md.theta
  local S = md.rdms
  local K, m = S:shape()
  local v = M.new(K, 1, "gy.rsa.fit:predict")
  for k = 1, K do
    local s = 0
    for j = 1, m do
      local t = theta[j]
      if md.type == "interpolate" and t < 0 then t = 0 end
      s = s + t * S:get(k, j)
    end
    v:set(k, 1, s)
  end
  return v
end

local function number_opt(fname, name, v, lo, strict)
  if type(v) ~= "number" or v ~= v or v == math.huge or (strict and v <= lo) or v < lo then
    core.fail(fname, string.format("option '%s' must be a number %s %g, got %s", name,
      strict and ">" or ">=", lo, tostring(v)), 3)
  end
  return v
end

local function theta_table(th)
  local t = {}
  for i = 1, tonumber(th.rows) do t[i] = th.data[i - 1] end
  return t
end

function F.fit_optimize(models, data, opts)
  local fname = "gy.rsa.fit_optimize"
  opts = options(fname, opts, { method = "cosine", ridge = 0, positive = false, starts = 0,
    seed = 0, tol = 1e-6, names = false })
  local code = I.method_code(fname, opts.method)
  number_opt(fname, "ridge", opts.ridge, 0)
  number_opt(fname, "tol", opts.tol, 0, true)
  if type(opts.starts) ~= "number" or opts.starts < 0 or opts.starts % 1 ~= 0 then
    core.fail(fname, "option 'starts' must be an integer >= 0 (0: 2 x the number of models), got "
      .. tostring(opts.starts))
  end
  if type(opts.seed) ~= "number" or opts.seed < 0 or opts.seed % 1 ~= 0 or opts.seed >= 2 ^ 53 then
    core.fail(fname, "seed must be an integer in [0, 2^53), got " .. tostring(opts.seed))
  end
  local S, names = models_arg(fname, models, opts.names)
  local D = data_arg(fname, data)
  local th, loss = M.empty(), ffi.new("double[1]")
  check(C.gy_rsa_fit_optimize(th, loss, S, D, code, opts.ridge, opts.positive and 1 or 0,
    opts.starts, ffi.new("uint64_t", opts.seed), opts.tol), fname)
  return setmetatable({ type = "weighted", fitter = opts.positive and "fit_optimize_positive"
    or "fit_optimize", method = opts.method, rdms = S, names = names, theta = theta_table(th),
    loss = loss[0] }, fit_mt)
end

function F.fit_interpolate(models, data, opts)
  local fname = "gy.rsa.fit_interpolate"
  opts = options(fname, opts, { method = "cosine", xatol = 1e-5, names = false })
  local code = I.method_code(fname, opts.method)
  number_opt(fname, "xatol", opts.xatol, 0, true)
  local S, names = models_arg(fname, models, opts.names)
  local D = data_arg(fname, data)
  local th, loss = M.empty(), ffi.new("double[1]")
  check(C.gy_rsa_fit_interpolate(th, loss, S, D, code, opts.xatol), fname)
  return setmetatable({ type = "interpolate", fitter = "fit_interpolate", method = opts.method,
    rdms = S, names = names, theta = theta_table(th), loss = loss[0] }, fit_mt)
end

-- rsatoolbox's _loss: -mean_j compare(sum_i theta_i model_i, data_j) + ridge |theta|^2.
function F.fit_loss(theta, models, data, opts)
  local fname = "gy.rsa.fit_loss"
  opts = options(fname, opts, { method = "cosine", ridge = 0 })
  local code = I.method_code(fname, opts.method)
  number_opt(fname, "ridge", opts.ridge, 0)
  local S = models_arg(fname, models, false)
  local th
  if type(theta) == "table" and type(theta[1]) == "number" then
    th = M.new(#theta, 1, fname)
    for i = 1, #theta do th.data[i - 1] = theta[i] end
  else
    th = M.arg(theta, fname, "theta")
  end
  local loss = ffi.new("double[1]")
  check(C.gy_rsa_fit_loss(loss, th, S, data_arg(fname, data), code, opts.ridge), fname)
  return loss[0]
end

return F
