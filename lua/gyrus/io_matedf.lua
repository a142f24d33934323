-- MATLAB .mat (matio) and EDF/BDF (EDFlib) files for gy.read and gy.write (lua/gyrus/io.lua).
local ffi = require "ffi"
local core = require "gyrus.core"
local M = require "gyrus.mat"
local C, check = core.C, core.check



local X = {}

------------------------------------------------------------------------------- MAT

local function mat_variable(f, k, fname)
  local out = M.empty()
  check(C.gy_matfile_read(out, f, k), fname)
  core.account()
  return out
end

function X.read_mat(path, opts, fname)
  opts = core.options(fname, opts, { format = false, variable = false })
  if opts.variable and type(opts.variable) ~= "string" then
    core.fail(fname, "variable must be a name (string)", 2)
  end
  local fp = ffi.new("gy_matfile *[1]")
  check(C.gy_matfile_open(fp, path), fname)
  local f = fp[0]
  local ok, res, skipped = pcall(function()
    if opts.variable then
      local k = C.gy_matfile_find(f, opts.variable)
      if k < 0 then
        local names = {}
        for q = 0, tonumber(C.gy_matfile_count(f)) - 1 do
          names[#names + 1] = ffi.string(C.gy_matfile_name(f, q))
        end
        error(string.format("%s: '%s' has no variable '%s' (it has: %s)", fname, path,
          opts.variable, table.concat(names, ", ")), 0)
      end
      return mat_variable(f, k, fname)
    end
    local vars, skipped = {}, {}
    for k = 0, tonumber(C.gy_matfile_count(f)) - 1 do
      local name = ffi.string(C.gy_matfile_name(f, k))
      if C.gy_matfile_is_numeric(f, k) == 1 then vars[name] = mat_variable(f, k, fname)
      else skipped[#skipped + 1] = name end
    end
    return vars, { skipped = skipped }
  end)
  C.gy_matfile_close(f)
  if not ok then error(res, 0) end
  return res, skipped
end

function X.write_mat(path, vars, opts, fname)
  opts = core.options(fname, opts, { format = false, do_compression = false, version = "5" })
  local version = ({ ["5"] = 5, ["7.3"] = 73 })[tostring(opts.version)]
  if not version then
    core.fail(fname, "version must be \"5\" or \"7.3\", got " .. tostring(opts.version), 2)
  end
  if type(vars) ~= "table" or M.is(vars) then
    core.fail(fname, ".mat files hold named variables: pass a table {name = matrix, ...}", 2)
  end
  local names = {}
  for k in pairs(vars) do
    if type(k) ~= "string" then core.fail(fname, "variable names must be strings", 2) end
    names[#names + 1] = k
  end
  table.sort(names)
  local n = #names
  local cnames = ffi.new("const char *[?]", math.max(n, 1))
  local cmats = ffi.new("const gy_mat *[?]", math.max(n, 1))
  local keep = {}
  for k, name in ipairs(names) do
    keep[k] = M.arg(vars[name], fname, "variable '" .. name .. "'")
    cnames[k - 1] = name
    cmats[k - 1] = keep[k]
  end
  check(C.gy_matfile_write_version(path, cnames, cmats, n, opts.do_compression and 1 or 0, version),
    fname)
  return keep
end

------------------------------------------------------------------------------- EDF / BDF

local filetypes = { [0] = "EDF", [1] = "EDF+", [2] = "BDF", [3] = "BDF+" }

local function edf_table(f, fname)
  local ns = C.gy_edf_signals(f)
  local res = { labels = {}, units = {}, annotations = {}, signals = {},
    start = ffi.string(C.gy_edf_start(f)), filetype = filetypes[C.gy_edf_filetype(f)] }
  local rates, same = {}, true
  for k = 0, ns - 1 do
    res.labels[k + 1] = ffi.string(C.gy_edf_label(f, k))
    res.units[k + 1] = ffi.string(C.gy_edf_unit(f, k))
    rates[k + 1] = C.gy_edf_sfreq(f, k)
    if rates[k + 1] ~= rates[1] or C.gy_edf_samples(f, k) ~= C.gy_edf_samples(f, 0) then
      same = false
    end
    local s = M.empty()
    check(C.gy_edf_read(s, f, k), fname)
    core.account()
    res.signals[k + 1] = s
  end
  if same and ns > 0 then
    local n = tonumber(C.gy_edf_samples(f, 0))
    local data = M.empty()
    check(C.gy_mat_init(data, n, ns), fname)
    for k = 1, ns do
      ffi.copy(data.data + (k - 1) * data.ld, res.signals[k].data, n * 8)
    end
    core.account()
    res.data, res.sfreq, res.signals = data, rates[1], nil
  else
    res.sfreq = rates
  end
  local on, du, tx = ffi.new("double[1]"), ffi.new("double[1]"), ffi.new("const char *[1]")
  for k = 0, tonumber(C.gy_edf_annotations(f)) - 1 do
    check(C.gy_edf_annotation(f, k, on, du, tx), fname)
    res.annotations[k + 1] = { on[0], du[0], ffi.string(tx[0]) }
  end
  return res
end

function X.read_edf(path, opts, fname)
  core.options(fname, opts, { format = false })
  local fp = ffi.new("gy_edf *[1]")
  check(C.gy_edf_open(fp, path), fname)
  local ok, res = pcall(edf_table, fp[0], fname)
  C.gy_edf_close(fp[0])
  if not ok then error(res, 0) end
  return res
end

function X.write_edf(path, rec, opts, fname, bdf)
  core.options(fname, opts, { format = false })
  if type(rec) ~= "table" or M.is(rec) then
    core.fail(fname, "an EDF/BDF recording is a table {data = samples x channels, sfreq = Hz, "
      .. "labels = {...}, unit = \"uV\"}", 2)
  end
  for k in pairs(rec) do
    if k ~= "data" and k ~= "sfreq" and k ~= "labels" and k ~= "unit" then
      core.fail(fname, "unknown field '" .. tostring(k) .. "' (known: data, sfreq, labels, unit)", 2)
    end
  end
  local data = M.arg(rec.data, fname, "data")
  if type(rec.sfreq) ~= "number" then core.fail(fname, "sfreq must be a number", 2) end
  local labels = nil
  if rec.labels ~= nil then
    if type(rec.labels) ~= "table" or #rec.labels ~= tonumber(data.cols) then
      core.fail(fname, string.format("labels must be a list of %d strings (one per column)",
        tonumber(data.cols)), 2)
    end
    labels = ffi.new("const char *[?]", #rec.labels)
    for k, s in ipairs(rec.labels) do
      if type(s) ~= "string" then core.fail(fname, "labels must be strings", 2) end
      labels[k - 1] = s
    end
  end
  if rec.unit ~= nil and type(rec.unit) ~= "string" then core.fail(fname, "unit must be a string", 2) end
  check(C.gy_edf_write(path, data, rec.sfreq, labels, rec.unit, bdf and 1 or 0), fname)
end

return X
