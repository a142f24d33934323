-- Help texts of gy.rsa part 2 (lua/gyrus/rsa_trsa.lua, rsa_infer.lua, rsa_shape.lua):
-- topological RSA, models and inference, CKA and shape metrics. Merged into help/rsa.lua.
-- Format: a signature line, one paragraph, options with defaults, and an "Example:".
return {
["gy.rsa.rank"] = [[
gy.rsa.rank(rdm) -> RDM (or vector, or list)
Average ranks 1..K of an RDM's distances (rsatoolbox rank_transform, scipy rankdata with
ties averaged); NaN entries stay NaN. Takes an RDM object (labels kept), a K-vector, a square
matrix or a list of RDMs.
Options: none.
Example:
  local r = gy.rsa.rdm(gy.randn(5, 8, {seed = 1}))
  print(gy.rsa.rank(r):vector():t())
]],
["gy.rsa.rgtm"] = [[
gy.rsa.rgtm(rdm, {lower = 0.2, upper = 0.8}) -> RDM (or vector, or list)
Rank-transformed geo-topological matrix (Lin and Kriegeskorte, tRSA; the authors'
gt_transform): x = minmax(rank(d)); a, b = numpy linear quantiles of x at lower and upper;
g = 0 where x < a, (x - a)/(b - a) where a <= x <= b, 1 where x > b. lower = 0, upper = 1
keeps the geometry (ranks); lower = upper gives a binary neighbourhood graph (topology only;
entries at the threshold get 0 instead of upstream's 0/0). Quantiles are taken per RDM as
in the paper (rsatoolbox's geotopological_transform pools them over all RDMs of an object).
Options: lower = 0.2, upper = 0.8 (quantiles in [0, 1], lower <= upper).
Example:
  local g = gy.rsa.rgtm({1, 2, 3, 4, 5, 6})
  print(g:t())   -- 0 0 1/3 2/3 1 1
]],
["gy.rsa.geodesic"] = [[
gy.rsa.geodesic(rdm, {zero_edge = false, inf = "keep", rank = false}) -> RDM (or vector)
Geodesic ("two-step") transform of a GT matrix: min-max scale, build the graph whose edges
are the pairs with weight below 1, then all-pairs shortest path lengths (Floyd-Warshall).
Upstream (networkx, rsatoolbox's geodesic_transform) treats a zero entry as no edge, so pairs
the GT transform calls identical end up disconnected; zero_edge = true joins them with a
zero-length edge instead. Disconnected pairs are +inf (inf = "keep") or the largest finite
geodesic (inf = "max"); rank = true ranks the result as the authors' code.
Options: zero_edge = false; inf = "keep" | "max"; rank = false.
Example:
  local g = gy.rsa.rgtm({1, 2, 3, 4, 5, 6})
  print(gy.rsa.geodesic(g, {zero_edge = true}):t())   -- 0 0 1/3 0 1/3 1/3
]],
["gy.rsa.rgtd"] = [[
gy.rsa.rgtd(rdm, {lower = 0.2, upper = 0.8, zero_edge = false, inf = "keep", rank = true}) -> RDM
Rank-transformed geo-topological geodesic matrix: gy.rsa.geodesic(gy.rsa.rgtm(rdm, {lower,
upper}), {zero_edge, inf, rank}), the authors' gd_after_gt with rank_transform_after = True
(ties, including the +inf of disconnected pairs, share their average rank).
Options: lower = 0.2, upper = 0.8; zero_edge = false (upstream) or true (zero-length edges);
inf = "keep" | "max"; rank = true.
Example:
  print(gy.rsa.rgtd({1, 2, 3, 4, 5, 6}):t())   -- 4.5 4.5 1 2 4.5 4.5
  print(gy.rsa.rgtd({1, 2, 3, 4, 5, 6}, {zero_edge = true, rank = false}):t())
]],
["gy.rsa.regime"] = [[
gy.rsa.regime(lower, upper) -> string
The tRSA authors' name for a threshold pair (utils_analysis.get_rgtm_type): "local
extractor" if mean(lower, upper) <= 0.2, "global extractor" if >= 0.8, "geometry sensitive"
if upper - lower >= 0.8, "topology sensitive" if lower >= 0.4 and upper <= 0.6, otherwise
"intermediate".
Options: none.
Example:
  print(gy.rsa.regime(0.45, 0.55))   -- topology sensitive
]],
["gy.rsa.rgtm_sweep"] = [[
gy.rsa.rgtm_sweep(data, {model =, method = "corr", resolution = 0.05, geodesic = false, zero_edge = false, inf = "max", score =, max_upper = 1}) -> sweep
Sweeps the RGTM thresholds over the grid 0 <= lower < upper <= max_upper in steps of
resolution (the authors' run_rgtm_grid_search) for model selection. Each pair transforms the
data RDMs (one or a list) and the model alike (RGTM, or RGTD with geodesic = true, ranked)
and scores them with the mean gy.rsa.compare(data_i, model, {method}), or with
score(transformed_data_list, transformed_model_or_false, lower, upper) when given. The sweep
has lists lower, upper, score, regime (gy.rsa.regime) and best = {lower, upper, score, regime}.
Options: model = RDM; method = "corr"; resolution = 0.05; geodesic = false; zero_edge = false;
inf = "max"; score = function; max_upper = 1.
Example:
  local X = gy.randn(8, 20, {seed = 3})
  local data = {gy.rsa.rdm(X + gy.randn(8, 20, {seed = 4})), gy.rsa.rdm(X + gy.randn(8, 20, {seed = 5}))}
  local s = gy.rsa.rgtm_sweep(data, {model = gy.rsa.rdm(X), resolution = 0.1})
  print(s)
]],
["gy.rsa.pool"] = [[
gy.rsa.pool(rdms, {method = "cosine"}) -> RDM (or vector)
The "best average" of a list of RDMs for a comparison method (rsatoolbox pool_rdm): cosine,
cosine_cov: each RDM divided by its RMS, then averaged; corr, corr_cov: z-scored RDMs
averaged, minus the minimum; spearman, rho-a, tau-a, tau-b: mean of ranks; bures: the plain
mean. NaN entries are left out of each entry's mean. rdms is a list of RDMs or a K x n matrix
of RDM vectors.
Options: method = "cosine" (any gy.rsa.compare method).
Example:
  local X = gy.randn(6, 10, {seed = 1})
  local p = gy.rsa.pool({gy.rsa.rdm(X), gy.rsa.rdm(X * 2)}, {method = "corr"})
  print(p:vector():t())
]],
["gy.rsa.noise_ceiling"] = [[
gy.rsa.noise_ceiling(rdms, {method = "cosine"}) -> lower, upper
Leave-one-subject-out noise ceiling (rsatoolbox boot_noise_ceiling): lower = mean over s of
compare(pool(all RDMs but s), RDM_s); upper = mean over s of compare(pool(all RDMs), RDM_s),
pooled with gy.rsa.pool for the method. Needs at least 2 RDMs.
Options: method = "cosine".
Example:
  local X = gy.randn(6, 10, {seed = 1})
  local subj = {}
  for s = 1, 4 do subj[s] = gy.rsa.rdm(X + gy.randn(6, 10, {seed = 10 + s})) end
  print(gy.rsa.noise_ceiling(subj, {method = "corr"}))
]],
["gy.rsa.evaluate"] = [[
gy.rsa.evaluate(models, data, {method = "cosine", names =, ci = 0.95}) -> result
Fixed-model evaluation (rsatoolbox eval_fixed): evaluations[i][s] = compare(model_i,
data_s); mean, SEM = sqrt(sample variance / n), dof = n - 1; p_zero one-sided t-test
against 0; p_nc two-sided t-test against the lower noise ceiling; ci from the t quantile.
models: an RDM, a list of RDMs or a K x m matrix; data: a list of RDMs (subjects) or a
K x n matrix. The result prints as a table; result:rows() gives one record per model.
Options: method = "cosine"; names = list of model names; ci = 0.95.
Example:
  local X = gy.randn(6, 10, {seed = 1})
  local subj = {}
  for s = 1, 4 do subj[s] = gy.rsa.rdm(X + gy.randn(6, 10, {seed = 10 + s})) end
  print(gy.rsa.evaluate({gy.rsa.rdm(X), gy.rsa.rdm(gy.randn(6, 10, {seed = 2}))}, subj,
    {method = "corr", names = {"true", "random"}}))
]],
["gy.rsa.t_cdf"] = [[
gy.rsa.t_cdf(t, dof) -> number
Student t distribution function P(T <= t) (scipy.stats.t.cdf), from the regularised
incomplete beta function: P(|T| > |t|) = I_{dof/(dof+t^2)}(dof/2, 1/2).
Options: none.
Example:
  print(gy.rsa.t_cdf(2.0, 4))   -- 0.94194...
]],
["gy.rsa.t_tests"] = [[
gy.rsa.t_tests(mean, var, dof, nc_lower, nc_var) -> p_zero, p_nc
rsatoolbox's t-tests for one model: p_zero = 1 - T_dof(mean / sqrt(var)) (one-sided, against
0); p_nc = 2 (1 - T_dof(|nc_lower - mean| / sqrt(var + nc_var))) (two-sided, against the
lower noise ceiling; nil without nc_lower). var is the variance of the mean.
Options: none.
Example:
  print(gy.rsa.t_tests(0.8733, 0.01, 2, 0.99, 0.01))   -- 0.0064, 0.496
]],
["gy.rsa.bootstrap"] = [[
gy.rsa.bootstrap(models, data, {method = "cosine", n = 1000, seed = 0, resample = "both", names =, ci = 0.95}) -> result
Bootstrap evaluation (rsatoolbox eval_bootstrap, eval_bootstrap_rdm, eval_bootstrap_pattern):
each of n samples draws subjects (resample = "rdms"), conditions ("conditions") or both with
replacement from gyrus's seeded generator; a pair of copies of one condition becomes NaN and
is left out; samples with fewer than 3 distinct conditions are skipped. result.samples is
n x (m + 2): the mean evaluation of each model, then the noise ceiling's lower and upper
bound on that sample. mean and SEM come from the samples (variance x n/(n-1), n the number of
resampled units, as rsatoolbox), ci is the percentile interval, p_zero = (#(eval <= 0) + 1)/N,
p_nc = (#(nc_lower - eval <= 0) + 1)/N (both capped at 1), p_pairs[i][j] the two-sided
bootstrap test of model i against model j. Under mpirun (gy.par) each rank computes a block of
the samples of the one seeded stream and every rank gets the one-process samples and result.
Options: method = "cosine"; n = 1000; seed = 0; resample = "both" | "rdms" | "conditions";
names; ci = 0.95.
Example:
  local X = gy.randn(8, 10, {seed = 1})
  local subj = {}
  for s = 1, 5 do subj[s] = gy.rsa.rdm(X + gy.randn(8, 10, {seed = 10 + s})) end
  print(gy.rsa.bootstrap({gy.rsa.rdm(X)}, subj, {method = "corr", n = 200, seed = 7}))
]],
["gy.rsa.permutation_test"] = [[
gy.rsa.permutation_test(a, b, {method = "corr", n = 10000, seed = 0}) -> result
Condition-label permutation test of compare(a, b) (rsatoolbox_matlab
testRDMrelatedness_randomization; the Python toolbox has none): the conditions of a are
permuted n times with gyrus's seeded generator; p = (1 + #{null >= observed}) / (1 + n), the
conservative version. a or b may be a list of RDMs (averaged first). The result has p,
observed, null (n x 1) and n.
Options: method = "corr"; n = 10000; seed = 0.
Example:
  local X = gy.randn(8, 10, {seed = 1})
  local r = gy.rsa.permutation_test(gy.rsa.rdm(X), gy.rsa.rdm(X + gy.randn(8, 10, {seed = 2})), {n = 999})
  print(r)
]],
["gy.rsa.fit_model"] = [[
gy.rsa.fit_model(models, data, {type = "weighted", fitter = "nnls", method = "corr", ridge = 0, names =}) -> model
Fits an RSA model to the pooled data RDM (gy.rsa.pool for the method). type = "fixed": the
mean of the model RDMs (rsatoolbox ModelFixed); "select": theta = {index of the model with
the best mean compare} (ModelSelect, fit_select); "weighted": theta minimises
|y - sum_i theta_i m_i|^2 + ridge |theta|^2 with the vectors centred for every method but
cosine, by least squares (fitter = "lstsq", fit_regress) or with theta >= 0 (fitter =
"nnls", fit_regress_nn, Lawson-Hanson), or by maximising the mean compare itself with BFGS
(fitter = "optimize" or "optimize_positive": gy.rsa.fit_optimize, rsatoolbox fit_optimize /
fit_optimize_positive); "interpolate": the best mix of two neighbouring model RDMs
(gy.rsa.fit_interpolate, rsatoolbox fit_interpolate). The model has theta, rdms, names and
model:predict([theta]) -> K x 1 prediction. The cosine_cov/corr_cov V-weighting of
rsatoolbox's fitters is not applied.
Options: type = "weighted" | "fixed" | "select" | "interpolate"; fitter = "nnls" | "lstsq" |
"optimize" | "optimize_positive"; method = "corr"; ridge = 0; names.
Example:
  local X = gy.randn(6, 10, {seed = 1})
  local a, b = gy.rsa.rdm(X), gy.rsa.rdm(gy.randn(6, 10, {seed = 2}))
  local subj = {gy.rsa.rdm(X + gy.randn(6, 10, {seed = 3})), gy.rsa.rdm(X + gy.randn(6, 10, {seed = 4}))}
  print(gy.rsa.fit_model({a, b}, subj))
]],
["gy.rsa.crossval"] = [[
gy.rsa.crossval(models, data, {type = "weighted", fitter = "nnls", method = "corr", ridge = 0, name =, ci = 0.95}) -> result
Leave-one-subject-out cross-validation of a fitted model (rsatoolbox crossval with
sets_leave_one_out_rdm): for each subject the model (as gy.rsa.fit_model) is fitted to the
others and compared with the one left out. The result (as gy.rsa.evaluate's) has one row,
evaluations (1 x n), thetas (one per fold), t-tests against 0 and the noise ceiling.
Options: type, fitter, method, ridge as gy.rsa.fit_model; name; ci = 0.95.
Example:
  local X = gy.randn(6, 10, {seed = 1})
  local subj = {}
  for s = 1, 4 do subj[s] = gy.rsa.rdm(X + gy.randn(6, 10, {seed = 10 + s})) end
  print(gy.rsa.crossval({gy.rsa.rdm(X), gy.rsa.rdm(gy.randn(6, 10, {seed = 2}))}, subj))
]],
["gy.rsa.cka"] = [[
gy.rsa.cka(X, Y, {kernel = "linear", threshold = 1.0, debiased = false}) -> number
Centred kernel alignment of two representations of the same stimuli (Kornblith et al. 2019,
google-research representation_similarity): <HKH, HLH>_F / (|HKH|_F |HLH|_F) with K = XX',
L = YY' (kernel = "linear") or K = exp(-D^2 / (2 threshold^2 median(D^2))) ("rbf", the
median over all pairs); debiased = true uses the unbiased HSIC (Szekely and Rizzo: zero
diagonal, column sums / (n - 2), minus total / (2(n - 1))). X, Y: stimuli x units.
Options: kernel = "linear" | "rbf"; threshold = 1.0 (RBF width); debiased = false.
Example:
  local X = gy.randn(50, 8, {seed = 1})
  local Y = X + gy.randn(50, 8, {seed = 2})
  print(gy.rsa.cka(X, Y), gy.rsa.cka(X, Y, {kernel = "rbf", threshold = 0.5}))
]],
["gy.rsa.shape_distance"] = [[
gy.rsa.shape_distance(X, Y, {alpha = 1, score = "angular", center_columns = true}) -> number
Generalised shape metric (Williams et al. 2021, netrep LinearMetric): centre the columns,
zero-pad the narrower matrix, partially whiten each, Xw = X V diag(d) V' with eig(X'X) =
V diag(l) V', d = (alpha + (1 - alpha) l^-1/2) rescaled to keep the total variance, then
align by the SVD of Xw'Yw. angular = arccos(|Xw'Yw|_* / (|Xw| |Yw|)) in [0, pi];
euclidean = |Xw U - Yw V|_F. alpha = 1: Procrustes (rotations); alpha = 0: CCA-like (any
invertible linear map).
Options: alpha = 1 (in [0, 1]); score = "angular" | "euclidean"; center_columns = true.
Example:
  local X = gy.randn(40, 6, {seed = 1})
  local Y = X * gy.randn(6, 6, {seed = 2})
  print(gy.rsa.shape_distance(X, Y), gy.rsa.shape_distance(X, Y, {alpha = 0}))
]],
["gy.rsa.stochastic_distance"] = [[
gy.rsa.stochastic_distance(X, Y, {alpha = 1, max_iter = 1000, tol = 1e-8}) -> number
Gaussian stochastic shape distance (Duong et al. 2023, netrep GaussianStochasticMetric,
rotations): X and Y are {means = M x n, covs = {M covariances n x n}} (per-stimulus Gaussian
responses); d^2 = (1/M) sum_i [alpha |mx_i - my_i T|^2 + (2 - alpha) B^2(Cx_i, T'Cy_i T)] with
B^2(A, B) = tr A + tr B - 2 tr (A^1/2 B A^1/2)^1/2 (squared Bures) and T orthogonal, fitted
by alternating Procrustes steps from the alignment of the means until the loss improves by
less than tol. alpha = 1 is the 2-Wasserstein distance, 0 covariances only, 2 means only. As
netrep, the fit scales the blocks by alpha and 2 - alpha while the score weights by them.
Options: alpha = 1 (in [0, 2]); max_iter = 1000; tol = 1e-8.
Example:
  local I2 = gy.eye(2)
  local X = {means = gy.matrix({{0, 1}, {1, 0}, {2, 2}}), covs = {I2, I2, I2}}
  local Y = {means = gy.matrix({{1, 0}, {0, 1}, {2, 2}}), covs = {I2, I2 * 2, I2}}
  print(gy.rsa.stochastic_distance(X, Y))
]],
}
