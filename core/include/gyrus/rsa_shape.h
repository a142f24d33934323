/* gyrus: comparing the representations of two systems on the same stimuli.
 *
 * X (m x p) and Y (m x q) hold m stimuli (rows) by units (columns). CKA follows Kornblith et
 * al. 2019 as google-research/representation_similarity computes it; shape distances follow
 * netrep (Williams et al. 2021, LinearMetric with centred columns, zero padding and
 * variance-preserving partial whitening). */
#ifndef GYRUS_RSA_SHAPE_H
#define GYRUS_RSA_SHAPE_H

#include "mat.h"

enum gy_rsa_cka_kernel {
  GY_RSA_CKA_LINEAR = 0, /* K = X X' */
  GY_RSA_CKA_RBF = 1     /* K = exp(-D^2 / (2 threshold^2 median(D^2))) */
};

enum gy_rsa_shape_score {
  GY_RSA_SHAPE_ANGULAR = 0,  /* arccos of the aligned Frobenius cosine, in [0, pi] */
  GY_RSA_SHAPE_EUCLIDEAN = 1 /* Frobenius norm of the aligned difference */
};

/* Centred kernel alignment <HKH, HLH> / (|HKH| |HLH|). threshold is the RBF width
 * (ignored for the linear kernel); debiased = 1 uses the unbiased HSIC estimator
 * (Szekely and Rizzo), which needs m >= 4. */
int gy_rsa_cka(double *out, const gy_mat *X, const gy_mat *Y, int kernel, double threshold,
               int debiased);
/* Generalised shape metric: alpha = 1 is Procrustes (rotations), alpha = 0 CCA-like (any
 * invertible linear map), in between partial whitening. centre = 1 removes column means
 * first; the narrower matrix is zero-padded. score: enum gy_rsa_shape_score. */
int gy_rsa_shape_distance(double *out, const gy_mat *X, const gy_mat *Y, double alpha,
                          int centre, int score);
/* Gaussian stochastic shape distance (Duong et al. 2023, netrep GaussianStochasticMetric with
 * group "orth"): d^2 = (1/M) sum_i [alpha |mx_i - my_i T|^2 + (2 - alpha) B^2(Cx_i, T'Cy_i T)],
 * B^2 the squared Bures distance, T orthogonal, fitted by alternating Procrustes steps
 * (per-stimulus rotations of the covariance square roots, then T on the stacked blocks
 * [alpha means; (2 - alpha) square roots]) from the Procrustes alignment of the means, until
 * the fit loss improves by less than tol or after max_iter rounds. means mx, my: M x n
 * (stimuli x units); covariances cx, cy: n x (M n), stimulus i's in columns i n .. i n + n - 1.
 * alpha in [0, 2]: 0 covariances only, 1 the 2-Wasserstein distance, 2 means only. A slightly
 * negative d^2 from rounding gives -sqrt(|d^2|), as netrep. */
int gy_rsa_stochastic_distance(double *out, const gy_mat *mx, const gy_mat *cx,
                               const gy_mat *my, const gy_mat *cy, double alpha,
                               int64_t max_iter, double tol);

#endif
