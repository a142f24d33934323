-- gyrus side of a benchmark: loads the shared inputs, times the kernel with a wall clock,
-- prints `time SECONDS` and `check VALUE` for scripts/bench/run.sh.
--   local bench = dofile(os.getenv("GY_BENCH_HOME") .. "/benchlib.lua")
--   local A = bench.load("A")
local ffi = require "ffi"
local gy = gy or require "gyrus"

local bench = {}
bench.dir = arg and arg[1] or os.getenv("GY_BENCH_DIR") or "."

-- os.clock is CPU time summed over threads, useless for threaded BLAS: a monotonic wall
-- clock, under a private name so it cannot clash with another declaration.
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } gy_bench_timespec;
int gy_bench_clock_gettime(int clk, gy_bench_timespec *ts) __asm__("clock_gettime");
]]
local ts = ffi.new("gy_bench_timespec")
local CLOCK_MONOTONIC = 1
function bench.now()
  ffi.C.gy_bench_clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

-- Reads DIR/NAME.f64 (column-major little-endian float64) into a new gyrus matrix, one
-- column per read, honouring the matrix's leading dimension.
function bench.load(name)
  local sf = assert(io.open(bench.dir .. "/" .. name .. ".shape"), "no input " .. name)
  local rows, cols = sf:read("*n", "*n")
  sf:close()
  local m = gy.zeros(rows, cols)
  local f = assert(io.open(bench.dir .. "/" .. name .. ".f64", "rb"))
  local bytes, ld = rows * 8, tonumber(m.ld)
  for j = 0, cols - 1 do
    local s = f:read(bytes)
    if not s or #s ~= bytes then error(name .. ".f64 is short at column " .. (j + 1)) end
    ffi.copy(m.data + j * ld, s, bytes)
  end
  f:close()
  return m
end

-- Seconds taken by fn() (its results are returned after the time).
function bench.time(fn)
  local t0 = bench.now()
  local r = { fn() }
  return bench.now() - t0, unpack(r)
end

-- The entries every side sums (0-based indices as in benchlib.py).
function bench.sample(m)
  local rows, cols = m:shape()
  local s = m:get(rows, cols)
  for k = 0, 9 do s = s + m:get((k * 7919) % rows + 1, (k * 104729) % cols + 1) end
  return s
end

-- Peak resident memory of this process so far, in MB (Linux: VmHWM), or nil.
function bench.peak_mb()
  local f = io.open("/proc/self/status")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  local kb = s:match("VmHWM:%s*(%d+)")
  return kb and tonumber(kb) / 1024
end

function bench.report(seconds, check)
  io.write(string.format("time %.6f\n", seconds))
  if check then io.write(string.format("check %.17g\n", check)) end
  local peak = bench.peak_mb()
  if peak then io.write(string.format("peak_mb %.1f\n", peak)) end
  io.flush()
end

return bench
