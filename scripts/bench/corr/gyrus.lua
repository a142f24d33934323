-- gyrus side: R = gy.stats.corr(X), variables in columns.
local gy = gy or require "gyrus"
local home = os.getenv("GY_BENCH_HOME") or (arg[0]:match("^(.*)/") or ".") .. "/.."
local bench = dofile(home .. "/benchlib.lua")
local X = bench.load("X")
local _ = gy.stats.corr(gy.randn(50, 20, { seed = 1 })) -- starts the BLAS threads
local t, R = bench.time(function() return gy.stats.corr(X) end)
bench.report(t, bench.sample(R))
