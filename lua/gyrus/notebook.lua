-- gy.notebook: `gyrus notebook in.md -o out.html` runs the ```lua blocks of a Markdown file
-- in order in one environment, captures what each block prints and the figures it draws
-- (plots without a file go to a figure sink, see plot_base.lua), and writes one
-- self-contained HTML page (figures embedded) and optionally Markdown. Course notebooks
-- keep their answers in `::: solution` ... `:::` sections, shown and run only with
-- --solutions.
local ffi = require "ffi"
local core = require "gyrus.core"
local H = require "gyrus.notebook_html"

local N = {}
local concat, format = table.concat, string.format

-- POSIX calls for capturing the output of a block at the file-descriptor level, so print,
-- io.write and anything C writes all land in the page. Declared only when missing (after
-- gyrus.core has loaded its declarations), so they never clash with cdef.lua.
local posix = {
  "int dup(int fd);",
  "int dup2(int oldfd, int newfd);",
  "int close(int fd);",
  "int mkstemp(char *tmpl);",
  "char *mkdtemp(char *tmpl);",
  "int fflush(void *stream);",
}
for _, decl in ipairs(posix) do
  local name = decl:match("([%w_]+)%(")
  if not pcall(function() return ffi.C[name] end) then ffi.cdef(decl) end
end
local libc = ffi.C

local usage = [[
usage: gyrus notebook IN.md [-o OUT.html] [-o OUT.md] [options]
Runs the ```lua blocks of IN.md in order and writes a report with their output and figures.
  -o FILE           output: .html (one self-contained page) or .md (Markdown; for
                    OUT.md the figures go in OUT_files/); may be given twice; default IN.html
  --solutions       show and run the `::: solution` sections
  --keep-going, -k  run every block even after an error (exit status 0)
  --figures FMT     png (default) or svg
  --quiet, -q       no progress on stderr
  --help, -h        this text]]

-- ------------------------------------------------------------------ parsing

