-- Help texts of gy.conn (lua/gyrus/conn.lua). Format: a signature line, one paragraph,
-- options with defaults, and an "Example:" whose indented lines tests/lua/help_spec.lua runs.
local estimators = [[
Options: estimator = "ledoit-wolf" (nilearn's default: sklearn LedoitWolf) | "empirical"
(sklearn EmpiricalCovariance, the 1/n covariance) | "oas" (sklearn OAS); vectorize = false
(true: nilearn's sym_matrix_to_vec, the lower triangle in row order with the diagonal divided
by sqrt(2); a list of subjects gives a subjects x pairs matrix); discard_diagonal = false
(true: the strict lower triangle, unscaled).
Every estimator centres the columns and uses S = Xc'Xc / n. Ledoit-Wolf shrinks S towards
mu I (mu = tr(S)/p) with sklearn's exact coefficient; OAS with sklearn's (Chen et al. eq. 23
without the 2/p terms). X is time points x regions, or a list of such matrices (one per
subject, each may have its own length), which gives a list of results. The second result is
the shrinkage coefficient (a list of them for a list of subjects; 0 for "empirical").
NaN/Inf in X is an error that names the element.]]

local texts = {
["gy.conn.covariance"] = [[
gy.conn.covariance(X [, opts]) -> C, shrinkage
The covariance estimate of X (nilearn ConnectivityMeasure kind="covariance"): the estimator
is fitted on the raw signals (no standardisation, so shrinkage depends on channel scales).
]] .. estimators .. [[

Example:
  local X = gy.randn(100, 5, { seed = 1 })
  local C, s = gy.conn.covariance(X)
  print(C, s)
]],
["gy.conn.correlation"] = [[
gy.conn.correlation(X [, opts]) -> R, shrinkage
nilearn's kind="correlation": the columns are z-scored (ddof 1, a deviation below eps
counting as 1; standardize = true), the estimator is fitted and cov_to_corr gives
R_ij = C_ij / sqrt(C_ii C_jj) with an exact unit diagonal. With the default Ledoit-Wolf this
is (1 - delta) r_ij, Pearson's r uniformly shrunk by the coefficient delta (returned second);
estimator = "empirical" gives Pearson's r exactly. A constant column is an error (its
correlation is undefined: remove the region).
Options: standardize = true (false: fit the estimator on the raw signals, nilearn's
standardize=False, which changes the Ledoit-Wolf coefficient).
]] .. estimators .. [[

Example:
  local X = gy.randn(100, 4, { seed = 2 })
  print(gy.conn.correlation(X, { estimator = "empirical" }))
]],
["gy.conn.partial_correlation"] = [[
gy.conn.partial_correlation(X [, opts]) -> P, shrinkage
nilearn's kind="partial correlation": the precision Theta = inverse of the covariance
estimate of the raw signals, then rho_ij = -Theta_ij / sqrt(Theta_ii Theta_jj) with a unit
diagonal (prec_to_partial). The empirical covariance is singular when there are not more
time points than regions, or with constant or collinear regions: that is an error that
suggests estimator = "ledoit-wolf" (the default), whose estimate is always invertible.
]] .. estimators .. [[

Example:
  local X = gy.randn(200, 6, { seed = 3 })
  print(gy.conn.partial_correlation(X))
]],
["gy.conn.precision"] = [[
gy.conn.precision(X [, opts]) -> Theta, shrinkage
nilearn's kind="precision": the inverse of the covariance estimate of the raw signals
(Cholesky inverse, exactly symmetric). Singular estimates are an error, as for
gy.conn.partial_correlation.
]] .. estimators .. [[

Example:
  local P = gy.conn.precision(gy.randn(50, 3, { seed = 4 }), { estimator = "oas" })
  print(P)
]],
["gy.conn.connectivity"] = [[
gy.conn.connectivity(X, opts) -> results
Several kinds at once, as several nilearn ConnectivityMeasure calls would give them, but from
one pass over each subject's data and one X'X: the raw covariance S feeds the shrunk estimate
of the covariance, precision, partial correlation and tangent kinds, and the z-scored
covariance of the correlation kind is S_ij / (sd_i sd_j) with its own shrinkage. results has
one field per kind asked for (a matrix, or a list for a list of subjects), results.shrinkage
(per kind), and for "tangent" also results.mean and results.info as gy.conn.tangent returns.
Under mpirun (gy.par) the subjects of a list are spread over the ranks (gy.par.map) and every
rank returns the one-process results, bit for bit (also for the other gy.conn kinds and
gy.conn.tangent's covariances).
Options: kinds (required: a list of "covariance", "correlation", "partial_correlation",
"precision", "tangent"); estimator = "ledoit-wolf"; standardize = true (correlation only);
vectorize = false and discard_diagonal = false (for the kinds other than tangent);
tangent = false (a table of gy.conn.tangent options: method, max_iter, tol, vectorize (true),
discard_diagonal, convention).
Example:
  local subjects = {}
  for s = 1, 3 do subjects[s] = gy.randn(80, 4, { seed = s }) end
  local r = gy.conn.connectivity(subjects, { kinds = { "correlation", "tangent" } })
  print(r.correlation[1], r.tangent)
]],
["gy.conn.tangent"] = [[
gy.conn.tangent(subjects [, opts]) -> T, mean, info
nilearn's kind="tangent" (Varoquaux et al. 2010): the covariance C_s of every subject
(estimator as in gy.conn.covariance, default Ledoit-Wolf on the raw signals), their geometric
(Riemannian) mean G, the whitening W = G^(-1/2), and T_s = logm(W C_s W). G follows nilearn's
_geometric_mean (Fletcher & Joshi: start at the arithmetic mean, G <- G^(1/2) expm(step L)
G^(1/2) with L the mean of the whitened logs, the step halved when ||L||_F grows, stop when
||L||_F / p^2 < tol) with nilearn's max_iter = 30, tol = 1e-7. T is vectorised by default:
one row per subject (observations x features), nilearn's lower triangle with the diagonal
divided by sqrt(2). info = { n_iter =, converged = } and a warning is printed when the mean
did not converge. Subjects may have different lengths but must have the same regions; a
single subject is an error (deviations need a group).
Options: estimator = "ledoit-wolf" | "empirical" | "oas" | "precomputed" (the list holds SPD
matrices already, as pyRiemann takes them); method = "nilearn" | "pyriemann" (mean_riemann:
adaptive step, stop on ||J||_F <= 1e-8, 50 iterations); max_iter, tol (the method's defaults);
vectorize = true (false: a list of p x p matrices; nilearn's own default is false);
discard_diagonal = false; convention = "nilearn" | "pyriemann" (upper triangle in row order
with the off-diagonal times sqrt(2), so ||v|| = ||T||_F).
Example:
  local subjects = {}
  for s = 1, 4 do subjects[s] = gy.randn(60, 5, { seed = s }) end
  local T, G, info = gy.conn.tangent(subjects)
  print(T:shape(), info.n_iter)
]],
["gy.conn.geometric_mean"] = [[
gy.conn.geometric_mean(matrices [, opts]) -> G, info
The geometric (Riemannian, affine-invariant) mean of a list of SPD matrices, by nilearn's
_geometric_mean (default) or pyRiemann's mean_riemann; see gy.conn.tangent for the algorithms.
Input is checked as nilearn does: square, same size, symmetric to rtol 1e-7, positive definite.
Options: method = "nilearn" | "pyriemann"; max_iter (30 | 50); tol (1e-7 | 1e-8).
Example:
  local G = gy.conn.geometric_mean({ { { 2, 0 }, { 0, 1 } }, { { 8, 0 }, { 0, 1 } } })
  print(G)  -- diag(4, 1)
]],
["gy.conn.fisher_z"] = [[
gy.conn.fisher_z(R [, opts]) -> Z
Fisher's z transform z = atanh(r) = 0.5 log((1 + r) / (1 - r)) element-wise (numpy.arctanh):
r = +-1 gives +-inf (the diagonal of a correlation matrix), |r| > 1 or NaN is an error. A list
of matrices gives a list.
Options: diagonal = false (a number: put it on the diagonal, e.g. 0).
Example:
  local R = gy.conn.correlation(gy.randn(80, 3, { seed = 5 }))
  print(gy.conn.fisher_z(R, { diagonal = 0 }))
]],
["gy.conn.vec"] = [[
gy.conn.vec(M [, opts]) -> v
Vectorises a symmetric matrix (nilearn sym_matrix_to_vec): the lower triangle in row order,
(1,1), (2,1), (2,2), (3,1), ..., with the diagonal divided by sqrt(2) so that
||v||^2 = ||M||_F^2 / 2. One matrix gives a column; a list of k matrices a k x L matrix
(one row each).
Options: discard_diagonal = false (true: the strict lower triangle, unscaled);
convention = "nilearn" | "pyriemann" (pyRiemann's upper(): upper triangle in row order,
off-diagonal times sqrt(2)).
Example:
  print(gy.conn.vec({ { 1, 2, 3 }, { 2, 1, 5 }, { 3, 5, 1 } }))  -- 0.7071 2 0.7071 3 5 0.7071
]],
["gy.conn.unvec"] = [[
gy.conn.unvec(v [, opts]) -> M
The symmetric matrix of a vector made by gy.conn.vec (nilearn vec_to_sym_matrix); a k x L
matrix gives a list of k matrices. A length that is not p(p+1)/2 is an error.
Options: diagonal = false (a vector of p values, or a number for all of them: v then holds
the strict triangle only and the diagonal is given in the vectorised scale, as nilearn);
convention = "nilearn" | "pyriemann".
Example:
  local M = gy.conn.unvec({ 2, 3, 5 }, { diagonal = 1 / math.sqrt(2) })
  print(M)
]],
}

-- gy.conn.spectral and gy.conn.dpss (spectral.lua).
for k, v in pairs(require "gyrus.help.spectral") do texts[k] = v end
-- sliding windows, phase synchrony, Granger causality, edge-wise tests and NBS (dynamic.lua).
for k, v in pairs(require "gyrus.help.dynamic") do texts[k] = v end
return texts
