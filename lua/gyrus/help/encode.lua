-- Help texts of gy.encode (lua/gyrus/encode.lua). Format: a signature line, one paragraph
-- with the formula, options with defaults, and an "Example:" whose indented lines
-- tests/lua/help_spec.lua runs.
local texts = {
["gy.encode.hrf"] = [[
gy.encode.hrf(tr [, opts]) -> matrix (k x 1)
Canonical HRF as nilearn's spm_hrf / glover_hrf (SPM's double gamma): on k =
rint(time_length*oversampling/tr) points t = linspace(0, time_length, k) - onset,
h(t) = g(t; delay/d, dt, d) - ratio g(t; undershoot/u, dt, u) with g the gamma density
(shape, loc, scale) and dt = tr/oversampling, normalised to sum 1. "spm": delay 6 s,
undershoot 16 s, d = u = 1, ratio 0.167 (nilearn's value; SPM writes 1/6); "glover": 6 s,
12 s, d = u = 0.9, ratio 0.35.
Options: model ("spm" or "glover"), oversampling (50), time_length (32 s), onset (0 s).
Example:
  local h = gy.encode.hrf(2)                       -- 800 x 1, dt = 0.04 s
  local g = gy.encode.hrf(2, {model = "glover", oversampling = 16})
]],
["gy.encode.convolve_hrf"] = [[
gy.encode.convolve_hrf(X, {tr=} [, opts]) -> matrix
Each column of X (samples every tr seconds, e.g. event indicators or stimulus features)
held constant within its sample on the grid dt = tr/oversampling, convolved with
gy.encode.hrf and read back at the samples: out[t] = sum_s X[s] K[t - s] with K[0] = h[0],
K[d] = h[(d-1)o+1] + ... + h[d o]. Causal and truncated to the n samples (as nilearn's
compute_regressor for a block design sampled at the frame times).
Options: tr (seconds, required), model ("spm"), oversampling (50), time_length (32).
Example:
  local ev = gy.zeros(40, 1); ev:set(5, 1, 1)
  local reg = gy.encode.convolve_hrf(ev, {tr = 2})
]],
["gy.encode.zscore"] = [[
gy.encode.zscore(X [, {runs=}]) -> matrix
Each column z-scored, (x - mean)/std with ddof 0, within each run (voxelwise_tutorials'
zscore_runs; runs = one label per sample, any numbers; without runs the whole series is
one run). A column constant within a run becomes 0 there (not NaN).
Example:
  local Z = gy.encode.zscore(gy.matrix({{1}, {2}, {3}, {10}, {12}, {14}}), {runs = {1, 1, 1, 2, 2, 2}})
]],
["gy.encode.features"] = [[
gy.encode.features({ {name=, X=}, ... }) -> feature spaces
Named feature spaces (samples x features each, same samples) stacked into one matrix .X
with the column band of each space in .slices[name] = {first, last}, .names, .spaces
(widths), .mats and :get(name). Accepted by banded_ridge_cv (the model keeps the names),
model:predict, model:predict_split and so by score_split, which then also reports by name.
Example:
  local fs = gy.encode.features{ {name = "motion", X = gy.randn(50, 3, {seed = 1})},
                                 {name = "audio", X = gy.randn(50, 2, {seed = 2})} }
  local band = fs.slices.audio                       -- {4, 5}
]],
["gy.encode.cv_folds"] = [[
gy.encode.cv_folds(n [, opts]) -> list of fold labels (1-based), number of folds
The fold each of n samples is tested in: cv = k gives unshuffled k-fold (sklearn KFold,
the first n mod k folds one longer); cv = {runs = labels} (or a plain list of labels) gives
leave-one-run-out, fold k being the k-th distinct label in sorted order; run_onsets =
{1, o2, ...} (1-based first samples of each run) the same from onsets. These are exactly
the folds ridge_cv, kernel_ridge_cv, banded_ridge_cv and nested_cv use.
Options: cv (5), run_onsets (none).
Example:
  local f, k = gy.encode.cv_folds(9, {cv = {runs = {1, 1, 1, 2, 2, 2, 3, 3, 3}}})
]],
["gy.encode.nested_cv"] = [[
gy.encode.nested_cv(X, Y [, opts]) -> {scores, mean, alphas, predictions, n_folds}
Nested cross-validation: for each outer fold, gy.encode.ridge_cv runs on the outer training
samples only (its inner folds: leave-one-run-out over the remaining runs when the outer
folds come from runs, else unshuffled inner_cv-fold), the refit model predicts the held-out
samples and is scored there. The alpha choice never sees the test samples, so the scores
are unbiased. scores and alphas are outer folds x targets, mean the mean over outer folds,
predictions the out-of-fold predictions (samples x targets).
Options: alphas ({0.1, 1}), cv (outer: 5, or {runs = labels}), run_onsets, inner_cv
(default "runs" when the outer folds are runs, else 5), score_func (inner selection,
"l2_neg_loss"), score (outer, "r2"), local_alpha (true), n_targets_batch (0).
Example:
  local X = gy.randn(60, 4, {seed = 1})
  local Y = X * gy.randn(4, 2, {seed = 2}) + gy.randn(60, 2, {seed = 3})
  local runs = {}
  for i = 1, 60 do runs[i] = math.ceil(i / 15) end
  local r = gy.encode.nested_cv(X, Y, {alphas = {0.1, 1, 10, 100}, cv = {runs = runs}})
]],
["gy.encode.explainable_variance"] = [[
gy.encode.explainable_variance(R [, opts]) -> matrix (1 x targets)
Explainable variance from repeated presentations, as voxelwise_tutorials'
explainable_variance: each repeat z-scored over time (ddof 0; a constant repeat gives 0),
ev = var_t(mean_r R_r) / mean_r var_t(R_r) (ddof 1), and with bias_correction
ev - (1 - ev)/(N - 1) for N repeats (it can be negative for noise). R is a list of N
repeats (time x targets each) or one stacked (N T) x targets matrix with n_repeats.
Options: n_repeats (for a stacked R), bias_correction (true), do_zscore (true).
Example:
  local s = gy.randn(30, 2, {seed = 1})
  local reps = {s + gy.randn(30, 2, {seed = 2}), s + gy.randn(30, 2, {seed = 3}), s + gy.randn(30, 2, {seed = 4})}
  local ev = gy.encode.explainable_variance(reps)
]],
["gy.encode.ccnorm"] = [[
gy.encode.ccnorm(R, P [, {n_repeats=}]) -> {ccnorm, ccabs, ccmax}
Normalised correlation of Schoppe et al. 2016 (calc_CCnorm.m) for predictions P (T x
targets) of N repeats R: with ybar the mean over repeats, CCabs = cov(ybar, p) /
sqrt(var ybar var p) (1/T), the signal power SP = (var(sum_r R_r) - sum_r var(R_r)) /
(N(N-1)) (ddof 1), CCmax = sqrt(SP / var ybar) and CCnorm = cov(ybar, p)/sqrt(SP var p)
= CCabs/CCmax. As in the reference code, CCmax can exceed 1 (1/T vs 1/(T-1)); where SP
<= 0 CCnorm is NaN and CCmax 0. R as in gy.encode.explainable_variance.
Example:
  local R = {gy.matrix({0, 1, 3, 2, 5, 4, 2, 1, 0, 1}), gy.matrix({1, 1, 2, 3, 4, 4, 3, 1, 0, 0})}
  local c = gy.encode.ccnorm(R, gy.matrix({0.5, 1, 2.5, 2.5, 4.8, 4, 2.2, 1, 0.3, 0.5}))
]],
["gy.encode.permutation_test"] = [[
gy.encode.permutation_test(Y, P [, opts]) -> {score, pvalue, pvalue_fdr, pvalue_max, null_max, significant}
Significance of prediction scores by block permutation of the targets' time series: the
samples are cut into consecutive blocks of `block` samples (the last may be shorter) and
the block order is shuffled (seeded; one order per permutation shared by all targets, which
keeps the autocorrelation within blocks and makes the maximum over targets a family-wise
null). p = (1 + #{null >= observed})/(1 + n_perm); pvalue_fdr is Benjamini-Hochberg
(gy_group_fdr), pvalue_max the max-statistic (FWE) p-value; significant marks p <= alpha
after the chosen correction. Constant targets score 0 and get p = 1. P is not refit: pass
held-out predictions (e.g. nested_cv's). Choose block longer than the autocorrelation
(fMRI: ~ 20 s / TR).
Options: score_func ("r2"; "correlation", "l2_neg_loss"), n_perm (1000), block (10 samples),
seed (0), correction ("fdr", "max" or "none"), alpha (0.05).
Example:
  local Y = gy.randn(100, 3, {seed = 1})
  local P = Y + gy.randn(100, 3, {seed = 2})
  local r = gy.encode.permutation_test(Y, P, {n_perm = 200, block = 5, score_func = "correlation"})
]],
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
label per sample or {runs = labels} for leave-one-run-out), run_onsets (list of 1-based first samples of each
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
Xs may be gy.encode.features{...} (named spaces: the model keeps the names, so
score_split reports by name). Banded (group) ridge with himalaya's random search (GroupRidgeCV / BandedRidgeCV): the
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
gy.encode.score_split(Y, {P1, P2, ...}) -> matrix (spaces x targets) [, by_name]
When the predictions come from model:predict_split of a model fit on gy.encode.features,
a second result maps each space's name to its 1 x targets row.
himalaya's r2_score_split (product measure, Dupre La Tour 2022): the share of space i in
the R2 of the summed prediction, R2_i = sum_t (2 y p_i - p_i sum_j p_j) / sum_t y^2, so the
shares add up to the joint R2. y should be centred (as himalaya assumes); a target with
sum y^2 = 0 scores 0. The P_i come from model:predict_split of a banded model.
Example:
  local s = gy.encode.score_split({{1}, {-1}, {2}, {-2}}, {{{0.5}, {-0.5}, {1}, {-1}}, {{0.4}, {-0.3}, {0.8}, {-0.9}}})
]],
}

-- Temporal response functions and Haufe patterns.
for k, v in pairs(require "gyrus.help.encode_trf") do texts[k] = v end
return texts
