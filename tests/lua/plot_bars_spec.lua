-- gy.plot.bar and gy.plot.model_comparison (lua/gyrus/plot_bars.lua) render headless to PNG
-- and SVG files of the requested size that are not blank (a blank 640 x 480 PNG compresses
-- to about 2 KB; bars, bands and text add shapes to the SVG), from a gy.rsa.evaluate
-- result, a bootstrap result with pairwise tests, and a plain table; bad input errors.
local P = require "gyrus.plot_bars"
local I = require "gyrus.rsa_infer"

local dir = os.tmpname()
os.remove(dir)
os.execute("mkdir -p " .. dir)
local function path(name) return dir .. "/" .. name end

local function slurp(p)
  local f = io.open(p, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

local function be32(s, i)
  local a, b, c, d = s:byte(i, i + 3)
  return ((a * 256 + b) * 256 + c) * 256 + d
end

local function check_png(p, w, h)
  local s = slurp(p)
  expect_true(s and s:sub(1, 8) == "\137PNG\r\n\26\n", p .. " is a PNG")
  expect_eq(be32(s, 17), w, "png width")
  expect_eq(be32(s, 21), h, "png height")
  expect_true(#s > 6000, "png not blank (" .. #s .. " bytes)")
end

local function check_svg(p, min_paths)
  local s = slurp(p)
  expect_true(s and s:find("<svg", 1, true) ~= nil, p .. " is an SVG")
  local n = 0
  for _ in s:gmatch("<path") do n = n + 1 end
  expect_true(n >= min_paths, string.format("svg has %d paths, want >= %d", n, min_paths))
end

-- Five subjects' RDMs of 8 conditions: a noisy mixture of two model RDMs.
local K = 28
local m1, m2, m3 = gy.randn(K, 1, { seed = 1 }), gy.randn(K, 1, { seed = 2 }),
  gy.randn(K, 1, { seed = 3 })
local data = {}
for s = 1, 5 do data[s] = m1 + 0.5 * m2 + 0.8 * gy.randn(K, 1, { seed = 10 + s }) end
local models = { m1, m2, m3 }
local names = { "pixels", "category", "random" }

describe("plot bars", function()
  it("draws a bar chart with error bars to PNG and SVG", function()
    local f = path("bar.png")
    P.bar({ 0.3, -0.1, 0.5 }, { labels = { "a", "b", "c" }, errors = { 0.05, { -0.2, 0.0 }, 0.1 },
      file = f, size = { 640, 480 }, ylabel = "value", title = "bars" })
    check_png(f, 640, 480)
    local g = path("bar.svg")
    P.bar(gy.matrix({ { 1 }, { 2 }, { 3 }, { 4 } }), { file = g })
    check_svg(g, 4)
  end)
  it("plots a gy.rsa.evaluate result with the noise-ceiling band", function()
    local r = I.evaluate(models, data, { method = "corr", names = names })
    local f = path("mc.png")
    P.model_comparison(r, { file = f, size = { 640, 480 } })
    check_png(f, 640, 480)
    local g = path("mc.svg")
    P.model_comparison(r, { file = g, error = "ci", sort = true, pairs = { { 1, 3 }, { 2, 3, "n.s." } } })
    check_svg(g, 6)
  end)
  it("marks significant pairs of a bootstrap result", function()
    local r = I.bootstrap(models, data, { method = "corr", n = 200, seed = 4, names = names })
    local g = path("boot.svg")
    P.model_comparison(r, { file = g, pairs = true, error = "ci" })
    check_svg(g, 6)
  end)
  it("takes a plain table", function()
    local f = path("plain.png")
    P.model_comparison({ names = { "m1", "a much longer model name", "m3" }, means = { 0.2, 0.35, 0.1 },
      errors = { 0.05, 0.04, 0.06 }, noise_ceiling = { 0.4, 0.5 } }, { file = f, size = { 640, 480 } })
    check_png(f, 640, 480)
  end)
  it("rejects bad input", function()
    expect_error(function() P.bar({}, { file = path("x.png") }) end, "empty")
    expect_error(function() P.bar({ 1, 2 }, { labels = { "a" }, file = path("x.png") }) end, "labels")
    expect_error(function() P.bar({ 1, 2 }, { errors = { 1 }, file = path("x.png") }) end, "errors")
    expect_error(function() P.model_comparison(42) end, "expected a result")
    expect_error(function() P.model_comparison({ means = { 1 } }, { error = "sd" }) end, "error must")
    local r = I.evaluate(models, data, { method = "corr" })
    expect_error(function() P.model_comparison(r, { pairs = true, file = path("x.png") }) end, "p_pairs")
    expect_error(function() P.model_comparison(r, { pairs = { { 1, 9 } }, file = path("x.png") }) end,
      "pairs%[1%]")
    expect_error(function() P.model_comparison(r, { colour = 1 }) end, "colour")
  end)
end)
