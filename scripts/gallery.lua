-- Draws every gy.plot type, one file each plus a multi-panel figure:
--   gyrus scripts/gallery.lua [DIR] [EXT]     (DIR defaults to ./gallery, EXT to png)
-- The data are synthetic and seeded, so the gallery is the same on every run.
local gy = gy or require "gyrus"
local P = require "gyrus.plot"

local dir = arg and arg[1] or "gallery"
local ext = arg and arg[2] or "png"
os.execute("mkdir -p '" .. dir .. "'")
local function out(name) return dir .. "/" .. name .. "." .. ext end

-- Time series: three oscillations with noise.
local n = 200
local Y = gy.zeros(n, 3)
local noise = gy.randn(n, 3, { seed = 1 })
local t = {}
for i = 1, n do
  t[i] = (i - 1) / 50
  Y:set(i, 1, math.sin(2 * math.pi * 1.0 * t[i]) + 0.1 * noise:get(i, 1))
  Y:set(i, 2, 0.7 * math.sin(2 * math.pi * 0.5 * t[i] + 1) + 0.1 * noise:get(i, 2))
  Y:set(i, 3, 0.4 * math.cos(2 * math.pi * 2.0 * t[i]) + 0.1 * noise:get(i, 3))
end

-- Eight regions whose signals share two latent factors: a block correlation structure.
local regions = { "V1", "V2", "V4", "IT", "IPS", "FEF", "PFC", "HC" }
local F = gy.randn(300, 2, { seed = 2 })
local E = gy.randn(300, 8, { seed = 3 })
local X = gy.zeros(300, 8)
for i = 1, 300 do
  for j = 1, 8 do
    local a = j <= 4 and 1 or 0
    X:set(i, j, a * F:get(i, 1) + (1 - a) * F:get(i, 2) * (j % 2 == 0 and -1 or 1) + 0.8 * E:get(i, j))
  end
end
local R = gy.stats.corr(X)

-- An RDM of 12 conditions from 3 categories in a 20-d feature space.
local conds = { "face1", "face2", "face3", "face4", "body1", "body2", "body3", "body4",
  "house1", "house2", "house3", "house4" }
local cats = { "face", "face", "face", "face", "body", "body", "body", "body", "house",
  "house", "house", "house" }
local centres = gy.randn(3, 20, { seed = 4 })
local pat = gy.randn(12, 20, { seed = 5 })
for i = 1, 12 do
  local c = math.floor((i - 1) / 4) + 1
  for k = 1, 20 do pat:set(i, k, 2 * centres:get(c, k) + pat:get(i, k)) end
end
local D = gy.zeros(12, 12)
for i = 1, 12 do
  for j = 1, 12 do
    local s = 0
    for k = 1, 20 do s = s + (pat:get(i, k) - pat:get(j, k)) ^ 2 end
    D:set(i, j, math.sqrt(s))
  end
end

