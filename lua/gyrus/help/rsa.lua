-- Help texts of gy.rsa (lua/gyrus/rsa.lua): RDMs, noise precision and RDM comparisons with
-- rsatoolbox's conventions. Format: a signature line, one paragraph, options with
-- defaults, and an "Example:" whose indented lines tests/lua/help_spec.lua runs.
local texts = {
["gy.rsa.rdm"] = [[
gy.rsa.rdm(X, {method = "euclidean", conditions =, runs =, noise =, cv = "folds", remove_mean = false}) -> RDM
Representational dissimilarity matrix of X (observations x channels) as rsatoolbox's
calc_rdm. Rows with the same label in conditions are averaged first (without conditions each
row is a condition); conditions are sorted (numbers numerically, strings alphabetically).
Distances are squared and divided by the number of channels P, except correlation:
euclidean d = |b_i - b_j|^2 / P; correlation d = 1 - r(b_i, b_j); mahalanobis
d = (b_i - b_j)' L (b_i - b_j) / P with L = noise (a precision; without it, euclidean);
poisson d = sum_k (l_ik - l_jk)(log l_ik - log l_jk) / P with l = (b + prior_lambda *
prior_weight) / (1 + prior_weight) (rsatoolbox's code; its docs state half this);
crossnobis d = (a_i - a_j)' L (t_i - t_j) / P cross-validated over runs: cv = "folds" (calc_rdm)
averages over folds the test-fold means t against the pooled means a of the other folds and
needs every condition in every run; cv = "pairs" (calc_rdm_unbalanced) averages x_a' L x_b
over all pairs of observations from different runs and handles unbalanced designs (an entry
with no such pair is NaN). Both agree on balanced designs, computed with M + 1 GEMMs for
M runs. Without runs, the k-th repeat of each condition is run k (equal repeats required;
runs = {1, 2, ..., N} gives calc_rdm_unbalanced's default of one run per observation).
The RDM has fields n_cond, labels, method, dissimilarities and methods :vector() (K x 1, upper
triangle in row order, K = n(n-1)/2), :square() and :get(i, j).
Options: method = "euclidean" | "correlation" | "mahalanobis" | "crossnobis" | "poisson";
conditions = table of labels (one per row; required for crossnobis); runs = table of labels
(crossnobis); noise = P x P precision (gy.rsa.noise); cv = "folds" | "pairs";
prior_lambda = 1, prior_weight = 0.1 (poisson); remove_mean = false (subtract each pattern's
mean across channels first: euclidean, mahalanobis, crossnobis).
Example:
  local X = gy.randn(12, 20, {seed = 1})
  local cond = {1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3}
  local runs = {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4}
  local r = gy.rsa.rdm(X, {method = "crossnobis", conditions = cond, runs = runs})
  print(r:square())
]],
["gy.rsa.noise"] = [[
gy.rsa.noise(residuals, {method = "shrinkage_diag", dof =, output = "precision", conditions =}) -> matrix, lambda
Noise precision (or covariance) over channels from residuals (n x channels), as rsatoolbox's
prec_from_residuals / cov_from_residuals. Column means are removed; s = X'X / dof.
shrinkage_diag (Schaefer & Strimmer 2005): off-diagonal entries times (1 - lambda), lambda =
sum_{i!=j} Var(r_ij) / sum_{i!=j} r_ij^2 clipped to [0, 1]; shrinkage_eye (Ledoit & Wolf
2004): (b2/d2) m I + (1 - b2/d2) X'X/n, times n/dof, with m the mean variance; diag: the
variances; full: s. The second result is the shrinkage lambda used.
Options: method = "shrinkage_diag" | "shrinkage_eye" | "diag" | "full"; dof = n - 1 (n - n_cond
with conditions); output = "precision" | "covariance"; conditions = labels whose means are
removed first (rsatoolbox prec_from_unbalanced).
Example:
  local res = gy.randn(50, 8, {seed = 2})
  local P, lambda = gy.rsa.noise(res)
  local r = gy.rsa.rdm(gy.randn(4, 8, {seed = 3}), {method = "mahalanobis", noise = P})
]],
["gy.rsa.compare"] = [[
gy.rsa.compare(a, b, {method = "cosine", sigma_k =}) -> number (or matrix)
Similarity of two RDMs (RDM objects, K-vectors or square matrices) as rsatoolbox's compare;
a list of RDM objects on either side gives the n1 x n2 matrix of similarities.
cosine = a.b / (|a||b|) (0 for a zero vector); corr = Pearson; spearman = Pearson of average
ranks; rho-a = 12 sum (r_a - mean)(r_b - mean) / (K^3 - K); tau-b (or kendall) = scipy's
kendalltau; tau-a = (concordant - discordant) / (K(K-1)/2), both O(K log K) by merge-sort
counting; cosine_cov = whitened unbiased cosine (Diedrichsen et al. 2021), the Frobenius
cosine of G = -HDH/2 with off-diagonal entries counted twice (linear CKA); corr_cov = the
same after removing each vector's mean; bures = tr sqrt(G_a^1/2 G_b G_a^1/2) / sqrt(tr G_a
tr G_b), negative eigenvalues set to 0. NaN distances are left out; they must sit in the same
positions in both RDMs (cosine_cov/corr_cov then centre by least squares as rsatoolbox;
bures needs complete RDMs).
Options: method = "cosine" | "corr" | "spearman" | "tau-b" | "kendall" | "tau-a" | "rho-a" |
"cosine_cov" | "corr_cov" | "bures"; sigma_k = the n variances of the pattern estimates
(cosine_cov/corr_cov: G_ij is divided by sqrt(sigma_i sigma_j), rsatoolbox's 1-D sigma_k;
default equal variances; a full n x n sigma_k is not supported).
Example:
  local X = gy.randn(6, 10, {seed = 4})
  local a = gy.rsa.rdm(X)
  local b = gy.rsa.rdm(X, {method = "correlation"})
  print(gy.rsa.compare(a, b, {method = "spearman"}))
]],
["gy.rsa.average"] = [[
gy.rsa.average(X, conditions) -> matrix, labels
Per-condition means of the rows of X (rsatoolbox average_dataset_by): one row per distinct
label, in sorted label order (numbers numerically, strings alphabetically), and those labels.
Example:
  local B, labels = gy.rsa.average({{1, 2}, {3, 4}, {5, 6}}, {"b", "a", "b"})
  print(B, labels[1])   -- rows (3, 4) and (3, 4); "a"
]],
["gy.rsa.is_rdm"] = [[
gy.rsa.is_rdm(x) -> boolean
True when x is an RDM object made by gy.rsa.rdm.
Example:
  print(gy.rsa.is_rdm(gy.rsa.rdm({{0, 1}, {1, 0}})))   -- true
]],
}

-- Part 2 texts (topological RSA, inference, CKA and shape metrics).
for k, v in pairs(require "gyrus.help.rsa_more") do texts[k] = v end
-- Searchlight and time-resolved RSA.
for k, v in pairs(require "gyrus.help.rsa_searchlight") do texts[k] = v end
-- Iterative model fitting (fit_optimize, fit_interpolate).
for k, v in pairs(require "gyrus.help.rsa_fit") do texts[k] = v end
return texts
