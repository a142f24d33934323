-- gyrus side: crossnobis over 8 runs, 92 conditions, identity noise.
local gy = gy or require "gyrus"
local rsa = gy.rsa or require "gyrus.rsa"
local bench = dofile(os.getenv("GY_BENCH_HOME") .. "/benchlib.lua")
local X = bench.load("X")
local N = X:shape()
local cond, runs = {}, {}
for r = 0, N - 1 do
  cond[r + 1] = r % 92
  runs[r + 1] = math.floor(r / 92)
end
local _ = rsa.rdm(gy.randn(8, 30, { seed = 1 }), { method = "crossnobis", -- starts BLAS threads
  conditions = { 1, 2, 1, 2, 1, 2, 1, 2 }, runs = { 1, 1, 2, 2, 3, 3, 4, 4 } })
local t, r = bench.time(function()
  return rsa.rdm(X, { method = "crossnobis", conditions = cond, runs = runs })
end)
bench.report(t, bench.sample(r.dissimilarities))
