-- Help texts of lua/gyrus/rsa_fit.lua (iterative RSA model fits); merged into help/rsa.lua.
-- Format: a signature line, one paragraph, options with defaults, and an "Example:".
return {
["gy.rsa.fit_optimize"] = [[
gy.rsa.fit_optimize(models, data, {method = "cosine", ridge = 0, positive = false, starts = 0, seed = 0, tol = 1e-6, names = false}) -> model
Fits the weights of a weighted model (rsatoolbox ModelWeighted with fit_optimize) by BFGS:
theta minimises loss(theta) = -mean_j compare(sum_i theta_i M_i, D_j) + ridge |theta|^2 from
`starts` uniform random starts (0: 2 m, as rsatoolbox; seeded), and the best run's theta is
scaled to unit norm. positive = true is fit_optimize_positive: theta = phi^2, starts at zero,
one random start and the m near-one-hot starts. cosine, corr, cosine_cov and corr_cov use
closed-form cross-products and exact gradients (the optimum then equals the least-squares
fit to the pooled RDM, gy.rsa.fit_model's "lstsq"); the rank methods go through
finite-difference gradients and, as in rsatoolbox, barely move from their start. Entries
NaN in any RDM are left out. models: list of model RDMs or a K x m matrix; data: list of
data RDMs, a K x n matrix, or one RDM. The model has theta, loss, names and :predict().
Options: method = "cosine" (any gy.rsa.compare method), ridge = 0, positive = false,
starts = 0, seed = 0, tol = 1e-6 (max |gradient| at convergence), names = false.
Example:
  local a, b = gy.randn(28, 1, {seed = 1}), gy.randn(28, 1, {seed = 2})
  local d = 0.7 * a + 0.3 * b + 0.1 * gy.randn(28, 1, {seed = 3})
  local md = gy.rsa.fit_optimize({a, b}, {d}, {method = "corr"})
  print(md)
]],
["gy.rsa.fit_interpolate"] = [[
gy.rsa.fit_interpolate(models, data, {method = "cosine", xatol = 1e-5, names = false}) -> model
Fits an interpolation model (rsatoolbox ModelInterpolate with fit_interpolate): for each
adjacent pair of model RDMs (M_i, M_i+1), w in [0, 1] minimises
-mean_j compare(w M_i + (1 - w) M_i+1, D_j) by bounded Brent minimisation (golden section
with parabolic steps, scipy's minimize_scalar(method = "bounded")); the pair with the lowest
loss gives theta (zeros elsewhere). Needs at least 2 models, ordered along the continuum.
Options: method = "cosine", xatol = 1e-5 (absolute tolerance on w), names = false.
Example:
  local a, b = gy.randn(28, 1, {seed = 1}), gy.randn(28, 1, {seed = 2})
  local md = gy.rsa.fit_interpolate({a, b}, {0.4 * a + 0.6 * b})
  print(md.theta[1], md.theta[2])   -- 0.4 0.6
]],
["gy.rsa.fit_loss"] = [[
gy.rsa.fit_loss(theta, models, data, {method = "cosine", ridge = 0}) -> number
The loss the fitters minimise (rsatoolbox fitter._loss):
-mean_j compare(sum_i theta_i M_i, D_j) + ridge |theta|^2. theta: a table or a vector.
Options: method = "cosine", ridge = 0.
Example:
  local a, b = gy.randn(28, 1, {seed = 1}), gy.randn(28, 1, {seed = 2})
  print(gy.rsa.fit_loss({1, 0}, {a, b}, {a}))   -- -1
]],
}
