-- gy.plot.brain: statistical maps over anatomical images (gathered by lua/gyrus/plot.lua).
local B = require "gyrus.plot_base"
local core, M, C, check = B.core, B.M, B.C, B.check
local floor, abs, max, min = math.floor, math.abs, math.max, math.min
local huge = math.huge
local colormap, font, with_panel, opts_of = B.colormap, B.font, B.with_panel, B.opts_of
local inner, ticks, set_view, labels = B.inner, B.ticks, B.set_view, B.labels
local colorbar = B.colorbar

local P = {}

-- ------------------------------------------------------------------ brain

-- A volume: an image from gy.read / gy.image (its first volume, or volume t), or a table
-- {dims = {nx, ny, nz}, data = matrix of nx*ny*nz values with x fastest (the NIfTI order)}.
-- flip_x is true when the image's affine runs x towards the subject's left.
local function volume(v, fname, what, t)
  local ok, dims, data, shape, affine, vox = pcall(function()
    return v.dims, v.data, v.shape, v.affine, v.voxel_size
  end)
  dims = ok and (dims or shape) or nil
  if type(dims) ~= "table" or data == nil then
    core.fail(fname, what .. " must be an image or a volume {dims = {nx, ny, nz}, data = matrix}", 3)
  end
  local nx, ny, nz = dims[1], dims[2] or 1, dims[3] or 1
  for _, d in ipairs({ nx, ny, nz }) do
    if type(d) ~= "number" or d < 1 or d ~= floor(d) then
      core.fail(fname, what .. " must have three positive integer dimensions", 3)
    end
  end
  data = M.arg(data, fname, what .. ".data")
  local r, c = data:shape()
  if r == nx * ny * nz and c > 1 then
    t = t or 1
    if t < 1 or t > c or t ~= floor(t) then
      core.fail(fname, string.format("volume %s is outside 1..%d", tostring(t), c), 3)
    end
    data = data:col(t)
  elseif data:numel() ~= nx * ny * nz then
    core.fail(fname, string.format("%s has %d values, dims need %d", what, data:numel(), nx * ny * nz), 3)
  end
  if data.ld ~= data.rows and data.cols > 1 then data = data:copy() end
  local flip, A = false, nil
  if M.is(affine) then
    flip = affine:get(1, 1) < 0
    A = {}
    for i = 1, 3 do A[i] = { affine:get(i, 1), affine:get(i, 2), affine:get(i, 3), affine:get(i, 4) } end
  end
  return { nx = nx, ny = ny, nz = nz, p = data.data, keep = data, flip_x = flip, A = A,
    zooms = type(vox) == "table" and vox or nil }
end

-- World mm of the 0-based voxel (i, j, k) through the affine.
local function to_world(V, i, j, k)
  local A, w = V.A, {}
  for r = 1, 3 do w[r] = A[r][1] * i + A[r][2] * j + A[r][3] * k + A[r][4] end
  return w
end

-- The 0-based (fractional) voxel of world point w: the 3 x 3 part of the affine solved by
-- Cramer's rule.
local function to_voxel(V, w, fname)
  local A = V.A
  local b = { w[1] - A[1][4], w[2] - A[2][4], w[3] - A[3][4] }
  local function det(c1, c2, c3)
    return c1[1] * (c2[2] * c3[3] - c2[3] * c3[2]) - c2[1] * (c1[2] * c3[3] - c1[3] * c3[2])
      + c3[1] * (c1[2] * c2[3] - c1[3] * c2[2])
  end
  local col = {}
  for c = 1, 3 do col[c] = { A[1][c], A[2][c], A[3][c] } end
  local d = det(col[1], col[2], col[3])
  if d == 0 or d ~= d then core.fail(fname, "the image affine is singular", 3) end
  return { det(b, col[2], col[3]) / d, det(col[1], b, col[3]) / d, det(col[1], col[2], b) / d }
end

local AXIS = { x = 1, y = 2, z = 3 }

-- The 1-based slice along voxel axis a nearest to world coordinate c (mm) on world axis a,
-- the other world coordinates at the volume's centre: nearest-voxel slicing, exact for
-- images whose affine is diagonal (flips allowed), approximate for oblique ones.
local function slice_at(V, a, c, fname)
  local centre = to_world(V, (V.nx - 1) / 2, (V.ny - 1) / 2, (V.nz - 1) / 2)
  centre[a] = c
  local v = to_voxel(V, centre, fname)
  return floor(v[a] + 0.5) + 1
end

