-- Help texts of the matrix constructors and methods (lua/gyrus/mat.lua). Format: a
-- signature line, one paragraph, options with defaults, and an "Example:" whose indented
-- lines tests/lua/help_spec.lua runs.
return {
["gy.matrix"] = [[
gy.matrix(rows) -> matrix
A dense matrix from a Lua table of rows ({{1, 2}, {3, 4}} is 2 x 2); a flat table {1, 2, 3}
is a 3 x 1 column (one variable, three observations). Data matrices in gyrus are
observations x variables, stored column-major as 64-byte aligned doubles so a column
(a voxel's time series) is contiguous. Operators: + - / are element-wise and broadcast a
row or a column as numpy does; * is the matrix product (MATLAB, Torch); a number scales.
Methods: shape, get, set, col, row, colrange, rowrange, block, t, copy, assign, fill,
totable, values, sum, mean, std, min, max, emul, ediv, pow, map, abs, sqrt, exp, log,
isfinite, free. Indices are 1-based.
Example:
  local A = gy.matrix({{1, 2}, {3, 4}})
  print(A * A, A + 1, A:emul(A))
]],
["gy.zeros"] = [[
gy.zeros(r [, c]) -> matrix
An r x c matrix of zeros; c defaults to r. Sizes past 2^40 elements are refused.
Example:
  local Z = gy.zeros(2, 3)
]],
["gy.ones"] = [[
gy.ones(r [, c]) -> matrix
An r x c matrix of ones; c defaults to r.
Example:
  local O = gy.ones(3)
]],
["gy.full"] = [[
gy.full(r, c, value) -> matrix
An r x c matrix with every element equal to value (numpy.full).
Example:
  local F = gy.full(2, 2, 0.5)
]],
["gy.eye"] = [[
gy.eye(n [, c]) -> matrix
The n x c identity (ones on the main diagonal); c defaults to n.
Example:
  local I = gy.eye(3)
]],
["gy.randn"] = [[
gy.randn(r [, c] [, {seed=}]) -> matrix
Standard normal numbers from xoshiro256** (seeded through splitmix64) and the Marsaglia
polar method, filled column by column. With seed the result is the same on every run and
machine; without it, draws continue one session stream that starts at seed 0 (reset with
gy.seed), so a script also repeats itself. Options: seed (integer >= 0, default: session stream).
Example:
  local X = gy.randn(100, 5, {seed = 1})
]],
["gy.rand"] = [[
gy.rand(r [, c] [, {seed=}]) -> matrix
Uniform numbers on [0, 1) with 53 random bits, from the same generator as gy.randn.
Options: seed (integer >= 0, default: session stream).
Example:
  local U = gy.rand(3, 3, {seed = 7})
]],
["gy.seed"] = [[
gy.seed(n)
Restarts the session random stream (used by gy.randn/gy.rand without a seed option) at seed n.
Example:
  gy.seed(42)
]],
["gy.linspace"] = [[
gy.linspace(start, stop [, n=50]) -> n x 1 matrix
n evenly spaced points from start to stop, both included (numpy.linspace).
Example:
  local t = gy.linspace(0, 1, 11)
]],
["gy.logspace"] = [[
gy.logspace(start, stop [, n=50] [, {base=10}]) -> n x 1 matrix
base^linspace(start, stop, n), as numpy.logspace; the usual grid of ridge penalties.
Options: base (default 10).
Example:
  local alphas = gy.logspace(-2, 5, 20)
]],
["gy.ismatrix"] = [[
gy.ismatrix(x) -> boolean
True when x is a gyrus matrix.
Example:
  assert(gy.ismatrix(gy.zeros(1, 1)))
]],
["gy.load_all"] = [[
gy.load_all() -> gy
Loads every submodule (they otherwise load on first use), for completion and the help index.
Example:
  gy.load_all()
]],
["gy.help"] = [[
gy.help([x]) -> text
help() lists every documented name; help(f) prints the text of a function; help("word")
prints the text of that name or lists every entry that mentions the word. In the REPL
`help` is a global.
Example:
  gy.help("matrix", true)
]],
["gy.matrix:shape"] = [[
m:shape([dim]) -> rows, cols (or one of them)
The number of rows and columns as Lua numbers; m:shape(1) is the number of rows alone,
m:shape(2) the number of columns (numpy's m.shape[0], m.shape[1]). The fields m.rows and
m.cols hold the same sizes as int64 values, which every constructor accepts as sizes.
Example:
  local r, c = gy.zeros(2, 3):shape()
  local n = gy.zeros(2, 3):shape(2)            -- 3
  local Z = gy.zeros(4, gy.ones(2, 3).cols)    -- 4 x 3
]],
["gy.matrix:numel"] = [[
m:numel() -> number
The number of elements, rows x cols.
Example:
  assert(gy.zeros(2, 3):numel() == 6)
]],
["gy.matrix:get"] = [[
m:get(i [, j=1]) -> number
Element (i, j), 1-based; an index out of range is an error.
Example:
  local v = gy.eye(2):get(1, 1)
]],
["gy.matrix:set"] = [[
m:set(i, j, value) -> m   (or m:set(i, value) for a column)
Sets element (i, j), 1-based; returns m so calls chain.
Example:
  local m = gy.zeros(2, 2):set(1, 2, 5)
]],
["gy.matrix:col"] = [[
m:col(j) -> r x 1 view
Column j without copying: writing into the view writes into m.
Example:
  local x = gy.randn(10, 3, {seed = 1}):col(2)
]],
["gy.matrix:row"] = [[
m:row(i) -> 1 x c view
Row i without copying (its elements are a column stride apart).
Example:
  local r = gy.eye(3):row(2)
]],
["gy.matrix:colrange"] = [[
m:colrange(j1 [, j2=j1]) -> view
Columns j1..j2 (inclusive) without copying.
Example:
  local V = gy.randn(5, 10, {seed = 1}):colrange(3, 6)
]],
["gy.matrix:rowrange"] = [[
m:rowrange(i1 [, i2=i1]) -> view
Rows i1..i2 (inclusive) without copying, e.g. a window of time points.
Example:
  local W = gy.randn(100, 4, {seed = 1}):rowrange(11, 40)
]],
["gy.matrix:block"] = [[
m:block(i1, i2, j1, j2) -> view
Rows i1..i2 and columns j1..j2 (inclusive) without copying.
Example:
  local B = gy.eye(4):block(2, 3, 2, 3)
]],
["gy.matrix:t"] = [[
m:t() -> matrix
The transpose, as a new matrix.
Example:
  local T = gy.matrix({{1, 2, 3}}):t()
]],
["gy.matrix:copy"] = [[
m:copy() -> matrix
A contiguous deep copy (of a view too).
Example:
  local c = gy.eye(2):copy()
]],
["gy.matrix:assign"] = [[
m:assign(src) -> m
Copies the values of src (same shape; a table is accepted) into m, e.g. into a view.
Example:
  local m = gy.zeros(3, 2); m:col(1):assign({1, 2, 3})
]],
["gy.matrix:fill"] = [[
m:fill(value) -> m
Sets every element to value.
Example:
  local m = gy.zeros(2, 2):fill(3)
]],
["gy.matrix:totable"] = [[
m:totable() -> {{...}, ...}
The rows as a Lua table of tables.
Example:
  local t = gy.eye(2):totable()
]],
["gy.matrix:values"] = [[
m:values() -> {...}
All elements in column-major order as a flat Lua table.
Example:
  local v = gy.matrix({{1, 2}, {3, 4}}):values()  -- {1, 3, 2, 4}
]],
["gy.matrix:sum"] = [[
m:sum([dim]) -> number or matrix
Without dim, the sum of all elements; dim = 1 sums down the rows (one value per column,
numpy axis 0), dim = 2 across the columns (numpy axis 1). See gy.stats.sum.
Example:
  local s = gy.ones(3, 2):sum(1)
]],
["gy.matrix:mean"] = [[
m:mean([dim]) -> number or matrix
The mean of all elements, or along dim (1: per column, 2: per row). See gy.stats.mean.
Example:
  local mu = gy.randn(100, 3, {seed = 1}):mean(1)
]],
["gy.matrix:std"] = [[
m:std([dim] [, ddof=0]) -> number or matrix
Standard deviation sqrt(sum((x - mean)^2) / (n - ddof)) of all elements or along dim; ddof 0
as numpy (MATLAB's default is ddof = 1). See gy.stats.std.
Example:
  local sd = gy.randn(100, 3, {seed = 1}):std(1, 1)
]],
["gy.matrix:min"] = [[
m:min() -> number
The smallest element (NaN elements are skipped by math.min's comparison).
Example:
  local lo = gy.matrix({3, 1, 2}):min()
]],
["gy.matrix:max"] = [[
m:max() -> number
The largest element.
Example:
  local hi = gy.matrix({3, 1, 2}):max()
]],
["gy.matrix:emul"] = [[
m:emul(b) -> matrix
Element-wise product with broadcasting of a row, a column or a number (numpy's a * b;
MATLAB's a .* b). The * operator is the matrix product.
Example:
  local P = gy.matrix({{1, 2}, {3, 4}}):emul(gy.matrix({{10, 100}}))
]],
["gy.matrix:ediv"] = [[
m:ediv(b) -> matrix
Element-wise division with broadcasting; the same as m / b.
Example:
  local Q = gy.ones(2, 2):ediv(4)
]],
["gy.matrix:add"] = [[
m:add(b) -> matrix
Element-wise sum with broadcasting; the same as m + b.
Example:
  local S = gy.eye(2):add(1)
]],
["gy.matrix:sub"] = [[
m:sub(b) -> matrix
Element-wise difference with broadcasting; the same as m - b. Centring columns:
X - X:mean(1).
Example:
  local X = gy.randn(10, 3, {seed = 1}); local Xc = X:sub(X:mean(1))
]],
["gy.matrix:pow"] = [[
m:pow(p) -> matrix
Element-wise power x^p.
Example:
  local S = gy.matrix({1, 2, 3}):pow(2)
]],
["gy.matrix:map"] = [[
m:map(f) -> matrix
Applies the Lua function f to every element (compiled by LuaJIT, so fast).
Example:
  local R = gy.matrix({-1, 2}):map(function(x) return math.max(x, 0) end)
]],
["gy.matrix:abs"] = [[
m:abs() -> matrix
Element-wise absolute value.
Example:
  local A = gy.matrix({-1, 2}):abs()
]],
["gy.matrix:sqrt"] = [[
m:sqrt() -> matrix
Element-wise square root (NaN for negative elements).
Example:
  local R = gy.matrix({4, 9}):sqrt()
]],
["gy.matrix:exp"] = [[
m:exp() -> matrix
Element-wise exponential.
Example:
  local E = gy.zeros(2, 2):exp()
]],
["gy.matrix:log"] = [[
m:log() -> matrix
Element-wise natural logarithm.
Example:
  local L = gy.ones(2, 2):log()
]],
["gy.matrix:isfinite"] = [[
m:isfinite() -> boolean
True when no element is NaN or infinite.
Example:
  assert(gy.ones(2, 2):isfinite())
]],
["gy.matrix:free"] = [[
m:free()
Releases the storage now instead of at the next garbage collection (big temporaries in
loops). The matrix becomes 0 x 0; views into it must no longer be used.
Example:
  local big = gy.zeros(1000, 1000); big:free()
]],
["gy.matrix:tostring"] = [[
m:tostring() -> string
The printed form: shape, then the values in aligned columns; past 1000 elements only the
first and last 3 rows and columns are shown, as numpy does. tostring(m) and print(m) use it.
Example:
  local s = gy.eye(2):tostring()
]],
["gy.data"] = [[
gy.data() -> table
The folders of the real data sets that scripts/setup.sh fetched from Debian packages
(nitime_dir: nitime's fMRI CSVs and NIfTI runs; nibabel_data: nibabel's test images;
mricron_dir: MNI atlases and templates; nipy_dir), read from $GY_DATA/paths.lua (default
~/.cache/gyrus/data). An error says to run scripts/setup.sh when they are missing.
Example:
  local ok, d = pcall(gy.data)
]],
["gy.clock"] = [[
gy.clock() -> seconds
Monotonic wall-clock time in seconds; differences time an analysis (os.clock() counts CPU
time of all threads instead).
Example:
  local t0 = gy.clock(); local x = gy.randn(100, 100) * gy.randn(100, 100); print(gy.clock() - t0)
]],
}
