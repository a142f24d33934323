/* gyrus: RSA searchlight: spheres of voxels inside a mask, an RDM per sphere, scored
 * against model RDMs without keeping every RDM (rsatoolbox util/searchlight.py).
 *
 * A plan holds the neighbourhoods once (compressed rows of mask-voxel indices), so several
 * analyses over the same mask and radius share it. The mask is stored as a NIfTI volume,
 * x fastest; a "mask voxel index" is the 0-based position of a voxel among the nonzero
 * mask voxels taken z fastest (numpy's C order, nilearn's data[mask]), i.e. the column of
 * the matrix gy_nifti_mask makes. */
#ifndef GYRUS_RSA_SEARCHLIGHT_H
#define GYRUS_RSA_SEARCHLIGHT_H

#include "mat.h"

typedef struct gy_rsa_searchlight gy_rsa_searchlight;

enum gy_rsa_sphere {
  GY_RSA_SPHERE_INCLUSIVE = 0, /* distance <= radius (rsatoolbox issue #450) */
  GY_RSA_SPHERE_EXCLUSIVE = 1  /* distance < radius (rsatoolbox get_volume_searchlight) */
};

/* Spheres of the given radius (in voxels) around every nonzero voxel of mask (nx*ny*nz
 * values, x fastest), truncated to the mask. A centre is kept when its sphere holds at
 * least min_voxels mask voxels and the fraction of its in-volume voxels that lie in the
 * mask is >= threshold (rsatoolbox's threshold; 0 keeps all). *out receives a plan to free
 * with gy_rsa_searchlight_free. boundary: enum gy_rsa_sphere. */
int gy_rsa_searchlight_plan(gy_rsa_searchlight **out, const gy_mat *mask, int64_t nx,
                            int64_t ny, int64_t nz, double radius, int boundary,
                            int64_t min_voxels, double threshold);
void gy_rsa_searchlight_free(gy_rsa_searchlight *plan);
/* Number of kept centres and of mask voxels. */
int64_t gy_rsa_searchlight_count(const gy_rsa_searchlight *plan);
int64_t gy_rsa_searchlight_nmask(const gy_rsa_searchlight *plan);
/* n_centres x 2: mask voxel index of each kept centre and the size of its sphere. */
int gy_rsa_searchlight_centres(gy_mat *out, const gy_rsa_searchlight *plan);
/* The mask voxel indices (n x 1) of the sphere of kept centre c (0-based). */
int gy_rsa_searchlight_sphere(gy_mat *out, const gy_rsa_searchlight *plan, int64_t c);
/* A plan of the kept centres first..first+count-1 of plan (0-based), to split a searchlight
 * across processes: its scores and RDMs are those rows / columns of the whole plan's. */
int gy_rsa_searchlight_slice(gy_rsa_searchlight **out, const gy_rsa_searchlight *plan,
                             int64_t first, int64_t count);

/* Runs the plan on X (N observations x n_mask voxels). With fold == NULL the RDM of each
 * sphere is gy_rsa_rdm of the condition means (cond == NULL: the rows are the conditions)
 * with method (enum gy_rsa_method but GY_RSA_MAHALANOBIS) and the Poisson prior; with
 * fold (0-based, n_fold >= 2) it is gy_rsa_crossnobis with identity noise and cv engine
 * (enum gy_rsa_cv). models (K x M, one RDM vector per column) are scored with compare
 * (enum gy_rsa_compare_method) into scores (n_centres x M); a sphere whose RDM holds a NaN
 * scores NaN. rdms (NULL to skip) receives every RDM, K x n_centres. n_threads <= 0 uses
 * as many threads as BLAS (gy_linalg_threads), which runs single-threaded meanwhile;
 * results do not depend on the number. */
int gy_rsa_searchlight_run(gy_mat *scores, gy_mat *rdms, const gy_rsa_searchlight *plan,
                           const gy_mat *X, const int64_t *cond, int64_t n_cond,
                           const int64_t *fold, int64_t n_fold, int method, int engine,
                           double prior_lambda, double prior_weight, const gy_mat *models,
                           int compare, int n_threads);
/* gy_rsa_searchlight_run with the noise precision estimated per sphere: residuals
 * (N_res x n_mask) restricted to the sphere's voxels give gy_rsa_noise(noise_method,
 * noise_dof <= 0: N_res - 1) as a precision, which weighs the crossnobis RDM (fold given)
 * or the Mahalanobis RDM of the condition means (fold NULL; method is then ignored). */
int gy_rsa_searchlight_run_noise(gy_mat *scores, gy_mat *rdms, const gy_rsa_searchlight *plan,
                                 const gy_mat *X, const int64_t *cond, int64_t n_cond,
                                 const int64_t *fold, int64_t n_fold, int method, int engine,
                                 const gy_mat *residuals, int noise_method, double noise_dof,
                                 const gy_mat *models, int compare, int n_threads);

#endif
