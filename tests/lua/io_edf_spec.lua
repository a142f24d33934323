-- gy.read / gy.write of EDF/BDF recordings: fixtures from make_io_more.py, round trips,
-- damaged files.
local io_ = require "gyrus.io"
local fx = fixture("io_more.lua").edf
local src = os.getenv("GY_SOURCE_DIR") or "."
local dir = src .. "/tests/fixtures/io_more/"
local read, write = io_.read, io_.write

local function same(m, rows, tol, msg)
  local r, c = m:shape()
  expect_eq(r, #rows, msg .. " rows")
  expect_eq(c, #rows[1], msg .. " cols")
  for i = 1, r do
    for j = 1, c do expect_near(m:get(i, j), rows[i][j], tol, msg) end
  end
end

describe("fixture files", function()
  it("reads EDF in physical units", function()
    local r = read(dir .. "plain.edf")
    same(r.data, fx.plain.data, 1e-12, "plain")
    expect_eq(r.sfreq, 10)
    expect_eq(table.concat(r.labels, ","), "Fz,Cz")
    expect_eq(table.concat(r.units, ","), "uV,uV")
    expect_eq(r.start, fx.plain.start)
    expect_eq(r.filetype, "EDF")
    expect_eq(#r.annotations, 0)
  end)
  it("reads BDF (24 bits)", function()
    local r = read(dir .. "plain.bdf")
    same(r.data, fx.bdf.data, 1e-12, "bdf")
    expect_eq(r.sfreq, 16)
  end)
  it("reads EDF+ annotations", function()
    local r = read(dir .. "annot.edf")
    same(r.data, fx.annot.data, 1e-12, "annot")
    expect_eq(#r.annotations, 2)
    for k, a in ipairs(fx.annot.annotations) do
      expect_near(r.annotations[k][1], a[1], 1e-12, "onset")
      expect_near(r.annotations[k][2], a[2], 1e-12, "duration")
      expect_eq(r.annotations[k][3], a[3])
    end
  end)
  it("reads 0.5-s records with annotations, and 1.024-s records", function()
    local r = read(dir .. "halfsec.edf")
    expect_eq(r.sfreq[1], 256)
    expect_eq(r.sfreq[2], 128)
    for k = 1, 2 do
      for i = 1, #fx.halfsec.signals[k] do
        expect_near(r.signals[k]:get(i, 1), fx.halfsec.signals[k][i], 1e-12, "signal")
      end
    end
    expect_eq(#r.annotations, 2)
    for k, a in ipairs(fx.halfsec.annotations) do
      expect_near(r.annotations[k][1], a[1], 1e-12, "onset")
      expect_near(r.annotations[k][2], a[2], 1e-12, "duration")
      expect_eq(r.annotations[k][3], a[3])
    end
    local o = read(dir .. "odd.edf")
    expect_near(o.sfreq, fx.odd.sfreq, 1e-12, "250 Hz")
    same(o.data, fx.odd.data, 1e-12, "odd")
  end)
  it("gives a list of signals when rates differ", function()
    local r = read(dir .. "multirate.edf")
    expect_eq(r.data, nil)
    expect_eq(r.sfreq[1], 10)
    expect_eq(r.sfreq[2], 5)
    for k = 1, 2 do
      local s = r.signals[k]
      expect_eq(s:shape(), #fx.multirate.signals[k])
      for i = 1, #fx.multirate.signals[k] do
        expect_near(s:get(i, 1), fx.multirate.signals[k][i], 1e-12, "signal")
      end
    end
  end)
end)

describe("round trips", function()
  for _, ext in ipairs({ "edf", "bdf" }) do
    it("writes " .. ext .. " that reads back within the quantisation step", function()
      local n, rows = 300, {}
      for i = 1, n do rows[i] = { 80 * math.sin(i / 9), 0.01 * math.cos(i / 4) + 3 } end
      local path = "io_edf_spec_rt." .. ext
      write(path, { data = gy.matrix(rows), sfreq = 100, labels = { "O1", "O2" }, unit = "uV" })
      local r = read(path)
      expect_eq(r.filetype, ext == "edf" and "EDF+" or "BDF+")
      expect_eq(r.sfreq, 100)
      expect_eq(table.concat(r.labels, ","), "O1,O2")
      local levels = ext == "edf" and 65535 or 16777215
      local range = { 160, 0.02 }
      for j = 1, 2 do
        local step = range[j] * 1.01 / levels
        for i = 1, n do
          local e = math.abs(r.data:get(i, j) - rows[i][j])
          if e > step / 2 + 1e-9 then
            error(string.format("%s: (%d, %d) off by %g > %g", ext, i, j, e, step / 2))
          end
        end
      end
      os.remove(path)
    end)
  end
  it("writes rates that are not whole numbers of Hz in shorter records", function()
    local rows = {}
    for i = 1, 40 do rows[i] = { math.sin(i / 3) } end
    write("io_edf_spec_rate.edf", { data = gy.matrix(rows), sfreq = 2.5 })
    local r = read("io_edf_spec_rate.edf")
    expect_eq(r.sfreq, 2.5)
    for i = 1, 40 do expect_near(r.data:get(i, 1), rows[i][1], 2 / 65535, "value") end
    os.remove("io_edf_spec_rate.edf")
  end)
  it("checks its arguments", function()
    expect_error(function() write("x.edf", { data = { { 1 } }, sfreq = 0.3 }) end, "whole number")
    expect_error(function() write("x.edf", { data = { { 1 } }, sfreq = 99.5 }) end, "at most 1 s")
    expect_error(function() write("x.edf", { data = { { 1, 2 } }, sfreq = 1, labels = { "a" } }) end,
      "labels must be a list of 2")
    expect_error(function() write("x.edf", { data = { { 1 } }, rate = 1 }) end, "unknown field")
    expect_error(function() write("x.edf", gy.matrix({ { 1 } })) end, "recording is a table")
  end)
end)

describe("damaged files", function()
  it("gives clear errors", function()
    expect_error(function() read(dir .. "bad_truncated.edf") end, "gy.read: .*damaged")
    expect_error(function() read(dir .. "bad_magic.edf") end, "gy.read: .*not an EDF")
    expect_error(function() read(dir .. "bad_records.edf") end, "gy.read: .*size")
    expect_error(function() read(dir .. "missing.bdf") end, "cannot open")
  end)
end)
