-- The Lua side of the REPL: how values are printed at the prompt, the candidates of tab
-- completion and "?name" help. The host (core/host) calls show, complete and question.
local R = {}

local keywords = {
  "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
  "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
}
local is_keyword = {}
for _, k in ipairs(keywords) do is_keyword[k] = true end
R.keywords = keywords

local function is_name(s)
  return type(s) == "string" and s:match("^[%a_][%w_]*$") ~= nil and not is_keyword[s]
end

-- Optional pieces: a stub GY_LUA_DIR may lack them.
local function optional(name)
  local ok, mod = pcall(require, name)
  return ok and mod or nil
end

local function methods_of(obj)
  local core = optional("gyrus.core")
  return core and core.methods_of and core.methods_of(obj) or nil
end

local function is_matrix(v)
  local mat = optional("gyrus.mat")
  return mat ~= nil and mat.is(v)
end

----------------------------------------------------------------------------- printing

R.depth = 2        -- nested tables deeper than this print as {...}
R.max_items = 50   -- entries shown per table
R.width = 78       -- a table wider than this prints one entry per line

local function quote(s)
  return (string.format("%q", s):gsub("\\\n", "\\n"))
end

local function has_tostring(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__tostring") ~= nil
end

local function key_order(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then
    -- numbers, then strings, then the rest
    local rank = { number = 1, string = 2 }
    return (rank[ta] or 3) < (rank[tb] or 3) or ((rank[ta] or 3) == (rank[tb] or 3) and ta < tb)
  end
  if ta == "number" or ta == "string" then return a < b end
  return tostring(a) < tostring(b)
end

local format_value

-- A value inside a table: strings quoted, matrices summarised, one line.
local function inner(v, depth, seen, indent)
  local t = type(v)
  if t == "string" then return quote(v) end
  if t == "table" and not has_tostring(v) then return format_value(v, depth, seen, indent) end
  if t == "cdata" and is_matrix(v) then
    local r, c = v:shape()
    return string.format("<%dx%d matrix>", r, c)
  end
  local s = tostring(v)
  if s:find("\n") then s = s:match("^[^\n]*") .. " ..." end
  return s
end

local function key_text(k, depth, seen, indent)
  if is_name(k) then return k end
  return "[" .. inner(k, 0, seen, indent) .. "]"
end

function format_value(t, depth, seen, indent)
  if seen[t] then return "<cycle>" end
  if next(t) == nil then return "{}" end
  if depth <= 0 then return "{...}" end
  seen[t] = true
  local parts, n = {}, #t
  local shown = 0
  for i = 1, n do
    shown = shown + 1
    if shown > R.max_items then break end
    parts[#parts + 1] = inner(t[i], depth - 1, seen, indent + 2)
  end
  local keys = {}
  for k in pairs(t) do
    if not (type(k) == "number" and k >= 1 and k <= n and k == math.floor(k)) then
      keys[#keys + 1] = k
    end
  end
  table.sort(keys, key_order)
  for _, k in ipairs(keys) do
    shown = shown + 1
    if shown > R.max_items then break end
    parts[#parts + 1] = key_text(k, depth, seen, indent) .. " = "
      .. inner(t[k], depth - 1, seen, indent + 2)
  end
  local total = n + #keys
  if total > R.max_items then
    parts[#parts + 1] = string.format("... (%d more)", total - R.max_items)
  end
  seen[t] = nil
  local line = "{" .. table.concat(parts, ", ") .. "}"
  if #line + indent <= R.width and not line:find("\n") then return line end
  -- Too wide: fill lines with short entries, give long or multi-line ones a line each.
  local pad = string.rep(" ", indent + 2)
  local lines, cur = {}, nil
  for i, p in ipairs(parts) do
    local item = p .. (i < #parts and "," or "")
    if cur and not p:find("\n") and #cur + 1 + #item <= R.width then
      cur = cur .. " " .. item
    else
      if cur then lines[#lines + 1] = cur end
      cur = pad .. item
    end
    if p:find("\n") or #cur > R.width then
      lines[#lines + 1] = cur
      cur = nil
    end
  end
  if cur then lines[#lines + 1] = cur end
  return "{\n" .. table.concat(lines, "\n") .. "\n" .. string.rep(" ", indent) .. "}"
end

-- The text the prompt shows for one value: strings, numbers and booleans as print shows
-- them, objects through their __tostring (a matrix prints its values), plain tables
-- depth-limited as {a = 1, b = {...}}.
function R.format(v)
  if type(v) == "table" and not has_tostring(v) then
    return format_value(v, R.depth, {}, 0)
  end
  return tostring(v)
end

-- Prints the values of an expression, tab-separated as print does.
function R.show(...)
  local n = select("#", ...)
  if n == 1 and type(...) == "function" and ... == rawget(_G, "help") then
    return print("help() lists the help texts, help(f) or ?f shows one, help(\"word\") searches")
  end
  local out = {}
  for i = 1, n do out[i] = R.format((select(i, ...))) end
  print(table.concat(out, "\t"))
end

----------------------------------------------------------------------------- completion

local function gyrus_table()
  return package.loaded["gyrus"]
end

-- One step of a dotted path, never calling metamethods except gy's lazy submodules.
local function lookup(obj, key)
  local t = type(obj)
  if t == "string" then return string[key] end
  if t == "cdata" then
    local m = methods_of(obj)
    return m and m[key]
  end
  if t ~= "table" then return nil end
  local gy = gyrus_table()
  if obj == gy and rawget(gy, key) == nil and type(gy.submodules) == "table"
    and gy.submodules[key] then
    local ok, v = pcall(function() return gy[key] end)
    return ok and v or nil
  end
  for _ = 1, 8 do
    local v = rawget(obj, key)
    if v ~= nil then return v end
    local mt = getmetatable(obj)
    local idx = type(mt) == "table" and rawget(mt, "__index")
    if type(idx) ~= "table" then return nil end
    obj = idx
  end
  return nil
end

-- Names offered after "obj." (all fields) or "obj:" (functions only).
local function names_of(obj, methods_only)
  local names, seen = {}, {}
  local function add(k, v)
    if is_name(k) and not seen[k] and (not methods_only or type(v) == "function") then
      seen[k] = true
      names[#names + 1] = k
    end
  end
  local t = type(obj)
  if t == "string" then obj, t = string, "table" end
  if t == "cdata" then
    for k, v in pairs(methods_of(obj) or {}) do add(k, v) end
    return names
  end
  if t ~= "table" then return names end
  local gy = gyrus_table()
  if obj == gy and type(gy.submodules) == "table" and not methods_only then
    for k in pairs(gy.submodules) do add(k, {}) end
  end
  for _ = 1, 8 do
    for k, v in pairs(obj) do add(k, v) end
    local mt = getmetatable(obj)
    local idx = type(mt) == "table" and rawget(mt, "__index")
    if type(idx) ~= "table" then break end
    obj = idx
  end
  return names
end

-- Candidates for the word before the cursor: each one replaces the whole word.
-- complete("gy.ze") -> {"gy.zeros"}; complete("m:sh") -> {"m:shape"} for a matrix m.
function R.complete(text)
  local out = {}
  local path, sep, last = text:match("^(.-)([%.:])([%w_]*)$")
  if not path then
    if not text:match("^[%a_]?[%w_]*$") then return out end
    local names = names_of(_G, false)
    for _, k in ipairs(keywords) do names[#names + 1] = k end
    for _, k in ipairs(names) do
      if k:sub(1, #text) == text then out[#out + 1] = k end
    end
  else
    local obj = _G
    for seg in (path .. "."):gmatch("(.-)%.") do
      if not is_name(seg) then return out end
      obj = lookup(obj, seg)
      if obj == nil then return out end
    end
    for _, k in ipairs(names_of(obj, sep == ":")) do
      if k:sub(1, #last) == last then out[#out + 1] = path .. sep .. k end
    end
  end
  table.sort(out)
  local uniq = {}
  for i, k in ipairs(out) do
    if k ~= out[i - 1] then uniq[#uniq + 1] = k end
  end
  return uniq
end

----------------------------------------------------------------------------- ?help

-- "?" alone: the overview; "?gy.zeros" or "?m:get": help of that value; anything else:
-- a search of the help texts ("?zeros", "?broadcast").
function R.question(s)
  s = s:match("^%s*(.-)%s*$")
  local help = rawget(_G, "help")
  if type(help) ~= "function" then help = require("gyrus").help end
  if s == "" then return help() end
  -- A public name is looked up directly, without loading every module to find the value.
  local H = optional("gyrus.help")
  local texts = H and H.texts and H.texts() or {}
  if texts[s] then return help(s) end
  if s:match("^[%a_][%w_%.:]*$") then
    local obj = _G
    for seg in (s:gsub(":", ".") .. "."):gmatch("(.-)%.") do
      obj = is_name(seg) and lookup(obj, seg) or nil
      if obj == nil then break end
    end
    if obj ~= nil then return help(obj) end
  end
  return help(s)
end

return R