-- The world coordinate (mm) along world axis a of slice k of voxel axis a, at the centre.
local function slice_mm(V, a, k)
  local v = { (V.nx - 1) / 2, (V.ny - 1) / 2, (V.nz - 1) / 2 }
  v[a] = k - 1
  return to_world(V, v[1], v[2], v[3])[a]
end

-- A 2-D section as a matrix, rows from the top of the view: axis "z" (axial: x across,
-- y up), "y" (coronal: x across, z up), "x" (sagittal: y across, z up). Element (i, j)
-- (0-based) of the section is p[off + i*si + j*sj] of the x-fastest volume.
local function section(V, axis, k, fname, thr, zero_blank)
  local nx, ny, nz = V.nx, V.ny, V.nz
  local rows, cols, off, si, sj
  if axis == "z" then
    rows, cols, off, si, sj = ny, nx, nx * ny * (k - 1) + nx * (ny - 1), -nx, 1
  elseif axis == "y" then
    rows, cols, off, si, sj = nz, nx, nx * (k - 1) + nx * ny * (nz - 1), -nx * ny, 1
  else
    rows, cols, off, si, sj = nz, ny, (k - 1) + nx * ny * (nz - 1), -nx * ny, nx
  end
  local S = M.new(rows, cols, fname)
  local d, p = S.data, V.p
  local nan = 0 / 0
  local lim = thr or -1
  for j = 0, cols - 1 do
    for i = 0, rows - 1 do
      local v = p[off + i * si + j * sj]
      if not (abs(v) >= lim) or (zero_blank and v == 0) then v = nan end
      d[i + j * rows] = v
    end
  end
  return S
end

local function vol_range(V, abs_)
  local lo, hi = huge, -huge
  for i = 0, V.nx * V.ny * V.nz - 1 do
    local v = V.p[i]
    if v == v and abs(v) < huge then
      if abs_ then v = abs(v) end
      if v < lo then lo = v end
      if v > hi then hi = v end
    end
  end
  if lo == huge then return 0, 1 end
  return lo, hi
end

-- First and last slice along axis with a value whose magnitude exceeds thr (the whole
-- range when there is none).
local function extent(V, axis, thr)
  local nx, ny, nz = V.nx, V.ny, V.nz
  local n = axis == "x" and nx or (axis == "y" and ny or nz)
  local lo, hi = huge, -huge
  local p = V.p
  for z = 0, nz - 1 do
    for y = 0, ny - 1 do
      local base = nx * (y + ny * z)
      for x = 0, nx - 1 do
        local v = p[base + x]
        if abs(v) > thr then
          local s = (axis == "x" and x or (axis == "y" and y or z)) + 1
          if s < lo then lo = s end
          if s > hi then hi = s end
        end
      end
    end
  end
  if lo == huge then return 1, n end
  return lo, hi
end

