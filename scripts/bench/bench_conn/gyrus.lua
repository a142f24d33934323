-- gyrus side of benchmark (a): per subject nilearn's default correlation and Ledoit-Wolf
-- partial correlation, then the tangent embedding of the group (Ledoit-Wolf covariances,
-- nilearn's geometric mean and vectorisation). Subjects are the 1,200-row blocks of X.
-- gy.conn.connectivity serves the three kinds from one X'X per subject; GY_BENCH_SEPARATE=1
-- times the three separate calls instead.
local gy = gy or require "gyrus"
local conn = require "gyrus.conn"
local home = os.getenv("GY_BENCH_HOME") or (arg[0]:match("^(.*)/") or ".") .. "/.."
local bench = dofile(home .. "/benchlib.lua")
local X = bench.load("X")
local T_SUB = 1200
local subjects = {}
for s = 1, tonumber(X.rows) / T_SUB do subjects[s] = X:rowrange((s - 1) * T_SUB + 1, s * T_SUB) end
local _ = conn.correlation(gy.randn(50, 20, { seed = 1 })) -- starts the BLAS threads

local t, R, P, T = bench.time(function()
  if os.getenv("GY_BENCH_SEPARATE") == "1" then
    return conn.correlation(subjects), conn.partial_correlation(subjects), conn.tangent(subjects)
  end
  local r = conn.connectivity(subjects, { kinds = { "correlation", "partial_correlation", "tangent" },
    tangent = { vectorize = true } })
  return r.correlation, r.partial_correlation, r.tangent
end)
local function sample_list(list)
  local s = 0
  for _, m in ipairs(list) do s = s + bench.sample(m) end
  return s
end
bench.report(t, sample_list(R) + sample_list(P) + bench.sample(T))
