/* gyrus: representational similarity analysis: RDMs, noise precision, RDM comparisons.
 *
 * Conventions follow rsatoolbox: data are observations x channels; an RDM vector holds
 * the strict upper triangle in row order ((0,1), (0,2), ..., (1,2), ...: scipy squareform),
 * as a K x 1 matrix with K = n(n-1)/2; squared distances are divided by the number of
 * channels P (all methods but correlation). Condition and fold labels are 0-based
 * integers. Non-finite data are an error; a NaN in an RDM vector marks a missing entry. */
#ifndef GYRUS_RSA_H
#define GYRUS_RSA_H

#include "mat.h"

enum gy_rsa_method {
  GY_RSA_EUCLIDEAN = 0,   /* |b_i - b_j|^2 / P */
  GY_RSA_CORRELATION = 1, /* 1 - Pearson r across channels */
  GY_RSA_MAHALANOBIS = 2, /* (b_i - b_j)' L (b_i - b_j) / P, L a precision matrix */
  GY_RSA_POISSON = 3      /* sum (l_i - l_j)(log l_i - log l_j) / P, smoothed rates l */
};

/* How crossnobis averages over folds (runs). */
enum gy_rsa_cv {
  GY_RSA_CV_FOLDS = 0, /* calc_rdm: each fold's means against the pooled means of the rest */
  GY_RSA_CV_PAIRS = 1  /* calc_rdm_unbalanced: every pair of observations in different folds */
};

enum gy_rsa_noise_method {
  GY_RSA_NOISE_SHRINKAGE_DIAG = 0, /* Schaefer & Strimmer, towards the diagonal */
  GY_RSA_NOISE_SHRINKAGE_EYE = 1,  /* Ledoit & Wolf, towards a multiple of the identity */
  GY_RSA_NOISE_DIAG = 2,           /* variances only */
  GY_RSA_NOISE_FULL = 3            /* sample covariance */
};

enum gy_rsa_compare_method {
  GY_RSA_COSINE = 0,
  GY_RSA_CORR = 1,
  GY_RSA_SPEARMAN = 2,
  GY_RSA_TAU_B = 3,
  GY_RSA_TAU_A = 4,
  GY_RSA_RHO_A = 5,
  GY_RSA_COSINE_COV = 6,
  GY_RSA_CORR_COV = 7,
  GY_RSA_BURES = 8
};

/* Per-condition means (n_cond x P) of the rows of X; cond[i] in [0, n_cond) and every
 * condition must occur. */
int gy_rsa_average(gy_mat *out, const gy_mat *X, const int64_t *cond, int64_t n_cond);
/* The RDM vector (K x 1) of condition patterns B (n x P). prec (P x P) is the noise
 * precision for GY_RSA_MAHALANOBIS (NULL or empty: Euclidean); prior_lambda and
 * prior_weight smooth the Poisson rates, l = (b + lambda * w) / (1 + w). */
int gy_rsa_rdm(gy_mat *out, const gy_mat *B, int method, const gy_mat *prec,
               double prior_lambda, double prior_weight);
/* Cross-validated Mahalanobis (crossnobis) RDM vector of the observations X (N x P) with
 * condition labels cond (in [0, n_cond)) and folds fold (in [0, n_fold), n_fold >= 2).
 * prec: P x P precision, NULL or empty for the identity. engine: enum gy_rsa_cv. */
int gy_rsa_crossnobis(gy_mat *out, const gy_mat *X, const int64_t *cond, int64_t n_cond,
                      const int64_t *fold, int64_t n_fold, const gy_mat *prec, int engine);
/* RDM vector (K x 1) <-> square symmetric matrix (n x n, zero diagonal). gy_rsa_vector
 * reads the upper triangle only. */
int gy_rsa_square(gy_mat *out, const gy_mat *v);
int gy_rsa_vector(gy_mat *out, const gy_mat *D);

/* Noise covariance (precision = 0) or precision (precision = 1) over channels from
 * residuals R (n x P); column means are removed first. dof <= 0 takes n - 1.
 * method: enum gy_rsa_noise_method. *lambda (if not NULL) receives the shrinkage used. */
int gy_rsa_noise(gy_mat *out, const gy_mat *R, int method, double dof, int precision,
                 double *lambda);

/* Similarity of two RDM vectors of the same length (enum gy_rsa_compare_method). NaN
 * entries must sit in the same positions in both and are left out. sigma_k (n x 1, the
 * variances of the n pattern estimates; NULL or empty for equal variances) weights
 * GY_RSA_COSINE_COV and GY_RSA_CORR_COV and is an error with other methods. */
int gy_rsa_compare(double *out, const gy_mat *a, const gy_mat *b, int method,
                   const gy_mat *sigma_k);

#endif
