-- scripts/tour.lua, the README's first command, runs on the real data into a folder and
-- writes its figures there (the brain map only when NIfTI reading is in the build).
local src = os.getenv("GY_SOURCE_DIR") or "."
local gyrus = os.getenv("GY_GYRUS") or "gyrus"

local q, read, status = shell_quote, read_file, shell_status

describe("scripts/tour.lua", function()
  it("runs on the real data and writes its figures into the folder given", function()
    local dir = os.tmpname()
    os.remove(dir)
    local log = dir .. ".log"
    local cmd = q(gyrus) .. " " .. q(src .. "/scripts/tour.lua") .. " " .. q(dir .. "/figs")
      .. " > " .. q(log) .. " 2>&1"
    local st = status(cmd)
    local out = read(log) or ""
    os.remove(log)
    expect_eq(st, 0, "tour failed:\n" .. out)
    local want = { "01_timeseries", "02_connectivity", "03_graph", "04_rdm", "05_mds", "06_brain" }
    for _, name in ipairs(want) do
      local png = read(dir .. "/figs/" .. name .. ".png")
      expect_true(png and png:sub(1, 8) == "\137PNG\r\n\26\n", name .. ".png missing or not a PNG")
      expect_true(#png > 5000, name .. ".png is suspiciously small")
    end
    for _, text in ipairs({ "Functional connectivity", "Graph measures", "Representational",
      "strongest pair LPrec%-RPrec", string.format("%d figures in", #want) }) do
      expect_true(out:find(text), "the tour does not print '" .. text .. "':\n" .. out)
    end
    os.execute("rm -rf " .. q(dir))
  end)
end)
