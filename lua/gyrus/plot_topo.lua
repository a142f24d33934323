-- gy.plot.topo: EEG/MEG scalp maps (gathered by lua/gyrus/plot.lua).
local ffi = require "ffi"
local B = require "gyrus.plot_base"
local core, M, C, check = B.core, B.M, B.C, B.check
local floor, abs, max, min, sqrt = math.floor, math.abs, math.max, math.min, math.sqrt
local huge = math.huge
local colormap, font, with_panel, opts_of = B.colormap, B.font, B.with_panel, B.opts_of
local inner, ticks, set_view, labels = B.inner, B.ticks, B.set_view, B.labels
local vector, doubles, colorbar = B.vector, B.doubles, B.colorbar
local finite_range, color_range = B.finite_range, B.color_range

local P = {}

-- ------------------------------------------------------------------ topo

-- 2-D sensor positions: n x 2 as given (x to the right ear, y to the nose), or n x 3 on a
-- sphere centred at the origin, flattened by the azimuthal equidistant projection
-- (distance from the vertex = polar angle), as MNE's topomaps do.
local function sensor_xy(pos, n, fname)
  pos = M.arg(pos, fname, "pos")
  local r, c = pos:shape()
  if r ~= n then core.fail(fname, string.format("pos has %d rows for %d channels", r, n), 3) end
  if c ~= 2 and c ~= 3 then core.fail(fname, "pos must be n x 2 or n x 3", 3) end
  if not pos:isfinite() then core.fail(fname, "pos has NaN or infinite values", 3) end
  local xs, ys = {}, {}
  for i = 1, n do
    if c == 2 then
      xs[i], ys[i] = pos:get(i, 1), pos:get(i, 2)
    else
      local x, y, z = pos:get(i, 1), pos:get(i, 2), pos:get(i, 3)
      local rad = sqrt(x * x + y * y + z * z)
      if rad == 0 then core.fail(fname, "sensor " .. i .. " is at the centre of the sphere", 3) end
      local theta = math.acos(max(-1, min(1, z / rad)))
      local phi = math.atan2(y, x)
      xs[i], ys[i] = theta * math.cos(phi), theta * math.sin(phi)
    end
  end
  return xs, ys
end

local function tps_kernel(d2)
  if d2 <= 0 then return 0 end
  return 0.5 * d2 * math.log(d2) -- r^2 log r with d2 = r^2
end

-- Thin-plate spline through the channel values: the smoothest surface (least bending
-- energy) that passes through every sensor, evaluated on a res x res grid over the head;
-- cells outside the head circle are NaN (unless full: the contour lines need the surface
-- on the whole square, and are masked outside the head afterwards).
local function tps_grid(xs, ys, v, radius, res, fname, full)
  local n = #xs
  local A = M.zeros(n + 3, n + 3)
  local b = M.zeros(n + 3, 1)
  for i = 1, n do
    for j = 1, n do
      local dx, dy = xs[i] - xs[j], ys[i] - ys[j]
      A:set(i, j, tps_kernel(dx * dx + dy * dy))
    end
    A:set(i, n + 1, 1); A:set(i, n + 2, xs[i]); A:set(i, n + 3, ys[i])
    A:set(n + 1, i, 1); A:set(n + 2, i, xs[i]); A:set(n + 3, i, ys[i])
    b:set(i, 1, v[i])
  end
  local ok, w = pcall(require("gyrus.linalg").solve, A, b)
  if not ok then
    core.fail(fname, "cannot interpolate: channel positions are duplicated or all on one line", 3)
  end
  local G = M.new(res, res, fname)
  local nan = 0 / 0
  local wd = {}
  for i = 1, n + 3 do wd[i] = w:get(i, 1) end
  for gi = 1, res do -- rows from the top (front of the head)
    local y = radius * (1 - 2 * (gi - 0.5) / res)
    for gj = 1, res do
      local x = radius * (-1 + 2 * (gj - 0.5) / res)
      local val = nan
      if full or x * x + y * y <= radius * radius then
        val = wd[n + 1] + wd[n + 2] * x + wd[n + 3] * y
        for k = 1, n do
          local dx, dy = x - xs[k], y - ys[k]
          val = val + wd[k] * tps_kernel(dx * dx + dy * dy)
        end
      end
      G:set(gi, gj, val)
    end
  end
  return G
end