local made = {}
local function done(p) made[#made + 1] = p end

done(P.line(Y, { x = t, labels = { "1 Hz", "0.5 Hz", "2 Hz" }, title = "Oscillations",
  xlabel = "time (s)", ylabel = "signal", file = out("line") }))
done(P.scatter(F:col(1), F:col(2), { c = E:col(1), clabel = "noise", title = "Latent factors",
  xlabel = "factor 1", ylabel = "factor 2", file = out("scatter") }))
done(P.hist(gy.randn(2000, 1, { seed = 6 }), { bins = 40, title = "Normal sample",
  xlabel = "value", file = out("hist") }))
done(P.matrix(R, { labels = regions, center = 0, clabel = "Pearson r", title = "Correlation",
  file = out("matrix") }))
done(P.matrix(R, { labels = regions, center = 0, triangle = "lower", diagonal = false,
  clabel = "Pearson r", title = "Lower triangle", file = out("matrix_lower") }))
done(P.matrix(gy.randn(400, 400, { seed = 7 }), { title = "400 x 400", file = out("matrix_big") }))
done(P.rdm(D, { labels = conds, title = "RDM (euclidean)", file = out("rdm") }))
done(P.rdm(D, { labels = conds, rank = true, title = "RDM (rank-transformed)", file = out("rdm_rank") }))
done((P.mds(D, { labels = conds, groups = cats, title = "Classical MDS", file = out("mds") })))

-- A 32-channel EEG cap (sensors on a hemisphere) with a frontal-left positive,
-- parietal-right negative pattern.
local pos, vals, names = {}, {}, {}
for ring = 0, 3 do
  local theta = ring * (math.pi / 2) / 3
  local m = ring == 0 and 1 or ({ 6, 10, 15 })[ring]
  for j = 1, m do
    local phi = 2 * math.pi * (j - 1) / m + ring * 0.3
    local k = #pos + 1
    pos[k] = { math.sin(theta) * math.cos(phi), math.sin(theta) * math.sin(phi), math.cos(theta) }
    local x, y = pos[k][1], pos[k][2]
    vals[k] = 3 * math.exp(-((x + 0.4) ^ 2 + (y - 0.4) ^ 2) / 0.15)
      - 2 * math.exp(-((x - 0.4) ^ 2 + (y + 0.3) ^ 2) / 0.2)
    names[k] = "E" .. k
  end
end
done(P.topo(vals, { pos = pos, names = names, title = "Topomap", clabel = "uV", file = out("topo") }))

-- A 91 x 109 x 91 volume (the MNI 2 mm grid): an ellipsoid "brain" and two blobs.
local nx, ny, nz = 91, 109, 91
local anat, stat = gy.zeros(nx * ny * nz, 1), gy.zeros(nx * ny * nz, 1)
local a, s = anat.data, stat.data
for z = 1, nz do for y = 1, ny do for x = 1, nx do
  local i = (x - 1) + nx * ((y - 1) + ny * (z - 1))
  local r = ((x - 46) / 38) ^ 2 + ((y - 55) / 48) ^ 2 + ((z - 40) / 34) ^ 2
  if r < 1 then a[i] = 60 + 30 * math.cos(6 * r) end
  s[i] = 5 * math.exp(-((x - 30) ^ 2 + (y - 70) ^ 2 + (z - 45) ^ 2) / 40)
    - 4 * math.exp(-((x - 62) ^ 2 + (y - 40) ^ 2 + (z - 35) ^ 2) / 60)
end end end
local vol, bg = { dims = { nx, ny, nz }, data = stat }, { dims = { nx, ny, nz }, data = anat }
done(P.brain(vol, { bg = bg, threshold = 1.5, title = "Stat map (mosaic)", clabel = "t",
  file = out("brain_mosaic"), size = { 1000, 800 } }))
done(P.brain(vol, { bg = bg, threshold = 1.5, display_mode = "ortho", title = "Stat map (ortho)",
  clabel = "t", file = out("brain_ortho"), size = { 1100, 450 } }))

local fig = P.figure { rows = 2, cols = 3, size = { 1500, 900 }, file = out("figure") }
P.line(Y, { x = t, labels = { "1 Hz", "0.5 Hz", "2 Hz" }, title = "Oscillations", xlabel = "time (s)", figure = fig })
P.hist(gy.randn(2000, 1, { seed = 6 }), { bins = 40, title = "Histogram", figure = fig })
P.scatter(F:col(1), F:col(2), { c = E:col(1), title = "Scatter", figure = fig })
P.matrix(R, { labels = regions, center = 0, triangle = "lower", clabel = "r", title = "Correlation", figure = fig })
P.rdm(D, { labels = conds, rank = true, title = "RDM", figure = fig })
P.mds(D, { labels = conds, groups = cats, title = "MDS", figure = fig })
done(fig:close())

for _, p in ipairs(made) do print(p) end
