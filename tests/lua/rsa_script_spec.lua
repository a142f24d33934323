-- scripts/rsa.lua, the RSA walk-through, runs on the real data into a folder within 60 s and
-- writes its four figures there.
local src = os.getenv("GY_SOURCE_DIR") or "."
local gyrus = os.getenv("GY_GYRUS") or "gyrus"

local q, read, status = shell_quote, read_file, shell_status

describe("scripts/rsa.lua", function()
  it("runs on the real data and writes its figures into the folder given", function()
    local dir = os.tmpname()
    os.remove(dir)
    local log = dir .. ".log"
    local t0 = gy.clock()
    local st = status(q(gyrus) .. " " .. q(src .. "/scripts/rsa.lua") .. " " .. q(dir .. "/figs")
      .. " > " .. q(log) .. " 2>&1")
    local elapsed = gy.clock() - t0
    local out = read(log) or ""
    os.remove(log)
    expect_eq(st, 0, "rsa.lua failed:\n" .. out)
    expect_true(elapsed < 60, string.format("took %.1f s", elapsed))
    for _, name in ipairs({ "01_rdms", "02_model_comparison", "03_trsa", "04_searchlight" }) do
      local png = read(dir .. "/figs/" .. name .. ".png")
      expect_true(png and png:sub(1, 8) == "\137PNG\r\n\26\n", name .. ".png missing or not a PNG")
      expect_true(png and #png > 5000, name .. ".png is suspiciously small")
      os.remove(dir .. "/figs/" .. name .. ".png")
    end
    for _, text in ipairs({ "noise ceiling: lower", "fit_optimize", "RGTM", "spheres",
      "4 figures in" }) do
      expect_true(out:find(text, 1, true) ~= nil, "output lacks '" .. text .. "'")
    end
    os.remove(dir .. "/figs")
    os.remove(dir)
  end)
end)
