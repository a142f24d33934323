"""numpy side: himalaya's solve_ridge_cv_svd (= solve_group_ridge_random_search with one
feature space, himalaya/ridge/_random_search.py) re-written line by line for the numpy
backend in float64: per split one thin SVD, M_alpha = V diag(s/(alpha+s^2)) U' for all
alphas, predictions X_test M_alpha Y_train per target batch, l2_neg_loss, selection with
the log(alpha)*1e-10 tie-break, refit per unique best alpha. Batches as the reference
timings: n_targets_batch=2000, all alphas at once, n_targets_batch_refit=2000."""
import numpy as np
from sklearn.model_selection import KFold

import benchlib as b


def l2_neg_loss(y_true, y_pred):
    return -((y_true - y_pred) ** 2).mean(-2)


def solve_ridge_cv_svd(X, Y, alphas, cv, n_targets_batch=2000, n_targets_batch_refit=2000):
    n_targets = Y.shape[1]
    splits = list(cv.split(X))
    cv_scores = np.zeros((len(splits), len(alphas), n_targets))
    for s, (train, test) in enumerate(splits):
        Xtrain, Xtest = X[train], X[test]
        U, sv, Vt = np.linalg.svd(Xtrain, full_matrices=False)
        inverse = sv[None] / (alphas[:, None] + sv[None] ** 2)  # (n_alphas, k)
        iUT = inverse[:, :, None] * U.T[None]
        iUT = np.matmul(Vt.T[None], iUT)  # (n_alphas, p, n_train)
        matrix = np.matmul(Xtest[None], iUT)  # (n_alphas, n_test, n_train)
        for start in range(0, n_targets, n_targets_batch):
            batch = slice(start, start + n_targets_batch)
            predictions = np.matmul(matrix, Y[train][:, batch])
            cv_scores[s, :, batch] = l2_neg_loss(Y[test][:, batch], predictions)
    scores = cv_scores.mean(0) + np.log(alphas)[:, None] * 1e-10
    best = np.argmax(scores, 0)
    best_scores = scores[best, np.arange(n_targets)]
    best_alphas = alphas[best]
    U, sv, Vt = np.linalg.svd(X, full_matrices=False)
    coefs = np.zeros((X.shape[1], n_targets))
    for a in np.unique(best_alphas):
        idx = np.where(best_alphas == a)[0]
        M = Vt.T @ ((sv / (a + sv ** 2))[:, None] * U.T)
        for start in range(0, len(idx), n_targets_batch_refit):
            sub = idx[start:start + n_targets_batch_refit]
            coefs[:, sub] = M @ Y[:, sub]
    return best_alphas, coefs, best_scores


X = b.load("X")
Y = b.load("Y")
alphas = np.logspace(-2, 8, 20)
rng = np.random.default_rng(1)
solve_ridge_cv_svd(rng.standard_normal((40, 5)), rng.standard_normal((40, 3)), alphas, KFold(5))
t0 = b.now()
best_alphas, coefs, best_scores = solve_ridge_cv_svd(X, Y, alphas, KFold(5))
t = b.now() - t0
b.report(t, b.sample(best_scores.reshape(1, -1)))
