-- gyrus side: spatial ICA of synthetic fMRI-like data (see bench.conf).
local ffi = require "ffi"
local gy = gy or require "gyrus"
local ica = gy.ica or require "gyrus.ica"
local bench = dofile(os.getenv("GY_BENCH_HOME") .. "/benchlib.lua")
pcall(ffi.cdef, "double erfc(double x);")

local Mp, TC, N, W = bench.load("M"), bench.load("TC"), bench.load("N"), bench.load("W")
local d = Mp.data
for k = 0, tonumber(Mp.rows) * tonumber(Mp.cols) - 1 do
  local z = d[k]
  local v = -math.log(ffi.C.erfc(math.abs(z) / math.sqrt(2)))
  d[k] = z < 0 and -v or v
end
local X = Mp * TC:t() + N * 0.5 -- voxels x time: the voxels are the samples
local _ = ica.fit(gy.randn(200, 4, { seed = 1 }), { n = 4, tol = 1 }) -- starts BLAS threads
local t, m = bench.time(function() return ica.fit(X, { n = 20, w_init = W }) end)
bench.report(t, bench.sample(m.sources))
io.write(string.format("n_iter %d\n", m.n_iter))
