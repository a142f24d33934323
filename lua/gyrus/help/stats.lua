-- Help texts of gy.stats (lua/gyrus/stats.lua). Format: a signature line, one paragraph
-- with the formula, options with defaults, and an "Example:" whose indented lines
-- tests/lua/help_spec.lua runs.
return {
["gy.stats.sum"] = [[
gy.stats.sum(X [, {dim=1}]) -> matrix
Sums along a dimension: dim = 1 adds down the rows (one value per column, a 1 x cols row;
numpy axis=0, MATLAB's default), dim = 2 across the columns (a rows x 1 column). Pairwise
summation keeps the rounding error near log(n) ulps. numpy's default axis=None (all
elements) is X:sum() with no dim. NaN or Inf in X is an error naming its row and column.
Options: dim (1 or 2, default 1).
Example:
  local s = gy.stats.sum(gy.matrix({{1, 2}, {3, 4}}))   -- {{4, 6}}
]],
["gy.stats.mean"] = [[
gy.stats.mean(X [, {dim=1}]) -> matrix
Arithmetic mean sum(x) / n along a dimension: dim = 1 gives the mean of every column
(numpy.mean(X, axis=0)), dim = 2 the mean of every row. The mean of all elements is
X:mean().
Options: dim (1 or 2, default 1).
Example:
  local mu = gy.stats.mean(gy.randn(100, 3, {seed = 1}))
]],
["gy.stats.var"] = [[
gy.stats.var(X [, {dim=1, ddof=0}]) -> matrix
Variance sum((x - mean)^2) / (n - ddof) along a dimension, computed in two passes (mean,
then squared deviations) for accuracy. ddof = 0 as numpy; MATLAB's var and pandas use
ddof = 1. n - ddof <= 0 is an error.
Options: dim (1 or 2, default 1), ddof (number, default 0).
Example:
  local v = gy.stats.var(gy.randn(50, 4, {seed = 2}), {ddof = 1})
]],
["gy.stats.std"] = [[
gy.stats.std(X [, {dim=1, ddof=0}]) -> matrix
Standard deviation sqrt(sum((x - mean)^2) / (n - ddof)) along a dimension, the square
root of gy.stats.var. ddof = 0 as numpy.std; MATLAB's std uses ddof = 1.
Options: dim (1 or 2, default 1), ddof (number, default 0).
Example:
  local sd = gy.stats.std(gy.randn(50, 4, {seed = 2}), {dim = 1, ddof = 1})
]],
["gy.stats.zscore"] = [[
gy.stats.zscore(X [, {dim=1, ddof=0}]) -> matrix
Standardises along a dimension: z = (x - mean) / std with std computed with ddof, as
scipy.stats.zscore(X, axis=0, ddof=0); the result has the shape of X. A constant column
(or row, with dim = 2) has no z-score: scipy returns NaN, gyrus raises an error naming it.
nilearn's "zscore_sample" standardisation is ddof = 1.
Options: dim (1 or 2, default 1), ddof (number, default 0).
Example:
  local Z = gy.stats.zscore(gy.randn(100, 5, {seed = 3}), {ddof = 1})
]],
["gy.stats.detrend"] = [[
gy.stats.detrend(X [, {type="linear", order=nil}]) -> matrix
Removes from every column (the row index being time) its least-squares polynomial trend:
type = "constant" subtracts the mean, "linear" the best straight line a + b t, as
scipy.signal.detrend(X, axis=0) (note scipy's default axis is -1, the last one). order = k
removes a polynomial of degree k (order overrides type), fitted on orthonormalised
Legendre polynomials of t in [-1, 1] so high orders stay well conditioned; orders past
rows - 1 leave zeros.
Options: type ("linear" or "constant", also "l" and "c"; default "linear"),
order (integer >= 0, default none: taken from type).
Example:
  local t = gy.linspace(0, 1, 100)
  local D = gy.stats.detrend(t * 3 + gy.randn(100, 1, {seed = 4}))
  local Q = gy.stats.detrend(gy.randn(100, 2, {seed = 5}), {order = 2})
]],
["gy.stats.corr"] = [[
gy.stats.corr(X [, Y]) -> matrix
Pearson correlation of the columns: r_ij = sum((x_i - mean_i)(x_j - mean_j)) /
(||x_i - mean_i|| ||x_j - mean_j||). With one argument the cols x cols matrix of
numpy.corrcoef(X, rowvar=False) (symmetric, diagonal exactly 1, values clamped to
[-1, 1]); with Y (same number of rows) the X.cols x Y.cols block between the columns of X
and those of Y. The columns are centred (two-pass mean) and scaled to unit norm, then BLAS
level-3 products (dsyrk and dgemm on panels of columns) form Z'Z, so 20000 columns take
seconds. A constant column is an error naming it (numpy returns NaN).
Options: none.
Example:
  local X = gy.randn(200, 10, {seed = 6})
  local R = gy.stats.corr(X)
  local C = gy.stats.corr(X, gy.randn(200, 3, {seed = 7}))
]],
["gy.stats.rank"] = [[
gy.stats.rank(X [, {dim=1, method="average"}]) -> matrix
Ranks 1..n of the values along a dimension, tied values sharing the mean of their ranks,
as scipy.stats.rankdata(X, method="average", axis=0). scipy's default axis=None ranks all
elements together; gyrus ranks each column (dim = 1) or each row (dim = 2). Sorting makes
it O(n log n) per column. Spearman correlation is gy.stats.corr(gy.stats.rank(X)).
Options: dim (1 or 2, default 1), method ("average", the only one; default "average").
Example:
  local r = gy.stats.rank({3, 1, 3, 2, 3})   -- 4, 1, 4, 2, 4
]],
["gy.stats.quantile"] = [[
gy.stats.quantile(X, q [, {dim=1, method="linear"}]) -> matrix
Quantiles q (a number or a list, each in [0, 1]) along a dimension with numpy's default
"linear" rule: on the sorted values x_(0..n-1), h = q (n - 1) and the result is
x_(floor h) + (h - floor h) (x_(floor h + 1) - x_(floor h)). The result has one row per q
(dim = 1: nq x cols) or one column per q (dim = 2: rows x nq). numpy's default axis=None
pools all elements. The median is q = 0.5.
Options: dim (1 or 2, default 1), method ("linear", the only one; default "linear").
Example:
  local X = gy.randn(100, 4, {seed = 8})
  local med = gy.stats.quantile(X, 0.5)
  local iqr = gy.stats.quantile(X, {0.25, 0.75})
]],
}
