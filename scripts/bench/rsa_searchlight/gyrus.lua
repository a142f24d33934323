-- gyrus side: searchlight over a full 50 x 40 x 25 mask, correlation RDMs scored by
-- Spearman against model M; the plan (neighbourhoods) is timed too.
local gy = gy or require "gyrus"
local rsa = gy.rsa or require "gyrus.rsa"
local searchlight = rsa.searchlight or require("gyrus.rsa_searchlight").searchlight
local bench = dofile(os.getenv("GY_BENCH_HOME") .. "/benchlib.lua")
local X, model = bench.load("X"), bench.load("M")
local mask = { data = gy.ones(50 * 40 * 25, 1), shape = { 50, 40, 25 }, affine = gy.eye(4) }
local opts = { radius = 3, boundary = "exclusive", method = "correlation", model = model,
  compare = "spearman" }
local t, map = bench.time(function() return searchlight(X, mask, opts) end)
local f = io.open("/proc/self/status")
if f then
  local s = f:read("*a")
  f:close()
  io.stderr:write("peak RSS " .. (s:match("VmHWM:%s*(%d+ kB)") or "?") .. "\n")
end
bench.report(t, bench.sample(map))
