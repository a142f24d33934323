-- lua/gyrus/cdef.lua must declare exactly what the public C headers declare: a function
-- added to a header without its FFI twin (or with a different signature) fails here.
local src = os.getenv("GY_SOURCE_DIR") or "."

-- Top-level declarations of C text, comments and preprocessor lines removed, white space
-- normalised, each ending at a ';' outside braces.
local function declarations(text)
  text = text:gsub("/%*.-%*/", " "):gsub("//[^\n]*", " ")
  local kept = {}
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    if not line:match("^%s*#") then kept[#kept + 1] = line end
  end
  text = table.concat(kept, " ")
  local decls, depth, cur = {}, 0, {}
  for ch in text:gmatch(".") do
    cur[#cur + 1] = ch
    if ch == "{" then depth = depth + 1 elseif ch == "}" then depth = depth - 1
    elseif ch == ";" and depth == 0 then
      local d = table.concat(cur):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
      d = d:gsub(" ?([%(%)%*,;{}%[%]=]) ?", "%1")
      decls[#decls + 1] = d
      cur = {}
    end
  end
  return decls
end

local function set(list)
  local s = {}
  for _, d in ipairs(list) do s[d] = true end
  return s
end

describe("cdef", function()
  it("matches the public headers", function()
    local headers = {}
    local p = io.popen("ls " .. src .. "/core/include/gyrus/*.h")
    for path in p:lines() do
      local f = assert(io.open(path))
      for _, d in ipairs(declarations(f:read("*a"))) do headers[#headers + 1] = d end
      f:close()
    end
    p:close()
    local cdef = declarations(require "gyrus.cdef")
    local hs, cs = set(headers), set(cdef)
    local missing, extra = {}, {}
    for d in pairs(hs) do if not cs[d] then missing[#missing + 1] = d end end
    for d in pairs(cs) do if not hs[d] then extra[#extra + 1] = d end end
    table.sort(missing); table.sort(extra)
    if #missing + #extra > 0 then
      error("cdef.lua and the headers differ\n  only in headers:\n    "
        .. table.concat(missing, "\n    ") .. "\n  only in cdef.lua:\n    "
        .. table.concat(extra, "\n    "), 0)
    end
    expect_true(#headers > 40, "found the declarations")
  end)
  it("every declared function exists in the library", function()
    local C = require("gyrus.core").C
    for _, d in ipairs(declarations(require "gyrus.cdef")) do
      local name = d:match("([%w_]+)%(")
      if name and not d:match("^typedef") then
        expect_true(pcall(function() return C[name] end), "libgyrus lacks " .. name)
      end
    end
  end)
end)
