-- A small spec runner: `gyrus tests/lua/run.lua SPEC.lua`. It gives the spec describe/it,
-- a few expectations and fixture loading, runs every `it` under pcall (one failure does not
-- hide the others) and ends with "N passed, N failed"; the exit status is non-zero on failure.
local spec = assert(arg[1], "usage: gyrus run.lua SPEC.lua")
local src = os.getenv("GY_SOURCE_DIR") or "."

gy = gy or require "gyrus"

local passed, failed, prefix = 0, 0, {}

function describe(name, fn)
  prefix[#prefix + 1] = name
  fn()
  prefix[#prefix] = nil
end

function it(name, fn)
  local full = table.concat(prefix, " / ") .. (#prefix > 0 and " / " or "") .. name
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    passed = passed + 1
  else
    failed = failed + 1
    io.stderr:write("FAIL ", full, "\n  ", tostring(err), "\n")
  end
end

local function fail(msg, level) error(msg, (level or 1) + 2) end

function expect_eq(a, b, msg)
  if a ~= b then fail(string.format("%sexpected %s, got %s", msg and (msg .. ": ") or "",
    tostring(b), tostring(a))) end
end

function expect_true(v, msg)
  if not v then fail(msg or "expected a true value") end
end

-- |a - b| <= tol * max(1, |b|); matrices and tables compare element by element.
local function near(a, b, tol)
  if a == b then return true end
  local s = math.abs(b) > 1 and math.abs(b) or 1
  return math.abs(a - b) <= tol * s or (a ~= a and b ~= b)
end

local function flatten(x)
  if type(x) == "number" then return { x }, 1, 1 end
  if gy.ismatrix(x) then
    local r, c = x:shape()
    local t = {}
    for i = 1, r do for j = 1, c do t[#t + 1] = x:get(i, j) end end
    return t, r, c
  end
  if type(x) == "table" then
    if type(x[1]) == "table" then
      local t = {}
      for i = 1, #x do for j = 1, #x[i] do t[#t + 1] = x[i][j] end end
      return t, #x, #x[1]
    end
    return x, #x, 1
  end
  error("expect_near: cannot compare a " .. type(x))
end

function expect_near(a, b, tol, msg)
  tol = tol or 1e-12
  local ta, ra, ca = flatten(a)
  local tb, rb, cb = flatten(b)
  if #ta ~= #tb then
    fail(string.format("%ssizes differ: %d (%dx%d) vs %d (%dx%d)", msg and (msg .. ": ") or "",
      #ta, ra, ca, #tb, rb, cb))
  end
  for k = 1, #ta do
    if not near(ta[k], tb[k], tol) then
      fail(string.format("%selement %d: %.17g vs expected %.17g (tol %g)",
        msg and (msg .. ": ") or "", k, ta[k], tb[k], tol))
    end
  end
end

function expect_error(fn, pattern)
  local ok, err = pcall(fn)
  if ok then fail("expected an error" .. (pattern and (" matching '" .. pattern .. "'") or "")) end
  if pattern and not tostring(err):find(pattern) then
    fail(string.format("error '%s' does not match '%s'", tostring(err), pattern))
  end
  return err
end

-- Fixtures are Lua table literals written by tests/fixtures/make_*.py.
function fixture(name)
  local path = src .. "/tests/fixtures/" .. name
  local chunk = assert(loadfile(path))
  return chunk()
end

-- Helpers of the specs that drive the gyrus binary through the shell.
function shell_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

function read_file(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

-- The exit status of a shell command, as LuaJIT's os.execute gives it (a number).
function shell_status(cmd)
  local r = os.execute(cmd)
  if type(r) == "number" then return r end
  return r and 0 or 1
end

-- The real data cache made by scripts/setup.sh (nil if absent).
function data_paths()
  local dir = os.getenv("GY_DATA")
  if not dir then return nil end
  local f = loadfile(dir .. "/paths.lua")
  return f and f() or nil
end

local chunk, err = loadfile(spec)
if not chunk then error(err, 0) end
local ok, e = xpcall(chunk, debug.traceback)
if not ok then
  failed = failed + 1
  io.stderr:write("FAIL loading ", spec, "\n  ", tostring(e), "\n")
end
print(string.format("%d passed, %d failed", passed, failed))
-- An error (not os.exit) ends a failing run, so the host still closes the Lua state and
-- the sanitizer build can check that every matrix was freed.
if failed > 0 then error(string.format("%s: %d failed", spec, failed), 0) end
