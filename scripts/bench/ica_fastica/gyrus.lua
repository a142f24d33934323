-- gyrus side: FastICA of mixed Laplace sources (see bench.conf). ../ica_picard/gyrus.lua
-- runs this file with the global ICA_OPTS (another method) and ICA_NO_CHECK set.
local ffi = require "ffi"
local gy = gy or require "gyrus"
local ica = gy.ica or require "gyrus.ica"
local bench = dofile(os.getenv("GY_BENCH_HOME") .. "/benchlib.lua")
pcall(ffi.cdef, "double erfc(double x);")

local S, A, W = bench.load("S"), bench.load("A"), bench.load("W")
-- Normal -> Laplace(0, 1) by the inverse CDF, computed stably in the tails.
local n = tonumber(S.rows) * tonumber(S.cols)
local d = S.data
for k = 0, n - 1 do
  local z = d[k]
  local v = -math.log(ffi.C.erfc(math.abs(z) / math.sqrt(2)))
  d[k] = z < 0 and -v or v
end
local X = S * A:t()
local _ = ica.fit(gy.randn(200, 4, { seed = 1 }), { n = 4, tol = 1 }) -- starts BLAS threads
local opts = { n = 64, w_init = W }
for k, v in pairs(ICA_OPTS or {}) do opts[k] = v end
local t, m = bench.time(function() return ica.fit(X, opts) end)

-- Amari index (classical, normalised to [0, 1]) of P = unmixing * A.
local function amari(P)
  local r, c = P:shape()
  local s = 0
  for i = 1, r do
    local mx, sum = 0, 0
    for j = 1, c do local v = math.abs(P:get(i, j)); sum = sum + v; if v > mx then mx = v end end
    s = s + sum / mx - 1
  end
  for j = 1, c do
    local mx, sum = 0, 0
    for i = 1, r do local v = math.abs(P:get(i, j)); sum = sum + v; if v > mx then mx = v end end
    s = s + sum / mx - 1
  end
  return s / (2 * r * (r - 1))
end
-- Another method finds the sources in another order and sign: no common check value.
bench.report(t, not ICA_NO_CHECK and bench.sample(m.sources) or nil)
io.write(string.format("amari %.3e\nn_iter %d\n", amari(m.unmixing * A), m.n_iter))
