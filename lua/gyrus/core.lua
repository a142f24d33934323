-- The bridge to libgyrus: the FFI namespace, the one status check, option validation and
-- the registry of methods that completion and help use.
local ffi = require "ffi"

local core = { ffi = ffi }

ffi.cdef(require "gyrus.cdef")

-- Inside the `gyrus` host libgyrus is linked into the process and ffi.C sees it; under a
-- plain luajit, GY_LIB names the shared library.
local function load()
  if pcall(function() return ffi.C.gy_version end) then return ffi.C end
  local path = os.getenv("GY_LIB") or "gyrus"
  local ok, lib = pcall(ffi.load, path)
  if not ok then
    error("gyrus: cannot load libgyrus (" .. tostring(lib) .. "); set GY_LIB to its path", 0)
  end
  return lib
end
core.C = load()
local C = core.C

-- Every C call goes through here: a failing status becomes a Lua error that names the
-- public function; a pending Ctrl-C also stops here, so loops that call gyrus are
-- interruptible even when LuaJIT has compiled them (compiled code ignores hooks).
function core.check(status, fname)
  if status ~= 0 then
    local msg = ffi.string(C.gy_errmsg())
    if status == C.GY_EINTR then C.gy_interrupt(0) end
    error(fname .. ": " .. msg, 3)
  end
  if C.gy_interrupted() ~= 0 then
    C.gy_interrupt(0)
    error(fname .. ": interrupted", 3)
  end
end

-- Raises `fname: msg` at the caller of the public function.
function core.fail(fname, msg, level)
  error(fname .. ": " .. msg, (level or 2) + 1)
end

-- Options: a missing table is empty, unknown names are errors (typos must not pass), and
-- defaults fill what the caller left out. A default of core.REQUIRED must be given.
core.REQUIRED = setmetatable({}, { __tostring = function() return "required" end })
function core.options(fname, opts, defaults)
  if opts == nil then opts = {} end
  if type(opts) ~= "table" then
    error(fname .. ": options must be a table, got " .. type(opts), 3)
  end
  local out = {}
  for k, v in pairs(opts) do
    if defaults[k] == nil then
      local known = {}
      for name in pairs(defaults) do known[#known + 1] = name end
      table.sort(known)
      error(string.format("%s: unknown option '%s' (options: %s)", fname, tostring(k),
        #known > 0 and table.concat(known, ", ") or "none"), 3)
    end
    out[k] = v
  end
  for k, v in pairs(defaults) do
    if out[k] == nil then
      if v == core.REQUIRED then error(fname .. ": option '" .. k .. "' is required", 3) end
      out[k] = v
    end
  end
  return out
end

-- Methods of FFI object types, keyed by ctype id: getmetatable(cdata) is "ffi", so the REPL
-- cannot find them any other way.
local methods = {}
function core.register_methods(ctype, tbl) methods[tonumber(ctype)] = tbl end
function core.methods_of(obj)
  if type(obj) ~= "cdata" then return nil end
  return methods[tonumber(ffi.typeof(obj))]
end

-- C memory is invisible to the Lua GC; collect when it has grown by a soft limit since
-- the last collection so matrices made in a loop do not pile up (Torch's heap tracking).
local soft_limit = 256 * 2 ^ 20
local last_bytes = 0
function core.account()
  local now = tonumber(C.gy_alloc_bytes())
  if now - last_bytes > soft_limit then
    collectgarbage("collect")
    last_bytes = tonumber(C.gy_alloc_bytes())
  elseif now < last_bytes then
    last_bytes = now
  end
end

return core
