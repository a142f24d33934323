-- Help texts of gy.conn's dynamic connectivity, Granger causality and group statistics
-- (lua/gyrus/dynamic.lua), to be merged into the gy.conn help. Format: a signature line, one
-- paragraph, options with defaults, and an "Example:" whose indented lines help_spec runs.
return {
["gy.conn.sliding"] = [[
gy.conn.sliding(X, opts) -> list of matrices, starts
Time-resolved connectivity of X (time points x regions): windows of `window` samples start at
samples 1, 1 + step, 1 + 2 step, ... while they fit (pydfc/teneto); `starts` lists them. A
rectangular window gives gy.conn's estimate of the window (kind and estimator as in
gy.conn.connectivity); a tapered window weighs sample t by w_t and gives the weighted estimate
(statsmodels DescrStatsW): m = sum w x / sum w, C_ij = sum w (x_i - m_i)(x_j - m_j) / sum w,
and for correlation C_ij / sqrt(C_ii C_jj).
Options: window (required, samples >= 2); step = 1; taper = "rectangular" | "hamming"
(numpy.hamming) | "gaussian" (the GIFT/Allen 2014 taper: a rectangle convolved with a Gaussian
of std sigma, numpy.convolve(ones(W), gaussian(W, sigma), "same") / sum(gaussian)); sigma = 0
(0 takes 3 W / 22, pydfc's default); kind = "correlation" | "covariance" | "partial_correlation"
| "precision" (tapers allow the first two); estimator = "empirical" (Pearson per window, as
pydfc and teneto; nilearn's default would be "ledoit-wolf"); standardize = true.
Example:
  local X = gy.randn(120, 4, { seed = 1 })
  local mats, starts = gy.conn.sliding(X, { window = 30, step = 10, taper = "gaussian" })
  print(#mats, starts[2], mats[1])
]],
["gy.conn.taper"] = [[
gy.conn.taper(window [, opts]) -> w (window x 1)
The weights gy.conn.sliding uses for a tapered window: hamming 0.54 - 0.46 cos(2 pi k/(W - 1));
gaussian numpy.convolve(ones(W), g, "same") / sum(g) with g_k = exp(-(k - (W-1)/2)^2 / (2 s^2)).
Options: taper = "gaussian" | "hamming" | "rectangular"; sigma = 0 (0 takes 3 W / 22).
Example:
  print(gy.conn.taper(22, { taper = "gaussian" }):t())
]],
["gy.conn.phase"] = [[
gy.conn.phase(X [, opts]) -> theta (time points x regions)
The instantaneous phase theta = angle(hilbert(x)) of each column (FFT-based analytic signal as
scipy.signal.hilbert: the positive frequencies doubled, the negative ones dropped), in radians
in (-pi, pi]. Band-pass the data first (gy.signal.clean) for a meaningful phase.
Options: demean = true (removes each column's mean first, as LEiDA).
Example:
  local X = gy.randn(64, 3, { seed = 2 })
  print(gy.conn.phase(X):row(1))
]],
["gy.conn.phase_sync"] = [[
gy.conn.phase_sync(X [, opts]) -> S (time points x pairs)
Instantaneous phase synchrony of every pair of regions at every time point, from the phases of
gy.conn.phase; the pairs (i < j) are the upper triangle in row order (1-2, 1-3, ..., 2-3, ...).
method "ips": 1 - sin(|theta_i - theta_j| / 2) (teneto, Glerean 2012), in [0, 1];
method "cos": cos(theta_i - theta_j) (LEiDA's iFC, Cabral 2017), in [-1, 1].
Options: method = "ips" | "cos"; demean = true.
Example:
  local X = gy.randn(100, 4, { seed = 3 })
  local S = gy.conn.phase_sync(X, { method = "cos" })
  print(S:shape())
]],
["gy.conn.var"] = [[
gy.conn.var(X, opts) -> { coef, sigma, A, order }
Vector autoregression x_t = c + sum_l A_l x_{t-l} + e_t fitted by least squares on the n - p
usable samples of X (time points x variables), as statsmodels VAR(X).fit(p, trend="c"). coef is
(1 + k p) x k (intercept row, then lag 1 of every variable, lag 2, ...: statsmodels' params);
sigma the residual covariance E'E / (n - p - 1 - k p) (sigma_u); A[l] the k x k lag matrices,
A[l](i, j) the effect of variable j at lag l on variable i.
Options: order (required, >= 0); trend = true (false: no intercept, as mne-connectivity).
Example:
  local X = gy.randn(200, 3, { seed = 4 })
  local v = gy.conn.var(X, { order = 2 })
  print(v.A[1], v.sigma)
]],
["gy.conn.select_order"] = [[
gy.conn.select_order(X, opts) -> best, crit
Information criterion of VAR orders 0..max_order, all fitted on the same n - max_order samples
(statsmodels select_order): log det Sigma_ML + c m / T, Sigma_ML = E'E / T, m = p k^2 + k free
parameters, c = 2 (AIC) or log T (BIC). best is the minimising order, crit (max_order + 1) x 1.
Options: max_order (required); ic = "aic" | "bic".
Example:
  local X = gy.randn(200, 2, { seed = 5 })
  print(gy.conn.select_order(X, { max_order = 5, ic = "bic" }))
]],
["gy.conn.granger"] = [[
gy.conn.granger(X, opts) -> { F, p, order, df, crit }
Granger causality of every source j on every target i (F(i, j), p(i, j) test j -> i; diagonal
F = 0, p = 1) at lag order L. The restricted model regresses x_i on its own L lags (pairwise) or
on the lags of every variable but j (conditional), plus an intercept; the full model adds the L
lags of j (pairwise) or uses all variables (conditional). F = (SSR_r - SSR_f) / L / (SSR_f / d),
p = P(F(L, d) > F), d = n - L - 1 - L (2 or k): statsmodels grangercausalitytests' ssr_ftest
for pairs (its F for the column order [i, j]), and the F of VAR(X).fit(L).test_causality(i, j,
kind="f") when conditional (statsmodels' p there uses k d denominator degrees). df = {L, d}.
Options: order = 0 (0: choose it by ic up to max_order, at least 1); max_order = 0; ic = "aic" |
"bic"; conditional = false.
Example:
  local X = gy.randn(300, 3, { seed = 6 })
  local r = gy.conn.granger(X, { max_order = 4, ic = "bic", conditional = true })
  print(r.order, r.F, r.p)
]],
["gy.conn.ttest_edges"] = [[
gy.conn.ttest_edges(group1, group2 [, opts]) -> { t, p, q, reject }
Edge-wise two-sample t tests between groups of connectivity matrices, with Benjamini-Hochberg
FDR. Each group is a list of p x p matrices (the strict upper triangle is tested; results are
symmetric p x p matrices with t = 0, p = q = 1 on the diagonal) or a subjects x edges matrix
(results 1 x edges). t = (m1 - m2) / se with the pooled variance (scipy ttest_ind) or Welch's;
q = min over k >= rank of p_(k) m / k (statsmodels multipletests "fdr_bh"); reject = q <= fdr.
Options: fdr = 0.05; equal_var = true (false: Welch, Satterthwaite degrees of freedom).
Example:
  local g1, g2 = {}, {}
  for s = 1, 8 do
    g1[s] = gy.conn.correlation(gy.randn(50, 4, { seed = s }))
    g2[s] = gy.conn.correlation(gy.randn(50, 4, { seed = 100 + s }))
  end
  local r = gy.conn.ttest_edges(g1, g2, { fdr = 0.05 })
  print(r.t, r.q)
]],
["gy.conn.nbs"] = [[
gy.conn.nbs(group1, group2, opts) -> { components, labels, null, pvals }
Network-based statistic (Zalesky 2010, as bctpy nbs_bct with tail "both"): edges whose Welch t
(ddof 1) satisfies |t| > threshold form connected components; a component's size is its number
of edges. The groups' subjects are relabelled n_perm times (seeded permutations) and the largest
component size of each relabelling forms the null; a component's p is the fraction of the null
>= its size. components lists {size, p} in order of the first edge; labels gives each edge's
component (0 = none) as a p x p matrix (or 1 x edges for subjects x edges input); null is
n_perm x 1. Groups as in gy.conn.ttest_edges.
Options: threshold (required); n_perm = 1000; seed = 0; nodes = 0 (subjects x edges input: the
number of nodes, 0 infers it from the number of edges).
Example:
  local g1, g2 = gy.randn(12, 10, { seed = 1 }), gy.randn(12, 10, { seed = 2 })
  local r = gy.conn.nbs(g1, g2, { threshold = 2.5, n_perm = 100, seed = 1 })
  print(#r.components, r.null:t())
]],
}
