-- The shared part of gy.plot: colour maps and colours, figures and panels, the layout of
-- axes, colour bars and legends. The plot types (lua/gyrus/plot_*.lua) draw with these on
-- the primitives of the C layer (core/src/plot*.c); lua/gyrus/plot.lua gathers them.
local ffi = require "ffi"
local core = require "gyrus.core"
local M = require "gyrus.mat"

local C, check = core.C, core.check
local floor, abs, max, min, sqrt = math.floor, math.abs, math.max, math.min, math.sqrt
local huge = math.huge

local P = {}

-- ------------------------------------------------------------------ share files, colours

local function share_dir()
  local host = package.loaded["gyrus.host"]
  if host and host.share_dir then return host.share_dir end
  local env = os.getenv("GY_SHARE_DIR")
  if env and env ~= "" then return env end
  local src = debug.getinfo(1, "S").source:match("^@(.*)/lua/gyrus/plot_base%.lua$")
  return (src or ".") .. "/share"
end

local cmap_cache = {}
-- A colour map by name (share/colormaps/<name>.txt) or by path: an n x 3 matrix.
local function colormap(name, fname)
  if type(name) ~= "string" then core.fail(fname, "cmap must be a name or a path", 3) end
  local m = cmap_cache[name]
  if m then return m end
  local path = name:find("/", 1, true) and name or (share_dir() .. "/colormaps/" .. name .. ".txt")
  m = M.empty()
  local st = C.gy_plot_cmap_read(m, path)
  if st ~= 0 then
    core.fail(fname, "unknown colour map '" .. name .. "' (" .. ffi.string(C.gy_errmsg())
      .. "); maps: viridis, bluered, gray", 3)
  end
  cmap_cache[name] = m
  return m
end
P.colormap = function(name) return colormap(name, "gy.plot.colormap") end

-- Okabe & Ito's colour-blind-safe qualitative palette.
local palette = { 0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9, 0xF0E442,
  0x000000 }
P.palette = palette
local named = { black = 0x000000, white = 0xFFFFFF, gray = 0x808080, grey = 0x808080,
  red = 0xD55E00, blue = 0x0072B2, green = 0x009E73, orange = 0xE69F00, purple = 0xCC79A7,
  sky = 0x56B4E9, yellow = 0xF0E442 }

local function color(c, fname)
  if type(c) == "number" and c >= 0 and c <= 0xFFFFFF and c == floor(c) then return c end
  if type(c) == "string" then
    if named[c] then return named[c] end
    local hex = c:match("^#(%x%x%x%x%x%x)$")
    if hex then return tonumber(hex, 16) end
  end
  core.fail(fname, "colour " .. tostring(c) .. " is not 0xRRGGBB, '#rrggbb' or a name ("
    .. "black, gray, red, blue, green, orange, purple, sky, yellow)", 3)
end

-- ------------------------------------------------------------------ figures

-- Text size relative to the figure's base size; panels of a grid use smaller text.
local function font(fig, scale, fname)
  check(C.gy_plot_font(fig.ptr, scale * fig.fs), fname)
end
local Figure = {}
Figure.__index = Figure
local tmp_counter = 0

local window_devices = { xcairo = true, xwin = true, qtwidget = true, wxwidgets = true }
local extension = { pngcairo = ".png", svg = ".svg", svgcairo = ".svg", pdfcairo = ".pdf",
  pdf = ".pdf" }

