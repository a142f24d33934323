-- gy.conn against nilearn's ConnectivityMeasure re-computed by tests/fixtures/make_conn.py
-- on nitime's fmri_timeseries.csv (31 ROIs x 250 TRs), plus analytic values and bad input.
local conn = require "gyrus.conn"
local F = fixture("conn.lua")

-- The real data: the cache of scripts/fetch_data.sh (same default folder).
local function nitime_matrix()
  local dir = os.getenv("GY_DATA")
  if not dir or dir == "" then
    local cache = os.getenv("XDG_CACHE_HOME")
    if not cache or cache == "" then cache = (os.getenv("HOME") or "") .. "/.cache" end
    dir = cache .. "/gyrus/data"
  end
  local index = loadfile(dir .. "/paths.lua")
  if not index then error("no data cache in " .. dir .. ": run scripts/setup.sh", 0) end
  local path = index().nitime_dir .. "/fmri_timeseries.csv"
  -- Plain Lua until gy.read lands: a header line, then rows of numbers.
  local rows, first = {}, true
  for line in io.lines(path) do
    if first then first = false
    else
      local row = {}
      for field in line:gmatch("[^,]+") do row[#row + 1] = assert(tonumber(field)) end
      rows[#rows + 1] = row
    end
  end
  return gy.matrix(rows)
end

local X = nitime_matrix()

local function block(M, r0, nr)
  local t = {}
  for i = 1, nr do
    local row = {}
    for j = 1, tonumber(M.cols) do row[j] = M:get(r0 + i, j) end
    t[i] = row
  end
  return gy.matrix(t)
end

-- Relative agreement for matrices whose scale is far from 1 (raw BOLD covariances).
local function expect_rel(A, B, tol, msg)
  local r, c = A:shape()
  local scale = 0
  for i = 1, #B do for j = 1, #B[i] do scale = math.max(scale, math.abs(B[i][j])) end end
  expect_eq(r, #B, msg .. " rows")
  expect_eq(c, #B[1], msg .. " cols")
  for i = 1, r do
    for j = 1, c do
      local d = math.abs(A:get(i, j) - B[i][j])
      if d > tol * scale then
        error(string.format("%s (%d,%d): %.17g vs %.17g (tol %g of %g)", msg, i, j, A:get(i, j),
          B[i][j], tol, scale), 2)
      end
    end
  end
end

describe("gy.conn kinds on real ROI data", function()
  it("data are 250 x 31", function()
    expect_eq(X.rows, 250); expect_eq(X.cols, 31)
  end)
  for _, kind in ipairs({ "covariance", "correlation", "partial_correlation", "precision" }) do
    for _, est in ipairs({ "empirical", "ledoit-wolf", "oas" }) do
      it(kind .. " / " .. est .. " matches nilearn to 1e-8", function()
        local R = conn[kind](X, { estimator = est })
        expect_rel(R, F[kind .. "/" .. est], 1e-12, kind .. "/" .. est)
      end)
    end
  end
  it("ledoit-wolf is nilearn's default estimator", function()
    expect_rel(conn.partial_correlation(X), F["partial_correlation/ledoit-wolf"], 1e-12, "default")
  end)
  it("shrinkage coefficients match sklearn", function()
    for _, key in ipairs({ "covariance/ledoit-wolf", "covariance/oas", "correlation/ledoit-wolf",
      "correlation/oas" }) do
      local kind, est = key:match("([^/]+)/(.+)")
      local _, s = conn[kind](X, { estimator = est })
      expect_near(s, F["shrinkage/" .. key], 1e-10, key)
    end
  end)
  it("empirical correlation is Pearson r", function()
    expect_near(conn.correlation(X, { estimator = "empirical" }), F.pearson, 1e-12)
  end)
  it("nilearn's default correlation is (1 - delta_LW) r", function()
    local R, s = conn.correlation(X)
    expect_near(R:get(4, 9), (1 - s) * F.pearson[4][9], 1e-12)
  end)
  it("Fisher z", function()
    local z = conn.fisher_z(conn.correlation(X, { estimator = "empirical" }), { diagonal = 0 })
    expect_near(z, F.fisher_z, 1e-10)
    local zi = conn.fisher_z(gy.matrix({ { 1, 0.5 }, { 0.5, 1 } }))
    expect_eq(zi:get(1, 1), math.huge)
    expect_near(zi:get(1, 2), 0.54930614433405489, 1e-15)
  end)
  it("a list of subjects gives a list, vectorize gives subjects x pairs", function()
    local a, b = block(X, 0, 125), block(X, 125, 125)
    local list = conn.correlation({ a, b })
    expect_eq(#list, 2)
    local V = conn.correlation({ a, b }, { vectorize = true, discard_diagonal = true })
    expect_eq(V.rows, 2); expect_eq(V.cols, 31 * 30 / 2)
    expect_near(V:get(2, 1), list[2]:get(2, 1), 1e-15)
  end)
end)

describe("gy.conn.tangent", function()
  local xs = {}
  for s = 0, 4 do xs[s + 1] = block(X, 50 * s, 50) end
  it("matches nilearn (Ledoit-Wolf, geometric mean, vectorised) to 1e-8", function()
    local T, G, info = conn.tangent(xs)
    expect_eq(info.n_iter, F["tangent/n_iter"], "iterations")
    expect_true(info.converged)
    expect_rel(G, F["tangent/mean"], 1e-10, "mean")
    expect_near(T, F["tangent/vec"], 1e-8, "tangent vectors")
  end)
  it("discard_diagonal", function()
    local T = conn.tangent(xs, { discard_diagonal = true })
    expect_near(T, F["tangent/vec_discard"], 1e-8)
  end)
  it("empirical covariances", function()
    local T, G = conn.tangent(xs, { estimator = "empirical" })
    expect_rel(G, F["tangent_empirical/mean"], 1e-10, "mean")
    expect_near(T, F["tangent_empirical/vec"], 1e-8)
  end)
  it("pyRiemann's mean and vectorisation", function()
    local T, G, info = conn.tangent(xs, { method = "pyriemann", convention = "pyriemann" })
    expect_eq(info.n_iter, F["pyriemann/n_iter"], "iterations")
    expect_rel(G, F["pyriemann/mean"], 1e-10, "mean")
    expect_near(T, F["pyriemann/vec"], 1e-8)
  end)
  it("precomputed matrices and the unvectorised form", function()
    local covs = {}
    for i, x in ipairs(xs) do covs[i] = conn.covariance(x) end
    local T = conn.tangent(covs, { estimator = "precomputed", vectorize = false })
    expect_eq(#T, 5)
    local v = conn.vec(T[3])
    for k = 1, 10 do expect_near(v:get(k, 1), F["tangent/vec"][3][k], 1e-8) end
  end)
  it("connectivity: several kinds from one pass give the same matrices", function()
    local r = conn.connectivity(xs, { kinds = { "correlation", "partial_correlation", "tangent" } })
    for i = 1, 5 do
      expect_near(r.correlation[i], conn.correlation(xs[i]), 1e-14)
      expect_near(r.partial_correlation[i], conn.partial_correlation(xs[i]), 1e-13)
    end
    expect_near(r.tangent, F["tangent/vec"], 1e-8)
    expect_rel(r.mean, F["tangent/mean"], 1e-10, "mean")
    expect_eq(r.info.n_iter, F["tangent/n_iter"])
    expect_eq(r.covariance, nil, "covariance only on request")
    local _, s = conn.correlation(xs[2])
    expect_near(r.shrinkage.correlation[2], s, 1e-15)
    local one = conn.connectivity(X, { kinds = { "precision", "covariance" }, estimator = "oas" })
    expect_rel(one.precision, F["precision/oas"], 1e-12, "precision")
    expect_rel(one.covariance, F["covariance/oas"], 1e-12, "covariance")
    local v = conn.connectivity(xs, { kinds = { "correlation" }, vectorize = true,
      discard_diagonal = true })
    expect_eq(v.correlation.rows, 5)
    local pr = conn.connectivity(xs, { kinds = { "tangent" }, tangent = { convention = "pyriemann",
      method = "pyriemann" } })
    expect_near(pr.tangent, F["pyriemann/vec"], 1e-8)
    expect_error(function() conn.connectivity(X, { kinds = { "tangent" } }) end, "list of subjects")
    expect_error(function() conn.connectivity(xs, { kinds = { "corr" } }) end, "kinds")
    expect_error(function() conn.connectivity(xs, {}) end, "'kinds' is required")
  end)
  it("geometric mean of a couple (nilearn test_geometric_mean_couple)", function()
    local G = conn.geometric_mean({ F["couple/A"], F["couple/B"] }, { max_iter = 50 })
    expect_near(G, F["couple/mean"], 1e-7)
  end)
  it("bad input", function()
    expect_error(function() conn.tangent({ xs[1] }) end, "at least 2")
    expect_error(function() conn.tangent(xs[1]) end, "list of subjects")
    local narrow = block(X, 0, 50)
    expect_error(function()
      conn.tangent({ xs[1], gy.matrix({ { 1, 2 }, { 3, 5 }, { 2, 2 } }) })
    end, "subject 2 has 2 regions")
    expect_error(function() conn.tangent(xs, { method = "mean" }) end, "method")
    expect_error(function() conn.tangent(xs, { tolerance = 1 }) end, "unknown option")
    expect_error(function()
      conn.tangent({ narrow, narrow }, { estimator = "precomputed" })
    end, "not square")
    expect_error(function()
      conn.tangent({ { { 1, 0 }, { 0, 1 } }, { { 1, 2 }, { 2, 1 } } }, { estimator = "precomputed" })
    end, "matrix 2 is not positive definite")
  end)
end)

describe("gy.conn utilities (nilearn doctests)", function()
  it("vec / unvec", function()
    local A = { { 1, 2, 3 }, { 2, 1, 5 }, { 3, 5, 1 } }
    local h = 1 / math.sqrt(2)
    expect_near(conn.vec(A), { h, 2, h, 3, 5, h }, 1e-15)
    expect_near(conn.vec(A, { discard_diagonal = true }), { 2, 3, 5 }, 0)
    expect_near(conn.vec(A, { convention = "pyriemann" }),
      { 1, 2 * math.sqrt(2), 3 * math.sqrt(2), 1, 5 * math.sqrt(2), 1 }, 1e-15)
    expect_near(conn.unvec(conn.vec(A)), A, 1e-15)
    expect_near(conn.unvec(conn.vec(A, { convention = "pyriemann" }), { convention = "pyriemann" }),
      A, 1e-15)
    expect_near(conn.unvec({ 2, 3, 5 }, { diagonal = { h, h, h } }), A, 1e-15)
    local V = conn.vec({ A, A })
    expect_eq(V.rows, 2)
    expect_eq(#conn.unvec(V), 2)
    expect_error(function() conn.unvec({ 1, 2, 3, 4 }) end, "not the triangle")
  end)
  it("bad input", function()
    local lines = {}
    for i = 1, 10 do lines[i] = { i, (i * 7) % 5, 3 } end
    expect_error(function() conn.correlation(lines) end, "region 3 %(column 3%) is constant")
    local wide = block(X, 0, 20)
    expect_error(function() conn.partial_correlation(wide, { estimator = "empirical" }) end,
      "20 time points for 31 regions.*ledoit%-wolf")
    expect_error(function() conn.precision(wide, { estimator = "empirical" }) end, "ledoit%-wolf")
    local ok = conn.partial_correlation(wide)
    expect_eq(ok.rows, 31)
    local bad = gy.matrix({ { 1, 2 }, { 0 / 0, 1 }, { 3, 4 } })
    expect_error(function() conn.covariance(bad) end, "non%-finite value %(%-?nan%) at row 2, column 1")
    expect_error(function() conn.covariance({ { 1, 2 } }) end, "at least 2 time points")
    expect_error(function() conn.covariance(X, { estimator = "lw" }) end, "estimator")
    expect_error(function() conn.covariance(X, { standardize = true }) end, "unknown option")
    expect_error(function() conn.fisher_z({ { 1, 1.5 } }) end, "outside %[%-1, 1%]")
  end)
end)
