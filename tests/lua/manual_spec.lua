-- The manual and the man page are generated from the help texts and list every one of them.
local manual = require "gyrus.manual"
local H = require "gyrus.help"

describe("gy manual", function()
  it("lists every help text in the Markdown manual and the man page", function()
    local md, man = manual.markdown("usage: gyrus"), manual.man("usage: gyrus", "2026-01-01")
    local n = 0
    for name in pairs(H.texts()) do
      n = n + 1
      expect_eq(md:find("### " .. name .. "\n", 1, true) ~= nil, true, "manual.md lacks " .. name)
      expect_eq(man:find(".B " .. name:gsub("^%.", "\\&.") .. "\n", 1, true) ~= nil, true,
        "gyrus.1 lacks " .. name)
    end
    expect_eq(n > 100, true, "help texts found")
  end)

  it("escapes troff requests and backslashes", function()
    local man = manual.man(".start\nback\\slash\n'quote", "x")
    expect_eq(man:find("\n\\&.start\n", 1, true) ~= nil, true, "leading dot escaped")
    expect_eq(man:find("back\\eslash", 1, true) ~= nil, true, "backslash escaped")
    expect_eq(man:find("\n\\&'quote", 1, true) ~= nil, true, "leading quote escaped")
  end)

  it("writes both files with the build's script, and groff reads the page without warnings", function()
    local gyrus = os.getenv("GY_GYRUS")
    local src = os.getenv("GY_SOURCE_DIR")
    if not gyrus or not src then return end
    local dir = os.tmpname(); os.remove(dir); assert(os.execute("mkdir -p '" .. dir .. "'") == 0)
    local cmd = string.format("'%s' '%s/scripts/make_manual.lua' '%s' '%s'", gyrus, src, dir, gyrus)
    expect_eq(os.execute(cmd), 0, "make_manual.lua ran")
    local f = assert(io.open(dir .. "/gyrus.1")); local page = f:read("*a"); f:close()
    expect_eq(page:find("-o out.png", 1, true) ~= nil, true, "usage text included")
    if os.execute("command -v groff >/dev/null 2>&1") == 0 then
      local p = io.popen(string.format("groff -man -Tutf8 -ww -z '%s/gyrus.1' 2>&1", dir))
      local warnings = p:read("*a"); p:close()
      expect_eq(warnings, "", "groff warnings")
    end
    os.execute("rm -rf '" .. dir .. "'")
  end)
end)
