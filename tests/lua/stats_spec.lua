-- gy.stats against numpy/scipy (tests/fixtures/make_stats.py): a random 23 x 7 matrix with
-- offsets and trends (seed in the fixture), ties, one- and two-row edge cases, and the
-- correlation of a 200 x 300 matrix generated identically on both sides.
local F = fixture("stats.lua")
local S = gy.stats
local TOL = 1e-12

local X = gy.matrix(F.X)

-- The fixture's 200 x 300 input: a Park-Miller generator (exact in doubles) filled in
-- column-major order, each column then plus half its left neighbour.
local function lcg_matrix(n, p)
  local U = gy.zeros(n, p)
  local s = 12345
  for k = 0, n * p - 1 do
    s = (s * 16807) % 2147483647
    U.data[k] = s / 2147483647 - 0.5
  end
  local B = U:copy()
  for j = 1, p - 1 do
    for i = 0, n - 1 do B.data[i + j * n] = U.data[i + j * n] + 0.5 * U.data[i + (j - 1) * n] end
  end
  return B
end

describe("gy.stats", function()
  it("sum and mean along both dims", function()
    expect_near(S.sum(X), F.sum1, TOL)
    expect_near(S.sum(X, { dim = 2 }), F.sum2, TOL)
    expect_near(S.mean(X), F.mean1, TOL)
    expect_near(S.mean(X, { dim = 2 }), F.mean2, TOL)
    local r, c = S.mean(X):shape()
    expect_eq(r, 1); expect_eq(c, 7)
    r, c = S.mean(X, { dim = 2 }):shape()
    expect_eq(r, 23); expect_eq(c, 1)
  end)

  it("var and std with ddof", function()
    expect_near(S.var(X), F.var1, TOL)
    expect_near(S.var(X, { ddof = 1 }), F.var1_ddof1, TOL)
    expect_near(S.var(X, { dim = 2 }), F.var2, TOL)
    expect_near(S.var(X, { dim = 2, ddof = 2 }), F.var2_ddof2, TOL)
    expect_near(S.std(X), F.std1, TOL)
    expect_near(S.std(X, { ddof = 1 }), F.std1_ddof1, TOL)
    expect_near(S.std(X, { dim = 2, ddof = 1 }), F.std2_ddof1, TOL)
  end)

  it("matrix methods sum/mean/std(dim) go through gy.stats", function()
    expect_near(X:sum(1), F.sum1, TOL)
    expect_near(X:mean(2), F.mean2, TOL)
    expect_near(X:std(1, 1), F.std1_ddof1, TOL)
  end)

  it("zscore as scipy.stats.zscore", function()
    expect_near(S.zscore(X), F.zscore1, TOL)
    expect_near(S.zscore(X, { ddof = 1 }), F.zscore1_ddof1, TOL)
    expect_near(S.zscore(X, { dim = 2 }), F.zscore2, TOL)
  end)

  it("detrend as scipy.signal.detrend and polynomial least squares", function()
    expect_near(S.detrend(X), F.detrend_linear, TOL)
    expect_near(S.detrend(X, { type = "linear" }), F.detrend_linear, TOL)
    expect_near(S.detrend(X, { type = "l" }), F.detrend_linear, TOL)
    expect_near(S.detrend(X, { type = "constant" }), F.detrend_constant, TOL)
    expect_near(S.detrend(X, { order = 0 }), F.detrend_constant, TOL)
    expect_near(S.detrend(X, { order = 1 }), F.detrend_linear, TOL)
    expect_near(S.detrend(X, { order = 2 }), F.detrend_order2, TOL)
    expect_near(S.detrend(X, { order = 5 }), F.detrend_order5, TOL)
    expect_near(S.detrend(gy.matrix(F.two)), F.two_detrend_linear, TOL)
  end)

  it("corr as numpy.corrcoef(X, rowvar=False), and the X-Y block", function()
    local R = S.corr(X)
    expect_near(R, F.corr, TOL)
    for j = 1, 7 do expect_eq(R:get(j, j), 1) end
    expect_near(S.corr(X, gy.matrix(F.Y)), F.corr_XY, TOL)
    expect_near(S.corr(F.X, F.Y), F.corr_XY, TOL) -- Lua tables are accepted too
    local r, c = S.corr(X, gy.matrix(F.Y)):shape()
    expect_eq(r, 7); expect_eq(c, 4)
    expect_near(S.corr(gy.matrix(F.two)), F.two_corr, TOL)
  end)

  it("corr of a 200 x 300 matrix", function()
    local R = S.corr(lcg_matrix(200, 300))
    local r, c = R:shape()
    expect_eq(r, 300); expect_eq(c, 300)
    for k, i in ipairs(F.big_rows) do
      local want = F.big_corr_rows[k]
      for j = 1, 300 do
        local v = R:get(i, j)
        if math.abs(v - want[j]) > TOL then
          error(string.format("R(%d, %d) = %.17g, numpy %.17g", i, j, v, want[j]))
        end
      end
    end
    expect_near(S.sum(R), F.big_corr_colsum, 1e-11)
    local frob, asym = 0, 0
    for j = 1, 300 do
      expect_eq(R:get(j, j), 1)
      for i = 1, 300 do
        local v = R:get(i, j)
        frob = frob + v * v
        asym = math.max(asym, math.abs(v - R:get(j, i)))
      end
    end
    expect_near(math.sqrt(frob), F.big_corr_frob, TOL)
    expect_eq(asym, 0, "symmetric")
  end)

  it("rank as scipy.stats.rankdata (average ties)", function()
    expect_near(S.rank(X), F.rank1, 0)
    expect_near(S.rank(X, { dim = 2 }), F.rank2, 0)
    local T = gy.matrix(F.T)
    expect_near(S.rank(T), F.T_rank1, 0)
    expect_near(S.rank(T, { dim = 2 }), F.T_rank2, 0)
    expect_near(S.rank(T, { method = "average" }), F.T_rank1, 0)
    expect_near(S.rank({ 3, 1, 3, 2, 3 }), { 4, 1, 4, 2, 4 }, 0)
  end)

  it("quantile as numpy.quantile (linear)", function()
    expect_near(S.quantile(X, F.q), F.quantile1, TOL)
    expect_near(S.quantile(X, F.q, { dim = 2 }), F.quantile2, TOL)
    expect_near(S.quantile(X, 0.37), F.quantile_037, TOL)
    expect_near(S.quantile(X, gy.matrix(F.q)), F.quantile1, TOL)
    expect_near(S.quantile(gy.matrix(F.T), F.q), F.T_quantile1, TOL)
    expect_near(S.quantile(gy.matrix(F.one), F.q, { dim = 2 }), F.one_quantile2, TOL)
    local r, c = S.quantile(X, F.q, { dim = 2 }):shape()
    expect_eq(r, 23); expect_eq(c, 6)
  end)

  it("edge cases: one row, one column, Lua tables and numbers", function()
    local one = gy.matrix(F.one)
    expect_near(S.var(one, { dim = 2 }), F.one_var2, TOL)
    expect_near(S.sum(one), F.one, 0)
    expect_near(S.var(one), { { 0, 0, 0, 0 } }, 0)
    expect_near(S.mean({ { 1, 2 }, { 3, 4 } }), { { 2, 3 } }, 0)
    expect_near(S.sum(5), 5, 0)
    expect_near(S.mean({ 1, 2, 3, 4 }), 2.5, 0)
  end)

  it("errors name the function and the problem", function()
    local N = X:copy()
    N:set(2, 1, 0 / 0)
    expect_error(function() S.mean(N) end, "^[^:]*:%d+: gy%.stats%.mean: X has a non%-finite value")
    expect_error(function() S.corr(N) end, "gy%.stats%.corr: .*row 2, column 1")
    expect_error(function() S.rank(N) end, "non%-finite")
    local K = X:copy()
    for i = 1, 23 do K:set(i, 3, 4.5) end
    expect_error(function() S.zscore(K) end, "gy%.stats%.zscore: column 3 is constant")
    expect_error(function() S.corr(K) end, "gy%.stats%.corr: column 3 of X is constant")
    expect_error(function() S.corr(X, K) end, "column 3 of Y is constant")
    expect_error(function() S.sum(gy.zeros(0, 3)) end, "gy%.stats%.sum: X is empty %(0 x 3%)")
    expect_error(function() S.quantile(gy.zeros(0, 3), 0.5) end, "empty")
    expect_error(function() S.mean(X, { dim = 3 }) end, "gy%.stats%.mean: dim must be 1")
    expect_error(function() S.rank(X, { dim = 0 }) end, "dim must be 1")
    expect_error(function() S.mean(X, { dims = 1 }) end, "unknown option 'dims'")
    expect_error(function() S.var(X, { ddof = 23 }) end, "gy%.stats%.var: ddof = 23 needs more than")
    expect_error(function() S.std(X, { ddof = "1" }) end, "ddof must be a number")
    expect_error(function() S.zscore(gy.matrix(F.one)) end, "column 1 is constant")
    expect_error(function() S.detrend(X, { type = "quadratic" }) end, "type must be")
    expect_error(function() S.detrend(X, { order = 1.5 }) end, "order must be an integer")
    expect_error(function() S.corr(X, gy.zeros(5, 2)) end, "same number of rows")
    expect_error(function() S.corr(gy.matrix(F.one)) end, "at least 2 rows")
    expect_error(function() S.quantile(X, 1.5) end, "gy%.stats%.quantile: quantile 1 is 1.5")
    expect_error(function() S.quantile(X, { 0.5, "x" }) end, "q%[2%] is a string")
    expect_error(function() S.quantile(X, {}) end, "q is an empty list")
    expect_error(function() S.quantile(X, 0.5, { method = "nearest" }) end, "method must be")
    expect_error(function() S.rank(X, { method = "min" }) end, "method must be")
    expect_error(function() S.mean("abc") end, "gy%.stats%.mean: X must be a matrix")
  end)
end)
