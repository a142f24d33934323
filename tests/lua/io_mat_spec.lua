-- gy.read / gy.write of MATLAB .mat files: scipy.io.savemat fixtures, round trips, damaged files.
local io_ = require "gyrus.io"
local fx = fixture("io_more.lua").mat
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

describe("scipy-written files", function()
  for _, f in ipairs({ "vars_u.mat", "vars_z.mat" }) do
    it("reads every numeric variable of " .. f, function()
      local vars, info = read(dir .. f)
      for name, rows in pairs(fx.numeric) do same(vars[name], rows, 0, f .. " " .. name) end
      table.sort(info.skipped)
      expect_eq(table.concat(info.skipped, ","), "st,txt,z")
      for _, name in ipairs(fx.other) do expect_eq(vars[name], nil) end
    end)
    it("reads one variable of " .. f, function()
      same(read(dir .. f, { variable = "t" }), fx.numeric.t, 0, "t")
      expect_error(function() read(dir .. f, { variable = "nope" }) end, "no variable 'nope'")
      expect_error(function() read(dir .. f, { variable = "txt" }) end, "txt.*not a numeric")
      expect_error(function() read(dir .. f, { variable = "z" }) end, "complex")
    end)
  end
end)

describe("MATLAB v7.3 (HDF5) files", function()
  local fx73 = fixture("io_more.lua").mat73
  it("reads the numeric variables of an h5py-written v7.3 file", function()
    local vars, info = read(dir .. "vars73.mat")
    for name, rows in pairs(fx73.numeric) do same(vars[name], rows, 0, "v7.3 " .. name) end
    expect_eq(table.concat(info.skipped, ","), "txt")
    same(read(dir .. "vars73.mat", { variable = "t" }), fx73.numeric.t, 0, "t")
  end)
  it("writes v7.3 that reads back bit for bit", function()
    for _, comp in ipairs({ false, true }) do
      local path = "io_mat_spec_rt73.mat"
      local a = gy.matrix({ { 1, 2.5, -3 }, { 1e-300, 7, math.pi } })
      write(path, { a = a, b = 5 }, { version = "7.3", do_compression = comp })
      local fh = assert(io.open(path, "rb"))
      local head = fh:read(128)
      fh:close()
      expect_eq(head:sub(1, 10), "MATLAB 7.3")
      local v = read(path)
      same(v.a, a:totable(), 0, "a")
      same(v.b, { { 5 } }, 0, "b")
      os.remove(path)
    end
    expect_error(function() write("x.mat", { a = 1 }, { version = "7" }) end, "version must be")
  end)
end)

describe("round trips", function()
  it("writes variables that read back bit for bit", function()
    for _, comp in ipairs({ false, true }) do
      local path = "io_mat_spec_rt.mat"
      local a = gy.matrix({ { 1, 2.5, -3 }, { 1e-300, 7, math.pi } })
      write(path, { a = a, b = 5, c = { { 1 }, { 2 } } }, { do_compression = comp })
      local v = read(path)
      same(v.a, a:totable(), 0, "a")
      same(v.b, { { 5 } }, 0, "b")
      same(v.c, { { 1 }, { 2 } }, 0, "c")
      os.remove(path)
    end
  end)
  it("refuses bad names and non-tables", function()
    expect_error(function() write("x.mat", { ["1x"] = 1 }) end, "not a MATLAB variable name")
    expect_error(function() write("x.mat", gy.matrix({ { 1 } })) end, "named variables")
    expect_error(function() write("x.mat", {}, { bogus = 1 }) end, "unknown option")
  end)
end)

describe("damaged files", function()
  it("gives clear errors", function()
    expect_error(function() read(dir .. "bad_magic.mat") end, "gy.read: .*not a MATLAB")
    expect_error(function() read(dir .. "missing.mat") end, "cannot open")
    expect_error(function() read(dir .. "bad_dims.mat") end, "gy.read: ")
    expect_error(function() read(dir .. "bad73_truncated.mat") end, "gy.read: .*truncated")
    pcall(read, dir .. "bad_truncated.mat") -- an error or a partial list, never a crash
  end)
end)
