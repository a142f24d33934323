-- gy.linalg against numpy.linalg (tests/fixtures/linalg.lua, made by make_linalg.py), the
-- properties that hold whatever the signs of eigen/singular vectors, and the error paths.
local F = fixture("linalg.lua")
local L = gy.linalg
local TOL = 1e-10

-- Each column times the sign of its largest-magnitude entry (the fixture's convention);
-- `rows`, when given, gets the same flips on its rows (Vt paired with U).
local function signfix(V, rows)
  local r, c = V:shape()
  local out, rout = V:copy(), rows and rows:copy()
  for j = 1, c do
    local best, bi = -1, 1
    for i = 1, r do
      local a = math.abs(V:get(i, j))
      if a > best then best, bi = a, i end
    end
    if V:get(bi, j) < 0 then
      for i = 1, r do out:set(i, j, -V:get(i, j)) end
      if rout then
        local _, rc = rout:shape()
        for k = 1, rc do rout:set(j, k, -rows:get(j, k)) end
      end
    end
  end
  return out, rout
end

local function diag(v)
  local n = v:shape()
  local D = gy.zeros(n, n)
  for i = 1, n do D:set(i, i, v:get(i)) end
  return D
end

local function shape_is(m, r, c, msg)
  local mr, mc = m:shape()
  expect_eq(mr .. "x" .. mc, r .. "x" .. c, msg)
end

describe("products", function()
  local t = F.matmul
  it("matmul with every transpose combination", function()
    expect_near(L.matmul(t.A, t.B), t.AB, TOL)
    expect_near(L.matmul(t.At, t.B, { ta = true }), t.AtB, TOL)
    expect_near(L.matmul(t.A, t.Bt, { tb = true }), t.ABt, TOL)
    expect_near(L.matmul(t.At, t.Bt, { ta = true, tb = true }), t.AtBt, TOL)
  end)
  it("the * operator is the matrix product", function()
    expect_near(gy.matrix(t.A) * gy.matrix(t.B), t.AB, TOL)
  end)
  it("works on views with a column stride", function()
    local big = gy.zeros(9, 8)
    local Av = big:block(2, 6, 3, 6):assign(t.A)
    expect_near(L.matmul(Av, t.B), t.AB, TOL)
  end)
  it("empty inner size gives zeros; empty outer size gives an empty matrix", function()
    local Z = L.matmul(gy.zeros(3, 0), gy.zeros(0, 2))
    shape_is(Z, 3, 2)
    expect_near(Z, { { 0, 0 }, { 0, 0 }, { 0, 0 } }, 0)
    shape_is(L.matmul(gy.zeros(0, 4), gy.zeros(4, 2)), 0, 2)
  end)
  it("syrk gives A'A and alpha AA' with both triangles", function()
    expect_near(L.syrk(F.syrk.A), F.syrk.AtA, TOL)
    expect_near(L.syrk(F.syrk.A, { trans = false, alpha = 0.5 }), F.syrk.AAt_half, TOL)
  end)
  it("shape errors name both shapes", function()
    expect_error(function() L.matmul(t.A, t.A) end,
      "gy.linalg.matmul: inner sizes differ: A is 5 x 4 and B is 5 x 4")
    expect_error(function() return gy.matrix(t.A) * gy.matrix(t.A) end, "inner sizes differ")
    expect_error(function() L.matmul(t.A, t.B, { ta = 1 }) end, "must be true or false")
    expect_error(function() L.matmul(t.A, t.B, { transa = true }) end, "unknown option 'transa'")
    expect_error(function() L.matmul("x", t.B) end, "A must be a matrix")
    expect_error(function() L.syrk(t.A, { alpha = 0 / 0 }) end, "finite number")
  end)
end)

describe("eigh", function()
  local t = F.eigh
  it("eigenvalues ascending as numpy", function()
    local w, V = L.eigh(t.A)
    expect_near(w, t.w, TOL)
    expect_near(signfix(V), t.V, TOL)
  end)
  it("V diag(w) V' rebuilds A and V is orthonormal", function()
    local w, V = L.eigh(t.A)
    expect_near(V * diag(w) * V:t(), t.A, TOL)
    expect_near(L.matmul(V, V, { ta = true }), gy.eye(6), TOL)
  end)
  it("eigvals_only gives the same values", function()
    expect_near(L.eigh(t.A, { eigvals_only = true }), t.w, TOL)
  end)
  it("reads only the lower triangle", function()
    local A = gy.matrix(t.A)
    A:set(1, 6, 1e6)
    expect_near(L.eigh(A), t.w, TOL)
  end)
  it("refuses non-square, empty and non-finite input", function()
    expect_error(function() L.eigh(gy.zeros(3, 2)) end, "gy.linalg.eigh: matrix must be square, got 3 x 2")
    expect_error(function() L.eigh(gy.zeros(0, 0)) end, "matrix is empty")
    local A = gy.matrix(t.A)
    A:set(2, 3, 0 / 0)
    expect_error(function() L.eigh(A) end, "non%-finite value %(.*%) at row 2, column 3")
  end)
end)

describe("svd", function()
  for _, name in ipairs({ "svd_tall", "svd_wide" }) do
    local t = F[name]
    it(name .. ": singular values descending, factors match numpy up to sign", function()
      local U, s, Vt = L.svd(t.A)
      expect_near(s, t.s, TOL)
      local Uf, Vtf = signfix(U, Vt)
      expect_near(Uf, t.U, TOL)
      expect_near(Vtf, t.Vt, TOL)
      expect_near(U * diag(s) * Vt, t.A, TOL)
    end)
    it(name .. ": full matrices are square and orthogonal", function()
      local U, s, Vt = L.svd(t.A, { full_matrices = true })
      shape_is(U, t.full_U_shape[1], t.full_U_shape[2])
      shape_is(Vt, t.full_Vt_shape[1], t.full_Vt_shape[2])
      local m = U:shape()
      local n = Vt:shape()
      expect_near(L.matmul(U, U, { ta = true }), gy.eye(m), TOL)
      expect_near(L.matmul(Vt, Vt, { tb = true }), gy.eye(n), TOL)
      expect_near(s, t.s, TOL)
    end)
    it(name .. ": compute_uv = false gives the values only", function()
      expect_near(L.svd(t.A, { compute_uv = false }), t.s, TOL)
    end)
  end
  it("refuses empty and non-finite input", function()
    expect_error(function() L.svd(gy.zeros(0, 3)) end, "gy.linalg.svd: matrix is empty %(0 x 3%)")
    expect_error(function() L.svd({ { 1, 1 / 0 } }) end, "non%-finite")
  end)
end)

describe("solve, inv, det, cholesky", function()
  it("solve matches numpy for a matrix and a vector right-hand side", function()
    local t = F.solve
    expect_near(L.solve(t.A, t.B), t.X, TOL)
    expect_near(L.solve(t.A, t.b), t.x, TOL)
  end)
  it("solve errors", function()
    local t = F.solve
    expect_error(function() L.solve(t.A, gy.zeros(4, 1)) end,
      "gy.linalg.solve: A is 5 x 5 and B is 4 x 1: B needs 5 rows")
    expect_error(function() L.solve({ { 1, 2 }, { 2, 4 } }, { 1, 1 }) end,
      "gy.linalg.solve: matrix is singular")
    expect_error(function() L.solve(gy.zeros(2, 3), { 1, 1 }) end, "A must be square")
    expect_error(function() L.solve(t.A, { 1, 2, 0 / 0, 4, 5 }) end, "B has a non%-finite")
  end)
  it("inv matches numpy and inv(A) A = I", function()
    local t = F.inv
    local Ai = L.inv(t.A)
    expect_near(Ai, t.Ainv, TOL)
    expect_near(Ai * gy.matrix(t.A), gy.eye(5), TOL)
    expect_error(function() L.inv({ { 1, 2 }, { 2, 4 } }) end, "gy.linalg.inv: matrix is singular")
  end)
  it("det matches numpy; an exactly singular matrix gives 0", function()
    expect_near(L.det(F.det.A), F.det.det, TOL)
    expect_eq(L.det(F.det.singular), 0)
    expect_eq(F.det.singular_det, 0)
    expect_near(L.det(5), 5, 0)
    expect_near(L.det({ { 0, 1 }, { 1, 0 } }), -1, 0)
  end)
  it("det does not overflow in the middle of the product", function()
    -- diag(1e200, 1e200, 1e-200, 1e-200): partial products overflow, the result is 1.
    local A = gy.zeros(4, 4)
    A:set(1, 1, 1e200):set(2, 2, 1e200):set(3, 3, 1e-200):set(4, 4, 1e-200)
    expect_near(L.det(A), 1, 1e-14)
  end)
  it("cholesky is lower and matches numpy", function()
    local t = F.cholesky
    local Lc = L.cholesky(t.A)
    expect_near(Lc, t.L, TOL)
    expect_near(Lc * Lc:t(), t.A, TOL)
    expect_error(function() L.cholesky({ { 1, 2 }, { 2, 1 } }) end,
      "gy.linalg.cholesky: matrix is not positive definite")
  end)
end)

describe("pinv", function()
  local t = F.pinv
  it("matches numpy on well-conditioned and rank-deficient matrices", function()
    expect_near(L.pinv(t.wc), t.wc_pinv, TOL)
    expect_near(L.pinv(t.rd), t.rd_pinv, TOL)
    expect_near(L.pinv(gy.matrix(t.rd):t()), t.rdt_pinv, TOL)
  end)
  it("rcond drops small singular values as numpy", function()
    expect_near(L.pinv(t.graded, { rcond = 1e-5 }), t.graded_pinv_1e5, TOL)
  end)
  it("Penrose conditions A A+ A = A and A+ A A+ = A+", function()
    local A = gy.matrix(t.rd)
    local P = L.pinv(A)
    expect_near(A * P * A, A, TOL)
    expect_near(P * A * P, P, TOL)
  end)
  it("the zero matrix gives zeros; bad rcond is an error", function()
    expect_near(L.pinv(gy.zeros(2, 3)), gy.zeros(3, 2), 0)
    expect_error(function() L.pinv(t.wc, { rcond = -1 }) end, "rcond' must be >= 0")
    expect_error(function() L.pinv(t.wc, { rcond = 0 / 0 }) end, "finite number")
  end)
end)

describe("lstsq", function()
  local t = F.lstsq
  it("overdetermined full rank", function()
    local X, r = L.lstsq(t.A, t.B)
    expect_near(X, t.X, TOL)
    expect_eq(r, t.rank)
  end)
  it("rank deficient: minimum-norm solution and rank", function()
    local X, r = L.lstsq(t.Ar, t.Br)
    expect_near(X, t.Xr, TOL)
    expect_eq(r, t.rank_r)
  end)
  it("underdetermined: minimum-norm solution", function()
    local x, r = L.lstsq(t.Au, t.bu)
    expect_near(x, t.xu, TOL)
    expect_eq(r, t.rank_u)
  end)
  it("rcond cuts the rank as numpy", function()
    local x, r = L.lstsq(t.Ag, t.bg, { rcond = 1e-5 })
    expect_near(x, t.xg, TOL)
    expect_eq(r, t.rank_g)
    local x0, r0 = L.lstsq(t.Ag, t.bg)
    expect_near(x0, t.xg0, 1e-6) -- singular value 1e-8 amplifies rounding by 1e8
    expect_eq(r0, t.rank_g0)
  end)
  it("errors", function()
    expect_error(function() L.lstsq(t.A, { 1, 2, 3 }) end,
      "gy.linalg.lstsq: A is 8 x 4 and B is 3 x 1: B needs 8 rows")
    expect_error(function() L.lstsq(gy.zeros(0, 2), gy.zeros(0, 1)) end, "A is empty")
    expect_error(function() L.lstsq(t.A, t.B, { rcond = "x" }) end, "finite number")
  end)
end)

describe("threads", function()
  it("sets and reports the BLAS thread count", function()
    local before = L.threads()
    expect_true(before >= 1)
    expect_eq(L.threads(1), 1)
    expect_eq(L.threads(), 1)
    L.threads(before)
    expect_error(function() L.threads(-1) end, "thread count")
    expect_error(function() L.threads(1.5) end, "thread count")
  end)
end)
