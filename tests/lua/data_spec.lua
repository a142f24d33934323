-- The real data sets fetched by scripts/setup.sh (scripts/fetch_data.sh) are present and
-- are what the scripts and specs expect. The data are required: a missing cache is a
-- failure that says how to make it, not a skip. Only python3-nipy, which some Debian
-- releases lack, may be absent.
local ffi = require "ffi"

-- Same default as scripts/fetch_data.sh.
local function data_dir()
  local d = os.getenv("GY_DATA")
  if d and d ~= "" then return d, "GY_DATA" end
  local cache = os.getenv("XDG_CACHE_HOME")
  if not cache or cache == "" then cache = (os.getenv("HOME") or "") .. "/.cache" end
  return cache .. "/gyrus/data", "default"
end

local function read_file(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

local function lines_of(path)
  local s = assert(read_file(path), "cannot read " .. path)
  local t = {}
  for line in s:gmatch("([^\n]*)\n") do t[#t + 1] = line:gsub("\r$", "") end
  return t
end

-- zlib's gzread passes plain files through unchanged, so one reader serves .nii and
-- .nii.gz. The names are redirected so they cannot clash with declarations elsewhere.
ffi.cdef [[
typedef struct gy_spec_gz *gy_spec_gzFile;
gy_spec_gzFile gy_spec_gzopen(const char *path, const char *mode) __asm__("gzopen");
int gy_spec_gzread(gy_spec_gzFile f, void *buf, unsigned len) __asm__("gzread");
int gy_spec_gzclose(gy_spec_gzFile f) __asm__("gzclose");
]]
local zok, zlib = pcall(ffi.load, "libz.so.1")
if not zok then zlib = ffi.load("z") end

local function head_bytes(path, n)
  local f = zlib.gy_spec_gzopen(path, "rb")
  if f == nil then error("cannot open " .. path, 2) end
  local buf = ffi.new("uint8_t[?]", n)
  local got = zlib.gy_spec_gzread(f, buf, n)
  zlib.gy_spec_gzclose(f)
  if got < 0 then error("cannot read " .. path, 2) end
  return ffi.string(buf, got)
end

local function int_at(s, off, size, big)
  local v = 0
  for k = 0, size - 1 do
    local b = s:byte(off + 1 + (big and k or size - 1 - k))
    v = v * 256 + b
  end
  if v >= 2 ^ (8 * size - 1) then v = v - 2 ^ (8 * size) end
  return v
end

-- The NIfTI header essentials: version (1 or 2), the byte order (told by sizeof_hdr, as
-- every reader must), and the dimensions.
local function nifti_header(path)
  local h = head_bytes(path, 540)
  if #h < 348 then error(path .. ": only " .. #h .. " bytes, not a NIfTI header", 2) end
  local version, big
  for _, b in ipairs({ false, true }) do
    local sz = int_at(h, 0, 4, b)
    if sz == 348 or sz == 540 then version, big = sz == 348 and 1 or 2, b end
  end
  if not version then error(path .. ": sizeof_hdr is neither 348 nor 540", 2) end
  local dims = {}
  if version == 1 then
    local magic = h:sub(345, 348)
    if magic ~= "n+1\0" and magic ~= "ni1\0" then error(path .. ": bad NIfTI-1 magic", 2) end
    local nd = int_at(h, 40, 2, big)
    for k = 1, nd do dims[k] = int_at(h, 40 + 2 * k, 2, big) end
  else
    if #h < 540 or h:sub(5, 12) ~= "n+2\0\r\n\26\n" then error(path .. ": bad NIfTI-2 magic", 2) end
    local nd = int_at(h, 16, 8, big)
    for k = 1, nd do dims[k] = int_at(h, 16 + 8 * k, 8, big) end
  end
  return { version = version, big_endian = big, dims = dims }
end

local function expect_nifti(dir, name, version, dims, big)
  local path = dir .. "/" .. name
  local h = nifti_header(path)
  expect_eq(h.version, version, name .. " NIfTI version")
  expect_eq(h.big_endian, big or false, name .. " big-endian")
  expect_eq(table.concat(h.dims, "x"), table.concat(dims, "x"), name .. " dims")
end

local function expect_file(dir, name)
  local s = read_file(dir .. "/" .. name)
  expect_true(s ~= nil, "missing " .. dir .. "/" .. name)
  expect_true(#s > 0, "empty " .. dir .. "/" .. name)
end

local dir, source = data_dir()
local index_path = dir .. "/paths.lua"
local index_chunk, index_err = loadfile(index_path)
local P = index_chunk and index_chunk() or nil

describe("data cache", function()
  it("has its index paths.lua", function()
    if not index_chunk and read_file(index_path) then
      error("cannot load " .. tostring(index_err) .. ": rerun scripts/fetch_data.sh", 0)
    end
    if not index_chunk then
      error(string.format("no data index %s (%s%s): the data are required; run scripts/setup.sh "
        .. "(or scripts/fetch_data.sh), with GY_DATA set to the same folder if it is not the default",
        index_path, source == "GY_DATA" and "GY_DATA=" or "default ", source == "GY_DATA" and dir or
        "${XDG_CACHE_HOME:-$HOME/.cache}/gyrus/data"), 0)
    end
    expect_eq(type(P), "table", "paths.lua returns a table")
    expect_eq(P.root, (dir:gsub("/+$", "")), "paths.lua root")
  end)
  if type(P) ~= "table" then return end

  describe("nitime", function()
    local d = P.nitime_dir
    it("is indexed", function() expect_true(d, "paths.lua has no nitime_dir") end)
    if not d then return end

    it("fmri_timeseries.csv: 31 ROIs x 250 TRs", function()
      local L = lines_of(d .. "/fmri_timeseries.csv")
      expect_eq(#L, 251, "lines (header + 250)")
      local names = {}
      for name in L[1]:gmatch('"([^"]*)"') do names[#names + 1] = name end
      expect_eq(#names, 31, "header names")
      expect_eq(names[1], "WM", "first ROI")
      expect_eq(names[31], "RPrec", "last ROI")
      for i = 2, #L do
        local n = 0
        for field in (L[i] .. ","):gmatch("([^,]*),") do
          n = n + 1
          if not tonumber(field) then error(string.format("line %d field %d is not a number: %q", i, n, field)) end
        end
        expect_eq(n, 31, "fields on line " .. i)
      end
    end)

    it("event_related_fmri.csv: bold and events columns", function()
      local L = lines_of(d .. "/event_related_fmri.csv")
      expect_eq(L[1], "bold,events", "header")
      expect_true(#L > 1000, "rows: " .. #L)
      for i = 2, #L do
        local a, b = L[i]:match("^([^,]+),([^,]+)$")
        if not (tonumber(a) and tonumber(b)) then error(string.format("line %d: %q", i, L[i])) end
      end
    end)

    it("fmri1/fmri2: 4-D BOLD 10x10x18x40", function()
      expect_nifti(d, "fmri1.nii.gz", 1, { 10, 10, 18, 40 })
      expect_nifti(d, "fmri2.nii.gz", 1, { 10, 10, 18, 40 })
    end)

    it("grasshopper spike times and stimuli", function()
      for _, k in ipairs({ 1, 2 }) do
        expect_file(d, "grasshopper_spike_times" .. k .. ".txt")
        expect_file(d, "grasshopper_stimulus" .. k .. ".txt")
      end
      local L = lines_of(d .. "/grasshopper_stimulus1.txt")
      expect_eq(#L, 200000, "stimulus samples")
    end)
  end)

  describe("nibabel", function()
    local d = P.nibabel_data
    it("is indexed", function() expect_true(d, "paths.lua has no nibabel_data") end)
    if not d then return end
    it("NIfTI-1 and NIfTI-2 test images", function()
      expect_nifti(d, "example4d.nii.gz", 1, { 128, 96, 24, 2 })
      expect_nifti(d, "functional.nii", 1, { 17, 21, 3, 20 })
      expect_nifti(d, "anatomical.nii", 1, { 33, 41, 25 }, true)
      expect_nifti(d, "example_nifti2.nii.gz", 2, { 32, 20, 12, 2 })
      expect_nifti(d, "standard.nii.gz", 1, { 4, 5, 7 })
    end)
  end)

  describe("mricron", function()
    local d = P.mricron_dir
    it("is indexed", function() expect_true(d, "paths.lua has no mricron_dir") end)
    if not d then return end
    it("MNI atlases and template", function()
      expect_nifti(d, "aal.nii.gz", 1, { 181, 217, 181 })
      expect_nifti(d, "brodmann.nii.gz", 1, { 181, 217, 181 })
      expect_nifti(d, "ch2.nii.gz", 1, { 181, 217, 181 })
      expect_nifti(d, "HarvardOxford-cort-maxprob-thr0-1mm.nii.gz", 1, { 182, 218, 182 })
    end)
    it("AAL labels: 116 regions", function()
      local n = 0
      for _, line in ipairs(lines_of(d .. "/aal.nii.txt")) do
        if line:match("^%d+%s+%S+%s+%d+") then n = n + 1 end
      end
      expect_eq(n, 116, "labelled regions")
    end)
  end)

  describe("nipy", function()
    local d = P.nipy_dir
    if not d then
      print("skipped: nipy data (python3-nipy is not available from apt on this machine)")
      return
    end
    it("functional and anatomical test images", function()
      expect_nifti(d, "functional.nii.gz", 1, { 17, 21, 3, 20 })
      expect_nifti(d, "anatomical.nii.gz", 1, { 33, 41, 25 }, true)
    end)
  end)
end)
