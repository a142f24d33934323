-- Help texts of gy.ica (lua/gyrus/ica.lua). Format: a signature line, one paragraph,
-- options with defaults, and an "Example:" whose indented lines tests/lua/help_spec.lua runs.
return {
["gy.ica.fit"] = [[
gy.ica.fit(X [, opts]) -> model
Independent component analysis of X (samples x channels, as sklearn's X) by FastICA,
reproducing sklearn.decomposition.FastICA: the columns are centred, whitened by PCA
(Z = (X - mean) K' sqrt(T), K = diag(1/d) U' from the covariance eigenvectors or the SVD,
first entry of each axis made non-negative), then W is found on Z by the fixed point
w <- E[z g(w'z)] - E[g'(w'z)] w, either for all rows at once with symmetric
decorrelation W <- (WW')^(-1/2) W ("parallel") or one row at a time with Gram-Schmidt
("deflation"). Convergence as sklearn: max_i | |<w_i, w_i_old>| - 1 | < tol. Given the same
w_init the result equals sklearn's to 1e-8. The model holds sources (T x n),
unmixing (n x channels, sklearn's components_: sources = (X - mean) unmixing'),
mixing (channels x n, pinv(unmixing)), mean (1 x channels), whitening (K), W (n x n),
n_iter, converged and criterion (the last convergence value). Non-convergence warns.
method = "infomax" runs (extended) Infomax on the same whitened data with MNE's
mne.preprocessing.infomax heuristics: each step visits the samples in a random permutation
(from seed; MNE's numpy stream is not reproduced) in blocks, W <- W + l_rate W (block I +
u'(1 - 2 y)) with y = logistic(u) (extended: W (block I - u' tanh(u) diag(signs) - u'u),
signs = sign of the smoothed kurtosis + 0.02), anneals l_rate by anneal_step when successive
changes turn by more than anneal_deg, restarts with 0.9 l_rate on blow-up, and stops when
|dW|^2 < w_change or after n_small_angle small-angle steps (n_iter then equals max_iter, as
in MNE). Standard Infomax only separates super-Gaussian sources; use extended = true for
sub-Gaussian ones.
Options: method = "fastica" | "infomax"; n = min(samples, channels) (number of components); fun =
"logcosh" (g = tanh(alpha u)) | "exp" (g = u exp(-u^2/2)) | "cube" (g = u^3); alpha = 1
(logcosh, in [1, 2]); algorithm = "parallel" | "deflation"; whiten = "unit-variance"
(sklearn >= 1.3 default: sources of unit variance) | "arbitrary-variance" (sklearn's old
whiten=True: variance 1/T) | false (X must already be centred and white; n is ignored);
whiten_solver = "auto" (covariance eigendecomposition when samples >= channels, else SVD) |
"eigh" | "svd"; max_iter = "auto" (200 for FastICA as sklearn, 500 for Infomax as MNE's
ICA); tol = 1e-4 (FastICA); seed = 0 (draws w_init ~ N(0,1) from gyrus's
generator: the same seed gives the same result, but not sklearn's random_state stream);
w_init = n x n initial unmixing (pass sklearn's w_init to reproduce it exactly; Infomax
starts from the identity without it). Infomax only (MNE's names and defaults): extended =
false (MNE's ICA default), l_rate = 0 (0.01/log(n^2)), block = 0 (floor(sqrt(T/3))),
w_change = 1e-12, anneal_deg = 60, anneal_step = 0.9, n_subgauss = 1, kurt_size = 6000,
ext_blocks = 1, blowup = 1e4, blowup_fac = 0.5, n_small_angle = 20 (false: no such stop),
use_bias = true.
More components than min(samples, channels), rank-deficient data, NaN/Inf and constant
channels are errors.

Example:
  local S = gy.rand(1000, 3, { seed = 1 }) - 0.5  -- uniform (non-Gaussian) sources
  local X = S * gy.matrix({ { 1, 0.5, 0.2 }, { 0.3, 1, 0.4 }, { 0.2, 0.1, 1 } })
  local m = gy.ica.fit(X, { n = 3, fun = "cube", seed = 2 })
  print(m.n_iter, m.converged, m.mixing)
]],
["gy.ica.pca"] = [[
gy.ica.pca(X [, opts]) -> pca
Principal component analysis of X (samples x channels) as sklearn's PCA(svd_solver="full"):
the columns are centred, Xc = U S V'; components = the first n rows of V' with svd_flip's
sign rule (the largest-|.| entry of each U column positive); explained_variance =
S^2 / (samples - 1); scores = Xc components' (samples x n); mean (1 x channels).
Options: n = min(samples, channels) (number of components kept).

Example:
  local X = gy.randn(200, 6, { seed = 3 })
  local p = gy.ica.pca(X, { n = 2 })
  print(p.explained_variance, p.components)
]],
}
