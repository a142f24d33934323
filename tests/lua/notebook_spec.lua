-- gy.notebook: the Markdown runner (output and figure capture, errors, solutions, the page)
-- and every course notebook in notebooks/, run through the real `gyrus notebook` into a
-- temporary folder: each must run without error and make the figures its front matter
-- announces (figures, and figures_with_solutions with --solutions).
local N = require "gyrus.notebook"
local H = require "gyrus.notebook_html"

local src = os.getenv("GY_SOURCE_DIR") or "."
local gyrus = os.getenv("GY_GYRUS") or "gyrus"

local function count(s, pattern)
  local n = 0
  for _ in s:gmatch(pattern) do n = n + 1 end
  return n
end

local q, read, status = shell_quote, read_file, shell_status

local tmp = os.tmpname()
os.remove(tmp)
os.execute("mkdir -p " .. q(tmp))

local function run(md, opts)
  opts = opts or {}
  if opts.html == nil then opts.html = true end
  return N.run({ text = md, name = "t.md" }, opts)
end

describe("base64", function()
  it("encodes the RFC 4648 test vectors", function()
    local cases = { [""] = "", f = "Zg==", fo = "Zm8=", foo = "Zm9v", foob = "Zm9vYg==",
      fooba = "Zm9vYmE=", foobar = "Zm9vYmFy" }
    for plain, enc in pairs(cases) do expect_eq(H.base64(plain), enc, plain) end
  end)
  it("encodes every byte value", function()
    local t = {}
    for b = 0, 255 do t[#t + 1] = string.char(b) end
    local s = H.base64(table.concat(t))
    expect_eq(#s, 344)
    expect_eq(s:sub(1, 8), "AAECAwQF")
    expect_eq(s:sub(-8), "/P3+/w==")   -- Python's base64.b64encode(bytes(range(256)))
  end)
end)

describe("markdown", function()
  it("renders headings, emphasis, code, links, lists and tables", function()
    local html = H.markdown("# A *b*\n\nx `y<z` **w** [l](http://a.b)\n\n- one\n- two\n  - three\n\n"
      .. "| a | b |\n|---|--:|\n| 1 | 2 |\n")
    expect_true(html:find('<h1 id="a-b">A <em>b</em></h1>', 1, true), html)
    expect_true(html:find("<code>y&lt;z</code>", 1, true))
    expect_true(html:find("<strong>w</strong>", 1, true))
    expect_true(html:find('<a href="http://a.b">l</a>', 1, true))
    expect_eq(count(html, "<li>"), 3)
    expect_eq(count(html, "<ul>"), 2)
    expect_true(html:find('<td style="text-align:right">2</td>', 1, true))
  end)
  it("escapes HTML and keeps snake_case words", function()
    local html = H.markdown("a <script> & fmri_time_series")
    expect_true(html:find("&lt;script&gt; &amp; fmri_time_series", 1, true), html)
  end)
end)

describe("gy.notebook.run", function()
  it("captures print, io.write and stderr under each block", function()
    local r = run("```lua\nprint('hello', 1 + 1)\nio.write('w\\n')\nio.stderr:write('warn\\n')\n```\n")
    expect_eq(r.ran, 1)
    expect_eq(r.errors, 0)
    local p = r.parts[1]
    expect_eq(p.output, "hello\t2\nw\n")
    expect_eq(p.stderr, "warn\n")
    expect_true(r.html:find('<pre class="output">hello\t2\nw\n</pre>', 1, true))
  end)
  it("shares globals and top-level locals between blocks", function()
    local r = run("```lua\nlocal a = 2\nb = 3\n```\n\ntext\n\n```lua\nprint(a * b)\n```\n")
    expect_eq(r.errors, 0)
    expect_eq(r.parts[3].output, "6\n")
    expect_eq(rawget(_G, "b"), nil, "notebook globals stay out of _G")
  end)
  it("keeps a block that ends with return", function()
    local r = run("```lua\nlocal x = 1\nreturn x\n```\n")
    expect_eq(r.errors, 0)
  end)
  it("captures figures drawn without a file, in the block that closes them", function()
    local r = run("```lua\ngy.plot.hist(gy.randn(50, 1, {seed = 1}))\n"
      .. "fig = gy.plot.figure{cols = 2}\ngy.plot.line({1, 2, 3}, {figure = fig})\n```\n"
      .. "```lua\nfig:close()\n```\n")
    expect_eq(r.errors, 0)
    expect_eq(r.figures, 2)
    expect_eq(#r.parts[1].figures, 1)
    expect_eq(#r.parts[2].figures, 1)
    expect_eq(count(r.html, '<figure class="figure"><img alt="Figure %d" src="data:image/png;base64,iVBORw0KGgo'), 2)
  end)
  it("inlines SVG figures with ids made unique", function()
    local r = run("```lua\ngy.plot.line({1, 3, 2}, {title = 'a'})\ngy.plot.line({2, 1}, {title = 'b'})\n```\n",
      { figures = "svg" })
    expect_eq(r.figures, 2)
    expect_eq(count(r.html, '<figure class="figure"><svg'), 2)
    expect_true(not r.html:find("<%?xml"))
    local seen = {}
    for id in r.html:gmatch('id="([^"]+)"') do
      expect_true(not seen[id], "duplicate id " .. id)
      seen[id] = true
    end
  end)
  it("stops at an error, shows it in place with the Markdown line, and marks the rest", function()
    local md = "# T\n\n```lua\nx = 1\n```\n\n```lua\nlocal y = 2\nerror('boom')\n```\n\n```lua\nprint('after')\n```\n"
    local r = run(md)
    expect_eq(r.errors, 1)
    expect_eq(r.ran, 2)
    expect_true(r.stopped)
    expect_true(r.parts[4].error:find("^t%.md:9: boom"), r.parts[4].error)
    expect_true(r.parts[6].skipped)
    expect_eq(count(r.html, '<div class="error">'), 1)
    expect_true(r.html:find("not run: an earlier block failed", 1, true))
  end)
  it("goes on after an error with keep_going", function()
    local r = run("```lua\nerror('one')\n```\n```lua\nprint('two')\n```\n", { keep_going = true })
    expect_eq(r.errors, 1)
    expect_eq(r.ran, 2)
    expect_eq(r.parts[2].output, "two\n")
  end)
  it("reports syntax errors and gy errors", function()
    local r = run("```lua\nlocal = 1\n```\n", { keep_going = true })
    expect_true(r.parts[1].error:find("^t%.md:2:"), r.parts[1].error)
    r = run("```lua\n\ngy.stats.corr('x')\n```\n")
    expect_true(r.parts[1].error:find("t.md:3: gy.stats.corr", 1, true), r.parts[1].error)
  end)
  it("refuses os.exit", function()
    local r = run("```lua\nos.exit(3)\n```\n")
    expect_true(r.parts[1].error:find("os.exit is not available", 1, true))
  end)
  it("hides solutions unless asked, and neither shows nor runs them", function()
    local md = "::: exercise\nDo it.\n:::\n\n::: solution\nThe answer.\n\n```lua\nprint('sol')\n```\n:::\n\n```lua\nprint('end')\n```\n"
    local r = run(md)
    expect_eq(r.ran, 1)
    expect_true(not r.html:find("The answer", 1, true))
    expect_true(not r.html:find("'sol'", 1, true))
    expect_true(r.html:find('<div class="exercise">', 1, true))
    r = run(md, { solutions = true })
    expect_eq(r.ran, 2)
    expect_eq(r.parts[7].output, "sol\n")
    expect_true(r.html:find('<details class="solution" open><summary>Solution</summary>', 1, true))
    expect_eq(count(r.html, "<details"), count(r.html, "</details>"))
    expect_eq(count(r.html, "<div"), count(r.html, "</div>"))
  end)
  it("shows norun and other languages without running them, reads front matter", function()
    local r = run("---\ntitle: My lesson\nfigures: 0\n---\n```lua norun\nerror('x')\n```\n```sh\nls\n```\n")
    expect_eq(r.ran, 0)
    expect_eq(r.meta.title, "My lesson")
    expect_eq(r.meta.figures, "0")
    expect_true(r.html:find("<title>My lesson</title>", 1, true))
    expect_true(r.html:find('<code class="language-sh">ls</code>', 1, true))
  end)
  it("writes Markdown with the output and the figures in a folder", function()
    local out = tmp .. "/unit.md"
    local r = N.run({ text = "```lua\nprint(42)\ngy.plot.hist({1, 2, 2, 3})\n```\n", name = "u.md" },
      { markdown = out })
    expect_eq(r.errors, 0)
    local md = read(out)
    expect_true(md:find("```text\n42\n```", 1, true), md)
    expect_true(md:find("![Figure 1](unit_files/figure-1.png)", 1, true), md)
    expect_eq(read(tmp .. "/unit_files/figure-1.png"):sub(2, 4), "PNG")
  end)
  it("checks its options and input", function()
    expect_error(function() N.run({ text = "" }, { colour = 1 }) end, "gy.notebook.run")
    expect_error(function() N.run({ text = "" }, { figures = "gif" }) end, "png")
    expect_error(function() N.run(tmp .. "/missing.md") end, "cannot read")
  end)
  it("leaves the figure sink as it found it", function()
    run("```lua\nerror('x')\n```\n")
    local B = require "gyrus.plot_base"
    expect_eq(B.set_figure_sink(nil), nil)
  end)
end)

describe("gyrus notebook (command line)", function()
  it("exits non-zero on an error unless --keep-going, and writes the page in both cases", function()
    local md = tmp .. "/cli.md"
    local f = assert(io.open(md, "w"))
    f:write("# CLI\n\n```lua\nprint('ok')\n```\n\n```lua\nerror('bad')\n```\n")
    f:close()
    local html = tmp .. "/cli.html"
    expect_true(status(q(gyrus) .. " notebook " .. q(md) .. " -o " .. q(html) .. " -q 2>/dev/null") ~= 0)
    expect_eq(count(read(html), '<div class="error">'), 1)
    os.remove(html)
    expect_eq(status(q(gyrus) .. " notebook " .. q(md) .. " -o " .. q(html) .. " -q --keep-going"), 0)
    expect_true(read(html):find("bad", 1, true))
    expect_true(status(q(gyrus) .. " notebook " .. q(md) .. " --bogus 2>/dev/null") ~= 0)
    expect_true(status(q(gyrus) .. " notebook 2>/dev/null") ~= 0)
  end)
end)

describe("help texts", function()
  it("have examples that run", function()
    if rawget(gy, "notebook") == nil and not (gy.submodules and gy.submodules.notebook) then
      rawset(gy, "notebook", N)
    end
    for name, text in pairs(require("gyrus.help.notebook")) do
      local code = assert(text:match("Example:\n(.*)$"), name .. " has no example")
      local chunk = assert(loadstring(code, "=" .. name))
      setfenv(chunk, setmetatable({ print = function() end }, { __index = _G }))
      local ok, err = pcall(chunk)
      if not ok then error(name .. ": " .. tostring(err), 0) end
    end
  end)
end)

-- ------------------------------------------------------------------ course notebooks

local function notebooks()
  local list = {}
  local p = io.popen("ls " .. q(src .. "/notebooks") .. " 2>/dev/null")
  for name in p:lines() do
    if name:match("%.md$") then list[#list + 1] = name end
  end
  p:close()
  table.sort(list)
  return list
end

describe("notebooks/", function()
  local list = notebooks()
  it("holds the course notebooks", function()
    expect_true(#list >= 2, "found " .. #list .. " notebooks")
  end)
  for _, name in ipairs(list) do
    local path = src .. "/notebooks/" .. name
    local text = read(path)
    local want = text:match("^%-%-%-.-\nfigures:%s*(%d+)")
    local want_sol = text:match("^%-%-%-.-\nfigures_with_solutions:%s*(%d+)")
    for _, sol in ipairs({ false, true }) do
      it(name .. (sol and " with --solutions" or "") .. " runs and makes its figures", function()
        expect_true(want and want_sol, name .. ": front matter needs figures: and figures_with_solutions:")
        local out = tmp .. "/" .. name:gsub("%.md$", sol and "-sol.html" or ".html")
        local cmd = q(gyrus) .. " notebook " .. q(path) .. " -o " .. q(out) .. " -q"
          .. (sol and " --solutions" or "")
        expect_eq(status(cmd), 0, cmd)
        local html = assert(read(out), "no page written")
        expect_eq(count(html, '<div class="error">'), 0, name .. " error blocks")
        expect_eq(count(html, '<div class="notrun">'), 0, name .. " blocks not run")
        expect_eq(count(html, '<figure class="figure">'), tonumber(sol and want_sol or want),
          name .. " figures")
        expect_eq(count(html, "<details"), count(html, "</details>"))
        expect_eq(count(html, "<div"), count(html, "</div>"))
      end)
    end
  end
end)

os.execute("rm -rf " .. q(tmp))
