/* gyrus: dense linear algebra over OpenBLAS and LAPACKE.
 *
 * Output matrices come first and must be empty (or cleared): the function allocates them.
 * Inputs are never modified. Results follow numpy.linalg's conventions (eigenvalues
 * ascending, singular values descending, pinv/lstsq cut-offs) so fixtures made with numpy
 * compare directly. */
#ifndef GYRUS_LINALG_H
#define GYRUS_LINALG_H

#include "mat.h"

/* C = alpha * op(A) op(B) + beta * C, op = transpose when ta/tb is 1; C has its shape. */
int gy_linalg_gemm(gy_mat *C, double alpha, const gy_mat *A, int ta, const gy_mat *B, int tb,
                   double beta);
/* out = op(A) op(B), allocated. */
int gy_linalg_matmul(gy_mat *out, const gy_mat *A, int ta, const gy_mat *B, int tb);
/* out = alpha * A'A (trans = 1, cols x cols) or alpha * AA' (trans = 0), both triangles. */
int gy_linalg_syrk(gy_mat *out, const gy_mat *A, int trans, double alpha);
/* Symmetric eigendecomposition A = V diag(w) V': w (n x 1) ascending, V (n x n). V may be
 * NULL when only the eigenvalues are wanted. Only the lower triangle of A is read. */
int gy_linalg_eigh(gy_mat *w, gy_mat *V, const gy_mat *A);
/* A = U diag(s) Vt; full = 0 gives the thin factors (k = min(m, n)). U and Vt may be NULL
 * when only s is wanted. */
int gy_linalg_svd(gy_mat *U, gy_mat *s, gy_mat *Vt, const gy_mat *A, int full);
/* X = A^-1 B for square A (LU with partial pivoting); a singular A is GY_ESINGULAR. */
int gy_linalg_solve(gy_mat *X, const gy_mat *A, const gy_mat *B);
/* Lower Cholesky factor L (A = LL'); not positive definite is GY_ESINGULAR. */
int gy_linalg_cholesky(gy_mat *L, const gy_mat *A);
/* Inverse of a square matrix. */
int gy_linalg_inv(gy_mat *out, const gy_mat *A);
/* Moore-Penrose pseudo-inverse; singular values <= rcond * max(s) count as zero.
 * rcond < 0 takes numpy's default 1e-15. */
int gy_linalg_pinv(gy_mat *out, const gy_mat *A, double rcond);
/* Least squares X = argmin ||AX - B|| by SVD (dgelsd); rcond < 0 takes numpy's default
 * eps * max(m, n). *rank (if not NULL) receives the effective rank. */
int gy_linalg_lstsq(gy_mat *X, const gy_mat *A, const gy_mat *B, double rcond, int64_t *rank);
/* Determinant (by LU). */
int gy_linalg_det(double *det, const gy_mat *A);
/* Number of BLAS threads (0 leaves it unchanged); returns the number in force. */
int gy_linalg_threads(int n);

#endif
