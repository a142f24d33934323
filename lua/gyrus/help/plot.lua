-- Help texts of gy.plot (lua/gyrus/plot.lua). Format: a signature line, one paragraph,
-- options with defaults, and an "Example:" whose indented lines tests/lua/help_spec.lua runs.
local common = [[
Common options: file = nil (output path; .png, .svg or .pdf chooses the format; without it
a window opens when a display is present (it waits for a click before closing unless
GY_PLOT_NOWAIT=1), or GY_PLOT_DEVICE names a device: a window device such as xcairo, or a
file device and a temporary file is written), size = {800, 600} (pixels; points for SVG/PDF), title = nil,
figure = nil (draw into the next panel of a gy.plot.figure), panel = nil (a panel number of
that figure). Returns the path written (nil for a window or a panel).]]

return {
["gy.plot.figure"] = [[
gy.plot.figure(opts) -> figure
A figure of rows x cols panels on one page, filled row by row from the top left by plots
given {figure = fig}; panels are labelled A, B, C... when there is more than one. The file
is written by fig:close() (also fig:save()), under a temporary name that is renamed when
complete, so a failed figure never replaces a good file; fig:discard() drops it.
Options: rows = 1, cols = 1 (1..12), file = nil, size = {800, 600}, letters = true.
Example:
  local path = os.tmpname()
  local fig = gy.plot.figure{rows = 1, cols = 2, file = path .. ".png", size = {900, 400}}
  gy.plot.line(gy.randn(50, 2, {seed = 1}), {figure = fig, title = "noise"})
  gy.plot.hist(gy.randn(500, 1, {seed = 2}), {figure = fig})
  fig:close()
  os.remove(path .. ".png"); os.remove(path)
]],
["gy.plot.line"] = [[
gy.plot.line(Y, opts) -> path
Line plot: each column of Y (n x k, or a flat table for one series) is drawn against x
(default 1..n), in the colour-blind-safe Okabe-Ito palette, with a legend when labels are
given. NaN values break a line. The y range is padded by 5%, the x range is exact.
Options: x = 1..n, labels = nil (one name per column), color = nil (a colour or a table
of colours: 0xRRGGBB, "#rrggbb" or a name), linewidth = 2, xlabel, ylabel, xlim = nil,
ylim = nil ({low, high}), legend = true.
]] .. common .. [[

Example:
  local path = os.tmpname()
  local t = gy.linspace(0, 1, 100)
  gy.plot.line(t, {x = t, labels = {"ramp"}, file = path .. ".svg", xlabel = "time (s)"})
  os.remove(path .. ".svg"); os.remove(path)
]],
["gy.plot.scatter"] = [[
gy.plot.scatter(x, y, opts) or gy.plot.scatter(XY, opts) -> path
Scatter plot of points (x_i, y_i) drawn as filled circles of diameter s mm. Colours: one
colour (c = "red"), values mapped through a colour map with a colour bar (c = vector), or
categories with a legend (groups = vector of labels, Okabe-Ito palette). labels puts a text
beside each point (as for MDS plots).
Options: c = nil, s = 2.0, alpha = 0.85, groups = nil, labels = nil, cmap = "viridis",
vmin, vmax (colour range for c; default the data range), clabel = nil (colour bar label),
xlabel, ylabel, xlim, ylim, equal = false (same scale on both axes).
]] .. common .. [[

Example:
  local path = os.tmpname()
  local X = gy.randn(100, 2, {seed = 3})
  gy.plot.scatter(X:col(1), X:col(2), {c = X:col(1), file = path .. ".png"})
  os.remove(path .. ".png"); os.remove(path)
]],
["gy.plot.hist"] = [[
gy.plot.hist(x, opts) -> path
Histogram of all values of x (NaN ignored) with numpy.histogram's bins: `bins` equal
intervals over range (default min..max of x), the last one closed. With density = true
bar heights are count / (total * width), so the area is 1.
Options: bins = 10, range = nil ({low, high}), density = false, color = nil, xlabel,
ylabel = "count" (or "density").
]] .. common .. [[

Example:
  local path = os.tmpname()
  gy.plot.hist(gy.randn(1000, 1, {seed = 4}), {bins = 30, file = path .. ".svg"})
  os.remove(path .. ".svg"); os.remove(path)
]],
["gy.plot.histogram"] = [[
gy.plot.histogram(x, opts) -> counts, edges
The counts (a table of bins numbers) and bin edges (bins + 1 numbers) that gy.plot.hist
draws, as numpy.histogram returns them.
Options: bins = 10, range = nil, density = false.
Example:
  local counts, edges = gy.plot.histogram({1, 2, 2, 3, 3, 3}, {bins = 3})
  print(counts[3], edges[1])
]],
["gy.plot.matrix"] = [[
gy.plot.matrix(A, opts) -> path
Heat map of a matrix with a colour bar: element (i, j) is the cell in row i from the top and
column j from the left (as the matrix prints), with equal-sized square cells. Values are
clamped to [vmin, vmax]; NaN cells stay blank. With center = c (or cmap = "bluered", which
implies center = 0) the diverging blue-white-red map is centred on c: vmin = c - d,
vmax = c + d with d = max |A - c| (for correlations). triangle = "lower" or "upper" shows
one triangle (with the diagonal unless diagonal = false).
Options: cmap = "viridis" ("viridis", "bluered", "gray" or a file of r g b rows),
vmin, vmax (default the data range), center = nil, labels = nil (names for rows and
columns), xlabels, ylabels, triangle = nil, diagonal = true, colorbar = true,
clabel = nil (colour bar label), xlabel, ylabel.
]] .. common .. [[

Example:
  local path = os.tmpname()
  local X = gy.randn(50, 4, {seed = 5})
  local R = gy.stats.corr(X)
  gy.plot.matrix(R, {labels = {"V1", "V2", "IT", "PFC"}, center = 0, triangle = "lower",
    clabel = "r", file = path .. ".png"})
  os.remove(path .. ".png"); os.remove(path)
]],
["gy.plot.rdm"] = [[
gy.plot.rdm(rdm, opts) -> path
A representational dissimilarity matrix (an RDM object from gy.rsa.rdm, or a square matrix)
as a heat map with condition labels, as rsatoolbox's show_rdm. rank = true shows the
rank transform (each dissimilarity replaced by (rank - 1) / (m - 1) among the
m = n(n-1)/2 pairs, ties averaged as scipy.stats.rankdata), so the colours use the full
scale whatever the distance measure.
Options: labels = nil, rank = false, cmap = "viridis", vmin, vmax, triangle = nil,
diagonal = true, colorbar = true, clabel = "dissimilarity" (or "rank (scaled 0-1)"),
and the options of gy.plot.matrix.
]] .. common .. [[

Example:
  local path = os.tmpname()
  local D = gy.matrix({{0, 1, 2}, {1, 0, 1.5}, {2, 1.5, 0}})
  gy.plot.rdm(D, {labels = {"face", "house", "tool"}, rank = true, file = path .. ".svg"})
  os.remove(path .. ".svg"); os.remove(path)
]],
["gy.plot.rank_transform"] = [[
gy.plot.rank_transform(rdm) -> matrix
The rank-transformed RDM that gy.plot.rdm{rank = true} shows: each off-diagonal
dissimilarity becomes (rank - 1) / (m - 1) among the m = n(n-1)/2 pairs (ties averaged,
scipy.stats.rankdata), symmetric, with zeros on the diagonal.
Example:
  print(gy.plot.rank_transform(gy.matrix({{0, 1, 2}, {1, 0, 3}, {2, 3, 0}})))
]],
["gy.plot.mds"] = [[
gy.plot.mds(rdm, opts) -> path, X
Classical (Torgerson) multidimensional scaling of an RDM drawn as labelled points: with D
the dissimilarities and J = I - 11'/n, B = -1/2 J D.^2 J; the coordinates are the two
leading eigenvectors of B scaled by the square roots of their eigenvalues (negative ones
count as zero), so Euclidean distances between points approximate D. Both axes share one
scale. Returns the path and the n x 2 coordinates.
Options: labels = nil, groups = nil (categories: colours and a legend), c = nil (values
for a colour map), s = 3.0, alpha = 0.9, cmap = "viridis", xlabel = "dimension 1",
ylabel = "dimension 2", clabel = nil.
]] .. common .. [[

Example:
  local path = os.tmpname()
  local D = gy.matrix({{0, 1, 2, 2}, {1, 0, 2, 2}, {2, 2, 0, 1}, {2, 2, 1, 0}})
  local _, X = gy.plot.mds(D, {labels = {"a", "b", "c", "d"}, groups = {1, 1, 2, 2},
    file = path .. ".png"})
  os.remove(path .. ".png"); os.remove(path)
]],
["gy.plot.classical_mds"] = [[
gy.plot.classical_mds(rdm, opts) -> X, eigenvalues
The coordinates gy.plot.mds draws (n x dims) and all eigenvalues of B (ascending). Each
axis's sign makes its largest-magnitude coordinate positive.
Options: dims = 2.
Example:
  local X = gy.plot.classical_mds(gy.matrix({{0, 3, 4}, {3, 0, 5}, {4, 5, 0}}))
  print(X)
]],
["gy.plot.topo"] = [[
gy.plot.topo(values, opts) -> path
A scalp map (topomap) of one value per EEG/MEG channel, seen from above with the nose at the
top and the left ear on the left. Channel positions are n x 2 (x towards the right ear, y
towards the nose) or n x 3 on a sphere centred at the origin, flattened by the azimuthal
equidistant projection (distance from the vertex = polar angle), as in MNE. The map is the
thin-plate spline through the channel values (f(p) = a + b'p + sum_k w_k r_k^2 log r_k,
the smoothest surface that passes through every sensor) on a res x res grid inside the head
circle, drawn with the diverging map centred at zero, head outline, nose, ears and sensors.
Options: pos (required), names = nil (channel labels), cmap = "bluered", vmin, vmax,
center = 0 for "bluered", sensors = true, res = 100, radius = 1.02 x the farthest sensor,
colorbar = true, clabel = nil, contours = nil (a number n of contour lines at levels evenly
inside the colour range, vmin + k (vmax - vmin)/(n + 1), or a list of levels; drawn by
PLplot's contouring on the spline surface and clipped to the head, as MNE's contours).
]] .. common .. [[

Example:
  local path = os.tmpname()
  local pos, v = {}, {}
  for k = 1, 16 do
    local a = 2 * math.pi * k / 16
    pos[k] = {math.cos(a) * (k % 2 + 1) / 2, math.sin(a) * (k % 2 + 1) / 2}
    v[k] = pos[k][1] - pos[k][2]
  end
  gy.plot.topo(v, {pos = pos, file = path .. ".png"})
  os.remove(path .. ".png"); os.remove(path)
]],
["gy.plot.brain"] = [[
gy.plot.brain(stat, opts) -> path
A statistical map over an anatomical image, as nilearn's plot_stat_map: voxels with
|stat| < threshold are transparent, the rest use the diverging map symmetric about zero
(vmax = max |stat| unless given) over bg in gray (zero bg voxels stay white). stat and bg
are images from gy.read (their first volume, or opts.volume) or tables
{dims = {nx, ny, nz}, data = matrix of nx*ny*nz values, x fastest}. display_mode "mosaic"
(axial slices in a grid, spread over the slices that hold brain), "x", "y" or "z" (slices
along that axis), or "ortho" (sagittal, coronal and axial views through cut_coords, by
default the voxel of the largest |stat|). For an image with an affine, cut_coords are world
coordinates in mm as in nilearn ({x, y, z} for ortho, a list of x, y or z values for the
single-axis modes), mapped through the inverse affine to the nearest voxel slice (no
resampling: exact for axis-aligned affines, nearest slice of the voxel axis for oblique
ones), and sections are labelled in mm (x=-20); without an affine they are 1-based voxel
indices and sections are labelled with the index. Sections are oriented in the
neurological convention (L on the left; R when the affine runs x to the left); voxel sizes
keep the proportions.
Options: bg = nil, threshold = 1e-6, display_mode = "mosaic", cut_coords = 20 for mosaic,
7 for x/y/z (a count, or a list of mm coordinates / slice indices; {x, y, z} for ortho),
cut_units = "mm" when stat has an affine, else "voxel" ("voxel" takes indices for an
image too), cmap = "bluered", vmax = nil, colorbar = true, clabel = nil, zooms = voxel
sizes of stat, annotate = true, volume = 1.
]] .. common .. [[

Example:
  local path = os.tmpname()
  local n = 10 * 12 * 8
  local stat = gy.randn(n, 1, {seed = 9})
  gy.plot.brain({dims = {10, 12, 8}, data = stat}, {threshold = 1.5, file = path .. ".png"})
  os.remove(path .. ".png"); os.remove(path)
]],
["gy.plot.quick"] = [[
gy.plot.quick(data, opts) -> path
The figure `gyrus plot DATA -o out.png` makes: data is a path read with gy.read (.csv,
.npy, .nii.gz, ...) or a value. An image becomes a brain mosaic, an RDM object an RDM plot,
a square symmetric matrix a heat map, a table with at most 12 columns (and more rows) a
line plot with the column names as legend, anything else a heat map. The file name is
the title.
Options: file, size, title, figure, panel (as every plot).
Example:
  local path = os.tmpname()
  gy.plot.quick(gy.randn(100, 3, {seed = 10}), {file = path .. ".svg"})
  os.remove(path .. ".svg"); os.remove(path)
]],
["gy.plot.colormap"] = [[
gy.plot.colormap(name) -> matrix
A colour map as an n x 3 matrix of r, g, b in [0, 1], read from share/colormaps/<name>.txt
(or from a path). Shipped maps, all made by share/colormaps/make_colormaps.py uniform in
CIELAB: "viridis" (sequential, viridis-like), "bluered" (diverging, white at the centre),
"gray" (linear in lightness).
Example:
  local V = gy.plot.colormap("viridis")
  print(V:shape())
]],
["gy.plot.main"] = [[
gy.plot.main(DATA [, "-o", OUT] [, "--title", TEXT]) -> true
What `gyrus plot DATA -o out.png` runs: reads DATA (.csv/.tsv, .npy/.npz, .nii/.nii.gz) with
gy.read and draws gy.plot.quick's choice of figure (a brain mosaic for an image, a heat map
for a square symmetric matrix, lines for a few long columns, a heat map otherwise) into OUT
(default: DATA's name with .png); prints the path written.
Example:
  local f = os.tmpname() .. ".csv"
  local h = io.open(f, "w"); h:write("a,b\n1,2\n2,3\n3,5\n"); h:close()
  gy.plot.main(f, "-o", f .. ".svg")
  os.remove(f); os.remove(f .. ".svg")
]],
}
