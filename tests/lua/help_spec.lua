-- Every public function has a help text, and every help example runs.
local H = require "gyrus.help"

local function public_names()
  local names = {}
  gy.load_all()
  for k, v in pairs(gy) do
    if type(v) == "function" then names[#names + 1] = "gy." .. k end
  end
  for mod in pairs(gy.submodules) do
    for k, v in pairs(gy[mod]) do
      if type(v) == "function" then names[#names + 1] = "gy." .. mod .. "." .. k end
    end
  end
  for k in pairs(require("gyrus.mat").methods) do names[#names + 1] = "gy.matrix:" .. k end
  table.sort(names)
  return names
end

describe("help", function()
  it("every public function has a text with a signature and an example", function()
    local texts, missing = H.texts(), {}
    for _, name in ipairs(public_names()) do
      local t = texts[name]
      if not t or not t:find("Example:") then missing[#missing + 1] = name end
    end
    if #missing > 0 then error("no help text (or no example) for: " .. table.concat(missing, ", "), 0) end
  end)
  it("every example runs", function()
    for name, text in pairs(H.texts()) do
      local code = text:match("Example:\n(.*)$")
      if code then
        local chunk, err = loadstring(code, "=" .. name)
        if not chunk then error(name .. ": example does not parse: " .. err, 0) end
        local out = {}
        local env = setmetatable({ print = function(...) out[#out + 1] = { ... } end },
          { __index = _G })
        setfenv(chunk, env)
        local ok, e = pcall(chunk)
        if not ok then error(name .. ": example fails: " .. tostring(e), 0) end
      end
    end
  end)
  it("help(f) finds the text by value, help('word') searches", function()
    expect_true(H.help(gy.zeros, true):find("^gy.zeros"))
    expect_true(H.help(gy.zeros(1, 1).get, true):find("^m:get"))
    expect_true(H.help("broadcast", true):find("gy.matrix:emul"))
    expect_true(H.help(nil, true):find("help%(f%)"))
    expect_true(H.help("zzzzqq", true):find("nothing mentions"))
  end)
end)
