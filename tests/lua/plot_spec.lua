-- gy.plot: every plot type renders headless to PNG and SVG (and PDF) files that are valid,
-- of the requested size and not blank; the numerical helpers match numpy/scipy; bad input
-- gives clear errors. Never opens a window (GY_PLOT_DEVICE=svg is set by CTest).
local ffi = require "ffi"
local P = require "gyrus.plot"
local F = fixture("plot.lua")

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir) == 0 or true)
local function path(name) return dir .. "/" .. name end

local function slurp(p)
  local f = io.open(p, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

-- PNG: width and height from IHDR, and the number of distinct colours of the decoded
-- pixels (zlib through the FFI; 8-bit RGB or RGBA, not interlaced).
ffi.cdef [[
unsigned long compressBound(unsigned long n);
int uncompress(uint8_t *dest, unsigned long *destLen, const uint8_t *src, unsigned long srcLen);
]]
local okz, Z = pcall(ffi.load, "z")
if not okz then Z = ffi.load("libz.so.1") end

local function be32(s, i)
  local a, b, c, d = s:byte(i, i + 3)
  return ((a * 256 + b) * 256 + c) * 256 + d
end

local function png_info(p)
  local s = slurp(p)
  assert(s and s:sub(1, 8) == "\137PNG\r\n\26\n", p .. " is not a PNG")
  assert(s:sub(13, 16) == "IHDR")
  local w, h = be32(s, 17), be32(s, 21)
  local depth, ctype, interlace = s:byte(25), s:byte(26), s:byte(29)
  local bpp = ctype == 6 and 4 or (ctype == 2 and 3 or nil)
  assert(depth == 8 and bpp and interlace == 0, "unexpected PNG format")
  local parts, off = {}, 9
  while off + 11 <= #s do
    local len = be32(s, off)
    if s:sub(off + 4, off + 7) == "IDAT" then parts[#parts + 1] = s:sub(off + 8, off + 7 + len) end
    off = off + 12 + len
  end
  local idat = table.concat(parts)
  local stride = w * bpp
  local rawn = (stride + 1) * h
  local raw = ffi.new("uint8_t[?]", rawn)
  local got = ffi.new("unsigned long[1]", rawn)
  assert(Z.uncompress(raw, got, idat, #idat) == 0 and got[0] == rawn, "bad PNG data")
  local bit = require "bit"
  local colours, seen = 0, {}
  for y = 0, h - 1 do
    local row = y * (stride + 1)
    local ft = raw[row]
    local cur, prev = row + 1, row - stride
    for i = 0, stride - 1 do
      local a = i >= bpp and raw[cur + i - bpp] or 0
      local up = y > 0 and raw[prev + i] or 0
      local c = (y > 0 and i >= bpp) and raw[prev + i - bpp] or 0
      local v = raw[cur + i]
      if ft == 1 then v = v + a
      elseif ft == 2 then v = v + up
      elseif ft == 3 then v = v + math.floor((a + up) / 2)
      elseif ft == 4 then
        local pp = a + up - c
        local pa, pb, pc = math.abs(pp - a), math.abs(pp - up), math.abs(pp - c)
        v = v + ((pa <= pb and pa <= pc) and a or (pb <= pc and up or c))
      end
      raw[cur + i] = bit.band(v, 255)
    end
    for x = 0, w - 1 do
      local q = cur + x * bpp
      local key = (raw[q] * 256 + raw[q + 1]) * 256 + raw[q + 2]
      if not seen[key] then seen[key] = true; colours = colours + 1 end
    end
  end
  return w, h, colours
end

local function svg_info(p)
  local s = assert(slurp(p), p .. " missing")
  assert(s:find("<svg", 1, true), p .. " is not an SVG")
  local w, h = s:match('width="(%d+)pt"'), s:match('height="(%d+)pt"')
  local n = 0
  for _ in s:gmatch("<path") do n = n + 1 end
  for _ in s:gmatch("<image") do n = n + 1 end
  return tonumber(w), tonumber(h), n
end

local R = gy.matrix(F.D)
local labels = { "face", "body", "house", "car", "tool", "fruit", "animal" }
local Y = gy.zeros(60, 3)
for i = 1, 60 do
  Y:set(i, 1, math.sin(i / 6)); Y:set(i, 2, math.cos(i / 6)); Y:set(i, 3, i / 60)
end
local Cr = gy.zeros(6, 6)
for i = 1, 6 do for j = 1, 6 do Cr:set(i, j, math.cos((i - j) * 0.7)) end end

-- Channels on a hemisphere (n x 3) with a dipolar pattern, for topomaps.
local cpos, cval, cname = {}, {}, {}
for ring = 0, 3 do
  local theta = ring * (math.pi / 2) / 3
  local m = ring == 0 and 1 or ring * 6
  for j = 1, m do
    local phi = 2 * math.pi * (j - 1) / m
    local k = #cpos + 1
    cpos[k] = { math.sin(theta) * math.cos(phi), math.sin(theta) * math.sin(phi), math.cos(theta) }
    cval[k] = cpos[k][1] - 0.5 * cpos[k][2]
    cname[k] = "E" .. k
  end
end

-- A small volume (x fastest): an ellipsoid "brain" and two blobs of statistics.
local vnx, vny, vnz = 20, 24, 18
local anat, stat = gy.zeros(vnx * vny * vnz, 1), gy.zeros(vnx * vny * vnz, 1)
for z = 1, vnz do for y = 1, vny do for x = 1, vnx do
  local i = x + vnx * ((y - 1) + vny * (z - 1))
  local r = ((x - 10.5) / 9) ^ 2 + ((y - 12.5) / 11) ^ 2 + ((z - 9.5) / 8) ^ 2
  if r < 1 then anat:set(i, 1, 100 - 50 * r) end
  stat:set(i, 1, 5 * math.exp(-((x - 6) ^ 2 + (y - 15) ^ 2 + (z - 9) ^ 2) / 6)
    - 4 * math.exp(-((x - 15) ^ 2 + (y - 8) ^ 2 + (z - 11) ^ 2) / 6))
end end end
local svol = { dims = { vnx, vny, vnz }, data = stat }
local bvol = { dims = { vnx, vny, vnz }, data = anat }

-- Each plot type with typical options; f(opts) draws with extra opts merged in.
local function with(o, extra)
  local t = {}
  for k, v in pairs(o) do t[k] = v end
  for k, v in pairs(extra) do t[k] = v end
  return t
end
local kinds = {
  line = function(o) return P.line(Y, with({ labels = { "sin", "cos", "ramp" }, title = "t",
    xlabel = "time", ylabel = "y" }, o)) end,
  scatter = function(o) return P.scatter(Y:col(1), Y:col(2), with({ c = Y:col(3),
    clabel = "ramp" }, o)) end,
  scatter_groups = function(o) return P.scatter(Y:col(1), Y:col(3), with({ groups =
    (function() local g = {} for i = 1, 60 do g[i] = i % 3 == 0 and "a" or "b" end return g end)() }, o)) end,
  hist = function(o) return P.hist(gy.matrix(F.x), with({ bins = 12, title = "h" }, o)) end,
  matrix = function(o) return P.matrix(Cr, with({ labels = { "V1", "V2", "V4", "IT", "PFC",
    "HC" }, triangle = "lower", clabel = "r" }, o)) end,
  rdm = function(o) return P.rdm(R, with({ labels = labels, rank = true }, o)) end,
  mds = function(o) return (P.mds(R, with({ labels = labels, groups = { 1, 1, 2, 2, 2, 3, 3 } }, o))) end,
  topo = function(o) return P.topo(cval, with({ pos = cpos, names = cname, clabel = "uV" }, o)) end,
  brain = function(o) return P.brain(svol, with({ bg = bvol, threshold = 1, clabel = "t" }, o)) end,
  brain_ortho = function(o) return P.brain(svol, with({ bg = bvol, threshold = 1,
    display_mode = "ortho" }, o)) end,
}

describe("gy.plot renders", function()
  for _, name in ipairs({ "line", "scatter", "scatter_groups", "hist", "matrix", "rdm", "mds",
    "topo", "brain", "brain_ortho" }) do
    it(name .. " to PNG of the requested size, not blank", function()
      local p = kinds[name]({ file = path(name .. ".png"), size = { 320, 240 } })
      expect_eq(p, path(name .. ".png"), "returns the path")
      local w, h, colours = png_info(p)
      expect_eq(w, 320, "width")
      expect_eq(h, 240, "height")
      expect_true(colours > 10, name .. ": only " .. colours .. " colours")
    end)
    it(name .. " to SVG of the requested size, with drawing", function()
      local p = kinds[name]({ file = path(name .. ".svg"), size = { 500, 400 } })
      local w, h, n = svg_info(p)
      expect_eq(w, 500, "width")
      expect_eq(h, 400, "height")
      expect_true(n > 10, name .. ": only " .. n .. " elements")
    end)
  end
  it("quick figures choose the plot from the data", function()
    local p = P.quick(Cr, { file = path("q1.png") })
    local w, h, colours = png_info(p)
    expect_true(w == 800 and h == 600 and colours > 10)
    local csv = path("series.csv")
    local f = assert(io.open(csv, "w"))
    f:write("time,alpha,beta\n")
    for i = 1, 50 do f:write(string.format("%d,%g,%g\n", i, math.sin(i / 5), math.cos(i / 7))) end
    f:close()
    local ok, read = pcall(require, "gyrus.io")
    if ok and read.read then
      p = P.quick(csv, { file = path("q2.svg") })
      local _, _, n = svg_info(p)
      expect_true(n > 10)
    end
    p = P.quick({ dims = { vnx, vny, vnz }, data = stat }, { file = path("q3.png") })
    expect_true(select(3, png_info(p)) > 10)
  end)
  it("RDM objects bring their condition labels", function()
    local ok, rsa = pcall(require, "gyrus.rsa")
    if not (ok and rsa.rdm) then return end
    local X = gy.randn(4, 10, { seed = 8 })
    local rdm = rsa.rdm(X, { conditions = { "a", "b", "c", "d" } })
    local p = P.rdm(rdm, { file = path("obj.svg") })
    expect_true(select(3, svg_info(p)) > 10)
    local _, Xy = P.mds(rdm, { file = path("objmds.svg") })
    expect_eq(select(1, Xy:shape()), 4)
  end)
  it("PDF by extension", function()
    local p = kinds.matrix({ file = path("m.pdf") })
    local s = slurp(p)
    expect_true(s and s:sub(1, 4) == "%PDF" and #s > 1000)
  end)
  it("a figure of panels with letters", function()
    local f = P.figure { rows = 2, cols = 3, file = path("fig.png"), size = { 900, 600 } }
    for _, name in ipairs({ "line", "hist", "matrix", "rdm", "mds", "topo" }) do
      kinds[name]({ figure = f })
    end
    expect_eq(f:close(), path("fig.png"))
    local w, h, colours = png_info(path("fig.png"))
    expect_eq(w, 900); expect_eq(h, 600)
    expect_true(colours > 50)
    -- SVG panel letters are text glyphs: compare with and without letters.
    local a = P.figure { rows = 1, cols = 2, file = path("l1.svg") }
    kinds.line({ figure = a }); kinds.hist({ figure = a, panel = 2 })
    a:close()
    local b = P.figure { rows = 1, cols = 2, file = path("l0.svg"), letters = false }
    kinds.line({ figure = b }); kinds.hist({ figure = b })
    b:close()
    expect_true(#slurp(path("l1.svg")) > #slurp(path("l0.svg")), "letters drawn")
  end)
  it("without a file, GY_PLOT_DEVICE picks a file device and a temporary path", function()
    if os.getenv("GY_PLOT_DEVICE") ~= "svg" then return end
    local p = P.hist({ 1, 2, 2, 3 })
    expect_true(type(p) == "string" and p:match("%.svg$"), "temporary svg path")
    local w = svg_info(p)
    expect_eq(w, 800, "default width")
    os.remove(p)
  end)
  -- The sizes of the benchmark (timings are measured outside the tests: the sanitizer
  -- build is several times slower).
  it("a 91 x 109 x 91 brain mosaic of every slice", function()
    local n = 91 * 109 * 91
    local a = gy.zeros(n, 1)
    local d = a.data
    for i = 0, n - 1 do d[i] = (i % 91) * ((i % 9919) / 91) end
    P.brain({ dims = { 91, 109, 91 }, data = a }, { bg = { dims = { 91, 109, 91 }, data = a },
      threshold = 5000, cut_coords = 91, file = path("mosaic.png") })
    local w, h, colours = png_info(path("mosaic.png"))
    expect_true(w == 800 and h == 600 and colours > 50)
  end)
  it("a 400 x 400 heat map", function()
    local A = gy.randn(400, 400, { seed = 1 })
    P.matrix(A, { file = path("big.svg"), center = 0 })
    local w, _, n = svg_info(path("big.svg"))
    expect_true(w == 800 and n > 10)
    -- Rasterised by cairo: far smaller than one vector cell per element.
    expect_true(#slurp(path("big.svg")) < 5e6, "svg of a 400 x 400 heat map is small")
  end)
end)

describe("gy.plot numbers", function()
  it("histogram matches numpy.histogram", function()
    local c, e = P.histogram(F.x, { bins = 7 })
    expect_near(c, F.counts, 0)
    expect_near(e, F.edges, 1e-14)
    local d, de = P.histogram(F.x, { bins = 5, range = { -1, 2 }, density = true })
    expect_near(d, F.density, 1e-14)
    expect_near(de, F.density_edges, 1e-14)
  end)
  it("rank transform matches scipy.stats.rankdata (ties averaged)", function()
    expect_near(P.rank_transform(R), F.rank, 1e-14)
  end)
  it("classical MDS matches the numpy eigendecomposition", function()
    local X = P.classical_mds(R)
    expect_near(X, F.mds, 1e-9)
    local _, X2 = P.mds(R, { file = path("mds2.svg") })
    expect_near(X2, F.mds, 1e-9)
  end)
  it("classical MDS of points in the plane recovers their distances", function()
    local pts = { { 0, 0 }, { 3, 0 }, { 0, 4 }, { 1, 1 }, { -2, 1 } }
    local D = gy.zeros(5, 5)
    for i = 1, 5 do for j = 1, 5 do
      D:set(i, j, math.sqrt((pts[i][1] - pts[j][1]) ^ 2 + (pts[i][2] - pts[j][2]) ^ 2))
    end end
    local X = P.classical_mds(D)
    for i = 1, 5 do for j = 1, 5 do
      local d = math.sqrt((X:get(i, 1) - X:get(j, 1)) ^ 2 + (X:get(i, 2) - X:get(j, 2)) ^ 2)
      expect_near(d, D:get(i, j), 1e-10)
    end end
  end)
  it("topo interpolates through the channel values", function()
    -- A thin-plate spline passes through every sensor: a linear field stays linear, so the
    -- map of x is drawn with its extremes at the left and right sensors.
    local pos2, v = {}, {}
    for i = 1, 12 do
      local a = 2 * math.pi * i / 12
      pos2[i] = { math.cos(a) * (i % 2 == 0 and 1 or 0.5), math.sin(a) * (i % 2 == 0 and 1 or 0.5) }
      v[i] = pos2[i][1]
    end
    expect_true(P.topo(v, { pos = pos2, file = path("lin.svg") }))
    expect_error(function() P.topo({ 1, 2, 3, 4 }, { pos = { { 0, 1 }, { 0, 1 }, { 1, 0 }, { -1, 0 } },
      file = path("x.svg") }) end, "duplicated")
  end)
  it("colour maps are 256 rows of RGB in [0, 1]", function()
    for _, name in ipairs({ "viridis", "bluered", "gray" }) do
      local m = P.colormap(name)
      local r, c = m:shape()
      expect_eq(r, 256, name); expect_eq(c, 3, name)
    end
    local v = P.colormap("viridis")
    -- Sequential: luminance rises monotonically.
    local last = -1
    for i = 1, 256 do
      local l = 0.2126 * v:get(i, 1) + 0.7152 * v:get(i, 2) + 0.0722 * v:get(i, 3)
      expect_true(l > last - 1e-3, "viridis luminance rises at row " .. i)
      last = l
    end
    local b = P.colormap("bluered")
    expect_true(b:get(128, 1) > 0.99 and b:get(128, 2) > 0.99, "white centre")
    expect_true(b:get(1, 3) > b:get(1, 1), "blue low end")
    expect_true(b:get(256, 1) > b:get(256, 3), "red high end")
  end)
end)

describe("gy.plot errors", function()
  it("names the problem", function()
    expect_error(function() P.line(Y, { file = path("x.png"), colour = 1 }) end, "unknown option 'colour'")
    expect_error(function() P.line(Y, { file = "/nonexistent-dir/x.png" }) end, "cannot write '/nonexistent%-dir/x.png'")
    expect_error(function() P.line(Y, { file = path("x.bmp") }) end, "cannot tell the format")
    expect_error(function() P.line(Y, { file = path("x.png"), color = "chartreuse" }) end, "colour chartreuse")
    expect_error(function() P.line(Y, { file = path("x.png"), x = { 1, 2 } }) end, "x has 2 values, Y has 60 rows")
    expect_error(function() P.line(Y, { file = path("x.png"), size = { 2, 2 } }) end, "figure size")
    expect_error(function() P.matrix(gy.zeros(2, 3), { file = path("x.png"), triangle = "lower" }) end, "square")
    expect_error(function() P.matrix(Cr, { file = path("x.png"), labels = { "a" } }) end, "1 column labels for 6 columns")
    expect_error(function() P.matrix(Cr, { file = path("x.png"), cmap = "rainbow" }) end, "unknown colour map 'rainbow'")
    expect_error(function() P.rdm(gy.zeros(2, 3), { file = path("x.png") }) end, "not square")
    expect_error(function() P.mds(gy.zeros(2, 2), { file = path("x.png") }) end, "at least 3")
    expect_error(function() P.hist({}, { file = path("x.png") }) end, "empty")
    expect_error(function() P.hist({ 1, 2 }, { file = path("x.png"), bins = 0 }) end, "bins")
    expect_error(function() P.scatter({ 1, 2 }, { 1 }, { file = path("x.png") }) end, "x has 2 values, y has 1")
    expect_error(function() P.figure { rows = 0 } end, "rows must be")
    expect_error(function() P.topo({ 1, 2, 3 }, { file = path("x.png") }) end, "option 'pos' is required")
    expect_error(function() P.topo({ 1, 2, 3 }, { pos = { { 0, 1 } }, file = path("x.png") }) end, "pos has 1 rows for 3 channels")
    expect_error(function() P.brain({ dims = { 2, 2, 2 }, data = gy.zeros(7, 1) }, { file = path("x.png") }) end, "has 7 values, dims need 8")
    expect_error(function() P.brain(gy.zeros(8, 1), { file = path("x.png") }) end, "must be an image or a volume")
    expect_error(function() P.brain(svol, { display_mode = "3d", file = path("x.png") }) end, "display_mode")
    expect_error(function() P.brain(svol, { bg = { dims = { 2, 2, 2 }, data = gy.zeros(8, 1) }, file = path("x.png") }) end, "different dims")
    expect_error(function() P.brain(svol, { cut_coords = { 99 }, file = path("x.png") }) end, "outside 1..18")
    local f = P.figure { rows = 1, cols = 2, file = path("e.png") }
    expect_error(function() P.hist({ 1, 2 }, { figure = f, panel = 3 }) end, "panel 3 is outside 1..2")
    expect_error(function() P.hist({ 1, 2 }, { figure = f, file = path("y.png") }) end, "give file to gy.plot.figure")
    f:close()
    expect_error(function() P.hist({ 1, 2 }, { figure = f }) end, "closed")
    -- A failed plot leaves no file behind.
    local f2 = io.open(path("x.png"), "rb")
    expect_true(f2 == nil, "no file from failed plots")
    if f2 then f2:close() end
  end)
end)

describe("gyrus plot DATA -o OUT", function()
  local G = os.getenv("GY_GYRUS") or "gyrus"
  local function png_ok(p)
    local h = io.open(p, "rb")
    if not h then return false end
    local head = h:read(8)
    h:close()
    return head == "\137PNG\r\n\26\n"
  end
  it("draws the real ROI time series and a real NIfTI image", function()
    local d = gy.data()
    local out1, out2 = path("quick_csv.png"), path("quick_nii.png")
    expect_true(os.execute(G .. " plot " .. d.nitime_dir .. "/fmri_timeseries.csv -o " .. out1
      .. " > /dev/null") == 0, "gyrus plot on a CSV")
    expect_true(png_ok(out1), "CSV figure written")
    expect_true(os.execute(G .. " plot " .. d.nitime_dir .. "/fmri1.nii.gz -o " .. out2
      .. " > /dev/null") == 0, "gyrus plot on a NIfTI image")
    expect_true(png_ok(out2), "image figure written")
  end)
  it("a missing file or a bad option is an error with a non-zero status", function()
    expect_true(os.execute(G .. " plot /nonexistent.csv -o " .. path("n.png") .. " 2> /dev/null") ~= 0)
    expect_true(os.execute(G .. " plot --bogus 2> /dev/null") ~= 0)
  end)
end)

describe("brain cuts in world mm, topo contours", function()
  -- The small volume with a flipped, shifted 2 mm affine: voxel (i, j, k) 0-based sits at
  -- x = 30 - 2i, y = -20 + 2j, z = -10 + 2k mm. The stat blob peaks at voxel (6, 15, 9)
  -- 1-based, i.e. x = 20, y = 8, z = 6 mm.
  local A = gy.matrix { { -2, 0, 0, 30 }, { 0, 2, 0, -20 }, { 0, 0, 2, -10 }, { 0, 0, 0, 1 } }
  local simg = { dims = { vnx, vny, vnz }, data = stat, affine = A, voxel_size = { 2, 2, 2 } }
  local bimg = { dims = { vnx, vny, vnz }, data = anat, affine = A, voxel_size = { 2, 2, 2 } }
  it("ortho and single-axis cuts take mm through the affine", function()
    local p = path("mm_ortho.png")
    expect_true(P.brain(simg, { bg = bimg, display_mode = "ortho", cut_coords = { 20, 8, 6 },
      threshold = 1, file = p }))
    expect_true(select(3, png_info(p)) > 10)
    expect_true(P.brain(simg, { bg = bimg, display_mode = "z", cut_coords = { -4, 0, 6, 12 },
      threshold = 1, file = path("mm_z.png") }))
    -- Voxel indices remain available.
    expect_true(P.brain(simg, { bg = bimg, display_mode = "ortho", cut_coords = { 6, 15, 9 },
      cut_units = "voxel", threshold = 1, file = path("vox_ortho.png") }))
    -- The same slices in mm and in voxels draw the same picture.
    P.brain(simg, { bg = bimg, display_mode = "x", cut_coords = { 20 }, threshold = 1,
      annotate = false, file = path("a.png") })
    P.brain(simg, { bg = bimg, display_mode = "x", cut_coords = { 6 }, cut_units = "voxel",
      threshold = 1, annotate = false, file = path("b.png") })
    expect_true(slurp(path("a.png")) == slurp(path("b.png")), "x = 20 mm is voxel 6")
    P.brain(simg, { bg = bimg, display_mode = "x", cut_coords = { 19.2 }, threshold = 1,
      annotate = false, file = path("c.png") })
    expect_true(slurp(path("c.png")) == slurp(path("b.png")), "nearest voxel")
    expect_error(function() P.brain(simg, { display_mode = "ortho", cut_coords = { 200, 0, 0 },
      file = path("x.png") }) end, "fall outside the image")
    expect_error(function() P.brain(simg, { display_mode = "y", cut_coords = { -50 },
      file = path("x.png") }) end, "y = %-50 mm is outside")
    expect_error(function() P.brain(svol, { cut_units = "mm", file = path("x.png") }) end,
      "needs an image with an affine")
    expect_error(function() P.brain(simg, { cut_units = "cm", file = path("x.png") }) end, "cut_units")
  end)
  it("topo draws contour lines", function()
    local plain, lines = path("topo_plain.svg"), path("topo_contours.svg")
    P.topo(cval, { pos = cpos, file = plain })
    P.topo(cval, { pos = cpos, contours = 6, file = lines })
    expect_true(#slurp(lines) > #slurp(plain) + 1000, "contours add paths")
    expect_true(P.topo(cval, { pos = cpos, contours = { -0.5, 0, 0.5 }, file = path("topo_levels.png") }))
    expect_error(function() P.topo(cval, { pos = cpos, contours = 0, file = path("x.png") }) end,
      "contours must be")
  end)
end)

describe("a figure in a window (xcairo) under Xvfb", function()
  it("opens, draws and closes without waiting when GY_PLOT_NOWAIT is set", function()
    if os.execute("command -v xvfb-run > /dev/null 2>&1") ~= 0 then
      print("  skipped: xvfb-run is not installed (apt-get install xvfb)")
      return
    end
    local gyrus = os.getenv("GY_GYRUS") or "gyrus"
    local script = path("window.lua")
    local f = assert(io.open(script, "w"))
    f:write([[
local gy = require "gyrus"
local fig = gy.plot.figure { rows = 1, cols = 2 }
gy.plot.line({ 1, 3, 2, 4 }, { figure = fig, title = "a" })
gy.plot.matrix(gy.eye(4), { figure = fig, title = "b" })
fig:close()
-- A window opened within ~0.1 s of the previous one's close fails now and then under a
-- loaded Xvfb ("Failed to open X Windows display"): give the server a moment.
local ffi = require "ffi"
ffi.cdef "int usleep(unsigned int usec);"
ffi.C.usleep(500000)
gy.plot.line({ 4, 2, 3, 1 }, { title = "default device" })
print("window ok")
]])
    f:close()
    local log = path("window.log")
    -- A random first display number: xvfb-run -a alone races with other runs for :99.
    math.randomseed(os.time() + math.floor(os.clock() * 1e6))
    -- Under the sanitizer build, cairo's X11 surface keeps 64 bytes for the life of the
    -- process: the child gets the suite's leak suppressions plus that library.
    local env = ""
    local supp = (os.getenv("LSAN_OPTIONS") or ""):match("suppressions=([^:]+)")
    if supp then
      local extra = path("lsan.supp")
      local out = assert(io.open(extra, "w"))
      out:write(slurp(supp) or "", "\nleak:libcairo\nleak:libX11\n")
      out:close()
      env = "LSAN_OPTIONS=suppressions=" .. extra .. " "
    end
    local st = os.execute(env .. "GY_PLOT_DEVICE=xcairo GY_PLOT_NOWAIT=1 timeout 60 xvfb-run -a -n "
      .. math.random(100, 900) .. " '" .. gyrus
      .. "' '" .. script .. "' > '" .. log .. "' 2>&1")
    local out = slurp(log) or ""
    expect_true(st == 0 or st == true, "gyrus under xvfb-run failed:\n" .. out)
    expect_true(out:find("window ok", 1, true) ~= nil, out)
  end)
end)

os.execute("rm -rf " .. dir)
