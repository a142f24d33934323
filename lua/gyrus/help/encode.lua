-- Help texts of gy.encode (lua/gyrus/encode.lua). Format: a signature line, one paragraph
-- with the formula, options with defaults, and an "Example:" whose indented lines
-- tests/lua/help_spec.lua runs.
return {
["gy.encode.delay"] = [[
gy.encode.delay(X [, delays={0}]) -> matrix
FIR design matrix of voxelwise_tutorials' Delayer: for samples x features X and integer
delays d1..dk, returns n x (p*k) in delay-major blocks [X(t-d1) | X(t-d2) | ...], zero
where t-d falls outside the data. A positive delay uses the past (the response lags the
stimulus); a negative one the future. Delays are applied to the concatenated data, not per
run. Typical fMRI delays: {1, 2, 3, 4} at TR = 2 s.
Example:
  local Xd = gy.encode.delay(gy.matrix({{1, 5}, {2, 7}, {3, 11}}), {0, 1, 2})  -- 3 x 6
]],
["gy.encode.lag"] = [[
gy.encode.lag(X, {tmin=, tmax=, sfreq=}) -> matrix, lags
Temporal-response-function design matrix as mTRF's lagGen (zero padding, lag-major
columns, no bias column): lags are floor(tmin*sfreq) .. ceil(tmax*sfreq) samples with
times in seconds (mTRFpy; the MATLAB toolbox takes milliseconds), and column block k holds
X(t - lag_k). Returns the matrix and the Lua list of lags. mTRF's lambda corresponds to
gy.encode.ridge's alpha = lambda*sfreq (weights scaled by sfreq); MNE's ReceptiveField
orders the columns feature-major instead.
Options: tmin, tmax (seconds, required), sfreq (Hz, required).
Example:
  local Xl, lags = gy.encode.lag(gy.matrix({1, 2, 3, 4, 5}), {tmin = -0.01, tmax = 0.02, sfreq = 100})
]],
["gy.encode.ridge"] = [[
gy.encode.ridge(X, Y [, alpha=1]) -> model
Ridge regression of every column of Y (samples x targets) on X (samples x features):
W = (X'X + alpha I)^-1 X'Y, as himalaya's Ridge (no intercept: centre X and Y first).
alpha is one number or one value per target; alpha = 0 gives the minimum-norm least-squares
fit. Computed from one eigendecomposition of X'X, or of XX' (kernel ridge) when features
outnumber samples. The model has weights (features x targets), alphas (1 x targets),
:predict(X) = X W and :score(X, Y [, "r2"]).
Example:
  local X = gy.randn(50, 4, {seed = 1})
  local m = gy.encode.ridge(X, X * gy.randn(4, 3, {seed = 2}), 0.5)
  local P = m:predict(X)
]],
["gy.encode.ridge_cv"] = [[
gy.encode.ridge_cv(X, Y [, opts]) -> model
Cross-validated ridge with one alpha per target, as himalaya's RidgeCV: for every fold, one
eigendecomposition of the training X'X (or XX' when features outnumber training samples)
gives the predictions of all alphas at once; the score of each alpha is averaged over folds,
the best alpha per target maximises mean score + 1e-10 log(alpha) (ties go to the larger
alpha), and the weights are refit on all samples. Targets are processed in batches so
100,000 voxels fit in bounded memory. Folds are never shuffled. A constant target scores 0
(r2) and takes the largest alpha. The model has weights, alphas (best, 1 x targets),
cv_scores (the mean score at the best alpha, with himalaya's tie-break term),
all_scores (alphas x targets), :predict(X) and :score(X, Y).
Options: alphas (list, default {0.1, 1} as himalaya: always pass a grid such as
gy.logspace(-2, 8, 20)), cv (number of unshuffled k-fold folds, default 5, or one fold/run
label per sample for leave-one-run-out), run_onsets (list of 1-based first samples of each
run: leave-one-run-out, overrides cv), score_func ("l2_neg_loss" default as himalaya, "r2",
"correlation"), local_alpha (true: one alpha per target; false: one for all targets by the
mean score, as sklearn's RidgeCV), n_targets_batch (0 = automatic).
Example:
  local X = gy.randn(60, 5, {seed = 1})
  local Y = X * gy.randn(5, 3, {seed = 2}) + gy.randn(60, 3, {seed = 3})
  local m = gy.encode.ridge_cv(X, Y, {alphas = {0.1, 1, 10, 100}, cv = 3})
  print(m.alphas, m.cv_scores)
]],
["gy.encode.kernel_ridge_cv"] = [[
gy.encode.kernel_ridge_cv(X, Y [, opts]) -> model
Cross-validated kernel ridge with a linear kernel K = XX', as himalaya's KernelRidgeCV:
predictions K_test (K_train + alpha I)^-1 Y_train from one eigendecomposition of K_train
per fold, for all alphas at once. With a linear kernel this equals ridge_cv, which already
switches to this dual form whenever features outnumber training samples; the model's
weights are the primal weights X' * dual_weights. Same options and fields as
gy.encode.ridge_cv.
Example:
  local X = gy.randn(20, 80, {seed = 1})
  local m = gy.encode.kernel_ridge_cv(X, gy.randn(20, 2, {seed = 2}), {alphas = {1, 10, 100}, cv = 4})
]],
["gy.encode.score"] = [[
gy.encode.score(Y, P [, "r2"]) -> matrix (1 x targets)
Per-target score of predictions P for data Y (both samples x targets), as himalaya.scoring:
"r2" = 1 - sum((y-p)^2) / sum((y-mean y)^2), set to 0 for a constant target;
"correlation" = Pearson r with population standard deviations (0 when y or p is
constant); "l2_neg_loss" = -mean((y-p)^2).
Example:
  local r2 = gy.encode.score({{1}, {2}, {3}, {4}}, {{1.5}, {2}, {2.5}, {4.5}})
]],
["gy.encode.banded_ridge_cv"] = [[
gy.encode.banded_ridge_cv(Xs, Y [, opts]) -> model
Banded (group) ridge with himalaya's random search (GroupRidgeCV / BandedRidgeCV): the
penalty sum_i alpha_i |b_i|^2 on feature spaces Xs = {X1, X2, ...} is searched as band
weights gamma (on the simplex) times a shared alpha: for each candidate gamma, the spaces
are scaled by sqrt(gamma_i) and ridge_cv runs over all alphas at once; per target the
candidate is kept when its cross-validated score beats the best so far by more than eps.
Candidates: the uniform gamma first (plain ridge), then seeded Dirichlet samples
alternating between the concentrations (gyrus's generator, not numpy's: pass gammas= to
reproduce a himalaya run). The model has weights (on the unscaled features, spaces
stacked), deltas (spaces x targets) = log(gamma_i / alpha), alphas = 1/sum_i exp(delta_i),
cv_scores, all_scores (candidates x targets), gammas, :predict(X or {X1, X2, ...}) and
:predict_split({X1, X2, ...}) for gy.encode.score_split.
Options: alphas (default {1} as himalaya: pass a grid), cv (5), run_onsets, score_func
("l2_neg_loss"), n_iter (100 candidates), gammas (explicit list of band-weight lists,
overrides n_iter), concentration ({0.1, 1}), seed (0), n_targets_batch (0 = automatic).
Example:
  local X1, X2 = gy.randn(60, 3, {seed = 1}), gy.randn(60, 2, {seed = 2})
  local Y = X1 * gy.randn(3, 2, {seed = 3}) + gy.randn(60, 2, {seed = 4})
  local m = gy.encode.banded_ridge_cv({X1, X2}, Y, {alphas = {0.1, 1, 10, 100}, n_iter = 10, cv = 3})
  local parts = gy.encode.score_split(Y, m:predict_split({X1, X2}))
]],
["gy.encode.score_split"] = [[
gy.encode.score_split(Y, {P1, P2, ...}) -> matrix (spaces x targets)
himalaya's r2_score_split (product measure, Dupre La Tour 2022): the share of space i in
the R2 of the summed prediction, R2_i = sum_t (2 y p_i - p_i sum_j p_j) / sum_t y^2, so the
shares add up to the joint R2. y should be centred (as himalaya assumes); a target with
sum y^2 = 0 scores 0. The P_i come from model:predict_split of a banded model.
Example:
  local s = gy.encode.score_split({{1}, {-1}, {2}, {-2}}, {{{0.5}, {-0.5}, {1}, {-1}}, {{0.4}, {-0.3}, {0.8}, {-0.9}}})
]],
}
