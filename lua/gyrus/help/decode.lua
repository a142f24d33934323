-- Help texts of lua/gyrus/decode.lua (the gy.decode submodule: gy.encode already has a
-- permutation_test for encoding models). Format: a signature line, one paragraph with the
-- formula, options with defaults, an "Example:".
return {
["gy.decode.lda"] = [[
gy.decode.lda(X, y [, {shrinkage="auto"}]) -> model
Shrinkage linear discriminant analysis as sklearn's LinearDiscriminantAnalysis(solver=
"lsqr"): class means mu_k, priors = class frequencies, pooled covariance
S = sum_k prior_k S_k where S_k is, for shrinkage "auto", the Ledoit-Wolf estimate of the
class's standardised features rescaled to the data (as sklearn), for a number a in [0, 1]
(1 - a) S_k + a tr(S_k)/p I, for false the empirical covariance (1/n_k). coef_k = S^-1 mu_k,
intercept_k = -mu_k.coef_k/2 + log(prior_k); two classes keep class 2 minus class 1.
X is samples x features, y a list of labels (numbers or strings; classes = sorted unique).
The model has coef (features x m), intercept (1 x m), classes, and methods
decision_function(X), predict(X) (list of labels), predict_proba(X) (samples x classes:
sigmoid for two classes, softmax otherwise), score(X, y) (accuracy).
Options: shrinkage = "auto" ("auto", false, or a number in [0, 1]).
Example:
  local X = gy.matrix({{1, 2}, {2, 1}, {1.5, 1.8}, {4, 5}, {5, 4}, {4.5, 4.2}})
  local m = gy.decode.lda(X, {"a", "a", "a", "b", "b", "b"})
  print(m:predict(gy.matrix({{1, 1}, {5, 5}}))[2], m:predict_proba(X))
]],
["gy.decode.pca_lda"] = [[
gy.decode.pca_lda(X, y, {n_components= [, shrinkage="auto"]}) -> model
PCA to n_components (centred, by SVD, as sklearn's PCA) followed by gy.decode.lda, as the
ADHD-200 decoding pipeline make_pipeline(PCA(n), LinearDiscriminantAnalysis(solver="lsqr",
shrinkage="auto")). The two steps fold into one linear model on the original features:
coef = V coef_pca, intercept = intercept_pca - mean.coef, so decision values equal the
pipeline's. Inside cross_validate the PCA is refit on each training fold.
Options: n_components (1 .. min(samples, features), required), shrinkage = "auto".
Example:
  local X = gy.randn(40, 10, {seed = 2})
  local y = {}
  for i = 1, 40 do y[i] = i % 2; X:set(i, 1, X:get(i, 1) + 2 * y[i]) end
  local m = gy.decode.pca_lda(X, y, {n_components = 3})
  print(m:score(X, y))
]],
["gy.decode.ridge_classifier"] = [[
gy.decode.ridge_classifier(X, y [, {alpha=1}]) -> model
sklearn's RidgeClassifier(alpha, fit_intercept=True): targets +1 for the class and -1
otherwise (one column for two classes, one per class otherwise), ridge on centred X and
targets, coef = (Xc'Xc + alpha I)^-1 Xc'Tc (gy.encode.ridge), intercept = mean(T) -
mean(X) coef; predict takes the sign (two classes) or the largest decision. No
predict_proba.
Options: alpha = 1.
Example:
  local X = gy.matrix({{0}, {1}, {2}, {4}, {5}, {6}})
  local m = gy.decode.ridge_classifier(X, {1, 1, 1, 2, 2, 2})
  print(m.coef, m:predict(gy.matrix({{2.5}, {3.5}}))[1])
]],
["gy.decode.logistic"] = [[
gy.decode.logistic(X, y [, {C=1, tol=1e-4, max_iter=100}]) -> model
L2-penalised logistic regression as sklearn's LogisticRegression(penalty="l2", C): minimises
mean log-loss + ||coef||^2/(2 C n), intercept unpenalised, with the binary loss for two
classes and the multinomial (softmax) loss otherwise (intercepts sum to 0, as lbfgs from
zero reaches). Solved by Newton's method with a backtracking line search; stops when the
largest gradient entry is <= tol or after max_iter steps (model.n_iter). Newton converges
quadratically, so at the default tol the coefficients usually match the exact optimum to
~1e-8; sklearn's lbfgs stops earlier (at tol 1e-4 its coefficients differ by ~1e-4).
Limited to (features + 1) * classes <= 20000 parameters (reduce features with PCA first).
Options: C = 1, tol = 1e-4, max_iter = 100.
Example:
  local X = gy.randn(60, 3, {seed = 4})
  local y = {}
  for i = 1, 60 do y[i] = X:get(i, 1) + 0.3 * X:get(i, 2) > 0 and "up" or "down" end
  local m = gy.decode.logistic(X, y, {C = 10})
  print(m.coef, m.n_iter, m:predict_proba(X):get(1, 2))
]],
["gy.decode.cross_validate"] = [[
gy.decode.cross_validate(X, y [, {estimator="lda", params=nil, cv=5, groups=nil}]) -> result
Stratified k-fold cross-validation as sklearn's StratifiedKFold(cv, shuffle=False): classes
in order of first appearance, and class c's samples (in order) go to the folds by the
counts of class c in sorted(labels)[f::cv], so every fold holds each class in proportion.
The estimator ("lda", "pca_lda", "ridge_classifier", "logistic", or a function(X, y, params)
returning a model) is fit on the other folds with the options params and scored on the
fold. result: accuracy and balanced_accuracy (mean recall over the classes in the fold)
per fold, mean_accuracy, mean_balanced_accuracy, folds (the fold of each sample, 1-based).
groups (one label per sample, e.g. the run) gives leave-one-group-out folds instead
(sklearn's LeaveOneGroupOut, fold f = the f-th label in sorted order; cv is then ignored):
use it whenever samples of one run are not independent, since folds that split a run
leak its slow drifts into the score.
Options: estimator = "lda", params = nil, cv = 5, groups = nil.
Example:
  local X = gy.randn(30, 4, {seed = 3})
  local y = {}
  for i = 1, 30 do y[i] = i % 3; X:set(i, 1 + y[i], X:get(i, 1 + y[i]) + 2) end
  local r = gy.decode.cross_validate(X, y, {estimator = "logistic", cv = 5})
  print(r.mean_accuracy, r.balanced_accuracy[1])
]],
["gy.decode.permutation_test"] = [[
gy.decode.permutation_test(X, y [, {estimator="lda", params=nil, cv=5, n_permutations=100,
    seed=0, scoring="accuracy"}]) -> result
sklearn's permutation_test_score: the cross-validated score (mean over the stratified folds
of gy.decode.cross_validate) of the true labels and of n_permutations shuffles of them (folds
recomputed for each shuffle), p = (C + 1) / (n_permutations + 1) with C the number of
permuted scores >= the true one. Shuffles come from gyrus's seeded generator (not numpy's),
so permuted scores differ from sklearn's draws. With groups, the folds are leave-one-group-
out and the labels are shuffled within each group, as sklearn does. result: score,
permutation_scores, pvalue.
Options: estimator, params, cv, groups as cross_validate; n_permutations = 100, seed = 0,
scoring = "accuracy" or "balanced_accuracy".
Example:
  local X = gy.randn(24, 3, {seed = 5})
  local y = {}
  for i = 1, 24 do y[i] = i % 2; X:set(i, 1, X:get(i, 1) + 3 * y[i]) end
  local r = gy.decode.permutation_test(X, y, {n_permutations = 20, cv = 3})
  print(r.score, r.pvalue)
]],
}
