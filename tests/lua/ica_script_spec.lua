-- scripts/ica.lua runs on nitime's BOLD runs and on the simulated EEG into a folder, finds
-- the blink and heartbeat components and removes them; gy.plot.components
-- (lua/gyrus/plot_ica.lua) draws temporal and spatial ICA figures and rejects bad options.
local src = os.getenv("GY_SOURCE_DIR") or "."
local gyrus = os.getenv("GY_GYRUS") or "gyrus"
local plot_ica = require "gyrus.plot_ica"

local q, read, status = shell_quote, read_file, shell_status

local function is_png(path, what)
  local png = read(path)
  expect_true(png and png:sub(1, 8) == "\137PNG\r\n\26\n", what .. " missing or not a PNG")
  expect_true(#png > 5000, what .. " is suspiciously small")
end

describe("scripts/ica.lua", function()
  it("runs both parts in under 60 s, finds and removes the artifacts", function()
    local dir = os.tmpname()
    os.remove(dir)
    local log = dir .. ".log"
    local t0 = gy.clock()
    local st = status(q(gyrus) .. " " .. q(src .. "/scripts/ica.lua") .. " " .. q(dir .. "/figs")
      .. " > " .. q(log) .. " 2>&1")
    local secs = gy.clock() - t0
    local out = read(log) or ""
    os.remove(log)
    expect_eq(st, 0, "scripts/ica.lua failed:\n" .. out)
    expect_true(secs < 60, string.format("took %.1f s", secs))
    for _, name in ipairs({ "fmri_components", "eeg_components", "eeg_cleaning" }) do
      is_png(dir .. "/figs/" .. name .. ".png", name .. ".png")
    end
    local csv = read(dir .. "/figs/fmri_timecourses.csv")
    expect_true(csv and #csv > 1000, "fmri_timecourses.csv")
    expect_true(out:find("found blink: true, found heartbeat: true"),
      "artifacts not found:\n" .. out)
    expect_true(out:find("ECG components %(CTPS, pk >= [%d.]+%): {%d+}"),
      "CTPS does not find exactly one heartbeat component:\n" .. out)
    local after = tonumber(out:match("mean [%d.]+ %-> ([%d.]+)"))
    expect_true(after and after > 0.98, "cleaned data do not match the ground truth:\n" .. out)
    expect_true(out:find("converged true"), "an ICA did not converge:\n" .. out)
    os.execute("rm -rf " .. q(dir))
  end)
  it("rejects an unknown part", function()
    local st = status(q(gyrus) .. " " .. q(src .. "/scripts/ica.lua") .. " /tmp/x-unused meg"
      .. " > /dev/null 2>&1")
    expect_true(st ~= 0, "exit status")
  end)
end)

describe("gy.plot.components", function()
  local X = gy.randn(600, 5, { seed = 4 })
  for t = 1, 600 do X:set(t, 1, X:get(t, 1) ^ 3) end
  local m = gy.ica.fit(X, { seed = 1, max_iter = 2000, tol = 1e-3 })
  local pos = {}
  for k = 1, 5 do
    local a = 2 * math.pi * k / 5
    pos[k] = { 0.6 * math.cos(a), 0.6 * math.sin(a), 0.8 }
  end
  it("draws time courses, spectra and topographies", function()
    local path = os.tmpname() .. ".png"
    expect_eq(plot_ica.components(m, { sfreq = 100, pos = pos, components = { 1, 3 },
      file = path }), path)
    is_png(path, "figure")
    os.remove(path)
  end)
  it("draws spatial maps through a mask", function()
    local mask = { data = gy.ones(5, 1), shape = { 5, 1, 1 }, affine = gy.eye(4),
      voxel_size = { 1, 1, 1 } }
    local Y = gy.randn(5, 300, { seed = 5 }) -- voxels x time: spatial ICA
    local ms = gy.ica.fit(Y, { n = 2, seed = 1, max_iter = 2000, tol = 1e-2 })
    local path = os.tmpname() .. ".png"
    expect_eq(plot_ica.components(ms, { spatial = true, mask = mask, sfreq = 0.5,
      threshold = 0, file = path }), path)
    os.remove(path)
  end)
  it("spectra are scipy.signal.welch's", function()
    -- scipy.signal.welch(x, 100, nperseg=256) of x_i = sin(0.3 i) + (i mod 7)/7, i = 1..1000
    local x = {}
    for i = 1, 1000 do x[i] = math.sin(i * 0.3) + (i % 7) / 7 end
    local f, p = plot_ica._welch(x, 100, 256)
    expect_eq(#f, 129)
    expect_near(f[2], 0.390625, 1e-15)
    expect_near({ p[1], p[2], p[10], p[50] }, { 0.0002777746622403865, 0.0001332696042509445,
      3.9310902800257235e-05, 2.4723369272397003e-09 }, 1e-9)
  end)
  it("explains what is wrong", function()
    expect_error(function() plot_ica.components({}, {}) end, "ICA model")
    expect_error(function() plot_ica.components(m, { components = { 9 } }) end, "outside")
    expect_error(function() plot_ica.components(m, { sfreq = 0 }) end, "sfreq")
    expect_error(function() plot_ica.components(m, { pos = pos, mask = {} }) end, "either")
    expect_error(function() plot_ica.components(m, { colour = 1 }) end, "unknown option")
    expect_error(function() plot_ica.components(m, { nperseg = 1 }) end, "nperseg")
    expect_error(function() plot_ica.components(m, { duration = -1 }) end, "duration")
    expect_error(function() plot_ica.components(m, { pos = { { 0, 0 } }, file = "/tmp/x.png" }) end,
      "pos")
  end)
end)
