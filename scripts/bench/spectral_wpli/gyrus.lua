-- gyrus side of benchmark (c): multitaper wPLI over 100 epochs of 64 channels, the epochs
-- being the 64-column blocks of X.
local gy = gy or require "gyrus"
local spectral = require "gyrus.spectral"
local home = os.getenv("GY_BENCH_HOME") or (arg[0]:match("^(.*)/") or ".") .. "/.."
local bench = dofile(home .. "/benchlib.lua")
local X = bench.load("X")
local N_CH = 64
local epochs = {}
for e = 1, tonumber(X.cols) / N_CH do epochs[e] = X:colrange((e - 1) * N_CH + 1, e * N_CH) end

local t, r = bench.time(function()
  return spectral.spectral(epochs, { method = "wpli", sfreq = 500, mode = "multitaper" })
end)
bench.report(t, bench.sample(r.wpli))
