/* gyrus: functional connectivity estimators (nilearn's ConnectivityMeasure).
 *
 * Data are time points x regions (n x p). Covariance estimators follow scikit-learn
 * (EmpiricalCovariance, LedoitWolf, OAS: each centres the columns and uses the 1/n
 * covariance); kinds follow nilearn: correlation standardises the columns first (z-score,
 * ddof 1) and applies cov_to_corr to the estimate, precision is its inverse, partial
 * correlation is prec_to_partial of the precision. */
#ifndef GYRUS_CONN_H
#define GYRUS_CONN_H

#include "mat.h"

enum gy_conn_estimator {
  GY_CONN_EMPIRICAL = 0,   /* sklearn EmpiricalCovariance: S = Xc'Xc / n */
  GY_CONN_LEDOIT_WOLF = 1, /* sklearn LedoitWolf (nilearn's default) */
  GY_CONN_OAS = 2          /* sklearn OAS */
};

enum gy_conn_kind {
  GY_CONN_COVARIANCE = 0,
  GY_CONN_CORRELATION = 1,
  GY_CONN_PARTIAL_CORRELATION = 2,
  GY_CONN_PRECISION = 3
};

/* Vectorisation of a symmetric matrix. */
enum gy_conn_vec_convention {
  GY_CONN_VEC_NILEARN = 0,  /* lower triangle in row order, diagonal divided by sqrt(2) */
  GY_CONN_VEC_PYRIEMANN = 1 /* upper triangle in row order, off-diagonal times sqrt(2) */
};

/* Geometric (Riemannian) mean algorithm for the tangent space. */
enum gy_conn_mean_method {
  GY_CONN_MEAN_NILEARN = 0,  /* step halving, stop on ||L||_F / p^2 < tol (1e-7, 30 iterations) */
  GY_CONN_MEAN_PYRIEMANN = 1 /* adaptive step, stop on ||J||_F <= tol (1e-8, 50 iterations) */
};

/* Covariance estimate of X (n x p) into out (p x p); *shrinkage (may be NULL) receives the
 * shrinkage coefficient (0 for the empirical estimator). */
int gy_conn_covariance(gy_mat *out, double *shrinkage, const gy_mat *X, int estimator);
/* One connectivity matrix of X (n x p) of the given kind; standardize = 1 z-scores the
 * columns before estimating (nilearn does so for the correlation kind only). */
int gy_conn_matrix(gy_mat *out, double *shrinkage, const gy_mat *X, int kind, int estimator,
                   int standardize);
/* Several kinds of X at once, from one pass over the data and one X'X (as many
 * ConnectivityMeasure calls): outs and shrinkages (may be NULL) have n_kinds entries. */
int gy_conn_matrices(gy_mat *outs, double *shrinkages, const gy_mat *X, const int *kinds,
                     int64_t n_kinds, int estimator, int standardize);
/* nilearn cov_to_corr: C_ij / sqrt(C_ii C_jj), diagonal exactly 1. */
int gy_conn_cov_to_corr(gy_mat *out, const gy_mat *C);
/* nilearn prec_to_partial: -P_ij / sqrt(P_ii P_jj), diagonal exactly 1. */
int gy_conn_prec_to_partial(gy_mat *out, const gy_mat *P);
/* Fisher z = atanh(r) element-wise; |r| > 1 is an error, |r| = 1 gives +-inf. */
int gy_conn_fisher_z(gy_mat *out, const gy_mat *R);

/* Vectorises k symmetric p x p matrices mats[0..k) into the rows of out (k x L), with
 * L = p(p+1)/2, or p(p-1)/2 when discard_diagonal = 1. */
int gy_conn_vec(gy_mat *out, const gy_mat *mats, int64_t k, int discard_diagonal,
                int convention);
/* The symmetric matrix of a vector v (L x 1 or 1 x L). With diagonal = NULL, v holds the
 * diagonal; otherwise v is the strict triangle and diagonal (p values) is given in the
 * vectorised scale, as nilearn's vec_to_sym_matrix. */
int gy_conn_unvec(gy_mat *out, const gy_mat *v, const gy_mat *diagonal, int convention);

/* Geometric mean of k SPD p x p matrices (mean NULL-free, p x p); *n_iter receives the
 * iterations done and *converged 1 or 0. max_iter <= 0 and tol <= 0 take the method's
 * defaults. */
int gy_conn_geometric_mean(gy_mat *mean, int *n_iter, int *converged, const gy_mat *covs,
                           int64_t k, int method, int max_iter, double tol);
/* Tangent-space embedding of k SPD matrices (nilearn kind="tangent"): the geometric mean G,
 * W = G^-1/2, and T_s = logm(W C_s W), vectorised into the rows of out (k x L). mean
 * receives G; n_iter and converged as for gy_conn_geometric_mean. */
int gy_conn_tangent(gy_mat *out, gy_mat *mean, int *n_iter, int *converged,
                    const gy_mat *covs, int64_t k, int method, int max_iter, double tol,
                    int discard_diagonal, int convention);

#endif
