/* gyrus: fitting RSA model weights by iterative optimisation (rsatoolbox model/fitter.py).
 *
 * A weighted model predicts the RDM sum_i theta_i model_i from the model RDMs (K x m, one
 * RDM vector per column, see rsa.h); data RDMs are K x n (one per subject). The loss of
 * theta is rsatoolbox's _loss: -mean_j compare(prediction, data_j) + ridge |theta|^2, with
 * a comparison method of enum gy_rsa_compare_method. RDM entries that are NaN in any model
 * or data RDM are left out of every comparison (rsatoolbox's NaN rule), except for
 * cosine_cov, corr_cov and bures, which need the whole RDM and so need NaN in the same
 * entries of all RDMs; cosine_cov and corr_cov take equal pattern variances (sigma_k = None).
 * Cosine, corr, cosine_cov and corr_cov are evaluated in closed form on m x m
 * cross-products with exact gradients; the other methods use scipy's forward-difference
 * gradient (spearman and rho-a against data ranks computed once, tau-a, tau-b and bures
 * through gy_rsa_compare), so the rank-based ones barely move from their start, as in
 * rsatoolbox. */
#ifndef GYRUS_RSA_FIT_H
#define GYRUS_RSA_FIT_H

#include "mat.h"

/* The loss of theta (m x 1). */
int gy_rsa_fit_loss(double *loss, const gy_mat *theta, const gy_mat *models,
                    const gy_mat *data, int method, double ridge);
/* fit_optimize (positive = 0): BFGS on theta from n_starts uniform [0, 1) random starts
 * (n_starts <= 0: rsatoolbox's 2 m), seeded; the best run's theta, scaled to unit norm,
 * goes to theta (m x 1) and its loss to *loss. fit_optimize_positive (positive = 1): BFGS on
 * phi with theta = phi^2, from zeros (evaluated only), one random start and the m starts
 * e_i + 0.001 (1 - e_i); theta = phi^2 scaled to unit norm. gtol: scipy's tol (1e-6 in
 * rsatoolbox). */
int gy_rsa_fit_optimize(gy_mat *theta, double *loss, const gy_mat *models, const gy_mat *data,
                        int method, double ridge, int positive, int64_t n_starts,
                        uint64_t seed, double gtol);
/* fit_interpolate: for each adjacent pair (i, i+1) of the m >= 2 models, the weight w in
 * [0, 1] of theta_i = w, theta_i+1 = 1 - w minimising the loss (bounded Brent, absolute
 * tolerance xatol, scipy's default 1e-5); theta (m x 1) holds the best pair's weights and
 * *loss its loss. */
int gy_rsa_fit_interpolate(gy_mat *theta, double *loss, const gy_mat *models,
                           const gy_mat *data, int method, double xatol);

#endif
