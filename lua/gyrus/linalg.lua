-- gy.linalg: dense linear algebra over OpenBLAS/LAPACK (core/src/linalg.c), with
-- numpy.linalg's conventions and option names. Matrices may be given as gy matrices,
-- tables of rows or numbers; vectors (eigenvalues, singular values) come back as columns.
local core = require "gyrus.core"
local M = require "gyrus.mat"
local C, check, options = core.C, core.check, core.options

local L = {}

local function flag(fname, name, v)
  if type(v) ~= "boolean" then
    core.fail(fname, string.format("option '%s' must be true or false, got %s", name,
      tostring(v)), 3)
  end
  return v and 1 or 0
end

local function number_opt(fname, name, v)
  if type(v) ~= "number" or v ~= v or v == math.huge or v == -math.huge then
    core.fail(fname, string.format("option '%s' must be a finite number, got %s", name,
      tostring(v)), 3)
  end
  return v
end

local function result(out)
  core.account()
  return out
end

function L.matmul(A, B, opts)
  local fname = "gy.linalg.matmul"
  opts = options(fname, opts, { ta = false, tb = false })
  local ta, tb = flag(fname, "ta", opts.ta), flag(fname, "tb", opts.tb)
  A, B = M.arg(A, fname, "A"), M.arg(B, fname, "B")
  local out = M.empty()
  check(C.gy_linalg_matmul(out, A, ta, B, tb), fname)
  return result(out)
end

function L.syrk(A, opts)
  local fname = "gy.linalg.syrk"
  opts = options(fname, opts, { trans = true, alpha = 1 })
  local trans = flag(fname, "trans", opts.trans)
  local alpha = number_opt(fname, "alpha", opts.alpha)
  A = M.arg(A, fname, "A")
  local out = M.empty()
  check(C.gy_linalg_syrk(out, A, trans, alpha), fname)
  return result(out)
end

function L.eigh(A, opts)
  local fname = "gy.linalg.eigh"
  opts = options(fname, opts, { eigvals_only = false })
  local only = flag(fname, "eigvals_only", opts.eigvals_only) == 1
  A = M.arg(A, fname, "A")
  local w, V = M.empty(), (not only) and M.empty() or nil
  check(C.gy_linalg_eigh(w, V, A), fname)
  core.account()
  if only then return w end
  return w, V
end

function L.svd(A, opts)
  local fname = "gy.linalg.svd"
  opts = options(fname, opts, { full_matrices = false, compute_uv = true })
  local full = flag(fname, "full_matrices", opts.full_matrices)
  local uv = flag(fname, "compute_uv", opts.compute_uv) == 1
  A = M.arg(A, fname, "A")
  local s = M.empty()
  if not uv then
    check(C.gy_linalg_svd(nil, s, nil, A, 0), fname)
    return result(s)
  end
  local U, Vt = M.empty(), M.empty()
  check(C.gy_linalg_svd(U, s, Vt, A, full), fname)
  core.account()
  return U, s, Vt
end

function L.solve(A, B)
  local fname = "gy.linalg.solve"
  A, B = M.arg(A, fname, "A"), M.arg(B, fname, "B")
  local X = M.empty()
  check(C.gy_linalg_solve(X, A, B), fname)
  return result(X)
end

function L.cholesky(A)
  local fname = "gy.linalg.cholesky"
  A = M.arg(A, fname, "A")
  local out = M.empty()
  check(C.gy_linalg_cholesky(out, A), fname)
  return result(out)
end

function L.inv(A)
  local fname = "gy.linalg.inv"
  A = M.arg(A, fname, "A")
  local out = M.empty()
  check(C.gy_linalg_inv(out, A), fname)
  return result(out)
end

function L.pinv(A, opts)
  local fname = "gy.linalg.pinv"
  opts = options(fname, opts, { rcond = 1e-15 })
  local rcond = number_opt(fname, "rcond", opts.rcond)
  if rcond < 0 then core.fail(fname, "option 'rcond' must be >= 0, got " .. rcond) end
  A = M.arg(A, fname, "A")
  local out = M.empty()
  check(C.gy_linalg_pinv(out, A, rcond), fname)
  return result(out)
end

-- rcond = false stands for numpy's rcond=None (eps * max(m, n)); a negative rcond is
-- numpy's legacy rcond=-1, which LAPACK reads as machine precision.
local EPS = 2.220446049250313e-16
function L.lstsq(A, B, opts)
  local fname = "gy.linalg.lstsq"
  opts = options(fname, opts, { rcond = false })
  local rcond = -1
  if opts.rcond ~= false then
    rcond = number_opt(fname, "rcond", opts.rcond)
    if rcond < 0 then rcond = EPS end
  end
  A, B = M.arg(A, fname, "A"), M.arg(B, fname, "B")
  local X, rank = M.empty(), core.ffi.new("int64_t[1]")
  check(C.gy_linalg_lstsq(X, A, B, rcond, rank), fname)
  core.account()
  return X, tonumber(rank[0])
end

function L.det(A)
  local fname = "gy.linalg.det"
  A = M.arg(A, fname, "A")
  local d = core.ffi.new("double[1]")
  check(C.gy_linalg_det(d, A), fname)
  return d[0]
end

function L.threads(n)
  local fname = "gy.linalg.threads"
  if n == nil then n = 0 end
  if type(n) ~= "number" or n ~= math.floor(n) or n < 0 or n > 4096 then
    core.fail(fname, "the thread count must be an integer from 1 to 4096 (0 or nothing "
      .. "only queries it), got " .. tostring(n))
  end
  return tonumber(C.gy_linalg_threads(n))
end

return L
