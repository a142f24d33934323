-- The page of `gyrus notebook`: Markdown text to HTML (the subset course notes use:
-- headings, paragraphs, lists, quotes, pipe tables, fenced code, emphasis, code spans,
-- links and images), Lua code with light highlighting, and base64 for embedded figures,
-- so the report is one self-contained file.
local H = {}

local concat, byte, char, floor = table.concat, string.byte, string.char, math.floor

-- ------------------------------------------------------------------ base64 (RFC 4648)

local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local digit = {}
for i = 1, 64 do digit[i - 1] = alphabet:sub(i, i) end

function H.base64(s)
  local out, n = {}, #s
  for i = 1, n - 2, 3 do
    local a, b, c = byte(s, i, i + 2)
    local v = a * 65536 + b * 256 + c
    out[#out + 1] = digit[floor(v / 262144)] .. digit[floor(v / 4096) % 64]
      .. digit[floor(v / 64) % 64] .. digit[v % 64]
  end
  local rest = n % 3
  if rest == 1 then
    local a = byte(s, n)
    out[#out + 1] = digit[floor(a / 4)] .. digit[(a % 4) * 16] .. "=="
  elseif rest == 2 then
    local a, b = byte(s, n - 1, n)
    local v = a * 256 + b
    out[#out + 1] = digit[floor(v / 1024)] .. digit[floor(v / 16) % 64] .. digit[(v % 16) * 4] .. "="
  end
  return concat(out)
end

-- ------------------------------------------------------------------ inline Markdown

local function escape(s)
  return (s:gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;" }))
end
H.escape = escape

local mime = { png = "image/png", jpg = "image/jpeg", jpeg = "image/jpeg", gif = "image/gif",
  svg = "image/svg+xml" }

local function read_file(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end
H.read_file = read_file

-- A local image becomes a data URI so the page stays self-contained; remote ones stay links.
local function image_src(src, base_dir)
  if src:find("^%a[%w+.-]*:") then return src end
  local ext = (src:match("%.(%w+)$") or ""):lower()
  if not mime[ext] then return src end
  local path = src:sub(1, 1) == "/" and src or ((base_dir or ".") .. "/" .. src)
  local data = read_file(path)
  if not data then return src end
  return "data:" .. mime[ext] .. ";base64," .. H.base64(data)
end

-- Emphasis, links and images on text with no code spans in it (already HTML-escaped).
local function spans(s, base_dir)
  s = s:gsub("!%[([^%]]*)%]%(([^%)%s]+)%)", function(alt, src)
    return '<img alt="' .. alt .. '" src="' .. image_src(src:gsub("&amp;", "&"), base_dir) .. '">'
  end)
  s = s:gsub("%[([^%]]+)%]%(([^%)%s]+)%)", '<a href="%2">%1</a>')
  s = s:gsub("&lt;(https?://[^%s&]+)&gt;", '<a href="%1">%1</a>')
  s = s:gsub("%*%*(.-%S)%*%*", "<strong>%1</strong>")
  s = s:gsub("__(%S.-%S)__", "<strong>%1</strong>")
  s = s:gsub("%*(%S.-)%*", function(t)
    if t:sub(-1):find("%s") then return nil end
    return "<em>" .. t .. "</em>"
  end)
  s = s:gsub("%f[%w_]_(%S[^_]-)_%f[^%w_]", "<em>%1</em>")
  return s
end

-- Inline Markdown to HTML: code spans first (their content is literal), then the rest.
function H.inline(s, base_dir)
  local out, pos = {}, 1
  while true do
    local a, b, ticks = s:find("(`+)", pos)
    if not a then break end
    local c, d = s:find(ticks, b + 1, true)
    if not c then break end
    out[#out + 1] = spans(escape(s:sub(pos, a - 1)), base_dir)
    local code = s:sub(b + 1, c - 1):gsub("^ (.*%S.*) $", "%1")
    out[#out + 1] = "<code>" .. escape(code) .. "</code>"
    pos = d + 1
  end
  out[#out + 1] = spans(escape(s:sub(pos)), base_dir)
  return concat(out)
end

-- ------------------------------------------------------------------ block Markdown

local function slug(text, used)
  local s = text:lower():gsub("<[^>]*>", ""):gsub("[^%w%s-]", ""):gsub("%s+", "-")
  if s == "" then s = "section" end
  local base, k = s, 1
  while used[s] do k = k + 1; s = base .. "-" .. k end
  used[s] = true
  return s
end

local function list_item(line)
  local indent, marker, rest = line:match("^( *)([-*+]) +(.*)$")
  if indent then return #indent, "ul", rest end
  indent, marker, rest = line:match("^( *)(%d+)[.)] +(.*)$")
  if indent then return #indent, "ol", rest, tonumber(marker) end
  return nil
end

local function table_cells(line)
  line = line:gsub("^%s*|", ""):gsub("|%s*$", "")
  local cells = {}
  for cell in (line .. "|"):gmatch("(.-)|") do cells[#cells + 1] = cell:match("^%s*(.-)%s*$") end
  return cells
end

local function is_table_rule(line)
  return line and line:find("|") and line:match("^[%s|:%-]+$") and line:find("%-%-%-") ~= nil
end

-- Lists nest by indentation: items indented deeper than the current item open a sub-list.
local function render_list(lines, i, ctx, out)
  local indent0, kind, _, start = list_item(lines[i])
  out[#out + 1] = kind == "ol" and ((start and start ~= 1) and ('<ol start="' .. start .. '">') or "<ol>")
    or "<ul>"
  while i <= #lines do
    local ind, k, text = list_item(lines[i])
    if not ind or ind < indent0 or (ind == indent0 and k ~= kind) then break end
    if ind > indent0 then
      i = render_list(lines, i, ctx, out)
    else
      local parts = { text }
      i = i + 1
      -- Continuation lines (indented, not a new item) belong to this item.
      while i <= #lines and lines[i]:find("^%s+%S") and not list_item(lines[i]) do
        parts[#parts + 1] = lines[i]:match("^%s*(.-)$")
        i = i + 1
      end
      out[#out + 1] = "<li>" .. H.inline(concat(parts, " "), ctx.base_dir)
      while i <= #lines do
        local ind2 = list_item(lines[i])
        if ind2 and ind2 > indent0 then i = render_list(lines, i, ctx, out) else break end
      end
      out[#out + 1] = "</li>"
    end
  end
  out[#out + 1] = kind == "ol" and "</ol>" or "</ul>"
  return i
end

-- Markdown text (no fenced code: the notebook splits that off first) to HTML.
function H.markdown(text, ctx)
  ctx = ctx or {}
  ctx.ids = ctx.ids or {}
  text = text:gsub("<!%-%-.-%-%->", "")
  local lines = {}
  for line in (text .. "\n"):gmatch("(.-)\r?\n") do lines[#lines + 1] = line:gsub("\t", "    ") end
  local out, i = {}, 1
  while i <= #lines do
    local line = lines[i]
    local hashes, htext = line:match("^(#+)%s+(.-)%s*#*%s*$")
    if line:match("^%s*$") then
      i = i + 1
    elseif hashes and #hashes <= 6 then
      local inner = H.inline(htext, ctx.base_dir)
      if not ctx.title then ctx.title = htext end
      out[#out + 1] = string.format('<h%d id="%s">%s</h%d>', #hashes, slug(inner, ctx.ids), inner,
        #hashes)
      i = i + 1
    elseif line:match("^ ? ? ?([-*_])%s*%1%s*%1[%s%-*_]*$") then
      out[#out + 1] = "<hr>"
      i = i + 1
    elseif line:match("^%s*>") then
      local q = {}
      while i <= #lines and lines[i]:match("^%s*>") do
        q[#q + 1] = lines[i]:gsub("^%s*> ?", "")
        i = i + 1
      end
      out[#out + 1] = "<blockquote>" .. H.markdown(concat(q, "\n"), ctx) .. "</blockquote>"
    elseif list_item(line) then
      i = render_list(lines, i, ctx, out)
    elseif line:find("|") and is_table_rule(lines[i + 1]) then
      local head = table_cells(line)
      local align = {}
      for k, c in ipairs(table_cells(lines[i + 1])) do
        align[k] = (c:match("^:.*:$") and "center") or (c:match(":$") and "right") or nil
      end
      local function row(cells, tag)
        local r = {}
        for k = 1, #head do
          local a = align[k] and (' style="text-align:' .. align[k] .. '"') or ""
          r[#r + 1] = "<" .. tag .. a .. ">" .. H.inline(cells[k] or "", ctx.base_dir) .. "</" .. tag .. ">"
        end
        return "<tr>" .. concat(r) .. "</tr>"
      end
      local t = { "<table>", "<thead>", row(head, "th"), "</thead>", "<tbody>" }
      i = i + 2
      while i <= #lines and lines[i]:find("|") and not lines[i]:match("^%s*$") do
        t[#t + 1] = row(table_cells(lines[i]), "td")
        i = i + 1
      end
      t[#t + 1] = "</tbody></table>"
      out[#out + 1] = concat(t, "\n")
    elseif line:match("^    ") then
      local code = {}
      while i <= #lines and (lines[i]:match("^    ") or (lines[i]:match("^%s*$")
        and lines[i + 1] and lines[i + 1]:match("^    "))) do
        code[#code + 1] = lines[i]:sub(5)
        i = i + 1
      end
      out[#out + 1] = "<pre><code>" .. escape(concat(code, "\n")) .. "</code></pre>"
    else
      local para = {}
      while i <= #lines and not lines[i]:match("^%s*$") and not lines[i]:match("^#+%s")
        and not lines[i]:match("^%s*>") and not (#para > 0 and list_item(lines[i])) do
        para[#para + 1] = lines[i]:match("^%s*(.-)%s*$")
        i = i + 1
      end
      out[#out + 1] = "<p>" .. H.inline(concat(para, "\n"), ctx.base_dir) .. "</p>"
    end
  end
  return concat(out, "\n")
end

-- ------------------------------------------------------------------ Lua code

local keywords = {}
for w in ([[and break do else elseif end false for function goto if in local nil not or
  repeat return then true until while]]):gmatch("%a+") do keywords[w] = true end

-- Comments, strings, numbers and keywords in spans; everything else as written.
function H.lua(code)
  local out, i, n = {}, 1, #code
  local function span(cls, s) out[#out + 1] = '<span class="' .. cls .. '">' .. escape(s) .. "</span>" end
  while i <= n do
    local c = code:sub(i, i)
    local long = code:match("^%-%-%[(=*)%[", i)
    if long then
      local _, e = code:find("]" .. long .. "]", i, true)
      e = e or n
      span("c", code:sub(i, e)); i = e + 1
    elseif code:sub(i, i + 1) == "--" then
      local e = code:find("\n", i, true) or n + 1
      span("c", code:sub(i, e - 1)); i = e
    elseif c == '"' or c == "'" then
      local j = i + 1
      while j <= n do
        local d = code:sub(j, j)
        if d == "\\" then j = j + 2
        elseif d == c or d == "\n" then break
        else j = j + 1 end
      end
      span("s", code:sub(i, j)); i = j + 1
    elseif code:match("^%[=*%[", i) then
      local eq = code:match("^%[(=*)%[", i)
      local _, e = code:find("]" .. eq .. "]", i, true)
      e = e or n
      span("s", code:sub(i, e)); i = e + 1
    elseif c:match("%d") or (c == "." and code:sub(i + 1, i + 1):match("%d")) then
      local num = code:match("^0[xX]%x+", i) or code:match("^%d*%.?%d+[eE][%+%-]?%d+", i)
        or code:match("^%d*%.?%d*", i)
      span("n", num); i = i + #num
    elseif c:match("[%a_]") then
      local w = code:match("^[%w_]+", i)
      if keywords[w] then span("k", w) else out[#out + 1] = escape(w) end
      i = i + #w
    else
      local s = code:match("^[^%w_\"'%-%[%.]+", i) or c
      out[#out + 1] = escape(s); i = i + #s
    end
  end
  return concat(out)
end

-- ------------------------------------------------------------------ the page

H.style = [[
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:54em;margin:2em auto;padding:0 1em;line-height:1.5;color:#1b1b1b}
h1,h2,h3{line-height:1.2}h1{border-bottom:1px solid #ddd;padding-bottom:.2em}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.9em;background:#f3f3f3;padding:0 .2em;border-radius:3px}
pre{background:#f6f8fa;border:1px solid #e1e4e8;border-radius:4px;padding:.6em .8em;overflow-x:auto;line-height:1.35}
pre code{background:none;padding:0}
.cell{margin:1em 0}.cell pre.code{border-left:4px solid #0072B2}
pre.output{background:#fff;border-style:dashed;margin-top:-.6em}
pre.stderr{background:#fffbe6;border-color:#e6c200;margin-top:-.6em}
div.error{background:#fdecea;border:1px solid #d55e00;border-radius:4px;padding:.2em .8em;margin-top:-.6em}
div.error pre{background:none;border:none;color:#8a1f00;padding:.2em 0}
div.notrun{color:#777;font-style:italic;font-size:.9em}
figure.figure{margin:.5em 0;text-align:center}figure.figure img,figure.figure svg{max-width:100%;height:auto}
figcaption{font-size:.85em;color:#555}
.k{color:#8959a8;font-weight:bold}.s{color:#3e7b2e}.c{color:#8e908c;font-style:italic}.n{color:#c15400}
div.exercise,div.question,div.note{border-left:4px solid #E69F00;background:#fffaf0;padding:.1em 1em;margin:1em 0}
div.question{border-color:#56B4E9;background:#f3f9fd}div.note{border-color:#999;background:#f7f7f7}
details.solution{border-left:4px solid #009E73;background:#f0faf6;padding:.3em 1em;margin:1em 0}
details.solution>summary{font-weight:bold;cursor:pointer;color:#00694d}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.25em .6em}th{background:#f3f3f3}
blockquote{border-left:4px solid #ddd;margin-left:0;padding-left:1em;color:#555}
footer{margin-top:3em;font-size:.8em;color:#888;border-top:1px solid #eee}
]]

function H.page(title, body, footer)
  return concat({
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<title>" .. escape(title or "notebook") .. "</title>",
    "<style>", H.style, "</style>",
    "</head>",
    "<body>",
    body,
    footer and ("<footer>" .. footer .. "</footer>") or "",
    "</body>",
    "</html>",
    "",
  }, "\n")
end

return H
