-- gyrus: brain-data analysis from Lua. `local gy = require "gyrus"`; in the REPL `gy` is
-- already a global. Modules load on first use so start-up stays instant.
local M = require "gyrus.mat"

local gy = {
  version = require("ffi").string(require("gyrus.core").C.gy_version()),
  matrix = M.matrix,
  zeros = M.zeros,
  ones = M.ones,
  full = M.full,
  eye = M.eye,
  randn = M.randn,
  rand = M.rand,
  seed = M.seed,
  linspace = M.linspace,
  logspace = M.logspace,
  ismatrix = M.is,
  read = function(path, opts) return require("gyrus.io").read(path, opts) end,
  write = function(path, obj, opts) return require("gyrus.io").write(path, obj, opts) end,
}

-- Submodules: gy.stats, gy.linalg, ... are loaded from lua/gyrus/<name>.lua when first
-- touched; a name with no module is an error rather than a silent nil.
local submodules = { stats = true, linalg = true, graph = true, plot = true, rsa = true, image = true, conn = true, signal = true, notebook = true, encode = true, ica = true, decode = true, par = true }

setmetatable(gy, {
  __index = function(t, k)
    if submodules[k] then
      local mod = require("gyrus." .. k)
      rawset(t, k, mod)
      return mod
    end
    return nil
  end,
})

-- Loads every submodule, for completion and the help index.
function gy.load_all()
  for name in pairs(submodules) do local _ = gy[name] end
  return gy
end

gy.submodules = submodules

-- The real data sets fetched by scripts/setup.sh: a table of folders (nitime_dir,
-- nibabel_data, mricron_dir, nipy_dir), read from $GY_DATA/paths.lua.
function gy.data()
  local dir = os.getenv("GY_DATA")
  if not dir or dir == "" then
    local cache = os.getenv("XDG_CACHE_HOME")
    if not cache or cache == "" then cache = (os.getenv("HOME") or ".") .. "/.cache" end
    dir = cache .. "/gyrus/data"
  end
  local chunk = loadfile(dir .. "/paths.lua")
  if not chunk then
    error("gy.data: no data sets in " .. dir .. " (run scripts/setup.sh to fetch them)", 2)
  end
  return chunk()
end

-- Wall-clock seconds (monotonic), for timing analyses; os.clock() counts CPU time.
function gy.clock() return tonumber(require("gyrus.core").C.gy_clock()) end
gy.help = function(...) return require("gyrus.help").help(...) end

return gy
