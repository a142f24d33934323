-- The gyrus matrix: the gy_mat struct of libgyrus as an FFI metatype. Column-major
-- doubles; Lua indices are 1-based. Storage made here is C memory owned by the cdata and
-- freed by the garbage collector or at once by m:free(); views keep their parent alive.
local ffi = require "ffi"
local core = require "gyrus.core"
local C, check = core.C, core.check

local M = {}
local mat_t = ffi.typeof("gy_mat")
local rng_t = ffi.typeof("gy_rng")
local methods = {}
-- A view's parent must outlive it: the view's key keeps the parent reachable.
local parents = setmetatable({}, { __mode = "k" })

local floor, huge = math.floor, math.huge

function M.is(x) return ffi.istype(mat_t, x) end
M.type = mat_t
M.methods = methods

-- An empty matrix for out-parameters: C fills it, the GC (or :free) releases it.
function M.empty() return mat_t() end

function M.new(r, c, fname)
  local m = mat_t()
  check(C.gy_mat_init(m, r, c), fname or "gy.zeros")
  core.account()
  return m
end

local function shape(m) return tonumber(m.rows), tonumber(m.cols) end

-- Integers: Lua numbers without a fraction, and the int64 sizes a matrix reports (m.rows).
local int64_t, uint64_t = ffi.typeof("int64_t"), ffi.typeof("uint64_t")
local function is_int(x)
  if type(x) == "cdata" then return ffi.istype(int64_t, x) or ffi.istype(uint64_t, x) end
  return type(x) == "number" and x == floor(x)
end
-- A size as a Lua number (m.rows is an int64).
local function num(x) return type(x) == "cdata" and tonumber(x) or x end

