/* gyrus: linear decoding baselines with scikit-learn's semantics.
 *
 * Samples are rows of X (n x p); labels y hold n class indices 0..n_classes-1 (the Lua
 * layer maps sorted unique labels to them, as sklearn's classes_). Every classifier is a
 * linear model: decision = X coef + intercept with coef p x m and intercept 1 x m, where
 * m = 1 for two classes (positive = class 1) and m = n_classes otherwise. */
#ifndef GYRUS_DECODE_H
#define GYRUS_DECODE_H

#include "mat.h"

/* LinearDiscriminantAnalysis(solver='lsqr'): class means, pooled within-class covariance
 * sum_k prior_k S_k with priors = class frequencies; shrinkage < 0 is 'auto' (each S_k
 * Ledoit-Wolf on standardised features, rescaled), 0..1 is (1-a) S_k + a tr(S_k)/p I.
 * coef = S^-1 means, intercept = -means.coef/2 + log(prior). */
int gy_decode_lda(gy_mat *coef, gy_mat *intercept, const gy_mat *X, const int64_t *y,
                  int64_t n_classes, double shrinkage);

/* PCA (centred, n_components) followed by the LDA above, folded back into one linear
 * model on the original features: coef = V coef_pca, intercept -= mean.coef. */
int gy_decode_pca_lda(gy_mat *coef, gy_mat *intercept, const gy_mat *X, const int64_t *y,
                      int64_t n_classes, int64_t n_components, double shrinkage);

/* RidgeClassifier(alpha, fit_intercept=True): ridge on targets +1 / -1 (one column for two
 * classes, one per class otherwise) of centred X and targets. */
int gy_decode_ridge(gy_mat *coef, gy_mat *intercept, const gy_mat *X, const int64_t *y,
                    int64_t n_classes, double alpha);

/* LogisticRegression(penalty='l2', C): minimises mean log-loss + ||coef||^2 / (2 C n)
 * (intercept unpenalised), the binary loss for two classes and the multinomial one
 * otherwise (intercepts summing to 0), by Newton's method with a backtracking line search.
 * Stops when the largest gradient entry is <= tol or after max_iter steps; *n_iter (may be
 * NULL) receives the steps taken. */
int gy_decode_logistic(gy_mat *coef, gy_mat *intercept, int64_t *n_iter, const gy_mat *X,
                       const int64_t *y, int64_t n_classes, double C, double tol,
                       int64_t max_iter);

/* out (n x m) = X coef + intercept. */
int gy_decode_decision(gy_mat *out, const gy_mat *X, const gy_mat *coef, const gy_mat *intercept);

/* Class probabilities (n x n_classes) from decision values D (n x m): the logistic
 * sigmoid for m = 1 ([1 - s, s]), the softmax otherwise. */
int gy_decode_proba(gy_mat *out, const gy_mat *D);

#endif
