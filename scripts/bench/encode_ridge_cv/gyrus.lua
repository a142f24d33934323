-- gyrus side: gy.encode.ridge_cv with himalaya's defaults (l2_neg_loss, one alpha per target).
local gy = gy or require "gyrus"
local encode = gy.encode or require "gyrus.encode"
local bench = dofile(os.getenv("GY_BENCH_HOME") .. "/benchlib.lua")
local X = bench.load("X")
local Y = bench.load("Y")
local alphas = {}
for k = 0, 19 do alphas[#alphas + 1] = 10 ^ (-2 + 10 * k / 19) end
local _ = encode.ridge_cv(gy.randn(40, 5, { seed = 1 }), gy.randn(40, 3, { seed = 2 })) -- BLAS threads
local t, m = bench.time(function() return encode.ridge_cv(X, Y, { alphas = alphas, cv = 5 }) end)
bench.report(t, bench.sample(m.cv_scores))
