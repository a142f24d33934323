-- NIfTI images through gy.read/gy.write and gy.image.mask/unmask/parcellate; values,
-- headers and affines against nibabel (tests/fixtures/make_io.py). Without nifticlib in
-- the build only the unsupported error and the operations on in-memory images are checked.
local io_ = require "gyrus.io"
local image = require "gyrus.image"
local fx = fixture("io.lua")
local src = os.getenv("GY_SOURCE_DIR") or "."
local dir = src .. "/tests/fixtures/io/"
local read, write = io_.read, io_.write

local function wsum(X)
  local r, c = X:shape()
  local s, k = 0, 0
  for j = 1, c do
    for i = 1, r do
      s = s + X:get(i, j) * (k % 13 + 1)
      k = k + 1
    end
  end
  return s
end

local function total(X)
  local r, c = X:shape()
  local s = 0
  for j = 1, c do for i = 1, r do s = s + X:get(i, j) end end
  return s
end

local function check_summary(name, img, want, tol)
  expect_eq(img.version, want.version, name .. " version")
  expect_eq(#img.shape, #want.shape, name .. " ndim")
  for d = 1, #want.shape do expect_eq(img.shape[d], want.shape[d], name .. " shape") end
  expect_near(img.affine, want.affine, 1e-12, name .. " affine")
  expect_near(img.sform, want.sform, 1e-12, name .. " sform")
  -- With qform_code 0 nifticlib gives a pixdim diagonal, nibabel the unused quaternion.
  if want.qform_code > 0 then expect_near(img.qform, want.qform, 1e-12, name .. " qform") end
  expect_eq(img.qform_code, want.qform_code, name .. " qform_code")
  expect_eq(img.sform_code, want.sform_code, name .. " sform_code")
  for d = 1, 7 do expect_near(img.pixdim[d], want.pixdim[d], 1e-12, name .. " pixdim") end
  expect_eq(img.description, want.descrip, name .. " descrip")
  expect_near(total(img.data), want.sum, tol, name .. " sum")
  expect_near(wsum(img.data), want.wsum, tol, name .. " weighted sum")
  local r, c = img.data:shape()
  expect_eq(img.data:get(1, 1), want.first, name .. " first")
  expect_eq(img.data:get(r, c), want.last, name .. " last")
end

-- A 4 x 3 x 2 grid with 3 volumes, made in memory.
local function synthetic()
  local V, T = 24, 3
  local data = gy.zeros(V, T)
  for v = 1, V do for t = 1, T do data:set(v, t, 100 * v + t) end end
  return { data = data, shape = { 4, 3, 2, 3 }, affine = gy.matrix({
    { 2, 0, 0, -10 }, { 0, 2, 0, 5 }, { 0, 0, 3, 1 }, { 0, 0, 0, 1 } }), pixdim = { 2, 2, 3, 1.5 },
    tr = 1.5 }
end

describe("image operations", function()
  local img = synthetic()
  local mask = { data = gy.zeros(24, 1), shape = { 4, 3, 2 }, affine = img.affine }
  for _, v in ipairs({ 2, 5, 6, 24 }) do mask.data:set(v, 1, 1) end
  it("masks to time x voxel and back", function()
    local X = image.mask(img, mask)
    local r, c = X:shape()
    expect_eq(r, 3)
    expect_eq(c, 4)
    -- nilearn's order: C order over (x, y, z); voxel 5 (x=0, y=1) comes before voxel 2 (x=1)
    expect_eq(X:get(2, 1), 502)
    expect_eq(X:get(2, 2), 202)
    expect_eq(X:get(3, 4), 2403)
    local back = image.unmask(X, mask)
    expect_eq(#back.shape, 4)
    expect_eq(back.data:get(5, 2), 502)
    expect_eq(back.data:get(1, 1), 0)
    local one = image.unmask(X:rowrange(1, 1), mask)
    expect_eq(#one.shape, 3)
  end)
  it("parcellates by label means", function()
    local atlas = { data = gy.zeros(24, 1), shape = { 4, 3, 2 }, affine = img.affine }
    for v = 1, 12 do atlas.data:set(v, 1, 3) end
    for v = 13, 24 do atlas.data:set(v, 1, 9) end
    local X, labels = image.parcellate(img, atlas)
    expect_eq(labels[1], 3)
    expect_eq(labels[2], 9)
    expect_near(X:get(1, 1), 650 + 1, 1e-12)
    expect_near(X:get(3, 2), 1850 + 3, 1e-12)
  end)
  it("refuses mismatched grids and affines clearly", function()
    local small = { data = gy.zeros(12, 1), shape = { 4, 3, 1 }, affine = img.affine }
    expect_error(function() image.mask(img, small) end, "different grids")
    local moved = { data = mask.data, shape = { 4, 3, 2 }, affine = img.affine:copy() }
    moved.affine:set(1, 4, -9)
    expect_error(function() image.mask(img, moved) end, "different affines")
    expect_error(function() image.parcellate(img, moved) end, "different affines")
    expect_error(function() image.mask(img, 42) end, "must be an image")
  end)
end)

describe("nifti files", function()
  if not image.available() then
    it("says NIfTI is unsupported in this build", function()
      expect_error(function() read(dir .. "nii/float32_v1.nii") end, "no NIfTI support")
    end)
    return
  end
  it("reads every datatype, NIfTI-1/2, .nii/.nii.gz as nibabel does", function()
    local n = 0
    for name, want in pairs(fx.nii) do
      local img = read(dir .. "nii/" .. name)
      check_summary(name, img, want, 1e-12)
      if want.m then expect_near(img.data, want.m, 0, name) end
      n = n + 1
    end
    expect_true(n >= 40, "all NIfTI fixtures seen")
  end)
  it("applies scl_slope and scl_inter", function()
    local img = read(dir .. "nii/be_int16.nii")
    expect_eq(img.scl_slope, 2)
    expect_eq(img.data:get(1, 1), -30 * 2 + 1)
    expect_eq(img.datatype, "int16")
  end)
  it("gives a clear error for corrupt files", function()
    for name, pattern in pairs(fx.bad) do
      if name:match("%.nii$") then
        local err = expect_error(function() read(dir .. "bad/" .. name) end, "gy%.read: ")
        expect_true(err:find(pattern, 1, true), name .. ": '" .. err .. "' lacks " .. pattern)
      end
    end
  end)
  it("round-trips an image with its geometry", function()
    local img = synthetic()
    img.description = "gyrus round trip"
    for _, f in ipairs({ "io_rt.nii", "io_rt.nii.gz" }) do
      write(f, img, { dtype = "float64" })
      local back = read(f)
      expect_near(back.data, img.data, 0, f)
      expect_near(back.affine, img.affine, 1e-6, f)
      expect_eq(back.tr, 1.5)
      expect_eq(back.description, "gyrus round trip")
      expect_eq(back.shape[4], 3)
      os.remove(f)
    end
    write("io_rt.nii", img, { dtype = "int16", version = 2 })
    local back = read("io_rt.nii")
    expect_eq(back.version, 2)
    expect_eq(back.datatype, "int16")
    expect_near(back.data, img.data, 0)
    img.data:set(1, 1, 0.5)
    expect_error(function() write("io_rt.nii", img, { dtype = "int16" }) end, "does not fit")
    expect_eq(read("io_rt.nii").data:get(1, 1), 101, "the old file is kept")
    os.remove("io_rt.nii")
  end)
  it("masks a file image with a file mask", function()
    local img = read(dir .. "nii/int8_v1.nii")
    local mask = image.new(gy.ones(24, 1), img)
    local X = image.mask(img, mask)
    local r, c = X:shape()
    expect_eq(r, 3)
    expect_eq(c, 24)
    expect_eq((image.mask(dir .. "nii/int8_v1.nii", mask) - X):abs():max(), 0, "streamed")
    local other = image.new(gy.ones(24, 1), img)
    other.affine = gy.eye(4) * 2
    expect_error(function() image.mask(dir .. "nii/int8_v1.nii", other) end, "different affines")
    expect_error(function() image.mask(dir .. "nii/missing.nii", mask) end, "gy.image.mask: ")
  end)
  it("agrees with nibabel on the real data sets, and masks them as numpy does", function()
    local paths = data_paths()
    if not paths then return end
    local n = 0
    for id, want in pairs(fx.real) do
      local key, name = id:match("^([^/]+)/(.+)$")
      local path = paths[key] and (paths[key] .. "/" .. name)
      local f = path and io.open(path)
      if f then
        f:close()
        local img = read(path)
        check_summary(id, img, want, 1e-9)
        if want.mask then
          -- voxels whose first volume exceeds its median (numpy's median of all voxels)
          local first = img:volume(1)
          local vals = {}
          for v = 1, img:nvox() do vals[v] = first:get(v, 1) end
          table.sort(vals)
          local m = #vals
          local med = m % 2 == 1 and vals[(m + 1) / 2] or (vals[m / 2] + vals[m / 2 + 1]) / 2
          local mask = gy.zeros(m, 1)
          for v = 1, m do if first:get(v, 1) > med then mask:set(v, 1, 1) end end
          local X = image.mask(img, image.new(mask, img))
          local r, c = X:shape()
          expect_eq(r, want.mask.rows, id .. " masked rows")
          expect_eq(c, want.mask.cols, id .. " masked cols")
          expect_near(total(X), want.mask.sum, 1e-9, id .. " masked sum")
          expect_near(wsum(X), want.mask.wsum, 1e-9, id .. " masked weighted sum")
          -- The same from the file name: masked while reading, without the whole image.
          local Xf = image.mask(path, image.new(mask, img))
          expect_eq(select(2, Xf:shape()), c, id .. " streamed cols")
          expect_eq((Xf - X):abs():max(), 0, id .. " streamed = in-memory mask")
        end
        n = n + 1
      end
    end
    expect_true(n > 0, "found real images")
  end)
  it("parcellates ch2 by the AAL atlas as numpy does", function()
    local paths = data_paths()
    local d = paths and paths.mricron_dir
    local want = fx.parcellate
    if not d or not want then return end
    local X, labels, names = image.parcellate(d .. "/ch2.nii.gz", d .. "/aal.nii.gz")
    expect_near(labels, want.labels, 0, "labels")
    local r, c = X:shape()
    expect_eq(r, 1)
    expect_eq(c, #want.labels)
    expect_near(X:t(), want.means, 1e-12, "means")
    -- names from the aal.nii.txt MRIcron ships beside the atlas
    expect_eq(#names, #labels, "one name per region")
    local map = image.labels(d .. "/aal.nii.txt")
    expect_eq(map[1], "Precentral_L")
    for k, v in ipairs(labels) do expect_eq(names[k], map[v], "name of label " .. v) end
  end)
  it("reads label files: MRIcron text and BIDS-style TSV; clear errors", function()
    local f = os.tmpname()
    local h = io.open(f .. ".tsv", "w"); h:write("index\tname\n1\tleft\n5\tright\n"); h:close()
    local m = image.labels(f .. ".tsv")
    expect_eq(m[1], "left"); expect_eq(m[5], "right")
    h = io.open(f, "w"); h:write("1 a\n1 b\n"); h:close()
    expect_error(function() image.labels(f) end, "gy.image.labels: line 2: label 1 is given twice")
    os.remove(f); os.remove(f .. ".tsv")
  end)
end)

describe("nifti extensions, complex and RGB24 (make_io_nifti.py)", function()
  if not image.available() then return end
  local nx = fixture("io_nifti.lua")
  local ndir = src .. "/tests/fixtures/io_nifti/"
  it("reads the extensions nibabel wrote and writes them back", function()
    for _, f in ipairs({ "ext.nii", "ext.nii.gz" }) do
      local img = read(ndir .. f)
      expect_near(img.data, nx.ext.data, 0, f)
      expect_eq(#img.extensions, #nx.ext.extensions, f .. " count")
      for k, e in ipairs(nx.ext.extensions) do
        expect_eq(img.extensions[k].code, e.code, "code")
        expect_eq(img.extensions[k].data, e.data, "data")
      end
      write("image_spec_ext.nii.gz", img)
      local back = read("image_spec_ext.nii.gz")
      for k, e in ipairs(nx.ext.extensions) do
        expect_eq(back.extensions[k].code, e.code, "code back")
        expect_eq(back.extensions[k].data, e.data, "data back")
      end
      os.remove("image_spec_ext.nii.gz")
    end
    local img = read(ndir .. "ext.nii")
    img.extensions = { { code = 6, data = "note" } }
    write("image_spec_ext.nii", img)
    expect_eq(read("image_spec_ext.nii").extensions[1].data, "note")
    expect_eq(#read(dir .. "nii/float32_v1.nii").extensions, 0)
    img.extensions = { { code = "x" } }
    expect_error(function() write("image_spec_ext.nii", img) end, "extension 1 must be")
    os.remove("image_spec_ext.nii")
  end)
  it("reads complex images as real and imaginary parts", function()
    local names = { c64 = "c64.nii", c128 = "c128.nii.gz", c64_be = "c64_be.nii" }
    for _, f in ipairs({ "c64", "c128", "c64_be" }) do
      local img = read(ndir .. names[f])
      expect_eq(img.datatype, f == "c128" and "complex128" or "complex64")
      expect_near(img.data, nx[f].real, 0, f .. " real")
      expect_near(img.imag, nx[f].imag, 0, f .. " imag")
      expect_eq(table.concat(img.shape, "x"), table.concat(nx[f].shape, "x"))
      expect_error(function() write("image_spec_c.nii", img) end, "complex and RGB images cannot")
    end
    expect_eq(read(dir .. "nii/float32_v1.nii").imag, nil)
  end)
  it("reads RGB24 as red, green, blue columns", function()
    local img = read(ndir .. "rgb.nii")
    expect_eq(img.datatype, "rgb24")
    expect_near(img.data, nx.rgb.data, 0, "rgb")
    expect_error(function() image.mask(ndir .. "rgb.nii", img) end, "cannot be masked while reading")
  end)
end)
