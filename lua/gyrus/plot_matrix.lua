-- gy.plot heat maps of matrices and RDMs, and classical MDS (gathered by lua/gyrus/plot.lua).
local B = require "gyrus.plot_base"
local core, M, C, check = B.core, B.M, B.C, B.check
local floor, abs, max, sqrt = math.floor, math.abs, math.max, math.sqrt
local colormap, font, with_panel, opts_of = B.colormap, B.font, B.with_panel, B.opts_of
local inner, ticks, set_view, labels, frame = B.inner, B.ticks, B.set_view, B.labels, B.frame
local vector, text_len, colorbar = B.vector, B.text_len, B.colorbar
local color_range = B.color_range

local P = {}

-- ------------------------------------------------------------------ matrix, rdm

-- Heat map drawing shared by matrix and rdm. A is a gy matrix already masked.
local function heatmap(fig, rect, fname, o, A, vmin, vmax)
  local r, c = A:shape()
  local xl, yl = o.xlabels, o.ylabels
  -- Room for tick labels: character heights, with ~0.8 of a height per character.
  local left = yl and (text_len(yl) * 0.75 + 1.5) or (#tostring(r) * 0.75 + 1.5)
  local bottom = xl and (text_len(xl) * 0.75 + 1.5) or 2.5
  if o.ylabel then left = left + 2.2 end
  if o.xlabel then bottom = bottom + 2.2 end
  local right = 1.5
  if o.colorbar then
    local _, w = ticks(vmin, vmax)
    right = 3.5 + w * 0.75 + (o.clabel and 2.2 or 0)
  end
  local vp = inner(fig, rect, { left, right, bottom, o.title and 2.6 or 1.2 }, r / c)
  set_view(fig, vp, 0.5, c + 0.5, r + 0.5, 0.5, fname)
  check(C.gy_plot_cmap(fig.ptr, colormap(o.cmap, fname)), fname)
  check(C.gy_plot_image(fig.ptr, A, 0.5, c + 0.5, r + 0.5, 0.5, vmin, vmax), fname)
  local function step(n) return n <= 10 and 1 or (n <= 25 and 2 or (n <= 60 and 5 or floor(n / 10 + 0.5))) end
  local xopt, yopt = xl and "bc" or "bcnt", yl and "bc" or "bcntv"
  frame(fig, fname, xopt, yopt, step(c), step(r))
  font(fig, 0.85, fname)
  if xl then
    local every = max(1, math.ceil(#xl / 80))
    for j = 1, c, every do
      check(C.gy_plot_mtext(fig.ptr, C.GY_PLOT_BOTTOM, 1, 0.6, (j - 0.5) / c, 1, tostring(xl[j])), fname)
    end
  end
  if yl then
    local every = max(1, math.ceil(#yl / 80))
    for i = 1, r, every do
      check(C.gy_plot_mtext(fig.ptr, C.GY_PLOT_LEFT, 1, 0.6, 1 - (i - 0.5) / r, 1, tostring(yl[i])), fname)
    end
  end
  font(fig, 1, fname)
  local o2 = { title = o.title, xlabel = o.xlabel, ylabel = o.ylabel }
  o2.xlabel = nil
  labels(fig, o2, fname, yl and (text_len(yl) * 0.75 + 1.6) or (#tostring(r) * 0.75 + 1.6))
  if o.xlabel then
    check(C.gy_plot_mtext(fig.ptr, C.GY_PLOT_BOTTOM, 0, xl and (text_len(xl) * 0.75 + 1.8) or 3.0,
      0.5, 0.5, o.xlabel), fname)
  end
  if o.colorbar then colorbar(fig, vp, vmin, vmax, o.clabel, fname) end
  return vp
end

-- Copy of A with the cells outside the requested triangle set to NaN (blank).
local function mask_triangle(A, tri, diag, fname)
  if not tri then return A end
  if tri ~= "lower" and tri ~= "upper" then
    core.fail(fname, "triangle must be \"lower\" or \"upper\"", 4)
  end
  local B = A:copy()
  local r, c = B:shape()
  local nan = 0 / 0
  for i = 1, r do
    for j = 1, c do
      local keep = (tri == "lower" and i > j) or (tri == "upper" and i < j) or (diag and i == j)
      if not keep then B:set(i, j, nan) end
    end
  end
  return B
end

local matrix_defaults = { cmap = false, vmin = false, vmax = false, center = false,
  labels = false, xlabels = false, ylabels = false, triangle = false, diagonal = true,
  colorbar = true, clabel = false, xlabel = false, ylabel = false }

local function matrix_opts(o, A, fname)
  local r, c = A:shape()
  if r < 1 or c < 1 then core.fail(fname, "the matrix is empty", 3) end
  if o.cmap == "bluered" and o.center == nil then o.center = 0 end
  if o.center and not o.cmap then o.cmap = "bluered" end
  o.cmap = o.cmap or "viridis"
  if o.labels then
    local l = vector(o.labels, fname, "labels")
    o.xlabels, o.ylabels = o.xlabels or l, o.ylabels or l
  end
  o.xlabels = o.xlabels and vector(o.xlabels, fname, "xlabels")
  o.ylabels = o.ylabels and vector(o.ylabels, fname, "ylabels")
  if o.xlabels and #o.xlabels ~= c then
    core.fail(fname, string.format("%d column labels for %d columns", #o.xlabels, c), 3)
  end
  if o.ylabels and #o.ylabels ~= r then
    core.fail(fname, string.format("%d row labels for %d rows", #o.ylabels, r), 3)
  end
  if o.triangle and r ~= c then core.fail(fname, "triangle needs a square matrix", 3) end
end

-- gy.plot.matrix(A, opts): heat map with a colour bar.
function P.matrix(A, opts)
  local fname = "gy.plot.matrix"
  local d = {}
  for k, v in pairs(matrix_defaults) do d[k] = v end
  local o = opts_of(fname, opts, d)
  A = M.arg(A, fname, "A")
  matrix_opts(o, A, fname)
  local B = mask_triangle(A, o.triangle, o.diagonal, fname)
  local vmin, vmax = color_range(B, o, fname)
  return (with_panel(fname, o, function(fig, rect) heatmap(fig, rect, fname, o, B, vmin, vmax) end))
end

-- The square dissimilarity matrix of an RDM object (anything with :square()) or a matrix.
local function square_of(R, fname)
  local labels
  if type(R) == "table" and type(R.square) == "function" then
    if type(R.labels) == "table" and #R.labels > 0 then labels = R.labels end
    R = R:square()
  end
  R = M.arg(R, fname, "rdm")
  local r, c = R:shape()
  if r ~= c then core.fail(fname, string.format("the RDM is %d x %d, not square", r, c), 3) end
  if r < 2 then core.fail(fname, "the RDM needs at least 2 conditions", 3) end
  if labels and #labels ~= r then labels = nil end
  return R, labels
end

-- Ranks of the n(n-1)/2 pairs (ties averaged, as scipy.stats.rankdata), scaled to [0, 1].
local function rank_transform(R)
  local n = R:shape()
  local pairs_ = {}
  for i = 1, n do for j = i + 1, n do pairs_[#pairs_ + 1] = { v = R:get(i, j), i = i, j = j } end end
  table.sort(pairs_, function(a, b) return a.v < b.v end)
  local m = #pairs_
  local out = M.zeros(n, n)
  local k = 1
  while k <= m do
    local l = k
    while l < m and pairs_[l + 1].v == pairs_[k].v do l = l + 1 end
    local rank = (k + l) / 2
    local s = m > 1 and (rank - 1) / (m - 1) or 0
    for q = k, l do
      out:set(pairs_[q].i, pairs_[q].j, s)
      out:set(pairs_[q].j, pairs_[q].i, s)
    end
    k = l + 1
  end
  return out
end
P.rank_transform = function(R) return rank_transform(square_of(R, "gy.plot.rank_transform")) end

-- gy.plot.rdm(R, opts): an RDM with condition labels; rank=true shows rank-transformed
-- dissimilarities.
function P.rdm(R, opts)
  local fname = "gy.plot.rdm"
  local d = {}
  for k, v in pairs(matrix_defaults) do d[k] = v end
  d.rank = false
  local o = opts_of(fname, opts, d)
  local own
  R, own = square_of(R, fname)
  if not o.labels and not o.xlabels and not o.ylabels then o.labels = own end
  if not R:isfinite() then core.fail(fname, "the RDM has NaN or infinite values", 2) end
  if o.rank then
    R = rank_transform(R)
    o.vmin, o.vmax = o.vmin or 0, o.vmax or 1
  end
  o.clabel = o.clabel or (o.rank and "rank (scaled 0-1)" or "dissimilarity")
  matrix_opts(o, R, fname)
  local B = mask_triangle(R, o.triangle, o.diagonal, fname)
  local vmin, vmax = color_range(B, o, fname)
  return (with_panel(fname, o, function(fig, rect) heatmap(fig, rect, fname, o, B, vmin, vmax) end))
end

-- ------------------------------------------------------------------ mds

-- Classical (Torgerson) MDS: B = -1/2 J D^2 J with J the centring matrix; the coordinates
-- are the top `dims` eigenvectors of B scaled by the square roots of their eigenvalues
-- (negative eigenvalues count as zero). Each axis's sign makes its largest-magnitude
-- coordinate positive so results are deterministic.
local function classical_mds(D, dims, fname)
  local n = D:shape()
  local B = M.zeros(n, n)
  local rowm, tot = {}, 0
  for i = 1, n do
    local s = 0
    for j = 1, n do
      local d = 0.5 * (D:get(i, j) + D:get(j, i))
      s = s + d * d
    end
    rowm[i] = s / n
    tot = tot + s
  end
  tot = tot / (n * n)
  for i = 1, n do
    for j = 1, n do
      local d = 0.5 * (D:get(i, j) + D:get(j, i))
      B:set(i, j, -0.5 * (d * d - rowm[i] - rowm[j] + tot))
    end
  end
  local w, V = require("gyrus.linalg").eigh(B)
  local X = M.zeros(n, dims)
  for k = 1, dims do
    local col = n - k + 1 -- eigenvalues ascend
    local lam = max(w:get(col, 1), 0)
    local s = sqrt(lam)
    local big, sign = 0, 1
    for i = 1, n do
      local v = V:get(i, col)
      if abs(v) > big + 1e-12 then big, sign = abs(v), v < 0 and -1 or 1 end
    end
    for i = 1, n do X:set(i, k, sign * s * V:get(i, col)) end
  end
  return X, w
end
P.classical_mds = function(R, opts)
  local fname = "gy.plot.classical_mds"
  local o = core.options(fname, opts, { dims = 2 })
  local D = square_of(R, fname)
  local n = D:shape()
  if type(o.dims) ~= "number" or o.dims < 1 or o.dims > n or o.dims ~= floor(o.dims) then
    core.fail(fname, "dims must be an integer in 1..n", 2)
  end
  return classical_mds(D, o.dims, fname)
end

-- gy.plot.mds(R, opts): the conditions of an RDM as points in 2-D, labelled and coloured.
-- Returns the path (or nil) and the n x 2 coordinates.
function P.mds(R, opts)
  local fname = "gy.plot.mds"
  local o = opts_of(fname, opts, { labels = false, groups = false, c = false, s = 3.0,
    alpha = 0.9, cmap = "viridis", xlabel = "dimension 1", ylabel = "dimension 2",
    clabel = false })
  local D, own = square_of(R, fname)
  if not D:isfinite() then core.fail(fname, "the RDM has NaN or infinite values", 2) end
  local n = D:shape()
  if n < 3 then core.fail(fname, "MDS needs at least 3 conditions", 2) end
  o.labels = o.labels or own
  local X = classical_mds(D, 2, fname)
  local sopts = { labels = o.labels, groups = o.groups, c = o.c, s = o.s, alpha = o.alpha,
    cmap = o.cmap, xlabel = o.xlabel, ylabel = o.ylabel, clabel = o.clabel, equal = true,
    title = o.title, file = o.file, size = o.size, figure = o.figure, panel = o.panel }
  for k, v in pairs(sopts) do if v == nil then sopts[k] = nil end end
  local path = require("gyrus.plot_xy").scatter(X, sopts)
  return path, X
end


return P