-- Rows of a Lua table: {{1,2},{3,4}} is 2 x 2; a flat {1,2,3} is a 3 x 1 column (one
-- variable, three observations).
local function from_table(t, fname)
  local r = #t
  if r == 0 then return M.new(0, 0, fname) end
  if type(t[1]) ~= "table" then
    local m = M.new(r, 1, fname)
    for i = 1, r do
      local v = t[i]
      if type(v) ~= "number" then
        core.fail(fname, string.format("element %d is a %s, not a number", i, type(v)), 3)
      end
      m.data[i - 1] = v
    end
    return m
  end
  local c = #t[1]
  local m = M.new(r, c, fname)
  local d, ld = m.data, tonumber(m.ld)
  for i = 1, r do
    local row = t[i]
    if type(row) ~= "table" or #row ~= c then
      core.fail(fname, string.format("row %d has %s elements, row 1 has %d", i,
        type(row) == "table" and tostring(#row) or "no", c), 3)
    end
    for j = 1, c do
      local v = row[j]
      if type(v) ~= "number" then
        core.fail(fname, string.format("element (%d, %d) is a %s, not a number", i, j, type(v)), 3)
      end
      d[(i - 1) + (j - 1) * ld] = v
    end
  end
  return m
end
M.from_table = from_table

-- Any argument a public function accepts as a matrix.
function M.arg(x, fname, what)
  if ffi.istype(mat_t, x) then return x end
  local tx = type(x)
  if tx == "table" then return from_table(x, fname) end
  if tx == "number" then
    local m = M.new(1, 1, fname)
    m.data[0] = x
    return m
  end
  core.fail(fname, string.format("%s must be a matrix, got %s", what or "argument",
    tx == "cdata" and tostring(ffi.typeof(x)) or tx), 3)
end

-- Wraps a C view so it keeps its parent alive.
local function view(m, r0, c0, nr, nc, fname)
  local v = mat_t()
  check(C.gy_mat_view(v, m, r0, c0, nr, nc), fname)
  parents[v] = m
  return v
end

----------------------------------------------------------------------------- constructors

function M.zeros(r, c)
  if not is_int(r) or not is_int(c or r) then core.fail("gy.zeros", "sizes must be integers") end
  r, c = num(r), num(c)
  return M.new(r, c or r, "gy.zeros")
end

function M.ones(r, c)
  if not is_int(r) or not is_int(c or r) then core.fail("gy.ones", "sizes must be integers") end
  r, c = num(r), num(c)
  local m = M.new(r, c or r, "gy.ones")
  C.gy_mat_fill(m, 1)
  return m
end

function M.full(r, c, v)
  if type(v) ~= "number" then core.fail("gy.full", "the fill value must be a number") end
  local m = M.new(r, c, "gy.full")
  C.gy_mat_fill(m, v)
  return m
end

function M.eye(n, c)
  if not is_int(n) or not is_int(c or n) then core.fail("gy.eye", "sizes must be integers") end
  n, c = num(n), num(c)
  c = c or n
  local m = M.new(n, c, "gy.eye")
  for i = 0, math.min(n, c) - 1 do m.data[i + i * n] = 1 end
  return m
end

function M.matrix(t)
  if ffi.istype(mat_t, t) then return t:copy() end
  if type(t) ~= "table" then
    core.fail("gy.matrix", "expects a table of rows such as {{1, 2}, {3, 4}}, got " .. type(t))
  end
  return from_table(t, "gy.matrix")
end

-- Without a seed, draws continue one session stream that starts from seed 0, so a script
-- gives the same numbers on every run (as MATLAB's default generator); gy.seed resets it.
local session_rng = rng_t()
C.gy_rng_seed(session_rng, 0)
function M.seed(s)
  if not is_int(s) or s < 0 then core.fail("gy.seed", "the seed must be a non-negative integer") end
  C.gy_rng_seed(session_rng, s)
end

local function generator(fname, opts)
  opts = core.options(fname, opts, { seed = false })
  if opts.seed == false then return session_rng end
  if not is_int(opts.seed) or opts.seed < 0 then
    core.fail(fname, "seed must be a non-negative integer", 3)
  end
  local r = rng_t()
  C.gy_rng_seed(r, opts.seed)
  return r
end
M.generator = generator

function M.randn(r, c, opts)
  if type(c) == "table" then c, opts = nil, c end
  local g = generator("gy.randn", opts)
  local m = M.new(r, c or r, "gy.randn")
  C.gy_rng_fill_normal(g, m)
  return m
end

function M.rand(r, c, opts)
  if type(c) == "table" then c, opts = nil, c end
  local g = generator("gy.rand", opts)
  local m = M.new(r, c or r, "gy.rand")
  C.gy_rng_fill_uniform(g, m)
  return m
end

-- numpy.linspace(a, b, n): a column of n points, both ends included.
function M.linspace(a, b, n)
  n = n or 50
  if type(a) ~= "number" or type(b) ~= "number" or not is_int(n) or n < 0 then
    core.fail("gy.linspace", "expects (start, stop, n) with an integer n >= 0")
  end
  local m = M.new(n, 1, "gy.linspace")
  if n == 1 then m.data[0] = a return m end
  local step = (b - a) / (n - 1)
  for i = 0, n - 1 do m.data[i] = a + i * step end
  if n > 1 then m.data[n - 1] = b end
  return m
end

-- numpy.logspace(a, b, n, base): base^linspace(a, b, n).
function M.logspace(a, b, n, opts)
  opts = core.options("gy.logspace", opts, { base = 10 })
  local m = M.linspace(a, b, n)
  for i = 0, tonumber(m.rows) - 1 do m.data[i] = opts.base ^ m.data[i] end
  return m
end

----------------------------------------------------------------------------- access

local function index_error(fname, m, i, j)
  local r, c = shape(m)
  core.fail(fname, string.format("index (%s, %s) is out of range for a %d x %d matrix",
    tostring(i), tostring(j), r, c), 3)
end

function methods.shape(m, d)
  if d == nil then return shape(m) end
  if d == 1 then return tonumber(m.rows) end
  if d == 2 then return tonumber(m.cols) end
  core.fail("gy.matrix:shape", "dim must be 1 (rows) or 2 (columns), got " .. tostring(d))
end
function methods.numel(m) return tonumber(m.rows * m.cols) end

function methods.get(m, i, j)
  j = j or 1
  if not is_int(i) or not is_int(j) or i < 1 or j < 1 or i > m.rows or j > m.cols then
    index_error("gy.matrix:get", m, i, j)
  end
  return m.data[(i - 1) + (j - 1) * m.ld]
end

function methods.set(m, i, j, v)
  if v == nil then v, j = j, 1 end
  if not is_int(i) or not is_int(j) or i < 1 or j < 1 or i > m.rows or j > m.cols then
    index_error("gy.matrix:set", m, i, j)
  end
  if type(v) ~= "number" then core.fail("gy.matrix:set", "the value must be a number") end
  m.data[(i - 1) + (j - 1) * m.ld] = v
  return m
end

local function check_range(fname, what, a, b, n)
  if not is_int(a) or not is_int(b) or a < 1 or b > n or a > b + 1 then
    core.fail(fname, string.format("%s range %s..%s is outside 1..%d", what, tostring(a),
      tostring(b), n), 3)
  end
end

-- Column j as an n x 1 view (no copy).
function methods.col(m, j)
  local r, c = shape(m)
  if not is_int(j) or j < 1 or j > c then index_error("gy.matrix:col", m, "*", j) end
  return view(m, 0, j - 1, r, 1, "gy.matrix:col")
end

-- Row i as a 1 x c view (no copy; its elements are ld apart).
function methods.row(m, i)
  local r, c = shape(m)
  if not is_int(i) or i < 1 or i > r then index_error("gy.matrix:row", m, i, "*") end
  return view(m, i - 1, 0, 1, c, "gy.matrix:row")
end

-- Columns j1..j2 as a view (the struct's fields rows/cols shadow methods of those names).
function methods.colrange(m, j1, j2)
  local r, c = shape(m)
  j2 = j2 or j1
  check_range("gy.matrix:colrange", "column", j1, j2, c)
  return view(m, 0, j1 - 1, r, j2 - j1 + 1, "gy.matrix:colrange")
end

-- Rows i1..i2 as a view.
function methods.rowrange(m, i1, i2)
  local r, c = shape(m)
  i2 = i2 or i1
  check_range("gy.matrix:rowrange", "row", i1, i2, r)
  return view(m, i1 - 1, 0, i2 - i1 + 1, c, "gy.matrix:rowrange")
end

-- Rows i1..i2 x columns j1..j2 as a view.
function methods.block(m, i1, i2, j1, j2)
  local r, c = shape(m)
  check_range("gy.matrix:block", "row", i1, i2, r)
  check_range("gy.matrix:block", "column", j1, j2, c)
  return view(m, i1 - 1, j1 - 1, i2 - i1 + 1, j2 - j1 + 1, "gy.matrix:block")
end

function methods.copy(m)
  local out = mat_t()
  check(C.gy_mat_copy(out, m), "gy.matrix:copy")
  core.account()
  return out
end

function methods.t(m)
  local out = mat_t()
  check(C.gy_mat_transpose(out, m), "gy.matrix:t")
  core.account()
  return out
end

-- Copies the values of src (same shape) into m, e.g. into a view.
function methods.assign(m, src)
  src = M.arg(src, "gy.matrix:assign", "source")
  check(C.gy_mat_assign(m, src), "gy.matrix:assign")
  return m
end

function methods.fill(m, v)
  if type(v) ~= "number" then core.fail("gy.matrix:fill", "the value must be a number") end
  C.gy_mat_fill(m, v)
  return m
end

function methods.totable(m)
  local r, c = shape(m)
  local t, d, ld = {}, m.data, tonumber(m.ld)
  for i = 1, r do
    local row = {}
    for j = 1, c do row[j] = d[(i - 1) + (j - 1) * ld] end
    t[i] = row
  end
  return t
end

-- The elements in column-major order as a flat Lua table.
function methods.values(m)
  local r, c = shape(m)
  local t, d, ld, k = {}, m.data, tonumber(m.ld), 1
  for j = 0, c - 1 do
    for i = 0, r - 1 do t[k] = d[i + j * ld]; k = k + 1 end
  end
  return t
end

function methods.isfinite(m) return C.gy_mat_isfinite(m) ~= 0 end

-- Releases the storage now rather than at the next garbage collection. Views of a freed
-- matrix must not be used; a freed matrix is 0 x 0.
function methods.free(m)
  if parents[m] then parents[m] = nil end
  C.gy_mat_clear(m)
end

----------------------------------------------------------------------------- element-wise

-- Shape of a broadcast between a and b: equal sizes, or 1 in either operand.
local function bshape(fname, ar, ac, br, bc)
  local r = ar == br and ar or (ar == 1 and br) or (br == 1 and ar) or nil
  local c = ac == bc and ac or (ac == 1 and bc) or (bc == 1 and ac) or nil
  if not r or not c then
    core.fail(fname, string.format("shapes %d x %d and %d x %d do not match (a row or a "
      .. "column broadcasts, as in numpy)", ar, ac, br, bc), 4)
  end
  return r, c
end

-- out(i, j) = f(a(i, j), b(i, j)) with numbers and 1-wide operands broadcast.
local function binary(fname, a, b, f)
  if type(a) == "number" and type(b) == "number" then return f(a, b) end
  if type(a) ~= "number" then a = M.arg(a, fname, "left operand") end
  if type(b) ~= "number" then b = M.arg(b, fname, "right operand") end
  local ar, ac, br, bc = 1, 1, 1, 1
  if type(a) ~= "number" then ar, ac = shape(a) end
  if type(b) ~= "number" then br, bc = shape(b) end
  local r, c = bshape(fname, ar, ac, br, bc)
  local out = M.new(r, c, fname)
  local od = out.data
  if type(b) == "number" then
    local ad, ald = a.data, tonumber(a.ld)
    for j = 0, c - 1 do
      for i = 0, r - 1 do od[i + j * r] = f(ad[i + j * ald], b) end
    end
  elseif type(a) == "number" then
    local bd, bld = b.data, tonumber(b.ld)
    for j = 0, c - 1 do
      for i = 0, r - 1 do od[i + j * r] = f(a, bd[i + j * bld]) end
    end
  else
    local ad, ald, bd, bld = a.data, tonumber(a.ld), b.data, tonumber(b.ld)
    -- Strides of 0 repeat a broadcast row or column.
    local ais, ajs = ar == 1 and 0 or 1, ac == 1 and 0 or ald
    local bis, bjs = br == 1 and 0 or 1, bc == 1 and 0 or bld
    for j = 0, c - 1 do
      local ao, bo = j * ajs, j * bjs
      for i = 0, r - 1 do od[i + j * r] = f(ad[ao + i * ais], bd[bo + i * bis]) end
    end
  end
  return out
end

local function unary(fname, m, f)
  local r, c = shape(m)
  local out = M.new(r, c, fname)
  local od, d, ld = out.data, m.data, tonumber(m.ld)
  for j = 0, c - 1 do
    for i = 0, r - 1 do od[i + j * r] = f(d[i + j * ld]) end
  end
  return out
end

local function add(x, y) return x + y end
local function sub(x, y) return x - y end
local function mul(x, y) return x * y end
local function div(x, y) return x / y end

-- `*` is the matrix product (as in MATLAB and Torch); with a number it scales.
local function matmul(a, b)
  if type(a) == "number" or type(b) == "number" then return binary("gy.matrix *", a, b, mul) end
  a = M.arg(a, "gy.matrix *", "left operand")
  b = M.arg(b, "gy.matrix *", "right operand")
  local out = mat_t()
  check(C.gy_linalg_matmul(out, a, 0, b, 0), "gy.matrix *")
  core.account()
  return out
end

function methods.emul(a, b) return binary("gy.matrix:emul", a, b, mul) end
function methods.ediv(a, b) return binary("gy.matrix:ediv", a, b, div) end
function methods.add(a, b) return binary("gy.matrix:add", a, b, add) end
function methods.sub(a, b) return binary("gy.matrix:sub", a, b, sub) end
function methods.pow(m, p)
  if type(p) ~= "number" then core.fail("gy.matrix:pow", "the exponent must be a number") end
  return unary("gy.matrix:pow", m, function(x) return x ^ p end)
end
function methods.map(m, f)
  if type(f) ~= "function" then core.fail("gy.matrix:map", "expects a function") end
  return unary("gy.matrix:map", m, f)
end
function methods.abs(m) return unary("gy.matrix:abs", m, math.abs) end
function methods.sqrt(m) return unary("gy.matrix:sqrt", m, math.sqrt) end
function methods.exp(m) return unary("gy.matrix:exp", m, math.exp) end
function methods.log(m) return unary("gy.matrix:log", m, math.log) end

----------------------------------------------------------------------------- reductions

local function fold_all(m, init, f)
  local r, c = shape(m)
  local d, ld, acc = m.data, tonumber(m.ld), init
  for j = 0, c - 1 do
    for i = 0, r - 1 do acc = f(acc, d[i + j * ld]) end
  end
  return acc
end

local function stats() return require "gyrus.stats" end

-- m:sum(), m:mean(), m:std() over all elements give a number; with dim (1: down the rows,
-- 2: across the columns) they give a row or a column, as numpy's axis 0 and 1.
function methods.sum(m, dim)
  if dim ~= nil then return stats().sum(m, { dim = dim }) end
  return fold_all(m, 0, add)
end

function methods.mean(m, dim)
  if dim ~= nil then return stats().mean(m, { dim = dim }) end
  local n = tonumber(m.rows * m.cols)
  if n == 0 then core.fail("gy.matrix:mean", "the matrix is empty") end
  return fold_all(m, 0, add) / n
end

function methods.std(m, dim, ddof)
  if dim ~= nil then return stats().std(m, { dim = dim, ddof = ddof or 0 }) end
  local n = tonumber(m.rows * m.cols)
  ddof = ddof or 0
  if n - ddof <= 0 then core.fail("gy.matrix:std", "needs more than ddof elements") end
  local mu = fold_all(m, 0, add) / n
  return math.sqrt(fold_all(m, 0, function(acc, x) return acc + (x - mu) ^ 2 end) / (n - ddof))
end

function methods.min(m)
  if m.rows * m.cols == 0 then core.fail("gy.matrix:min", "the matrix is empty") end
  return fold_all(m, huge, math.min)
end

function methods.max(m)
  if m.rows * m.cols == 0 then core.fail("gy.matrix:max", "the matrix is empty") end
  return fold_all(m, -huge, math.max)
end

----------------------------------------------------------------------------- printing

-- numpy's summary rule: past 1000 elements show the first and last 3 rows and columns.
local THRESHOLD, EDGE = 1000, 3

local function shown(n, summarise)
  if not summarise or n <= 2 * EDGE then
    local t = {}
    for i = 1, n do t[i] = i end
    return t
  end
  return { 1, 2, 3, false, n - 2, n - 1, n }
end

-- One format for all shown values, so columns line up: integers without decimals,
-- scientific when magnitudes span more than numpy's 1e3 ratio or leave [1e-4, 1e8).
local function number_format(vals)
  local all_int, maxa, mina = true, 0, huge
  for _, v in ipairs(vals) do
    if v == v and v ~= huge and v ~= -huge then
      local a = math.abs(v)
      if v ~= floor(v) or a >= 1e16 then all_int = false end
      if a > maxa then maxa = a end
      if a > 0 and a < mina then mina = a end
    end
  end
  if all_int and maxa < 1e8 then return "%.0f" end
  if maxa >= 1e8 or mina < 1e-4 or (mina < huge and maxa / mina > 1e3 and not all_int) then
    return "%.4e"
  end
  return "%.4f"
end

local function fmt(f, v)
  if v ~= v then return "nan" end
  if v == huge then return "inf" end
  if v == -huge then return "-inf" end
  local s = string.format(f, v)
  if s == "-0" or s:match("^%-0%.0+$") then s = s:sub(2) end
  return s
end

function methods.tostring(m)
  local r, c = shape(m)
  local head = string.format("%dx%d matrix", r, c)
  if r * c == 0 then return head .. " (empty)" end
  local summarise = r * c > THRESHOLD
  local ri, ci = shown(r, summarise), shown(c, summarise)
  local vals = {}
  for _, i in ipairs(ri) do
    for _, j in ipairs(ci) do
      if i and j then vals[#vals + 1] = m.data[(i - 1) + (j - 1) * m.ld] end
    end
  end
  local f = number_format(vals)
  local cells, width = {}, 0
  for a, i in ipairs(ri) do
    cells[a] = {}
    for b, j in ipairs(ci) do
      local s = (i and j) and fmt(f, m.data[(i - 1) + (j - 1) * m.ld]) or "..."
      cells[a][b] = s
      if #s > width then width = #s end
    end
  end
  local lines = { head }
  for a = 1, #ri do
    local parts = {}
    for b = 1, #ci do parts[b] = string.rep(" ", width - #cells[a][b]) .. cells[a][b] end
    lines[#lines + 1] = "  " .. table.concat(parts, "  ")
  end
  return table.concat(lines, "\n")
end

ffi.metatype(mat_t, {
  __index = methods,
  __gc = C.gy_mat_clear,
  __tostring = methods.tostring,
  __len = function(m) return tonumber(m.rows) end,
  __add = function(a, b) return binary("gy.matrix +", a, b, add) end,
  __sub = function(a, b) return binary("gy.matrix -", a, b, sub) end,
  __div = function(a, b) return binary("gy.matrix /", a, b, div) end,
  __mul = matmul,
  __unm = function(a) return unary("gy.matrix -", a, function(x) return -x end) end,
})
core.register_methods(mat_t, methods)

return M
