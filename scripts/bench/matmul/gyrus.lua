-- gyrus side: C = A * B.
local gy = gy or require "gyrus"
local home = os.getenv("GY_BENCH_HOME") or (arg[0]:match("^(.*)/") or ".") .. "/.."
local bench = dofile(home .. "/benchlib.lua")
local A, B = bench.load("A"), bench.load("B")
local _ = gy.ones(64, 64) * gy.ones(64, 64) -- starts the BLAS threads outside the timing
local t, C = bench.time(function() return A * B end)
bench.report(t, bench.sample(C))
