/* Shared between the ica_*.c files; not part of the public API. */
#ifndef GYRUS_ICA_INTERNAL_H
#define GYRUS_ICA_INTERNAL_H

#include "internal.h"
#include "gyrus/ica.h"

/* Centred contiguous copy of X (samples x channels) and the channel means (1 x channels).
 * Constant channels are an error when check_constant is set. */
int gy_ica_centre(gy_mat *Xc, gy_mat *mean, const gy_mat *X, int check_constant);
/* gy_ica_whiten on already-centred data. */
int gy_ica_whiten_centred(gy_mat *K, gy_mat *d, const gy_mat *Xc, int64_t n, int solver);

/* Rows per block when a pass over the samples works block by block (the block's
 * products stay in cache and no samples-sized temporary is allocated). */
enum { GY_ICA_BLOCK = 16384 };
/* gy_check_finite at the speed of a read (its value-by-value loop costs several times that
 * on samples x channels data); the same error. */
int gy_ica_check_finite(const gy_mat *X, const char *what);
/* The channel means of X (1 x channels), checking X is finite with >= 2 rows. */
int gy_ica_mean(gy_mat *mean, const gy_mat *X, int check_constant);
/* buf (nb x channels, ld nb) = rows r0..r0+nb-1 of X minus mean (NULL: no centring). */
void gy_ica_centred_rows(double *buf, const gy_mat *X, const double *mean, int64_t r0,
                         int64_t nb);
/* The whitening K, d of X about mean; the eigh path never copies X. */
int gy_ica_whiten_data(gy_mat *K, gy_mat *d, const gy_mat *X, const gy_mat *mean, int64_t n,
                       int solver);

/* W <- (W W')^(-1/2) W (symmetric decorrelation); eigenvalues clipped at DBL_MIN. */
int gy_ica_symdec(gy_mat *W);

/* Row-parallel passes: fn(ctx, k, r0, r1) for thread k = 0..nt-1 on rows
 * [T k / nt, T (k + 1) / nt). The caller limits BLAS to one thread while such passes run
 * (gy_linalg_threads(1), restored after), so each thread's products stay on its core. */
typedef void (*gy_ica_rows_fn)(void *ctx, int k, int64_t r0, int64_t r1);
void gy_ica_rows(gy_ica_rows_fn fn, void *ctx, int64_t T, int nt);
/* Threads for a pass over T x n values: BLAS's thread count (1 for small passes). */
int gy_ica_rows_threads(int64_t T, int64_t n);
/* Rows per block inside a row-parallel pass: a block's n columns stay in a core's cache. */
enum { GY_ICA_ROWS_BLOCK = 2048 };

/* Finds the n x n unmixing W (initial value on entry) of the white data Z (T x n). */
typedef int (*gy_ica_solve_fn)(gy_mat *W, gy_ica_info *info, const gy_mat *Z,
                               const gy_ica_opts *o, const void *ctx);
/* The common pipeline (checks, centring, whitening, solve, sources, unit variance, mixing)
 * of gy_ica_fastica, with another solver; identity_init starts from I without w_init. */
int gy_ica_fit(gy_mat *sources, gy_mat *components, gy_mat *mixing, gy_mat *mean,
               gy_mat *whitening, gy_mat *W, gy_ica_info *info, const gy_mat *X,
               const gy_ica_opts *o, gy_ica_solve_fn solve, const void *ctx,
               int identity_init);

#endif
