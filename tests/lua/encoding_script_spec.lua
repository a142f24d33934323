-- scripts/encoding.lua runs on the real data (nitime's grasshopper neuron and event-related
-- fMRI) into the folder given, writes its figures there and finds above-chance predictions.
local src = os.getenv("GY_SOURCE_DIR") or "."
local gyrus = os.getenv("GY_GYRUS") or "gyrus"

local q, read, status = shell_quote, read_file, shell_status

describe("scripts/encoding.lua", function()
  it("fits, scores and plots both real data sets", function()
    local dir = os.tmpname()
    os.remove(dir)
    local log = dir .. ".log"
    local cmd = q(gyrus) .. " " .. q(src .. "/scripts/encoding.lua") .. " " .. q(dir .. "/figs")
      .. " > " .. q(log) .. " 2>&1"
    local st = status(cmd)
    local out = read(log) or ""
    os.remove(log)
    expect_eq(st, 0, "encoding.lua failed:\n" .. out)
    local want = { "01_grasshopper_prediction", "02_grasshopper_trf", "03_grasshopper_null",
      "04_fmri_fir_response", "05_fmri_accuracy", "06_fmri_prediction" }
    for _, name in ipairs(want) do
      local png = read(dir .. "/figs/" .. name .. ".png")
      expect_eq(png and png:sub(1, 8) == "\137PNG\r\n\26\n", true, name .. ".png missing or not a PNG")
      os.remove(dir .. "/figs/" .. name .. ".png")
    end
    os.remove(dir .. "/figs")
    os.remove(dir)
    -- held-out accuracies well above chance on both data sets
    local r = tonumber(out:match("mean held%-out r = ([%d.]+)"))
    expect_eq(r ~= nil and r > 0.3, true, "grasshopper r: " .. tostring(r))
    local fir = tonumber(out:match("FIR 0%-7 +48 regressors: held%-out r = ([%d.]+)"))
    expect_eq(fir ~= nil and fir > 0.3, true, "FIR r: " .. tostring(fir))
    expect_eq(out:find("permutation p = 0.0020", 1, true) ~= nil, true, "permutation p")
    expect_eq(out:find("6 figures in", 1, true) ~= nil, true, "summary line")
  end)
end)
