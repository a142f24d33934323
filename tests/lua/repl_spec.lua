-- The gyrus program end to end: the REPL driven through a pipe and through a terminal
-- (tests/repl_pty.py), the command line, Ctrl-C, completion and history.
local G = os.getenv("GY_GYRUS") or "gyrus"
local SRC = os.getenv("GY_SOURCE_DIR") or "."
local R = require "gyrus.repl"

local base = os.tmpname() -- a fresh file; its name is the prefix of our temporary files
local made = { base }

local function tmp(suffix)
  local p = base .. suffix
  made[#made + 1] = p
  return p
end

local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

-- Runs `env gyrus args` with `input` on stdin; returns stdout, stderr, exit status.
local function run(args, input, env)
  local inp, out, err, rc = tmp(".in"), tmp(".out"), tmp(".err"), tmp(".rc")
  write(inp, input or "")
  os.execute(string.format("%s %s %s < %s > %s 2> %s; echo $? > %s", env or "", q(G), args or "",
    q(inp), q(out), q(err), q(rc)))
  return read(out), read(err), tonumber(read(rc))
end

local function has(s, pat, what)
  if not tostring(s):find(pat) then
    error(string.format("%s: '%s' not found in:\n%s", what or "output", pat, tostring(s)), 2)
  end
end

local function lacks(s, pat, what)
  if tostring(s):find(pat) then
    error(string.format("%s: '%s' unexpectedly found in:\n%s", what or "output", pat, tostring(s)), 2)
  end
end

local PY = "/usr/bin/python3"
local have_py = os.execute(PY .. " -c 'import pty' > /dev/null 2>&1")
have_py = have_py == 0 or have_py == true

-- Runs tests/repl_pty.py with the steps; returns the transcript, the driver's complaint
-- and its exit status.
local function pty(steps, env, opts)
  local out, err, rc = tmp(".pty"), tmp(".ptyerr"), tmp(".ptyrc")
  local args = {}
  for i, s in ipairs(steps) do args[i] = q(s) end
  os.execute(string.format("%s GY_GYRUS=%s %s %s/tests/repl_pty.py -t 60 %s %s > %s 2> %s; echo $? > %s",
    env or "", q(G), PY, q(SRC), opts or "", table.concat(args, " "), q(out), q(err), q(rc)))
  return read(out), read(err), tonumber(read(rc))
end

local function pty_ok(steps, env, opts)
  local out, err, rc = pty(steps, env, opts)
  if rc ~= 0 then error("terminal session failed: " .. tostring(err) .. "\ntranscript:\n" .. tostring(out), 2) end
  return out
end

describe("REPL through a pipe", function()
  it("prints expressions and keeps the last value in _", function()
    local out, err, rc = run("", "1+1\nprint('hi')\n'str'\ntrue\nnil\n21*2\n_ + 1\n")
    expect_eq(out, "2\nhi\nstr\ntrue\nnil\n42\n43\n")
    expect_eq(err, "")
    expect_eq(rc, 0)
  end)
  it("prints several values, returned values and matrices", function()
    local out = run("", "1, 'a', nil\nreturn 3, 4\ngy.zeros(2, 3)\n")
    has(out, "^1\ta\tnil\n3\t4\n")
    has(out, "2x3 matrix")
  end)
  it("prints nothing for a statement or a line ending in ';'", function()
    local out = run("", "x = 5\ngy.zeros(2, 2);\nx\n")
    expect_eq(out, "5\n")
  end)
  it("continues a statement over several lines", function()
    local out, err = run("", "function f(x)\n  return x * 2\nend\nf(21)\n{1,\n2}\nfor i = 1, 2 do\n print(i)\nend\n")
    expect_eq(out, "42\n{1, 2}\n1\n2\n")
    expect_eq(err, "")
  end)
  it("reports a syntax error and goes on", function()
    local out, err, rc = run("", "x = = 1\nprint('ok')\n")
    expect_eq(out, "ok\n")
    has(err, "stdin:1: unexpected symbol near '='")
    expect_eq(rc, 0)
  end)
  it("reports a runtime error with a traceback and goes on", function()
    local out, err, rc = run("", "error('boom')\nprint('after')\nlocal function g() error('deep') end g()\n")
    expect_eq(out, "after\n")
    has(err, "stdin:1: boom")
    has(err, "stack traceback")
    has(err, "stdin:1: deep")
    has(err, "in function 'g'")
    expect_eq(rc, 0)
  end)
  it("reports error objects that are not strings", function()
    local _, err = run("", "error(setmetatable({}, {__tostring = function() return 'custom' end}))\nerror({})\nerror()\n")
    has(err, "custom")
    has(err, "%(error object is a table value%)")
    has(err, "%(error object is a nil value%)")
  end)
  it("reports input that ends inside a statement", function()
    local out, err, rc = run("", "print(1)\nfor i = 1, 2 do\n")
    expect_eq(out, "1\n")
    has(err, "'end' expected near '<eof>'")
    expect_eq(rc, 0)
  end)
  it("prints tables depth-limited", function()
    local out = run("", "{a = 1, b = {c = {d = 1}}, 'x'}\nt = {}; t.self = t\nt\n")
    expect_eq(out, "{\"x\", a = 1, b = {c = {...}}}\n{self = <cycle>}\n")
  end)
  it("times statements after timing(true)", function()
    local out = run("", "timing(true)\nx = 1\ntiming(false)\ny = 2\n")
    local _, n = out:gsub("time: [%d%.]+ [mu]?s\n", "")
    expect_eq(n, 2, "time lines in\n" .. out)
    has(out, "^true\n")
  end)
  it("shows help with help() and ?", function()
    local out = run("", "help()\n?\n")
    local _, n = out:gsub("help%(f%)", "")
    expect_eq(n, 2, "overviews in\n" .. out)
  end)
  it("?name shows the help of that value", function()
    local out, err = run("", "?gy.zeros\nhelp(gy.ones)\n?zeros\n")
    local _, n = out:gsub("gy%.zeros%(r", "")
    expect_eq(n, 2, "texts of gy.zeros in\n" .. out .. err)
    has(out, "gy%.ones%(r")
  end)
end)

describe("command line", function()
  it("--version and -v", function()
    local out, _, rc = run("--version")
    expect_eq(out, "gyrus 0.1.0\n")
    expect_eq(rc, 0)
    expect_eq((run("-v")), "gyrus 0.1.0\n")
  end)
  it("--help", function()
    local out, _, rc = run("--help")
    has(out, "usage: gyrus")
    has(out, "%-e code")
    expect_eq(rc, 0)
  end)
  it("-e runs code in order, with gy, help and timing defined", function()
    local out, _, rc = run("-e 'x = 20' -e 'print(x + 1, type(gy), type(help), type(timing))'")
    expect_eq(out, "21\ttable\tfunction\tfunction\n")
    expect_eq(rc, 0)
  end)
  it("an error exits non-zero with a traceback", function()
    local out, err, rc = run("-e 'error(\"bad\")' -e 'print(1)'")
    expect_eq(out, "")
    has(err, "%(command line%):1: bad")
    has(err, "stack traceback")
    expect_eq(rc, 1)
  end)
  it("runs a script with arguments in arg and ...", function()
    local script = tmp(".lua")
    write(script, "print(arg[0] == ..., #arg, arg[1], arg[2], select('#', ...), ...)\n")
    local out, err, rc = run(q(script) .. " a 'b c'")
    expect_eq(err, "")
    expect_eq(out, "false\t2\ta\tb c\t2\ta\tb c\n")
    expect_eq(rc, 0)
    write(script, "print(arg[0], arg[-1] ~= nil)\n")
    expect_eq((run(q(script))), script .. "\ttrue\n")
  end)
  it("a failing script exits non-zero with a traceback naming the script", function()
    local script = tmp("_fail.lua")
    write(script, "local function inner()\n  error('script failed')\nend\ninner()\nprint('not reached')\n")
    local out, err, rc = run(q(script))
    expect_eq(out, "")
    has(err, "_fail.lua:2: script failed")
    has(err, "in function 'inner'")
    expect_eq(rc, 1)
    write(script, "error(setmetatable({}, {__tostring = function() return 'objerr' end}))\n")
    out, err, rc = run(q(script))
    has(err, "objerr")
    expect_eq(rc, 1)
  end)
  it("a missing script or an unknown option exits non-zero", function()
    local _, err, rc = run(q(base .. "_missing.lua"))
    has(err, "cannot open")
    expect_eq(rc, 1)
    _, err, rc = run("--frobnicate")
    has(err, "unknown option '%-%-frobnicate'")
    has(err, "usage:")
    expect_eq(rc, 1)
    _, err, rc = run("-e")
    has(err, "needs an argument")
    expect_eq(rc, 1)
  end)
  it("-i stays interactive after -e and a script, reading piped lines", function()
    local out, _, rc = run("-i -e 'y = 7'", "y * 6\n")
    expect_eq(out, "42\n")
    expect_eq(rc, 0)
    local script = tmp("_i.lua")
    write(script, "z = 'from script'\n")
    out = run("-i " .. q(script), "z\n")
    expect_eq(out, "from script\n")
  end)
  it("- runs standard input as a script", function()
    local out, _, rc = run("- x y", "print(...)\n")
    expect_eq(out, "x\ty\n")
    expect_eq(rc, 0)
    local _, err
    _, err, rc = run("-", "error('in stdin')\n")
    has(err, "in stdin")
    expect_eq(rc, 1)
  end)
  it("os.exit sets the status", function()
    local _, _, rc = run("-e 'os.exit(3)'")
    expect_eq(rc, 3)
    _, _, rc = run("-e 'os.exit(false)'")
    expect_eq(rc, 1)
    _, _, rc = run("", "print(1)\nos.exit(0)\nprint(2)\n")
    expect_eq(rc, 0)
  end)
  it("-l requires a module into a global", function()
    local out = run("-l R=gyrus.repl -e 'print(type(R.complete))'")
    expect_eq(out, "function\n")
  end)
  it("GY_LUA_DIR chooses where gyrus is loaded from", function()
    local dir = tmp("_lua")
    os.execute("mkdir -p " .. q(dir .. "/gyrus"))
    write(dir .. "/gyrus/init.lua", "return { help = function() print('stub help') end }\n")
    local env = "GY_LUA_DIR=" .. q(dir)
    local out, err, rc = run("-e 'help()'", nil, env)
    expect_eq(out, "stub help\n")
    expect_eq(rc, 0)
    out = run("", "1 + 1\n", env) -- no gyrus/repl.lua there: values still print
    expect_eq(out, "2\n")
    -- `gyrus notebook ...` is gyrus.notebook.main(...)
    write(dir .. "/gyrus/notebook.lua",
      "return { main = function(...) print('nb', arg[0], ...) return (...) ~= 'fail' end }\n")
    out, err, rc = run("notebook in.md -o out.html", nil, env)
    expect_eq(out, "nb\tnotebook\tin.md\t-o\tout.html\n")
    expect_eq(rc, 0)
    out, err, rc = run("notebook fail", nil, env)
    expect_eq(rc, 1)
    write(dir .. "/gyrus/init.lua", "error('broken install')\n")
    out, err, rc = run("-e 'print(1)'", nil, env)
    expect_eq(out, "")
    has(err, "cannot load the gyrus Lua library")
    has(err, "broken install")
    expect_eq(rc, 1)
    os.execute("rm -rf " .. q(dir))
  end)
end)

describe("printing and completion (gyrus.repl)", function()
  it("formats values as the prompt shows them", function()
    expect_eq(R.format(1.5), "1.5")
    expect_eq(R.format("s"), "s")
    expect_eq(R.format({}), "{}")
    expect_eq(R.format({ 1, "two", x = true, ["a b"] = 1 }), '{1, "two", ["a b"] = 1, x = true}')
    expect_eq(R.format({ m = gy.zeros(3, 4) }), "{m = <3x4 matrix>}")
    expect_eq(R.format({ a = { b = { c = {} } } }), "{a = {b = {...}}}")
    expect_eq(R.format(setmetatable({}, { __tostring = function() return "obj" end })), "obj")
    local big = {}
    for i = 1, 200 do big[i] = i end
    local s = R.format(big)
    has(s, "%.%.%. %(150 more%)")
    for line in s:gmatch("[^\n]+") do expect_true(#line <= R.width, "line too wide: " .. line) end
  end)
  it("completes globals, keywords, fields and gy modules", function()
    local c = R.complete("gy.ma")
    expect_eq(c[1], "gy.matrix")
    local all = table.concat(R.complete("gy."), " ")
    has(all, "gy%.zeros")
    has(all, "gy%.stats") -- a submodule not loaded yet
    expect_eq(table.concat(R.complete("whi"), " "), "while")
    expect_eq(table.concat(R.complete("string.up"), " "), "string.upper")
    expect_eq(#R.complete("no_such_global.x"), 0)
    expect_eq(#R.complete("1."), 0)
  end)
  it("completes the methods of a matrix and of a string", function()
    spec_m, spec_s = gy.zeros(2, 2), "text"
    expect_eq(table.concat(R.complete("spec_m:sha"), " "), "spec_m:shape")
    has(table.concat(R.complete("spec_m:"), " "), "spec_m:totable")
    expect_eq(table.concat(R.complete("spec_s:upp"), " "), "spec_s:upper")
    spec_m, spec_s = nil, nil
  end)
  it("offers only functions after ':'", function()
    spec_t = { f = function() end, n = 1 }
    expect_eq(table.concat(R.complete("spec_t:"), " "), "spec_t:f")
    expect_eq(table.concat(R.complete("spec_t."), " "), "spec_t.f spec_t.n")
    spec_t = nil
  end)
end)

if not have_py then
  print("note: " .. PY .. " with the pty module is missing; terminal tests skipped")
  return
end

describe("REPL in a terminal", function()
  it("evaluates, continues lines and exits on Ctrl-D with status 0", function()
    local out = pty_ok({ "expect:> ", "send:1+1\\n", "expect:\n2\n", "send:function f()\\n",
      "expect:>> ", "send:return 3 end\\n", "send:f()\\n", "expect:\n3\n", "expect:> ", "exit:0" })
    has(out, "gyrus 0%.1%.0")
  end)
  it("Ctrl-C clears the line being typed and a pending statement", function()
    pty_ok({ "expect:> ", "send:abc", "sleep:0.2", "send:\\x03", "expect:\\^C\\n> ",
      "send:for i = 1, 2 do\\n", "expect:>> ", "send:\\x03", "expect:\\^C\\n> ",
      "send:print(41)\\n", "expect:\n41\n", "expect:> ", "exit:0" })
  end)
  it("Ctrl-C cancels a long computation and returns to the prompt", function()
    pty_ok({ "expect:> ",
      "send:io.stderr:write('looping\\\\n') while true do local z = gy.zeros(10, 10) end\\n",
      "expect:looping\n", "sleep:0.2", "send:\\x03",
      "expect:interrupted", "expect:> ", "send:print(42)\\n", "expect:\n42\n",
      "send:jit.off(); io.stderr:write('looping\\\\n') while true do end\\n", "expect:looping\n",
      "sleep:0.2", "sigint",
      "expect:interrupted", "expect:> ", "send:print(43)\\n", "expect:\n43\n", "expect:> ", "exit:0" })
  end)
  it("Tab completes names", function()
    pty_ok({ "expect:> ", "send:gy.zer\\t", "expect:gy.zeros", "send:(1, 2)\\n",
      "expect:1x2 matrix", "send:spec_mm = gy.ones(1)\\n", "send:spec_mm:sha\\t",
      "expect:spec_mm:shape", "send:()\\n", "expect:\n1\t1\n", "expect:> ", "exit:0" })
  end)
  it("Tab completes file names inside a string", function()
    local target = tmp("_tab_target.txt")
    write(target, "")
    local typed = target:sub(1, #target - 6) -- "..._tab_targ"
    pty_ok({ "expect:> ", "send:spec_f = '" .. typed .. "\\t", "sleep:0.3", "send:\\n",
      "send:#spec_f\\n", "expect:\n" .. #target .. "\n", "expect:> ", "exit:0" })
  end)
  it("a bare help says how to use it", function()
    pty_ok({ "expect:> ", "send:help\\n", "expect:help\\(f\\)", "expect:> ", "exit:0" })
  end)
  it("keeps the history in GY_HISTORY, statements of several lines as one entry", function()
    local hist = tmp("_history")
    pty_ok({ "expect:> ", "send:print('first')\\n", "expect:first", "send:x = 1\\n",
      "send:x = 1\\n", "send:function h()\\n", "send:return 'h ran' end\\n", "send:\\n",
      "send:print('done')\\n", "expect:\ndone\n", "expect:> ", "exit:0" }, "GY_HISTORY=" .. q(hist))
    local text = read(hist)
    local plain = text:gsub("#%d+\n", "")
    expect_eq(plain, "print('first')\nx = 1\nfunction h()\nreturn 'h ran' end\nprint('done')\n")
    -- a new session starts with it: two Ups recall the whole function
    pty_ok({ "expect:> ", "send:\\x1b[A\\x1b[A", "sleep:0.3", "send:\\n", "send:h()\\n",
      "expect:\nh ran\n", "expect:> ", "exit:0" }, "GY_HISTORY=" .. q(hist))
  end)
end)

describe("REPL through a pipe, Ctrl-C to the process group", function()
  it("cancels the running statement; later lines still run", function()
    local out = pty_ok({ "send:io.stderr:write('looping\\\\n') while true do local z = gy.zeros(2, 2) end\\n",
      "expect:looping\n", "sleep:0.2", "sigint", "expect:interrupted",
      "send:print(42)\\n", "expect:42\n",
      "send:jit.off() io.stderr:write('looping\\\\n') while true do end\\n", "expect:looping\n",
      "sleep:0.2", "sigint", "expect:interrupted", "send:print(43)\\n", "expect:43\n", "exit:0" }, nil, "--pipe")
    lacks(out, "does not respond")
  end)
end)

describe("the first errors users meet", function()
  it("shape mismatch, index out of range and a misspelt option name the function; the REPL goes on", function()
    local out, err, rc = run("", table.concat({
      "A = gy.zeros(2, 2) + gy.zeros(3, 3)",
      "print('after shape')",
      "v = gy.eye(3):get(4, 1)",
      "print('after index')",
      "X = gy.randn(3, 3, {sed = 1})",
      "print('after option')",
    }, "\n") .. "\n")
    expect_eq(rc, 0)
    has(err, "gy.matrix %+: shapes 2 x 2 and 3 x 3 do not match", "stderr")
    has(err, "gy.matrix:get: index %(4, 1%) is out of range for a 3 x 3 matrix", "stderr")
    has(err, "gy.randn: unknown option 'sed' %(options: seed%)", "stderr")
    has(out, "after shape\nafter index\nafter option")
  end)
  it("the same seed prints the same matrix on every run", function()
    local a = run("-e 'print(gy.randn(3,3,{seed=1}))'")
    local b = run("-e 'print(gy.randn(3,3,{seed=1}))'")
    expect_eq(a, b)
    has(a, "^3x3 matrix\n")
  end)
end)

for _, p in ipairs(made) do os.remove(p) end
