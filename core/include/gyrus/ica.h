/* gyrus: independent component analysis.
 *
 * Data X are samples x channels (observations x variables, as sklearn's X). PCA and
 * whitening follow sklearn's FastICA (centring, first-row sign rule of the eigenvectors,
 * whitened data scaled by sqrt(samples)); FastICA (parallel and deflation, logcosh / exp /
 * cube) follows sklearn's _ica_par / _ica_def exactly, convergence rule included, so the
 * same w_init gives sklearn's result. */
#ifndef GYRUS_ICA_H
#define GYRUS_ICA_H

#include "mat.h"

enum gy_ica_fun { GY_ICA_LOGCOSH = 0, GY_ICA_EXP = 1, GY_ICA_CUBE = 2 };
enum gy_ica_algorithm { GY_ICA_PARALLEL = 0, GY_ICA_DEFLATION = 1 };
/* NONE: X is used as given (already centred and white); UNIT: sources rescaled to unit
 * variance (sklearn >= 1.3 default); ARBITRARY: sklearn's whiten=True (sources of
 * variance 1/samples). */
enum gy_ica_whiten { GY_ICA_WHITEN_NONE = 0, GY_ICA_WHITEN_UNIT = 1, GY_ICA_WHITEN_ARBITRARY = 2 };
/* AUTO: eigendecomposition of the channel covariance when samples >= channels, else SVD. */
enum gy_ica_solver { GY_ICA_SOLVER_AUTO = 0, GY_ICA_SOLVER_EIGH = 1, GY_ICA_SOLVER_SVD = 2 };

typedef struct gy_ica_opts {
  int64_t n_components; /* 0: min(samples, channels); ignored without whitening */
  int32_t algorithm;    /* enum gy_ica_algorithm */
  int32_t fun;          /* enum gy_ica_fun */
  int32_t whiten;       /* enum gy_ica_whiten */
  int32_t solver;       /* enum gy_ica_solver */
  double alpha;         /* logcosh constant, in [1, 2] */
  int64_t max_iter;     /* >= 1 */
  double tol;           /* >= 0 */
  uint64_t seed;        /* draws w_init ~ N(0, 1) when w_init is NULL */
  const gy_mat *w_init; /* n x n initial unmixing, or NULL */
} gy_ica_opts;

typedef struct gy_ica_info {
  int64_t n_iter;    /* parallel: iterations; deflation: the maximum over components */
  int32_t converged; /* 1 when the criterion fell below tol (every component for deflation) */
  int32_t pad;
  double lim;        /* the last criterion max_i | |<w_i, w_i_old>| - 1 | */
} gy_ica_info;

/* sklearn's defaults: parallel, logcosh, alpha 1, unit-variance, 200 iterations, tol 1e-4. */
void gy_ica_defaults(gy_ica_opts *opts);

/* The whitening of X: mean (1 x channels), K (n x channels) and d (n x 1, the singular
 * values of the centred data) such that Z = (X - mean) K' sqrt(samples) has Z'Z/samples = I.
 * Eigenvector signs make the first entry of every principal axis non-negative. Fewer than
 * n non-negligible singular values (rank-deficient data) is an error. */
int gy_ica_whiten(gy_mat *K, gy_mat *mean, gy_mat *d, const gy_mat *X, int64_t n, int solver);

/* FastICA of X (samples x channels). Outputs (empty structs, all filled):
 * sources (samples x n), components (n x channels, the unmixing: sources = (X - mean)
 * components' when whitening), mixing (channels x n, pinv(components)), mean
 * (1 x channels; zeros without whitening), whitening (n x channels, K; the identity without
 * whitening), W (n x n, the rotation found in the whitened space). */
int gy_ica_fastica(gy_mat *sources, gy_mat *components, gy_mat *mixing, gy_mat *mean,
                   gy_mat *whitening, gy_mat *W, gy_ica_info *info, const gy_mat *X,
                   const gy_ica_opts *opts);

/* Infomax (Bell & Sejnowski) and extended Infomax (Lee et al.) with MNE's
 * mne.preprocessing.infomax heuristics: per step a random permutation of the samples in
 * blocks, natural-gradient updates, the learning rate annealed when successive weight
 * changes turn by more than anneal_deg, restart with a smaller rate on blow-up. */
typedef struct gy_ica_infomax_opts {
  int32_t extended;      /* 1: extended Infomax (tanh, sub/super-Gaussian signs) */
  int32_t use_bias;      /* 1: learn a bias */
  double l_rate;         /* 0: 0.01 / log(n^2) */
  int64_t block;         /* 0: floor(sqrt(samples / 3)) */
  double w_change;       /* stop when |dW|^2 falls below (after step 2); MNE 1e-12 */
  double anneal_deg;     /* 60 */
  double anneal_step;    /* 0.9 */
  int64_t n_subgauss;    /* 1: initial number of sub-Gaussian signs */
  int64_t kurt_size;     /* 6000 samples for the kurtosis estimate */
  int64_t ext_blocks;    /* 1: blocks between kurtosis updates */
  double blowup;         /* 1e4: halve (blowup_fac) the rate when |dW|^2 exceeds it */
  double blowup_fac;     /* 0.5 */
  int64_t n_small_angle; /* 20; < 0: no small-angle stop */
} gy_ica_infomax_opts;

/* MNE's defaults (extended = 1, as mne.preprocessing.infomax). */
void gy_ica_infomax_defaults(gy_ica_infomax_opts *opts);

/* Infomax ICA of X with the outputs of gy_ica_fastica; from opts only n_components,
 * whiten, solver, max_iter, seed (the sample permutations) and w_init (else the identity)
 * are used. */
int gy_ica_infomax(gy_mat *sources, gy_mat *components, gy_mat *mixing, gy_mat *mean,
                   gy_mat *whitening, gy_mat *W, gy_ica_info *info, const gy_mat *X,
                   const gy_ica_opts *opts, const gy_ica_infomax_opts *iopts);

/* PCA as sklearn's PCA(svd_solver="full"): components (n x channels, unit rows, sign so the
 * largest-|.| entry of each score column is positive), explained variance (n x 1, S^2 /
 * (samples - 1)), scores (samples x n, (X - mean) components'), mean (1 x channels).
 * n = 0 keeps min(samples, channels). */
int gy_ica_pca(gy_mat *components, gy_mat *explained_variance, gy_mat *scores, gy_mat *mean,
               const gy_mat *X, int64_t n);

#endif
