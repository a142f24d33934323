-- gyrus side: X = gy.image.mask("bold.nii", mask), time x voxel, masked while reading.
local gy = gy or require "gyrus"
local home = os.getenv("GY_BENCH_HOME") or (arg[0]:match("^(.*)/") or ".") .. "/.."
local bench = dofile(home .. "/benchlib.lua")
local image = require "gyrus.image"
local io_ = require "gyrus.io"
local nx, ny, nz, nt = 91, 109, 91, 300
local V = nx * ny * nz
local path = bench.dir .. "/bold.nii"

local f = io.open(path)
if f then
  f:close()
else
  -- The shared input, made once (the peer makes the same bytes when it runs first).
  local data = gy.zeros(V, nt)
  local d = data.data
  for t = 0, nt - 1 do
    for v = 0, V - 1 do d[v + t * V] = ((7 * v + 13 * t) % 1000) / 10 end
  end
  local A = gy.matrix({ { -2, 0, 0, 90 }, { 0, 2, 0, -126 }, { 0, 0, 2, -72 }, { 0, 0, 0, 1 } })
  io_.write(path .. ".part.nii", { data = data, shape = { nx, ny, nz, nt }, affine = A,
    tr = 2, sform_code = 4, qform_code = 4 }, { dtype = "float32" })
  os.rename(path .. ".part.nii", path)
  data:free()
  collectgarbage()
end

local header = io_.read(path, { header_only = true })
local mask = gy.zeros(V, 1)
for v = 0, V - 1 do if ((7 * v) % 1000) / 10 > 50 then mask.data[v] = 1 end end
local maskimg = { data = mask, shape = { nx, ny, nz }, affine = header.affine }

-- From the file name gy.image.mask streams the volumes (nilearn's apply_mask also takes
-- a file name; nibabel then loads the whole image).
local t, X = bench.time(function()
  return image.mask(path, maskimg)
end)
bench.report(t, bench.sample(X))
