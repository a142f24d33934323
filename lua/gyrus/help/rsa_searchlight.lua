-- Help texts of gy.rsa.searchlight and gy.rsa.timecourse (lua/gyrus/rsa_searchlight.lua).
-- Format: a signature line, one paragraph, options with defaults, and an "Example:" whose
-- indented lines tests/lua/help_spec.lua runs.
return {
["gy.rsa.searchlight"] = [[
gy.rsa.searchlight(data, mask, {radius = 2, boundary = "inclusive", method = "correlation", model =, compare = "corr", ...}) -> map, info
RSA searchlight as rsatoolbox's get_volume_searchlight + get_searchlight_RDMs +
evaluate_models_searchlight, in one pass with bounded memory: around every mask voxel, the
sphere of mask voxels with distance (in voxels) <= radius (boundary = "inclusive") or
< radius ("exclusive", rsatoolbox) gives an RDM of the conditions (gy.rsa.rdm's formulas:
rows with the same condition label are averaged; correlation d = 1 - r, euclidean
d = |b_i - b_j|^2 / P, poisson, or crossnobis with runs and identity noise, cross-validated
inside each sphere), which is scored against each model RDM with gy.rsa.compare's method.
RDMs are not kept (no centres x pairs array) unless return_rdms = true. data is a 4-D image
on the mask's grid (volumes = observations) or an observations x mask-voxels matrix (columns
in gy.image.mask's order). Spheres are truncated at the mask; a centre is kept when its
sphere holds >= min_voxels mask voxels and the mask fills >= threshold of its in-volume
voxels (threshold = 1 is rsatoolbox's default). Threads split the centres; the map does not
depend on their number. Returns the map (an image with one volume per model for an image,
else a mask-voxels x models matrix; NaN where no sphere was kept or the RDM has a NaN) and
info = {n_centres, centres (1-based mask voxel indices), sizes, labels, rdms (K x n_centres
when return_rdms)}. Model RDMs follow the sorted condition labels. With noise = "per_sphere"
and residuals (observations x mask voxels, or a 4-D image on the mask's grid), every sphere
gets its own noise precision L = gy.rsa.noise of the residuals of its voxels (rsatoolbox
prec_from_residuals, shrinkage_diag by default), used by crossnobis
d = mean over folds of (a_i - a_j)' L (b_i - b_j) / P and by mahalanobis
d = (b_i - b_j)' L (b_i - b_j) / P of the condition means. Under mpirun (gy.par) the ranks
split the centres and every rank returns the one-process map.
Options: radius = 2; boundary = "inclusive" | "exclusive"; threshold = 0; min_voxels = 1;
method = "correlation" | "euclidean" | "poisson" | "crossnobis" | "mahalanobis" (needs
noise = "per_sphere"); noise = false | "per_sphere"; residuals = matrix or image (with noise);
noise_method = "shrinkage_diag" | "shrinkage_eye" | "diag" | "full"; noise_dof = false (N - 1
of the residuals); conditions = labels (one per
row; required for crossnobis); runs = labels (crossnobis; default: the k-th repeat is run k);
cv = "folds" | "pairs"; prior_lambda = 1, prior_weight = 0.1 (poisson); model = an RDM or a
list of RDMs; compare = "corr" (rsatoolbox's default) | "spearman" | "cosine" | "tau-a" | ...;
return_rdms = false; threads = 0 (as many as BLAS uses).
Example:
  local mask = { data = gy.ones(6 * 6 * 6, 1), shape = { 6, 6, 6 }, affine = gy.eye(4) }
  local X = gy.randn(8, 216, { seed = 1 })
  local model = gy.rsa.rdm(gy.randn(8, 3, { seed = 2 }))
  local map, info = gy.rsa.searchlight(X, mask, { radius = 2, model = model, compare = "spearman" })
  print(map:shape(), info.n_centres)
  local runs = { 1, 1, 1, 1, 2, 2, 2, 2 }
  local xn = gy.rsa.searchlight(X, mask, { radius = 1, method = "crossnobis",
    conditions = { 1, 2, 3, 4, 1, 2, 3, 4 }, runs = runs, model = { 1, 2, 3, 1, 2, 1 },
    noise = "per_sphere", residuals = gy.randn(20, 216, { seed = 3 }) })
  print(xn:shape())
]],
["gy.rsa.timecourse"] = [[
gy.rsa.timecourse(epochs, {method = "correlation", conditions =, window = 1, step = window, model =, compare = "corr"}) -> result
Time-resolved RSA for EEG/MEG (rsatoolbox's calc_rdm_movie with time bins): epochs is a list
of matrices, one per time point, each observations x channels. For each window of `window`
consecutive time points (starting every `step` points) the matrices are averaged, the RDM is
gy.rsa.rdm of the window mean (same options: method, conditions, runs, cv, noise), and each
model RDM is scored with gy.rsa.compare. Returns {rdms = list of RDM objects, times = the
mean time of each window (times = option, else 1-based sample indices), scores = windows x
models matrix (with model=)}.
Options: method = "correlation"; conditions, runs, cv = "folds", noise (as gy.rsa.rdm);
window = 1; step = window; times = table of one time per time point; model = an RDM or a list
of RDMs; compare = "corr".
Example:
  local epochs = {}
  for t = 1, 10 do epochs[t] = gy.randn(12, 16, { seed = t }) end
  local conds = { 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6 }
  local model = gy.rsa.rdm(gy.randn(6, 2, { seed = 99 }))
  local r = gy.rsa.timecourse(epochs, { conditions = conds, window = 2, model = model })
  print(r.scores)
]],
}