-- gy.plot.brain(stat, opts): a thresholded statistical map over an anatomical image.
function P.brain(stat, opts)
  local fname = "gy.plot.brain"
  local o = opts_of(fname, opts, { bg = false, threshold = 1e-6, display_mode = "mosaic",
    cut_coords = false, cmap = "bluered", vmax = false, colorbar = true, clabel = false,
    zooms = false, annotate = true, volume = false, cut_units = false })
  local S = volume(stat, fname, "stat", o.volume)
  local B = o.bg and volume(o.bg, fname, "bg")
  if B and (B.nx ~= S.nx or B.ny ~= S.ny or B.nz ~= S.nz) then
    core.fail(fname, "bg and stat have different dims", 2)
  end
  if type(o.threshold) ~= "number" or o.threshold < 0 then core.fail(fname, "threshold must be a number >= 0", 2) end
  local mode = o.display_mode
  if mode ~= "mosaic" and mode ~= "ortho" and mode ~= "x" and mode ~= "y" and mode ~= "z" then
    core.fail(fname, "display_mode must be \"mosaic\", \"ortho\", \"x\", \"y\" or \"z\"", 2)
  end
  local units = o.cut_units or (S.A and "mm" or "voxel")
  if units ~= "mm" and units ~= "voxel" then
    core.fail(fname, "cut_units must be \"mm\" or \"voxel\"", 2)
  end
  if units == "mm" and not S.A then
    core.fail(fname, "cut_units = \"mm\" needs an image with an affine (gy.read of a NIfTI file)", 2)
  end
  local mm = units == "mm"
  local zooms = o.zooms or S.zooms or { 1, 1, 1 }
  for a = 1, 3 do
    if type(zooms[a]) ~= "number" or not (zooms[a] > 0) then
      core.fail(fname, "zooms must be three positive voxel sizes", 2)
    end
  end
  local _, amax = vol_range(S, true)
  local vmax = o.vmax or (amax > 0 and amax or 1)
  local vmin = -vmax
  local blo, bhi
  if B then blo, bhi = vol_range(B) if blo == bhi then bhi = blo + 1 end end
  -- Which sections: {axis, index} pairs.
  local cuts = {}
  if mode == "ortho" then
    local c = o.cut_coords
    if not c then -- the voxel of the largest |stat|
      local best, bi = -1, 0
      for i = 0, S.nx * S.ny * S.nz - 1 do
        local v = abs(S.p[i])
        if v == v and v > best then best, bi = v, i end
      end
      c = { bi % S.nx + 1, floor(bi / S.nx) % S.ny + 1, floor(bi / (S.nx * S.ny)) + 1 }
    elseif mm then
      if type(c) ~= "table" or #c ~= 3 then core.fail(fname, "cut_coords must be {x, y, z} in mm for ortho", 2) end
      for a = 1, 3 do
        if type(c[a]) ~= "number" or c[a] ~= c[a] then core.fail(fname, "cut_coords must be three numbers (mm)", 2) end
      end
      local v = to_voxel(S, c, fname)
      local idx = {}
      for a, n in ipairs({ S.nx, S.ny, S.nz }) do
        idx[a] = floor(v[a] + 0.5) + 1
        if idx[a] < 1 or idx[a] > n then
          core.fail(fname, string.format("cut_coords (%g, %g, %g) mm fall outside the image", c[1], c[2], c[3]), 2)
        end
      end
      c = idx
    end
    if type(c) ~= "table" or #c ~= 3 then core.fail(fname, "cut_coords must be {i, j, k} for ortho", 2) end
    for a, n in ipairs({ S.nx, S.ny, S.nz }) do
      if type(c[a]) ~= "number" or c[a] < 1 or c[a] > n or c[a] ~= floor(c[a]) then
        core.fail(fname, "cut_coords must be voxel indices inside the volume", 2)
      end
    end
    cuts = { { "x", c[1], c }, { "y", c[2], c }, { "z", c[3], c } }
  else
    local axis = mode == "mosaic" and "z" or mode
    local n = axis == "x" and S.nx or (axis == "y" and S.ny or S.nz)
    local c = o.cut_coords or (mode == "mosaic" and 20 or 7)
    if type(c) == "number" then
      if c < 1 or c ~= floor(c) then core.fail(fname, "cut_coords must be a count or a list of indices", 2) end
      -- Spread the sections evenly over the slices that hold any brain (bg) or data.
      local lo, hi = extent(B or S, axis, B and 0 or o.threshold)
      c = min(c, hi - lo + 1)
      local list = {}
      for k = 1, c do list[k] = max(lo, min(hi, floor(lo + (hi - lo + 1) * (k - 0.5) / c))) end
      c = list
    elseif mm and type(c) == "table" then
      local list = {}
      for i, w in ipairs(c) do
        if type(w) ~= "number" or w ~= w then core.fail(fname, "cut_coords must be numbers (mm)", 2) end
        list[i] = slice_at(S, AXIS[axis], w, fname)
        if list[i] < 1 or list[i] > n then
          core.fail(fname, string.format("cut_coords %s = %g mm is outside the image", axis, w), 2)
        end
      end
      c = list
    end
    for _, k in ipairs(c) do
      if type(k) ~= "number" or k < 1 or k > n or k ~= floor(k) then
        core.fail(fname, "cut_coords has an index outside 1.." .. n, 2)
      end
      cuts[#cuts + 1] = { axis, k }
    end
  end
  local gray = colormap("gray", fname)
  local cm = colormap(o.cmap, fname)
  return (with_panel(fname, o, function(fig, rect)
    local right = 1.0
    if o.colorbar then
      local _, w = ticks(vmin, vmax)
      right = 3.5 + w * 0.75 + (o.clabel and 2.2 or 0)
    end
    local area = inner(fig, rect, { 0.5, right, 0.5, o.title and 2.6 or 1.2 })
    -- Grid of sections with the most room: try every column count.
    local n = #cuts
    local aw, ah = (area.x1 - area.x0) * fig.page_w, (area.y1 - area.y0) * fig.page_h
    local function dims_of(axis)
      if axis == "z" then return S.nx * zooms[1], S.ny * zooms[2] end
      if axis == "y" then return S.nx * zooms[1], S.nz * zooms[3] end
      return S.ny * zooms[2], S.nz * zooms[3]
    end
    local mw, mh = 0, 0
    for _, c in ipairs(cuts) do
      local w, h = dims_of(c[1]); mw, mh = max(mw, w), max(mh, h)
    end
    -- Each cell: the section plus a gap, and a line of small text under it.
    local gap = mode == "ortho" and 0.12 or 0.04
    local lab_mm = o.annotate and 1.3 * fig.chr * 0.7 or 0
    local best, cols = 0, 1
    for nc = (mode == "ortho" and n or 1), n do -- ortho views side by side, as nilearn
      local nr = math.ceil(n / nc)
      local s = min(aw / (nc * mw * (1 + gap)), (ah - nr * lab_mm) / (nr * mh * (1 + gap)))
      if s > best then best, cols = s, nc end
    end
    local rows = math.ceil(n / cols)
    local lab_h = lab_mm / fig.page_h
    local cw, chh = mw * best * (1 + gap) / fig.page_w, mh * best * (1 + gap) / fig.page_h + lab_h
    local gx0 = area.x0 + ((area.x1 - area.x0) - cols * cw) / 2
    local gy1 = area.y1 - ((area.y1 - area.y0) - rows * chh) / 2
    -- All sections in one raster block (one image on cairo devices), then the text.
    local vps = {}
    check(C.gy_plot_raster(fig.ptr, 1), fname)
    for k, c in ipairs(cuts) do
      local r0, c0 = floor((k - 1) / cols), (k - 1) % cols
      local w, h = dims_of(c[1])
      local sw, sh = w * best / fig.page_w, h * best / fig.page_h
      local cx = gx0 + (c0 + 0.5) * cw
      local cy = gy1 - (r0 + 0.5) * chh + lab_h / 2
      local vp = { x0 = cx - sw / 2, x1 = cx + sw / 2, y0 = cy - sh / 2, y1 = cy + sh / 2 }
      local axis, idx = c[1], c[2]
      local Sec = section(S, axis, idx, fname, o.threshold)
      local sr, sc = Sec:shape()
      vp.sr, vp.sc = sr, sc
      vps[k] = vp
      set_view(fig, vp, 0.5, sc + 0.5, sr + 0.5, 0.5, fname)
      if B then
        local Bs = section(B, axis, idx, fname, nil, true)
        check(C.gy_plot_cmap(fig.ptr, gray), fname)
        check(C.gy_plot_image(fig.ptr, Bs, 0.5, sc + 0.5, sr + 0.5, 0.5, blo, bhi), fname)
        Bs:free()
      end
      check(C.gy_plot_cmap(fig.ptr, cm), fname)
      check(C.gy_plot_image(fig.ptr, Sec, 0.5, sc + 0.5, sr + 0.5, 0.5, vmin, vmax), fname)
      Sec:free()
    end
    check(C.gy_plot_raster(fig.ptr, 0), fname)
    check(C.gy_plot_color(fig.ptr, 0, 1), fname)
    if o.annotate then
      font(fig, 0.7, fname)
      for k, c in ipairs(cuts) do
        local vp, axis, idx = vps[k], c[1], c[2]
        set_view(fig, vp, 0.5, vp.sc + 0.5, vp.sr + 0.5, 0.5, fname)
        local lab = mm and string.format("%s=%.0f", axis, slice_mm(S, AXIS[axis], idx)) or (axis .. "=" .. idx)
        check(C.gy_plot_mtext(fig.ptr, C.GY_PLOT_BOTTOM, 0, 1.0, 0.5, 0.5, lab), fname)
        if k == 1 or mode == "ortho" then
          -- Neurological convention: the subject's left on the left.
          local lo, hi = "L", "R"
          if S.flip_x then lo, hi = "R", "L" end
          if axis == "x" then lo, hi = "P", "A" end
          check(C.gy_plot_mtext(fig.ptr, C.GY_PLOT_LEFT, 1, 0.3, 0.5, 1, lo), fname)
          check(C.gy_plot_mtext(fig.ptr, C.GY_PLOT_RIGHT, 1, 0.3, 0.5, 0, hi), fname)
        end
      end
      font(fig, 1, fname)
    end
    set_view(fig, area, 0, 1, 0, 1, fname)
    labels(fig, { title = o.title }, fname)
    if o.colorbar then
      local bar = { x0 = gx0 + cols * cw, x1 = gx0 + cols * cw + 0.001, y0 = gy1 - rows * chh, y1 = gy1 }
      check(C.gy_plot_cmap(fig.ptr, cm), fname)
      colorbar(fig, bar, vmin, vmax, o.clabel, fname)
    end
  end))
end

return P
