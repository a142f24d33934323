-- gyrus side: the correlation-distance RDM of the rows of X (conditions x channels).
local gy = gy or require "gyrus"
local rsa = gy.rsa or require "gyrus.rsa"
local bench = dofile(os.getenv("GY_BENCH_HOME") .. "/benchlib.lua")
local X = bench.load("X")
local _ = rsa.rdm(gy.randn(20, 50, { seed = 1 }), { method = "correlation" }) -- starts BLAS threads
local t, r = bench.time(function() return rsa.rdm(X, { method = "correlation" }) end)
bench.report(t, bench.sample(r.dissimilarities))