-- A figure sink takes over figures drawn without a file, so `gyrus notebook` can capture
-- them into its page: set_figure_sink(fn) installs fn(fname) -> device, path (device nil:
-- chosen by the path's extension) and returns the previous sink; nil removes it.
local figure_sink = nil
local function set_figure_sink(fn)
  local old = figure_sink
  figure_sink = fn
  return old
end

-- Where a figure without a file goes: the figure sink if one is set; GY_PLOT_DEVICE (tests
-- set svg) writes a temporary file; otherwise a window when a display is present.
local function default_target(fname)
  if figure_sink then return figure_sink(fname) end
  local dev = os.getenv("GY_PLOT_DEVICE")
  if dev and dev ~= "" then
    if window_devices[dev] then return dev, nil end
    tmp_counter = tmp_counter + 1
    local dir = os.getenv("TMPDIR") or "/tmp"
    return dev, string.format("%s/gyrus-figure-%d-%d%s", dir, math.random(1e6), tmp_counter,
      extension[dev] or ".out")
  end
  if (os.getenv("DISPLAY") or "") ~= "" then return "xcairo", nil end
  core.fail(fname, "no file given and no display: pass {file = \"figure.png\"} (.png, .svg, .pdf)", 4)
end

local function size_opt(size, fname)
  if size == nil then return 800, 600 end
  if type(size) ~= "table" or type(size[1]) ~= "number" or type(size[2]) ~= "number" then
    core.fail(fname, "size must be {width, height} in pixels", 4)
  end
  return floor(size[1]), floor(size[2])
end

local function open_figure(fname, o, rows, cols)
  local w, h = size_opt(o.size, fname)
  local device, file = nil, o.file
  if file ~= nil and type(file) ~= "string" then core.fail(fname, "file must be a string", 3) end
  if not file then device, file = default_target(fname) end
  local pp = ffi.new("gy_plot *[1]")
  check(C.gy_plot_open(pp, device, file, w, h), fname)
  local self = setmetatable({
    ptr = ffi.gc(pp[0], C.gy_plot_discard), rows = rows, cols = cols, used = 0,
    file = file, letters = o.letters, fname = fname,
  }, Figure)
  local size = ffi.new("double[3]")
  check(C.gy_plot_page(self.ptr, size), fname)
  -- Text shrinks in a grid of panels, though less than the panels do.
  self.fs = 1 / max(rows, cols) ^ 0.6
  self.page_w, self.page_h, self.chr = size[0], size[1], size[2] * self.fs
  return self
end

-- gy.plot.figure{rows=, cols=, file=, size=, letters=}
function P.figure(opts)
  local fname = "gy.plot.figure"
  local o = core.options(fname, opts, { rows = 1, cols = 1, file = false, size = false,
    letters = true })
  for _, k in ipairs({ "rows", "cols" }) do
    local v = o[k]
    if type(v) ~= "number" or v < 1 or v > 12 or v ~= floor(v) then
      core.fail(fname, k .. " must be an integer in 1..12", 2)
    end
  end
  o.file = o.file or nil
  o.size = o.size or nil
  return open_figure(fname, o, o.rows, o.cols)
end

function Figure:alive() return self.ptr ~= nil and C.gy_plot_alive(self.ptr) ~= 0 end

-- Finishes the figure and writes its file; returns the path (nil for a window).
function Figure:close()
  if self.ptr == nil then return self.file end
  local p = self.ptr
  self.ptr = nil
  ffi.gc(p, nil)
  check(C.gy_plot_close(p), self.fname)
  return self.file
end
Figure.save = Figure.close

-- Drops the figure without writing it.
function Figure:discard()
  if self.ptr == nil then return end
  local p = self.ptr
  self.ptr = nil
  ffi.gc(p, nil)
  C.gy_plot_discard(p)
end

-- Page rectangle of panel k (row-major from the top left), with a small outer margin.
function Figure:rect(k)
  local r = floor((k - 1) / self.cols)
  local c = (k - 1) % self.cols
  local pad = 0.01
  local w, h = (1 - 2 * pad) / self.cols, (1 - 2 * pad) / self.rows
  return { x0 = pad + c * w, x1 = pad + (c + 1) * w, y0 = 1 - pad - (r + 1) * h,
    y1 = 1 - pad - r * h }
end

function Figure:take(k, fname)
  if self.ptr == nil then core.fail(fname, "the figure is closed", 4) end
  local n = self.rows * self.cols
  if k == nil or k == false then k = self.used + 1 end
  if type(k) ~= "number" or k < 1 or k > n or k ~= floor(k) then
    core.fail(fname, string.format("panel %s is outside 1..%d", tostring(k), n), 4)
  end
  self.used = max(self.used, k)
  local rect = self:rect(k)
  if n > 1 and self.letters then
    local C_ = C
    check(C_.gy_plot_viewport(self.ptr, rect.x0, rect.x1, rect.y0, rect.y1, 0, 1, 0, 1), fname)
    check(C_.gy_plot_color(self.ptr, 0, 1), fname)
    font(self, 1.4, fname)
    local dy = 1.4 * self.chr / ((rect.y1 - rect.y0) * self.page_h)
    check(C_.gy_plot_text(self.ptr, 0.005, 1 - dy, 0, 0, string.char(64 + k)), fname)
    font(self, 1, fname)
  end
  return rect
end

-- Every plot type: draw into opts.figure (a panel of it) or into a figure of its own that
-- is written and closed at the end (or discarded on error).
local function strip(err) return (tostring(err):gsub("^[^:\n]*:%d+: ", "")) end

local function with_panel(fname, o, draw)
  if o.figure then
    if getmetatable(o.figure) ~= Figure then core.fail(fname, "figure must come from gy.plot.figure", 3) end
    if o.file then core.fail(fname, "give file to gy.plot.figure, not to a panel", 3) end
    local ok, res = pcall(function()
      local rect = o.figure:take(o.panel, fname)
      return draw(o.figure, rect)
    end)
    if not ok then error(strip(res), 3) end
    return nil, res
  end
  if o.panel then core.fail(fname, "panel needs figure", 3) end
  local okf, fig = pcall(open_figure, fname, o, 1, 1)
  if not okf then error(strip(fig), 3) end
  local ok, res = pcall(function() return draw(fig, fig:take(1, fname)) end)
  if not ok then
    fig:discard()
    error(strip(res), 3)
  end
  local okc, path = pcall(fig.close, fig)
  if not okc then error(strip(path), 3) end
  return path, res
end

-- Shared options of every plot type.
local function common(defaults)
  defaults.file = false
  defaults.size = false
  defaults.figure = false
  defaults.panel = false
  defaults.title = false
  return defaults
end

local function opts_of(fname, opts, defaults)
  local o = core.options(fname, opts, common(defaults))
  for k, v in pairs(o) do if v == false and defaults[k] == false then o[k] = nil end end
  return o
end

-- ------------------------------------------------------------------ axes

-- The data viewport inside a panel rectangle: margins are counted in character heights so
-- text fits whatever the figure size. m = {left, right, bottom, top} in characters;
-- aspect (height / width in data units * ratio) keeps cells square when given.
local function inner(fig, rect, m, aspect)
  local cw, ch = fig.chr / fig.page_w, fig.chr / fig.page_h
  local x0, x1 = rect.x0 + m[1] * cw, rect.x1 - m[2] * cw
  local y0, y1 = rect.y0 + m[3] * ch, rect.y1 - m[4] * ch
  if x1 - x0 < 0.05 then local c = (rect.x0 + rect.x1) / 2; x0, x1 = c - 0.025, c + 0.025 end
  if y1 - y0 < 0.05 then local c = (rect.y0 + rect.y1) / 2; y0, y1 = c - 0.025, c + 0.025 end
  if aspect then
    local wmm, hmm = (x1 - x0) * fig.page_w, (y1 - y0) * fig.page_h
    if hmm / wmm > aspect then
      local nh = wmm * aspect / fig.page_h
      local c = (y0 + y1) / 2
      y0, y1 = c - nh / 2, c + nh / 2
    else
      local nw = hmm / aspect / fig.page_w
      local c = (x0 + x1) / 2
      x0, x1 = c - nw / 2, c + nw / 2
    end
  end
  return { x0 = x0, x1 = x1, y0 = y0, y1 = y1 }
end

-- Tick step of about five intervals on a 1-2-5 ladder, and the widest tick label (in
-- characters) PLplot will write with it.
local function ticks(lo, hi)
  local range = abs(hi - lo)
  if range == 0 or range ~= range or range == huge then return 0, 4 end
  local raw = range / 5
  local p = 10 ^ floor(math.log10(raw))
  local step = p
  for _, m in ipairs({ 1, 2, 5, 10 }) do
    if raw <= m * p * 1.0001 then step = m * p; break end
  end
  local decimals = step >= 1 and 0 or -floor(math.log10(step) + 1e-9)
  local width = 1
  local first = math.ceil(min(lo, hi) / step) * step
  for v = first, max(lo, hi) + step * 1e-9, step do
    width = max(width, #string.format(string.format("%%.%df", decimals), v))
  end
  return step, width
end

local function set_view(fig, vp, xmin, xmax, ymin, ymax, fname)
  check(C.gy_plot_viewport(fig.ptr, vp.x0, vp.x1, vp.y0, vp.y1, xmin, xmax, ymin, ymax), fname)
end

local function labels(fig, o, fname, ylabel_disp)
  local p = fig.ptr
  check(C.gy_plot_color(p, 0, 1), fname)
  font(fig, 1, fname)
  if o.xlabel then check(C.gy_plot_mtext(p, C.GY_PLOT_BOTTOM, 0, 3.0, 0.5, 0.5, o.xlabel), fname) end
  if o.ylabel then
    check(C.gy_plot_mtext(p, C.GY_PLOT_LEFT, 0, ylabel_disp or 3.4, 0.5, 0.5, o.ylabel), fname)
  end
  if o.title then
    font(fig, 1.15, fname)
    check(C.gy_plot_mtext(p, C.GY_PLOT_TOP, 0, 1.0, 0.5, 0.5, o.title), fname)
    font(fig, 1, fname)
  end
end

local function frame(fig, fname, xopt, yopt, xtick, ytick)
  check(C.gy_plot_color(fig.ptr, 0, 1), fname)
  check(C.gy_plot_pen(fig.ptr, 1, 0), fname)
  font(fig, 0.9, fname)
  check(C.gy_plot_axes(fig.ptr, xopt or "bcnst", xtick or 0, yopt or "bcnstv", ytick or 0), fname)
  font(fig, 1, fname)
end

-- Margins (in characters) of an x-y plot whose y axis spans [y0, y1], the y tick step,
-- and where the y label goes.
local function xy_margins(o, y0, y1, right)
  local ystep, w = ticks(y0, y1)
  local left = w * 0.75 + 1.2 + (o.ylabel and 2.2 or 0)
  return { left, right or 1.5, o.xlabel and 4.6 or 2.6, o.title and 2.6 or 1.2 }, ystep,
    w * 0.75 + 1.6
end

-- Data range with a little room, never empty.
local function padded(lo, hi, frac)
  if lo == huge then return 0, 1 end
  if lo == hi then
    local d = lo == 0 and 1 or abs(lo) * 0.1
    return lo - d, hi + d
  end
  local d = (hi - lo) * (frac or 0.05)
  return lo - d, hi + d
end

local function limits(opt, lo, hi, fname, name, frac)
  if opt then
    if type(opt) ~= "table" or type(opt[1]) ~= "number" or type(opt[2]) ~= "number"
      or not (opt[1] < opt[2]) then
      core.fail(fname, name .. " must be {low, high} with low < high", 4)
    end
    return opt[1], opt[2]
  end
  return padded(lo, hi, frac)
end

-- A Lua table of numbers or strings from a matrix, a table, or nil.
local function vector(x, fname, what)
  if x == nil then return nil end
  if M.is(x) then return x:values() end
  if type(x) == "table" then
    if type(x[1]) == "table" then return M.arg(x, fname, what):values() end
    return x
  end
  core.fail(fname, what .. " must be a matrix or a table", 4)
end

local function text_len(t)
  local n = 0
  for i = 1, #t do n = max(n, #tostring(t[i])) end
  return n
end

local function doubles(t)
  local n = #t
  local a = ffi.new("double[?]", max(n, 1))
  for i = 1, n do a[i - 1] = t[i] end
  return a, n
end

local function legend(fig, names, cols, markers, fname)
  local n = min(#names, 40)
  local lab = ffi.new("const char *[?]", n)
  local col = ffi.new("uint32_t[?]", n)
  local mk = ffi.new("int32_t[?]", n)
  local keep = {}
  for k = 1, n do
    keep[k] = tostring(names[k])
    lab[k - 1] = keep[k]
    col[k - 1] = cols[k]
    mk[k - 1] = markers and 1 or 0
  end
  font(fig, 0.9, fname)
  check(C.gy_plot_legend(fig.ptr, n, lab, col, mk), fname)
  font(fig, 1, fname)
  return keep
end

local function categorical(groups, fname)
  local levels, index, cols = {}, {}, {}
  for i = 1, #groups do
    local g = groups[i]
    if index[g] == nil then
      levels[#levels + 1] = g
      index[g] = #levels
    end
    cols[i] = palette[(index[g] - 1) % #palette + 1]
  end
  local lcols = {}
  for k = 1, #levels do lcols[k] = palette[(k - 1) % #palette + 1] end
  return cols, levels, lcols
end

-- Colour bar in a gutter right of the viewport vp.
local function colorbar(fig, vp, vmin, vmax, label, fname)
  local cw = fig.chr / fig.page_w
  local bar = { x0 = vp.x1 + 1.0 * cw, x1 = vp.x1 + 2.2 * cw, y0 = vp.y0, y1 = vp.y1 }
  if bar.x1 > 1 then bar.x0, bar.x1 = 1 - 1.3 * cw, 1 - 0.1 * cw end
  set_view(fig, bar, 0, 1, vmin, vmax, fname)
  local g = M.new(256, 1, fname)
  for i = 0, 255 do g.data[i] = vmax - (vmax - vmin) * (i + 0.5) / 256 end
  check(C.gy_plot_image(fig.ptr, g, 0, 1, vmin, vmax, vmin, vmax), fname)
  check(C.gy_plot_color(fig.ptr, 0, 1), fname)
  check(C.gy_plot_pen(fig.ptr, 1, 0), fname)
  font(fig, 0.85, fname)
  local step, w = ticks(vmin, vmax)
  check(C.gy_plot_axes(fig.ptr, "bc", 0, "bcmtv", step), fname)
  font(fig, 1, fname)
  if label then
    check(C.gy_plot_mtext(fig.ptr, C.GY_PLOT_RIGHT, 0, w * 0.75 + 1.6, 0.5, 0.5, label), fname)
  end
  g:free()
end

local function value_colors(vals, cmapname, vmin, vmax, fname)
  local cm = colormap(cmapname, fname)
  local nc = tonumber(cm.rows)
  local cols = {}
  for i = 1, #vals do
    local t = (vals[i] - vmin) / (vmax - vmin)
    if t ~= t then cols[i] = 0x808080 else
      local r = max(0, min(nc - 1, floor(t * nc)))
      local function c(j) return floor(cm:get(r + 1, j) * 255 + 0.5) end
      cols[i] = c(1) * 65536 + c(2) * 256 + c(3)
    end
  end
  return cols, cm
end

local function finite_range(t)
  local lo, hi = huge, -huge
  for i = 1, #t do
    local v = t[i]
    if v == v and abs(v) < huge then lo, hi = min(lo, v), max(hi, v) end
  end
  if lo == huge then return 0, 1 end
  if lo == hi then return lo - 0.5, hi + 0.5 end
  return lo, hi
end

local function color_range(A, o, fname)
  local lo, hi = huge, -huge
  local r, c = A:shape()
  for j = 1, c do
    for i = 1, r do
      local v = A:get(i, j)
      if v == v and abs(v) < huge then lo, hi = min(lo, v), max(hi, v) end
    end
  end
  if lo == huge then lo, hi = 0, 1 end
  local vmin, vmax = o.vmin or lo, o.vmax or hi
  if o.center then
    if type(o.center) ~= "number" then core.fail(fname, "center must be a number", 4) end
    local d = max(abs(vmax - o.center), abs(vmin - o.center))
    if not o.vmin and not o.vmax then vmin, vmax = o.center - d, o.center + d end
  end
  if type(vmin) ~= "number" or type(vmax) ~= "number" then
    core.fail(fname, "vmin and vmax must be numbers", 4)
  end
  if vmin == vmax then vmin, vmax = vmin - 0.5, vmax + 0.5 end
  if vmin > vmax then core.fail(fname, "vmin is greater than vmax", 4) end
  return vmin, vmax
end


local B = { P = P, Figure = Figure, C = C, check = check, core = core, M = M, ffi = ffi }
B.share_dir = share_dir
B.set_figure_sink = set_figure_sink
B.colormap = colormap
B.palette = palette
B.color = color
B.font = font
B.open_figure = open_figure
B.with_panel = with_panel
B.opts_of = opts_of
B.inner = inner
B.ticks = ticks
B.set_view = set_view
B.labels = labels
B.frame = frame
B.xy_margins = xy_margins
B.padded = padded
B.limits = limits
B.vector = vector
B.text_len = text_len
B.doubles = doubles
B.legend = legend
B.categorical = categorical
B.colorbar = colorbar
B.value_colors = value_colors
B.finite_range = finite_range
B.color_range = color_range
return B
