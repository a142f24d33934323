-- gy.plot line, scatter and histogram plots (gathered by lua/gyrus/plot.lua).
local ffi = require "ffi"
local B = require "gyrus.plot_base"
local core, M, C, check = B.core, B.M, B.C, B.check
local floor, abs, max, min = math.floor, math.abs, math.max, math.min
local huge = math.huge
local colormap, palette, color, font = B.colormap, B.palette, B.color, B.font
local with_panel, opts_of, inner, ticks = B.with_panel, B.opts_of, B.inner, B.ticks
local set_view, labels, frame, xy_margins = B.set_view, B.labels, B.frame, B.xy_margins
local limits, vector, text_len, doubles = B.limits, B.vector, B.text_len, B.doubles
local legend, categorical, colorbar = B.legend, B.categorical, B.colorbar
local value_colors, finite_range = B.value_colors, B.finite_range

local P = {}

-- ------------------------------------------------------------------ line

-- gy.plot.line(Y, opts): each column of Y is a series against x (default 1..n).
function P.line(Y, opts)
  local fname = "gy.plot.line"
  local o = opts_of(fname, opts, { x = false, labels = false, color = false, linewidth = 2,
    xlabel = false, ylabel = false, xlim = false, ylim = false, legend = true })
  Y = M.arg(Y, fname, "Y")
  local n, k = Y:shape()
  if n < 1 or k < 1 then core.fail(fname, "Y is empty", 2) end
  if k > 40 then core.fail(fname, "Y has " .. k .. " columns; at most 40 series", 2) end
  local x = vector(o.x, fname, "x")
  if x and #x ~= n then core.fail(fname, string.format("x has %d values, Y has %d rows", #x, n), 2) end
  if not x then x = {} for i = 1, n do x[i] = i end end
  local names = o.labels and vector(o.labels, fname, "labels")
  if names and #names ~= k then
    core.fail(fname, string.format("labels has %d names for %d series", #names, k), 2)
  end
  local colors = {}
  for j = 1, k do
    colors[j] = color(o.color and (type(o.color) == "table" and o.color[j] or o.color)
      or palette[(j - 1) % #palette + 1], fname)
  end
  local xlo, xhi, ylo, yhi = huge, -huge, huge, -huge
  for i = 1, n do
    local xi = x[i]
    if type(xi) ~= "number" then core.fail(fname, "x must hold numbers", 2) end
    if xi == xi and abs(xi) < huge then xlo, xhi = min(xlo, xi), max(xhi, xi) end
    for j = 1, k do
      local v = Y:get(i, j)
      if v == v and abs(v) < huge then ylo, yhi = min(ylo, v), max(yhi, v) end
    end
  end
  local x0, x1 = limits(o.xlim, xlo, xhi, fname, "xlim", 0)
  local y0, y1 = limits(o.ylim, ylo, yhi, fname, "ylim", 0.05)
  return (with_panel(fname, o, function(fig, rect)
    local m, ystep, ydisp = xy_margins(o, y0, y1)
    local vp = inner(fig, rect, m)
    set_view(fig, vp, x0, x1, y0, y1, fname)
    local xa = doubles(x)
    local ya = ffi.new("double[?]", n)
    check(C.gy_plot_pen(fig.ptr, o.linewidth, 0), fname)
    for j = 1, k do
      for i = 1, n do ya[i - 1] = Y:get(i, j) end
      check(C.gy_plot_color(fig.ptr, colors[j], 1), fname)
      check(C.gy_plot_line(fig.ptr, n, xa, ya), fname)
    end
    frame(fig, fname, nil, nil, 0, ystep)
    labels(fig, o, fname, ydisp)
    if names and o.legend then legend(fig, names, colors, false, fname) end
  end))
end

-- ------------------------------------------------------------------ scatter

local function scatter_draw(fig, rect, fname, o, x, y, cols, vals, texts)
  local n = #x
  local xlo, xhi, ylo, yhi = huge, -huge, huge, -huge
  for i = 1, n do
    local a, b = x[i], y[i]
    if a == a and b == b and abs(a) < huge and abs(b) < huge then
      xlo, xhi, ylo, yhi = min(xlo, a), max(xhi, a), min(ylo, b), max(yhi, b)
    end
  end
  local x0, x1 = limits(o.xlim, xlo, xhi, fname, "xlim", 0.06)
  local y0, y1 = limits(o.ylim, ylo, yhi, fname, "ylim", 0.06)
  -- Text beside the points needs room on the right (PLplot clips at the frame).
  if texts and not o.xlim then x1 = x1 + (x1 - x0) * 0.02 * min(12, text_len(texts)) end
  local aspect
  if o.equal then
    local d = max(x1 - x0, y1 - y0)
    local cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    x0, x1, y0, y1 = cx - d / 2, cx + d / 2, cy - d / 2, cy + d / 2
    aspect = 1
  end
  local right = 1.5
  if vals then
    local _, w = ticks(o.vmin, o.vmax)
    right = 3.5 + w * 0.75 + (o.clabel and 2.2 or 0)
  end
  local m, ystep, ydisp = xy_margins(o, y0, y1, right)
  local vp = inner(fig, rect, m, aspect)
  set_view(fig, vp, x0, x1, y0, y1, fname)
  local px, py = ffi.new("double[1]"), ffi.new("double[1]")
  local size = o.s
  for i = 1, n do
    check(C.gy_plot_color(fig.ptr, cols[i], o.alpha), fname)
    px[0], py[0] = x[i], y[i]
    check(C.gy_plot_points(fig.ptr, 1, px, py, size), fname)
  end
  if texts then
    check(C.gy_plot_color(fig.ptr, 0, 1), fname)
    font(fig, 0.85, fname)
    local dx = (x1 - x0) * 0.012
    for i = 1, n do
      if texts[i] and x[i] == x[i] and y[i] == y[i] then
        check(C.gy_plot_text(fig.ptr, x[i] + dx, y[i], 0, 0, tostring(texts[i])), fname)
      end
    end
    font(fig, 1, fname)
  end
  frame(fig, fname, nil, nil, 0, ystep)
  labels(fig, o, fname, ydisp)
  return vp
end

-- gy.plot.scatter(x, y, opts) or gy.plot.scatter(XY, opts) with XY n x 2.
function P.scatter(x, y, opts)
  local fname = "gy.plot.scatter"
  if opts == nil and type(y) == "table" and not M.is(y) and #y == 0 and next(y) ~= nil then
    opts, y = y, nil
  end
  local o = opts_of(fname, opts, { c = false, s = 2.0, alpha = 0.85, groups = false,
    labels = false, cmap = "viridis", vmin = false, vmax = false, xlabel = false,
    ylabel = false, xlim = false, ylim = false, equal = false, clabel = false })
  local xs, ys
  if y == nil then
    local XY = M.arg(x, fname, "XY")
    local n, k = XY:shape()
    if k ~= 2 then core.fail(fname, "XY must have 2 columns (or pass x and y)", 2) end
    xs, ys = {}, {}
    for i = 1, n do xs[i], ys[i] = XY:get(i, 1), XY:get(i, 2) end
  else
    xs, ys = vector(x, fname, "x"), vector(y, fname, "y")
  end
  local n = #xs
  if n == 0 then core.fail(fname, "no points", 2) end
  if #ys ~= n then core.fail(fname, string.format("x has %d values, y has %d", n, #ys), 2) end
  if type(o.s) ~= "number" or not (o.s > 0 and o.s < 100) then
    core.fail(fname, "s (point diameter in mm) must be in (0, 100)", 2)
  end
  local cols, vals, levels, lcols = {}, nil, nil, nil
  if o.groups then
    local g = vector(o.groups, fname, "groups")
    if #g ~= n then core.fail(fname, string.format("groups has %d values for %d points", #g, n), 2) end
    cols, levels, lcols = categorical(g, fname)
  elseif o.c and (type(o.c) == "table" or M.is(o.c)) then
    vals = vector(o.c, fname, "c")
    if #vals ~= n then core.fail(fname, string.format("c has %d values for %d points", #vals, n), 2) end
    local lo, hi = finite_range(vals)
    o.vmin, o.vmax = o.vmin or lo, o.vmax or hi
    cols = value_colors(vals, o.cmap, o.vmin, o.vmax, fname)
  else
    local c = color(o.c or palette[1], fname)
    for i = 1, n do cols[i] = c end
  end
  local texts = o.labels and vector(o.labels, fname, "labels")
  return (with_panel(fname, o, function(fig, rect)
    local vp = scatter_draw(fig, rect, fname, o, xs, ys, cols, vals, texts)
    if levels then
      local names = {}
      for k = 1, #levels do names[k] = tostring(levels[k]) end
      legend(fig, names, lcols, true, fname)
    end
    if vals then
      check(C.gy_plot_cmap(fig.ptr, colormap(o.cmap, fname)), fname)
      colorbar(fig, vp, o.vmin, o.vmax, o.clabel, fname)
    end
  end))
end

-- ------------------------------------------------------------------ hist

-- numpy.histogram's bins: equal widths over range (default min..max); the last bin is
-- closed. Returns counts and edges.
local function histogram(v, bins, range, density, fname)
  local lo, hi
  if range then lo, hi = range[1], range[2] else lo, hi = huge, -huge
    for i = 1, #v do local a = v[i]; if a == a and abs(a) < huge then lo, hi = min(lo, a), max(hi, a) end end
    if lo == huge then core.fail(fname, "no finite values", 3) end
  end
  if lo == hi then lo, hi = lo - 0.5, hi + 0.5 end
  local counts, edges = {}, {}
  for b = 1, bins do counts[b] = 0 end
  for b = 0, bins do edges[b + 1] = lo + (hi - lo) * b / bins end
  local total = 0
  for i = 1, #v do
    local a = v[i]
    if a == a and a >= lo and a <= hi then
      local b = floor((a - lo) / (hi - lo) * bins) + 1
      if b > bins then b = bins end
      counts[b] = counts[b] + 1
      total = total + 1
    end
  end
  if density and total > 0 then
    local w = (hi - lo) / bins
    for b = 1, bins do counts[b] = counts[b] / (total * w) end
  end
  return counts, edges
end
P.histogram = function(x, opts)
  local fname = "gy.plot.histogram"
  local o = core.options(fname, opts, { bins = 10, range = false, density = false })
  return histogram(vector(x, fname, "x"), o.bins, o.range or nil, o.density, fname)
end

-- gy.plot.hist(x, opts): histogram of all values of x.
function P.hist(x, opts)
  local fname = "gy.plot.hist"
  local o = opts_of(fname, opts, { bins = 10, range = false, density = false, color = false,
    xlabel = false, ylabel = false })
  local v = vector(x, fname, "x")
  if not v or #v == 0 then core.fail(fname, "x is empty", 2) end
  local bins = o.bins
  if type(bins) ~= "number" or bins < 1 or bins > 10000 or bins ~= floor(bins) then
    core.fail(fname, "bins must be an integer in 1..10000", 2)
  end
  if o.range and (type(o.range) ~= "table" or type(o.range[1]) ~= "number"
    or type(o.range[2]) ~= "number" or not (o.range[1] < o.range[2])) then
    core.fail(fname, "range must be {low, high} with low < high", 2)
  end
  local counts, edges = histogram(v, bins, o.range or nil, o.density, fname)
  local top = 0
  for b = 1, bins do top = max(top, counts[b]) end
  if top == 0 then top = 1 end
  local c = color(o.color or palette[1], fname)
  o.ylabel = o.ylabel or (o.density and "density" or "count")
  return (with_panel(fname, o, function(fig, rect)
    local m, ystep, ydisp = xy_margins(o, 0, top * 1.05)
    local vp = inner(fig, rect, m)
    set_view(fig, vp, edges[1], edges[bins + 1], 0, top * 1.05, fname)
    local bx, by = ffi.new("double[5]"), ffi.new("double[5]")
    for b = 1, bins do
      if counts[b] > 0 then
        bx[0], bx[1], bx[2], bx[3], bx[4] = edges[b], edges[b], edges[b + 1], edges[b + 1], edges[b]
        by[0], by[1], by[2], by[3], by[4] = 0, counts[b], counts[b], 0, 0
        check(C.gy_plot_color(fig.ptr, c, 1), fname)
        check(C.gy_plot_fill(fig.ptr, 4, bx, by), fname)
        check(C.gy_plot_color(fig.ptr, 0xFFFFFF, 1), fname)
        check(C.gy_plot_pen(fig.ptr, 0.8, 0), fname)
        check(C.gy_plot_line(fig.ptr, 5, bx, by), fname)
      end
    end
    frame(fig, fname, nil, nil, 0, ystep)
    labels(fig, o, fname, ydisp)
  end))
end

return P