-- gy.plot.topo(values, opts): a scalp map of one value per EEG/MEG channel.
function P.topo(values, opts)
  local fname = "gy.plot.topo"
  local o = opts_of(fname, opts, { pos = core.REQUIRED, names = false, cmap = "bluered",
    vmin = false, vmax = false, center = false, sensors = true, res = 100, radius = false,
    colorbar = true, clabel = false, contours = false })
  local v = vector(values, fname, "values")
  local n = v and #v or 0
  if n < 3 then core.fail(fname, "need values for at least 3 channels", 2) end
  for i = 1, n do
    if type(v[i]) ~= "number" or v[i] ~= v[i] or abs(v[i]) == huge then
      core.fail(fname, "value " .. i .. " is not a finite number", 2)
    end
  end
  local xs, ys = sensor_xy(o.pos, n, fname)
  local names = o.names and vector(o.names, fname, "names")
  if names and #names ~= n then core.fail(fname, string.format("%d names for %d channels", #names, n), 2) end
  if type(o.res) ~= "number" or o.res < 8 or o.res > 1024 or o.res ~= floor(o.res) then
    core.fail(fname, "res must be an integer in 8..1024", 2)
  end
  local radius = o.radius
  if not radius then
    radius = 0
    for i = 1, n do radius = max(radius, sqrt(xs[i] ^ 2 + ys[i] ^ 2)) end
    radius = radius * 1.02
  end
  if type(radius) ~= "number" or not (radius > 0) then core.fail(fname, "radius must be positive", 2) end
  local G = tps_grid(xs, ys, v, radius, o.res, fname)
  local nlev = o.contours
  if nlev and (type(nlev) ~= "number" or nlev < 1 or nlev > 100 or nlev ~= floor(nlev))
    and type(nlev) ~= "table" then
    core.fail(fname, "contours must be a number of levels in 1..100 or a list of levels", 2)
  end
  if o.cmap == "bluered" and o.center == nil then o.center = 0 end
  local lo, hi = finite_range(v)
  local vmin, vmax = color_range(G, { vmin = o.vmin, vmax = o.vmax, center = o.center }, fname)
  if not o.vmin and not o.vmax and not o.center then vmin, vmax = lo, hi end
  return (with_panel(fname, o, function(fig, rect)
    local right = 1.5
    if o.colorbar then
      local _, w = ticks(vmin, vmax)
      right = 3.5 + w * 0.75 + (o.clabel and 2.2 or 0)
    end
    local vp = inner(fig, rect, { 1.5, right, 1.5, o.title and 2.6 or 1.2 }, 1)
    local R = radius * 1.18
    set_view(fig, vp, -R, R, -R, R, fname)
    check(C.gy_plot_cmap(fig.ptr, colormap(o.cmap, fname)), fname)
    check(C.gy_plot_image(fig.ptr, G, -radius, radius, -radius, radius, vmin, vmax), fname)
    if nlev then
      -- n levels evenly inside the colour range (as matplotlib's contour of MNE's topomaps
      -- with contours = n), drawn on the whole square and masked outside the head by a
      -- white ring between the head circle and the frame.
      local lev = {}
      if type(nlev) == "table" then
        for k, l in ipairs(nlev) do
          if type(l) ~= "number" or l ~= l or abs(l) == huge then
            core.fail(fname, "contour level " .. k .. " is not a finite number", 3)
          end
          lev[k] = l
        end
      else
        for k = 1, nlev do lev[k] = vmin + (vmax - vmin) * k / (nlev + 1) end
      end
      local Gf = tps_grid(xs, ys, v, radius, o.res, fname, true)
      check(C.gy_plot_color(fig.ptr, 0, 0.7), fname)
      check(C.gy_plot_pen(fig.ptr, 0.6, 0), fname)
      check(C.gy_plot_contour(fig.ptr, Gf, -radius, radius, -radius, radius, doubles(lev), #lev), fname)
      Gf:free()
      local m = 120
      local px, py = ffi.new("double[?]", m + 7), ffi.new("double[?]", m + 7)
      local corners = { { R, 0 }, { R, R }, { -R, R }, { -R, -R }, { R, -R }, { R, 0 } }
      for k, c in ipairs(corners) do px[k - 1], py[k - 1] = c[1], c[2] end
      for k = 0, m do -- the head circle, clockwise, from (radius, 0)
        local a = -2 * math.pi * k / m
        px[6 + k], py[6 + k] = radius * math.cos(a), radius * math.sin(a)
      end
      check(C.gy_plot_color(fig.ptr, 0xFFFFFF, 1), fname)
      check(C.gy_plot_fill(fig.ptr, m + 7, px, py), fname)
    end
    -- Head outline, nose (towards +y) and ears mark the orientation.
    local m = 120
    local cx, cy = ffi.new("double[?]", m + 1), ffi.new("double[?]", m + 1)
    for k = 0, m do
      local a = 2 * math.pi * k / m
      cx[k], cy[k] = radius * math.cos(a), radius * math.sin(a)
    end
    check(C.gy_plot_color(fig.ptr, 0, 1), fname)
    check(C.gy_plot_pen(fig.ptr, 1.5, 0), fname)
    check(C.gy_plot_line(fig.ptr, m + 1, cx, cy), fname)
    local nx = doubles({ -0.09 * radius, 0, 0.09 * radius })
    local nyv = doubles({ 0.995 * radius, 1.1 * radius, 0.995 * radius })
    check(C.gy_plot_line(fig.ptr, 3, nx, nyv), fname)
    for _, side in ipairs({ -1, 1 }) do
      local ex, ey = ffi.new("double[13]"), ffi.new("double[13]")
      for k = 0, 12 do
        local a = -math.pi / 2 + math.pi * k / 12
        ex[k] = side * (radius + 0.07 * radius * math.cos(a))
        ey[k] = 0.16 * radius * math.sin(a)
      end
      check(C.gy_plot_line(fig.ptr, 13, ex, ey), fname)
    end
    if o.sensors then
      local sx, sy = doubles(xs), doubles(ys)
      check(C.gy_plot_points(fig.ptr, n, sx, sy, 0.9), fname)
    end
    if names then
      font(fig, 0.6, fname)
      for i = 1, n do
        check(C.gy_plot_text(fig.ptr, xs[i], ys[i] + 0.035 * radius, 0, 0.5, tostring(names[i])), fname)
      end
      font(fig, 1, fname)
    end
    labels(fig, { title = o.title }, fname)
    if o.colorbar then colorbar(fig, vp, vmin, vmax, o.clabel, fname) end
  end))
end

return P