-- Front matter (--- key: value --- at the top), then a list of parts: text runs, fenced
-- code blocks {lang, info, code, line} and section marks {open = "solution"} / {close}.
local function parse(text)
  local lines = {}
  for line in (text:gsub("\r\n", "\n") .. (text:sub(-1) == "\n" and "" or "\n")):gmatch("(.-)\n") do
    lines[#lines + 1] = line
  end
  local meta, i = {}, 1
  if lines[1] and lines[1]:match("^%-%-%-%s*$") then
    for j = 2, #lines do
      if lines[j]:match("^%-%-%-%s*$") then
        for k = 2, j - 1 do
          local key, val = lines[k]:match("^%s*([%w_]+)%s*:%s*(.-)%s*$")
          if key then meta[key] = val:gsub('^"(.*)"$', "%1") end
        end
        i = j + 1
        break
      end
    end
  end
  local parts, buf, depth = {}, {}, 0
  local function flush()
    if #buf > 0 then parts[#parts + 1] = { kind = "text", text = concat(buf, "\n") } end
    buf = {}
  end
  while i <= #lines do
    local line = lines[i]
    local indent, fence, info = line:match("^( ? ? ?)(```+)%s*(.-)%s*$")
    if not fence then indent, fence, info = line:match("^( ? ? ?)(~~~+)%s*(.-)%s*$") end
    local div = line:match("^:::+%s*([%w_-]*)%s*$")
    if fence and not info:find("`") then
      flush()
      local start, code = i, {}
      i = i + 1
      while i <= #lines and not (lines[i]:match("^ ? ? ?" .. fence:sub(1, 1):rep(#fence) .. "+%s*$")) do
        code[#code + 1] = lines[i]:gsub("^" .. (" "):rep(#indent), "")
        i = i + 1
      end
      local lang = info:match("^([%w_+-]*)")
      parts[#parts + 1] = { kind = "code", lang = lang, info = info, code = concat(code, "\n"),
        line = start + 1, run = lang == "lua" and not info:find("norun", 1, true) }
      i = i + 1
    elseif div and div ~= "" then
      flush()
      depth = depth + 1
      parts[#parts + 1] = { kind = "open", name = div, line = i }
      i = i + 1
    elseif div == "" and depth > 0 then
      flush()
      depth = depth - 1
      parts[#parts + 1] = { kind = "close", line = i }
      i = i + 1
    else
      buf[#buf + 1] = line
      i = i + 1
    end
  end
  flush()
  for _ = 1, depth do parts[#parts + 1] = { kind = "close" } end
  return meta, parts
end

-- ------------------------------------------------------------------ running

local function tmpdir()
  local base = os.getenv("TMPDIR")
  if not base or base == "" then base = "/tmp" end
  local buf = ffi.new("char[?]", #base + 32)
  ffi.copy(buf, base .. "/gyrus-notebook-XXXXXX")
  if libc.mkdtemp(buf) == nil then error("gy.notebook: cannot make a temporary folder in " .. base, 0) end
  return ffi.string(buf)
end

local function tmpfile(dir, name)
  local buf = ffi.new("char[?]", #dir + #name + 16)
  ffi.copy(buf, dir .. "/" .. name .. "-XXXXXX")
  local fd = libc.mkstemp(buf)
  if fd < 0 then error("gy.notebook: cannot make a temporary file in " .. dir, 0) end
  return fd, ffi.string(buf)
end

local max_output = 200000
local keep_suffix = "\ndo local __gy_keep = ... if __gy_keep then __gy_keep() end end"

local function slurp(path)
  local s = H.read_file(path) or ""
  os.remove(path)
  if #s > max_output then
    s = s:sub(1, max_output) .. format("\n... (%d more bytes not shown)", #s - max_output)
  end
  return s
end

-- Runs fn with file descriptors 1 and 2 sent to files; returns fn's pcall results and the
-- two texts. The descriptors come back whatever fn does.
local function captured(dir, fn)
  io.stdout:flush(); io.stderr:flush(); libc.fflush(nil)
  local fo, po = tmpfile(dir, "stdout")
  local fe, pe = tmpfile(dir, "stderr")
  local save1, save2 = libc.dup(1), libc.dup(2)
  libc.dup2(fo, 1); libc.dup2(fe, 2)
  libc.close(fo); libc.close(fe)
  local res = { pcall(fn) }
  io.stdout:flush(); io.stderr:flush(); libc.fflush(nil)
  libc.dup2(save1, 1); libc.dup2(save2, 2)
  libc.close(save1); libc.close(save2)
  return res, slurp(po), slurp(pe)
end

-- Keeps the traceback lines of the notebook itself, not the runner's.
local function error_text(err, tb, chunkname)
  local msg = tostring(err)
  local keep = {}
  local short = chunkname:sub(2)
  for line in (tb or ""):gmatch("[^\n]+") do
    if line:find(short, 1, true) and not line:find("^stack traceback") then
      keep[#keep + 1] = line
    end
  end
  if #keep > 1 then msg = msg .. "\nstack traceback:\n" .. concat(keep, "\n") end
  return msg
end

-- The environment blocks share: globals of one block are seen by the next; `gy` is there
-- as in the REPL; os.exit would end the whole report, so it is an error instead.
local function environment(name)
  local gy = require "gyrus"
  local os_ = setmetatable({ exit = function()
    error("os.exit is not available in a notebook (use error() to stop)", 2)
  end }, { __index = os })
  return setmetatable({ gy = gy, arg = { [0] = name }, os = os_ }, { __index = _G })
end

local function read_input(input)
  if type(input) == "table" then
    if type(input.text) ~= "string" then error("gy.notebook.run: input.text must be a string", 3) end
    return input.text, input.name or "notebook.md"
  end
  if type(input) ~= "string" then error("gy.notebook.run: input must be a path or {text = ...}", 3) end
  local text = H.read_file(input)
  if not text then error("gy.notebook.run: cannot read '" .. input .. "'", 3) end
  return text, input
end

-- Runs the notebook; returns the report: meta, parts (code parts gain output, stderr,
-- figures = {{mime, data}}, error, ran), and counts blocks, figures, errors.
local function execute(text, name, o)
  local meta, parts = parse(text)
  local env = environment(name)
  local base = require "gyrus.plot_base"
  local dir = tmpdir()
  local pending, nfig = {}, 0
  local ext = o.figures
  local old_sink = base.set_figure_sink(function()
    nfig = nfig + 1
    local path = format("%s/figure-%d.%s", dir, nfig, ext)
    pending[#pending + 1] = path
    return nil, path
  end)
  -- A figure is collected once its file exists: a gy.plot.figure may close in a later block.
  local function collect()
    local got, still = {}, {}
    for _, path in ipairs(pending) do
      local data = H.read_file(path)
      if data then
        got[#got + 1] = { mime = ext == "svg" and "image/svg+xml" or "image/png", data = data,
          ext = ext }
        os.remove(path)
      else
        still[#still + 1] = path
      end
    end
    pending = still
    return got
  end
  local report = { meta = meta, parts = parts, name = name, blocks = 0, ran = 0, figures = 0,
    errors = 0, stopped = false }
  local hidden, stop = 0, false
  local function keep()
    local i = 1
    while true do
      local k, v = debug.getlocal(2, i)
      if not k then break end
      if k:sub(1, 1) ~= "(" and k ~= "__gy_keep" then rawset(env, k, v) end
      i = i + 1
    end
  end
  local ok, err = pcall(function()
    for _, p in ipairs(parts) do
      if p.kind == "open" then
        p.hidden = hidden > 0 or (p.name == "solution" and not o.solutions)
        if p.hidden then hidden = hidden + 1 end
      elseif p.kind == "close" then
        if hidden > 0 then hidden = hidden - 1 end
      elseif hidden > 0 then
        p.hidden = true
      elseif p.kind == "code" and p.run then
        report.blocks = report.blocks + 1
        if stop then
          p.skipped = true
        else
          if not o.quiet then io.stderr:write(format("%s:%d: running block %d\n", name, p.line, report.blocks)) end
          local chunkname = "@" .. name
          -- Blank lines before the code make error lines point into the Markdown file.
          local chunk, perr = loadstring(("\n"):rep(p.line - 1) .. p.code, chunkname)
          if chunk then
            -- Top-level locals carry over to the next blocks (as at the REPL): the block
            -- ends by handing them to keep(), unless it ends with a return.
            chunk = loadstring(("\n"):rep(p.line - 1) .. p.code .. keep_suffix, chunkname) or chunk
          end
          local res, out, errout
          if chunk then
            setfenv(chunk, env)
            res, out, errout = captured(dir, function()
              local tb
              local okc, e = xpcall(chunk, function(m)
                tb = debug.traceback("", 2)
                return m
              end, keep)
              if not okc then error({ msg = e, tb = tb }, 0) end
            end)
          else
            res, out, errout = { false, { msg = perr } }, "", ""
          end
          p.ran = true
          report.ran = report.ran + 1
          p.output, p.stderr = out, errout
          p.figures = collect()
          report.figures = report.figures + #p.figures
          if not res[1] then
            local e = res[2]
            p.error = type(e) == "table" and error_text(e.msg, e.tb, chunkname) or tostring(e)
            report.errors = report.errors + 1
            if not o.quiet then io.stderr:write(p.error:match("^[^\n]*"), "\n") end
            local interrupted = p.error:find("interrupt", 1, true)
            if not o.keep_going or interrupted then
              stop = true
              report.stopped = true
            end
          end
        end
      end
    end
  end)
  base.set_figure_sink(old_sink)
  -- Figures never closed are dropped: collecting them discards their half-written files,
  -- so the temporary folder can go.
  if #pending > 0 then
    env = nil
    collectgarbage()
    collectgarbage()
  end
  for _, path in ipairs(pending) do os.remove(path) end
  os.remove(dir)
  if not ok then error(err, 0) end
  return report
end

-- ------------------------------------------------------------------ writing

local function base_dir_of(name)
  return name:match("^(.*)/[^/]*$") or "."
end

-- The HTML page of a report.
local function render_html(report, o)
  o = o or {}
  local ctx = { base_dir = base_dir_of(report.name) }
  local body, nfig = {}, 0
  for _, p in ipairs(report.parts) do
    if p.hidden then
      -- a solution left out of the page
    elseif p.kind == "text" then
      body[#body + 1] = H.markdown(p.text, ctx)
    elseif p.kind == "open" then
      if p.name == "solution" then
        body[#body + 1] = '<details class="solution" open><summary>Solution</summary>'
      else
        local label = p.name:sub(1, 1):upper() .. p.name:sub(2)
        body[#body + 1] = '<div class="' .. H.escape(p.name) .. '"><p><strong>' .. H.escape(label)
          .. "</strong></p>"
      end
    elseif p.kind == "close" then
      body[#body + 1] = p.closes or "</div>"
    elseif p.kind == "code" then
      local cls = p.lang ~= "" and (' class="language-' .. H.escape(p.lang) .. '"') or ""
      local code = p.lang == "lua" and H.lua(p.code) or H.escape(p.code)
      local cell = { '<div class="cell">', '<pre class="code"><code' .. cls .. ">" .. code .. "</code></pre>" }
      if p.output and p.output ~= "" then
        cell[#cell + 1] = '<pre class="output">' .. H.escape(p.output) .. "</pre>"
      end
      if p.stderr and p.stderr ~= "" then
        cell[#cell + 1] = '<pre class="stderr">' .. H.escape(p.stderr) .. "</pre>"
      end
      for _, f in ipairs(p.figures or {}) do
        nfig = nfig + 1
        local img
        if f.ext == "svg" then
          -- cairo names its glyphs glyph0-1, ... in every file: prefix them per figure so
          -- inlined SVGs do not borrow each other's glyphs.
          local pre = "gyfig" .. nfig .. "-"
          img = f.data:gsub("^%s*<%?xml.-%?>%s*", ""):gsub("^%s*<!DOCTYPE.->%s*", "")
            :gsub('id="', 'id="' .. pre):gsub('href="#', 'href="#' .. pre):gsub("url%(#", "url(#" .. pre)
        else
          img = '<img alt="Figure ' .. nfig .. '" src="data:' .. f.mime .. ";base64," .. H.base64(f.data) .. '">'
        end
        cell[#cell + 1] = '<figure class="figure">' .. img .. "<figcaption>Figure " .. nfig
          .. "</figcaption></figure>"
      end
      if p.error then
        cell[#cell + 1] = '<div class="error"><pre>' .. H.escape(p.error) .. "</pre></div>"
      end
      if p.skipped then
        cell[#cell + 1] = '<div class="notrun">not run: an earlier block failed</div>'
      end
      cell[#cell + 1] = "</div>"
      body[#body + 1] = concat(cell, "\n")
    end
  end
  local title = report.meta.title or ctx.title or report.name
  local footer = format("Made by gyrus %s from %s: %d blocks run, %d figures, %d errors.",
    H.escape(require("gyrus").version), H.escape(report.name), report.ran, report.figures,
    report.errors)
  return H.page(title, concat(body, "\n"), footer)
end

-- The Markdown of a report; figures are written into figdir and linked as figrel/....
local function render_markdown(report, figdir, figrel)
  local out, nfig = {}, 0
  if next(report.meta) then
    out[#out + 1] = "---"
    local keys = {}
    for k in pairs(report.meta) do keys[#keys + 1] = k end
    table.sort(keys)
    for _, k in ipairs(keys) do out[#out + 1] = k .. ": " .. report.meta[k] end
    out[#out + 1] = "---"
  end
  for _, p in ipairs(report.parts) do
    if p.hidden then
      -- left out
    elseif p.kind == "text" then
      out[#out + 1] = p.text
    elseif p.kind == "open" then
      out[#out + 1] = "::: " .. p.name
    elseif p.kind == "close" then
      out[#out + 1] = ":::"
    elseif p.kind == "code" then
      out[#out + 1] = "```" .. p.info .. "\n" .. p.code .. "\n```"
      local text = (p.output or "") .. (p.stderr or "")
      if text ~= "" then out[#out + 1] = "```text\n" .. text:gsub("\n$", "") .. "\n```" end
      for _, f in ipairs(p.figures or {}) do
        nfig = nfig + 1
        local fname = format("figure-%d.%s", nfig, f.ext)
        local fh = assert(io.open(figdir .. "/" .. fname, "wb"))
        fh:write(f.data)
        fh:close()
        out[#out + 1] = format("![Figure %d](%s/%s)", nfig, figrel, fname)
      end
      if p.error then out[#out + 1] = "```text\nError: " .. p.error .. "\n```" end
      if p.skipped then out[#out + 1] = "*(not run: an earlier block failed)*" end
    end
  end
  return concat(out, "\n") .. "\n"
end

-- Writes text to path through a temporary name, so a failed run never leaves half a file.
local function write_atomic(path, text)
  local tmp = path .. ".tmp"
  local f, err = io.open(tmp, "wb")
  if not f then error("gy.notebook: cannot write '" .. path .. "': " .. tostring(err), 0) end
  local okw, werr = f:write(text)
  f:close()
  if not okw then os.remove(tmp); error("gy.notebook: cannot write '" .. path .. "': " .. tostring(werr), 0) end
  local okr, rerr = os.rename(tmp, path)
  if not okr then os.remove(tmp); error("gy.notebook: cannot rename to '" .. path .. "': " .. tostring(rerr), 0) end
end

local function mkdir(path)
  os.execute("mkdir -p '" .. path:gsub("'", "'\\''") .. "'")
end

-- Matches every close mark with its opening part, so N.html closes the right element.
local function pair_sections(parts)
  local stack = {}
  for _, p in ipairs(parts) do
    if p.kind == "open" then
      stack[#stack + 1] = p
    elseif p.kind == "close" then
      local open = table.remove(stack)
      p.closes = open and open.name == "solution" and "</details>" or "</div>"
      if open and open.hidden then p.hidden = true end
    end
  end
end

-- gy.notebook.run(input, opts) -> report
function N.run(input, opts)
  local o = core.options("gy.notebook.run", opts, { solutions = false, keep_going = false,
    figures = "png", html = false, markdown = false, quiet = true })
  if o.figures ~= "png" and o.figures ~= "svg" then
    error("gy.notebook.run: figures must be \"png\" or \"svg\"", 2)
  end
  local text, name = read_input(input)
  local report = execute(text, name, o)
  pair_sections(report.parts)
  report.ok = report.errors == 0
  if o.html then
    report.html = render_html(report, o)
    if type(o.html) == "string" then write_atomic(o.html, report.html) end
  end
  if o.markdown then
    local path = type(o.markdown) == "string" and o.markdown or nil
    local figdir, figrel = ".", "."
    if path then
      local stem = path:gsub("%.[^./]*$", "")
      figdir = stem .. "_files"
      figrel = figdir:match("([^/]+)$")
      if report.figures > 0 then mkdir(figdir) end
    end
    report.markdown_text = render_markdown(report, figdir, figrel)
    if path then write_atomic(path, report.markdown_text) end
  end
  return report
end

-- ------------------------------------------------------------------ command line

-- gyrus notebook IN.md -o OUT.html ...: true when every block ran without error (or
-- --keep-going was given), false otherwise.
function N.main(...)
  local args = { ... }
  local input, outputs = nil, {}
  local o = { solutions = false, keep_going = false, figures = "png", quiet = false }
  local i = 1
  local function fail(msg)
    io.stderr:write("gyrus notebook: ", msg, "\n", usage, "\n")
    return false
  end
  while i <= #args do
    local a = args[i]
    if a == "-h" or a == "--help" then
      print(usage)
      return true
    elseif a == "-o" or a == "--output" then
      if not args[i + 1] then return fail("-o needs a file name") end
      outputs[#outputs + 1] = args[i + 1]
      i = i + 1
    elseif a:match("^%-o.") then
      outputs[#outputs + 1] = a:sub(3)
    elseif a == "--solutions" then
      o.solutions = true
    elseif a == "--keep-going" or a == "-k" then
      o.keep_going = true
    elseif a == "--quiet" or a == "-q" then
      o.quiet = true
    elseif a == "--figures" then
      o.figures = args[i + 1]
      if o.figures ~= "png" and o.figures ~= "svg" then return fail("--figures takes png or svg") end
      i = i + 1
    elseif a:sub(1, 1) == "-" and a ~= "-" then
      return fail("unknown option '" .. a .. "'")
    elseif input then
      return fail("one input file only (got '" .. input .. "' and '" .. a .. "')")
    else
      input = a
    end
    i = i + 1
  end
  if not input then return fail("no input file") end
  if #outputs == 0 then outputs[1] = input:gsub("%.[^./]*$", "") .. ".html" end
  for _, out in ipairs(outputs) do
    local ext = (out:match("%.([^./]+)$") or ""):lower()
    if ext == "html" or ext == "htm" then
      if o.html then return fail("two HTML outputs") end
      o.html = out
    elseif ext == "md" or ext == "markdown" then
      if o.markdown then return fail("two Markdown outputs") end
      o.markdown = out
    else
      return fail("output '" .. out .. "' must end in .html or .md")
    end
  end
  local ok, report = pcall(N.run, input, o)
  if not ok then
    io.stderr:write("gyrus notebook: ", tostring(report):gsub("^gy%.notebook%.run: ", ""), "\n")
    return false
  end
  if not o.quiet then
    io.stderr:write(format("%s: %d blocks run, %d figures, %d errors -> %s\n", input, report.ran,
      report.figures, report.errors, concat(outputs, ", ")))
  end
  return report.errors == 0 or o.keep_going
end

return N
