-- gy.plot: figures with PLplot. The C layer (core/src/plot*.c) draws primitives on one
-- PLplot stream per figure; lua/gyrus/plot_base.lua lays out panels, axes, colour bars and
-- legends; the plot types live in plot_xy.lua (line, scatter, hist), plot_matrix.lua
-- (matrix, rdm, mds), plot_topo.lua and plot_brain.lua. Every plot takes (data, opts);
-- with opts.file it writes PNG, SVG or PDF by extension and returns the path; with
-- opts.figure it draws into the next panel of a gy.plot.figure.
local B = require "gyrus.plot_base"
local core, M = B.core, B.M
local opts_of = B.opts_of

local P = B.P
for _, part in ipairs({ "plot_xy", "plot_matrix", "plot_topo", "plot_brain", "plot_bars", "plot_ica" }) do
  for k, v in pairs(require("gyrus." .. part)) do P[k] = v end
end

-- ------------------------------------------------------------------ quick figures

-- gy.plot.quick(data, opts): the figure `gyrus plot DATA -o out.png` makes. data is a
-- path (read with gy.read) or what gy.read returns: an image becomes a brain mosaic, a
-- square symmetric matrix a heat map, a table of a few columns a line plot (columns named
-- from the header), anything else a heat map.
function P.quick(data, opts)
  local fname = "gy.plot.quick"
  local o = opts_of(fname, opts, {})
  local obj, title = data, nil
  if type(data) == "string" then
    obj = require("gyrus.io").read(data)
    title = data:match("([^/]+)$")
  end
  local base = { file = o.file, size = o.size, figure = o.figure, panel = o.panel,
    title = o.title or title }
  if type(obj) == "table" and not M.is(obj) then
    local ok, shape = pcall(function() return obj.shape or obj.dims end)
    if ok and type(shape) == "table" and #shape >= 3 and obj.data then
      base.threshold = 0
      return P.brain(obj, base)
    end
    if type(obj.square) == "function" then return P.rdm(obj, base) end
    if M.is(obj.data) then
      local _, c = obj.data:shape()
      if obj.numeric and #obj.numeric == c and c <= 12 then base.labels = obj.numeric end
      obj = obj.data
    end
  end
  local X = M.arg(obj, fname, "data")
  local r, c = X:shape()
  local symmetric = r == c and r > 1
  if symmetric then
    for i = 1, r do
      for j = i + 1, c do
        if X:get(i, j) ~= X:get(j, i) then symmetric = false break end
      end
      if not symmetric then break end
    end
  end
  if symmetric then
    base.labels = nil
    return P.matrix(X, base)
  end
  if c <= 12 and r > c then return P.line(X, base) end
  base.labels = nil
  return P.matrix(X, base)
end

-- `gyrus plot DATA [-o OUT] [--title TEXT]`: the host calls this with the command line.
-- Without -o the figure goes to DATA's name with .png; returns the path written.
function P.main(...)
  local args, data, out, title = { ... }, nil, nil, nil
  local k = 1
  while k <= #args do
    local a = args[k]
    if a == "-o" or a == "--output" then out = args[k + 1]; k = k + 2
    elseif a == "--title" then title = args[k + 1]; k = k + 2
    elseif a == "-h" or a == "--help" then
      print("usage: gyrus plot DATA [-o OUT.png|.svg|.pdf] [--title TEXT]\n"
        .. "A quick figure of a .csv/.tsv, .npy/.npz or .nii/.nii.gz file: a brain mosaic for an\n"
        .. "image, a heat map for a square symmetric matrix, lines for a few long columns.")
      return true
    elseif a:sub(1, 1) == "-" then error("gyrus plot: unknown option " .. a, 0)
    elseif data then error("gyrus plot: one data file at a time (got " .. data .. " and " .. a .. ")", 0)
    else data = a; k = k + 1 end
  end
  if not data then error("gyrus plot: no data file (usage: gyrus plot DATA -o out.png)", 0) end
  out = out or (data:gsub("%.nii%.gz$", ""):gsub("%.[%w]+$", "") .. ".png")
  local path = P.quick(data, { file = out, title = title })
  print(path)
  return true
end

P.Figure = B.Figure
return P
