/* Dense linear algebra over OpenBLAS (cblas) and LAPACKE, with numpy.linalg's conventions.
 *
 * Every routine validates its inputs before any BLAS/LAPACK call (LAPACK must never see a
 * NaN: several drivers loop or return garbage on one), copies what LAPACK would overwrite,
 * and builds its results in local matrices that are moved into the caller's outputs only
 * on success, so a failing call leaves every output empty and nothing allocated. */
#include "internal.h"

#include <cblas.h>
#include <float.h>
#include <lapacke.h>
#include <limits.h>
#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------ argument checks */

/* BLAS and LAPACK index with 32-bit ints in the Debian builds. */
static int fits_int(const gy_mat *A, const char *what) {
  if (A->rows > INT_MAX || A->cols > INT_MAX || A->ld > INT_MAX)
    return gy_err(GY_EUNSUPPORTED,
                  "%s is %lld x %lld (column stride %lld): BLAS/LAPACK in this build index "
                  "with 32-bit integers",
                  what, (long long)A->rows, (long long)A->cols, (long long)A->ld);
  return GY_OK;
}

/* An input to a decomposition: valid, non-empty, finite, within int range. */
static int check_input(const gy_mat *A, const char *what) {
  GY_TRY(gy_check_mat(A, what));
  if (A->rows == 0 || A->cols == 0)
    return gy_err(GY_EINVAL, "%s is empty (%lld x %lld)", what, (long long)A->rows,
                  (long long)A->cols);
  GY_TRY(fits_int(A, what));
  return gy_check_finite(A, what);
}

static int check_square(const gy_mat *A, const char *what) {
  GY_TRY(check_input(A, what));
  if (A->rows != A->cols)
    return gy_err(GY_EINVAL, "%s must be square, got %lld x %lld", what, (long long)A->rows,
                  (long long)A->cols);
  return GY_OK;
}

/* A right-hand side B (finite, may have zero columns) whose rows must match A's. */
static int check_rhs(const gy_mat *A, const gy_mat *B) {
  GY_TRY(gy_check_mat(B, "B"));
  if (B->rows != A->rows)
    return gy_err(GY_EINVAL, "A is %lld x %lld and B is %lld x %lld: B needs %lld rows",
                  (long long)A->rows, (long long)A->cols, (long long)B->rows,
                  (long long)B->cols, (long long)A->rows);
  GY_TRY(fits_int(B, "B"));
  return gy_check_finite(B, "B");
}

/* info < 0 means gyrus passed LAPACK a bad argument; LAPACKE's own negative codes mean
 * its workspace allocation failed. */
static int lapack_fail(const char *routine, lapack_int info) {
  if (info == LAPACK_WORK_MEMORY_ERROR || info == LAPACK_TRANSPOSE_MEMORY_ERROR)
    return gy_err(GY_ENOMEM, "out of memory for the LAPACK %s workspace", routine);
  return gy_err(GY_ELIB, "LAPACK %s rejected its argument %d (a bug in gyrus, please report it)",
                routine, (int)-info);
}

/* The first and one-past-last element a matrix can touch, for aliasing checks. */
static int overlaps(const gy_mat *a, const gy_mat *b) {
  if (a->rows == 0 || a->cols == 0 || b->rows == 0 || b->cols == 0) return 0;
  const double *a0 = a->data, *a1 = a->data + (a->cols - 1) * a->ld + a->rows;
  const double *b0 = b->data, *b1 = b->data + (b->cols - 1) * b->ld + b->rows;
  return a0 < b1 && b0 < a1;
}

/* Moves a finished local result into the caller's output. */
static void give(gy_mat *out, gy_mat *tmp) {
  *out = *tmp;
  memset(tmp, 0, sizeof *tmp);
}

/* ------------------------------------------------------------------ products */

/* Above this many multiply-adds a product runs in column panels, so Ctrl-C and the
 * progress counter work during long products (about a second of work per panel). */
static const double PANEL_FLOPS = 2e9;

int gy_linalg_gemm(gy_mat *C, double alpha, const gy_mat *A, int ta, const gy_mat *B, int tb,
                   double beta) {
  GY_TRY(gy_check_mat(A, "A"));
  GY_TRY(gy_check_mat(B, "B"));
  GY_TRY(gy_check_mat(C, "C"));
  GY_TRY(fits_int(A, "A"));
  GY_TRY(fits_int(B, "B"));
  GY_TRY(fits_int(C, "C"));
  int64_t m = ta ? A->cols : A->rows, k = ta ? A->rows : A->cols;
  int64_t kb = tb ? B->cols : B->rows, n = tb ? B->rows : B->cols;
  if (k != kb)
    return gy_err(GY_EINVAL, "inner sizes differ: %s is %lld x %lld and %s is %lld x %lld",
                  ta ? "A'" : "A", (long long)m, (long long)k, tb ? "B'" : "B", (long long)kb,
                  (long long)n);
  if (C->rows != m || C->cols != n)
    return gy_err(GY_EINVAL, "C is %lld x %lld but the product is %lld x %lld",
                  (long long)C->rows, (long long)C->cols, (long long)m, (long long)n);
  if (overlaps(C, A) || overlaps(C, B))
    return gy_err(GY_EINVAL, "C shares storage with an input; BLAS needs a separate output");
  if (m == 0 || n == 0) return GY_OK;
  if (k == 0) {
    /* An empty inner sum: C = beta C, with beta = 0 clearing NaNs as BLAS does. */
    for (int64_t j = 0; j < n; j++)
      for (int64_t i = 0; i < m; i++) GY_AT(C, i, j) = beta == 0 ? 0 : beta * GY_AT(C, i, j);
    return GY_OK;
  }
  double work = (double)m * (double)n * (double)k;
  int64_t panel = n;
  if (work > PANEL_FLOPS) {
    panel = (int64_t)(PANEL_FLOPS / ((double)m * (double)k));
    if (panel < 256) panel = 256;
    if (panel > n) panel = n;
  }
  GY_TRY(gy_check_interrupt());
  for (int64_t j0 = 0; j0 < n; j0 += panel) {
    int64_t nc = n - j0 < panel ? n - j0 : panel;
    /* Columns j0.. of op(B): columns of B, or rows of B when transposed. */
    const double *b = tb ? B->data + j0 : B->data + j0 * B->ld;
    cblas_dgemm(CblasColMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                (int)m, (int)nc, (int)k, alpha, A->data, (int)A->ld, b, (int)B->ld, beta,
                C->data + j0 * C->ld, (int)C->ld);
    if (panel < n) {
      gy_progress_set(j0 + nc, n);
      int st = gy_check_interrupt();
      if (st) {
        gy_progress_set(0, 0);
        return st;
      }
    }
  }
  if (panel < n) gy_progress_set(0, 0);
  return GY_OK;
}

int gy_linalg_matmul(gy_mat *out, const gy_mat *A, int ta, const gy_mat *B, int tb) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_check_mat(A, "A"));
  GY_TRY(gy_check_mat(B, "B"));
  gy_mat C = {0};
  GY_TRY(gy_mat_init(&C, ta ? A->cols : A->rows, tb ? B->rows : B->cols));
  int st = gy_linalg_gemm(&C, 1.0, A, ta, B, tb, 0.0);
  if (st) {
    gy_mat_clear(&C);
    return st;
  }
  give(out, &C);
  return GY_OK;
}

int gy_linalg_syrk(gy_mat *out, const gy_mat *A, int trans, double alpha) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_check_mat(A, "A"));
  GY_TRY(fits_int(A, "A"));
  int64_t n = trans ? A->cols : A->rows, k = trans ? A->rows : A->cols;
  gy_mat S = {0};
  GY_TRY(gy_mat_init(&S, n, n));
  if (n > 0 && k > 0) {
    int st = gy_check_interrupt();
    if (st) {
      gy_mat_clear(&S);
      return st;
    }
    cblas_dsyrk(CblasColMajor, CblasLower, trans ? CblasTrans : CblasNoTrans, (int)n, (int)k,
                alpha, A->data, (int)A->ld, 0.0, S.data, (int)S.ld);
    /* Callers use the result as a full matrix, so mirror the lower triangle. */
    for (int64_t j = 1; j < n; j++)
      for (int64_t i = 0; i < j; i++) GY_AT(&S, i, j) = GY_AT(&S, j, i);
  }
  give(out, &S);
  return GY_OK;
}

/* ------------------------------------------------------------------ decompositions */

int gy_linalg_eigh(gy_mat *w, gy_mat *V, const gy_mat *A) {
  GY_TRY(gy_check_out(w, "eigenvalue output"));
  if (V) GY_TRY(gy_check_out(V, "eigenvector output"));
  GY_TRY(check_square(A, "matrix"));
  GY_TRY(gy_check_interrupt());
  gy_mat W = {0}, Z = {0};
  int st = gy_mat_init(&W, A->rows, 1);
  if (!st) st = gy_mat_copy(&Z, A);
  if (st) goto fail;
  /* dsyevd, as numpy.linalg.eigh: divide and conquer, ascending eigenvalues, Z
   * overwritten by the orthonormal eigenvectors. */
  lapack_int info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, V ? 'V' : 'N', 'L', (lapack_int)Z.rows,
                                   Z.data, (lapack_int)Z.ld, W.data);
  if (info < 0) {
    st = lapack_fail("dsyevd", info);
    goto fail;
  }
  if (info > 0) {
    st = gy_err(GY_ENOCONV, "the eigenvalue algorithm did not converge (%d off-diagonal "
                "elements failed)", (int)info);
    goto fail;
  }
  give(w, &W);
  if (V) give(V, &Z);
  else gy_mat_clear(&Z);
  return GY_OK;
fail:
  gy_mat_clear(&W);
  gy_mat_clear(&Z);
  return st;
}

/* One SVD attempt into U/S/VT (already allocated) from a fresh copy of A. gesdd is fast
 * but occasionally fails to converge where the slower QR-iteration gesvd succeeds (the
 * fallback sklearn's _safe_svd takes), so a failure retries with dgesvd. */
static int svd_into(gy_mat *Uo, gy_mat *So, gy_mat *VTo, const gy_mat *A, char job) {
  gy_mat X = {0};
  GY_TRY(gy_mat_copy(&X, A));
  lapack_int m = (lapack_int)A->rows, n = (lapack_int)A->cols;
  double *u = job == 'N' ? NULL : Uo->data, *vt = job == 'N' ? NULL : VTo->data;
  lapack_int ldu = job == 'N' ? 1 : (lapack_int)Uo->ld;
  lapack_int ldvt = job == 'N' ? 1 : (lapack_int)VTo->ld;
  lapack_int info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, job, m, n, X.data, (lapack_int)X.ld,
                                   So->data, u, ldu, vt, ldvt);
  if (info > 0) {
    gy_mat_clear(&X);
    GY_TRY(gy_mat_copy(&X, A));
    lapack_int k = m < n ? m : n;
    double *superb = gy_alloc((size_t)(k > 1 ? k : 1) * sizeof(double));
    if (!superb) {
      gy_mat_clear(&X);
      return gy_err(GY_ENOMEM, "out of memory for the SVD workspace");
    }
    info = LAPACKE_dgesvd(LAPACK_COL_MAJOR, job, job, m, n, X.data, (lapack_int)X.ld, So->data,
                          u, ldu, vt, ldvt, superb);
    gy_free(superb);
    gy_mat_clear(&X);
    if (info < 0) return lapack_fail("dgesvd", info);
    if (info > 0)
      return gy_err(GY_ENOCONV, "the SVD did not converge (%d superdiagonals failed)", (int)info);
    return GY_OK;
  }
  gy_mat_clear(&X);
  if (info < 0) return lapack_fail("dgesdd", info);
  return GY_OK;
}

int gy_linalg_svd(gy_mat *U, gy_mat *s, gy_mat *Vt, const gy_mat *A, int full) {
  GY_TRY(gy_check_out(s, "singular value output"));
  if (U) GY_TRY(gy_check_out(U, "U output"));
  if (Vt) GY_TRY(gy_check_out(Vt, "Vt output"));
  GY_TRY(check_input(A, "matrix"));
  GY_TRY(gy_check_interrupt());
  int64_t m = A->rows, n = A->cols, k = m < n ? m : n;
  /* Vectors are computed when either is wanted; an unwanted one is dropped at the end. */
  int vectors = U || Vt;
  char job = !vectors ? 'N' : full ? 'A' : 'S';
  gy_mat Uu = {0}, S = {0}, VT = {0};
  int st = gy_mat_init(&S, k, 1);
  if (!st && vectors) st = gy_mat_init(&Uu, m, full ? m : k);
  if (!st && vectors) st = gy_mat_init(&VT, full ? n : k, n);
  if (!st) st = svd_into(&Uu, &S, &VT, A, job);
  if (st) {
    gy_mat_clear(&Uu);
    gy_mat_clear(&S);
    gy_mat_clear(&VT);
    return st;
  }
  give(s, &S);
  if (U) give(U, &Uu);
  else gy_mat_clear(&Uu);
  if (Vt) give(Vt, &VT);
  else gy_mat_clear(&VT);
  return GY_OK;
}

int gy_linalg_solve(gy_mat *X, const gy_mat *A, const gy_mat *B) {
  GY_TRY(gy_check_out(X, "output"));
  GY_TRY(check_square(A, "A"));
  GY_TRY(check_rhs(A, B));
  GY_TRY(gy_check_interrupt());
  gy_mat LU = {0}, Xs = {0};
  lapack_int *ipiv = NULL;
  int st = gy_mat_copy(&LU, A);
  if (!st) st = gy_mat_copy(&Xs, B);
  if (!st && !(ipiv = gy_alloc((size_t)A->rows * sizeof(lapack_int))))
    st = gy_err(GY_ENOMEM, "out of memory for the pivots");
  if (st) goto done;
  lapack_int n = (lapack_int)A->rows;
  lapack_int info = LAPACKE_dgesv(LAPACK_COL_MAJOR, n, (lapack_int)B->cols, LU.data,
                                  (lapack_int)LU.ld, ipiv, Xs.data, n);
  if (info < 0) st = lapack_fail("dgesv", info);
  else if (info > 0) st = gy_err(GY_ESINGULAR, "matrix is singular (pivot %d is zero)", (int)info);
done:
  gy_free(ipiv);
  gy_mat_clear(&LU);
  if (st) gy_mat_clear(&Xs);
  else give(X, &Xs);
  return st;
}

int gy_linalg_cholesky(gy_mat *L, const gy_mat *A) {
  GY_TRY(gy_check_out(L, "output"));
  GY_TRY(check_square(A, "matrix"));
  GY_TRY(gy_check_interrupt());
  gy_mat F = {0};
  GY_TRY(gy_mat_copy(&F, A));
  lapack_int info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', (lapack_int)F.rows, F.data,
                                   (lapack_int)F.ld);
  if (info) {
    gy_mat_clear(&F);
    if (info < 0) return lapack_fail("dpotrf", info);
    return gy_err(GY_ESINGULAR,
                  "matrix is not positive definite (leading minor of order %d)",
                  (int)info);
  }
  /* dpotrf leaves the strict upper triangle as it found it; numpy returns zeros there. */
  for (int64_t j = 1; j < F.cols; j++)
    for (int64_t i = 0; i < j; i++) GY_AT(&F, i, j) = 0;
  give(L, &F);
  return GY_OK;
}

/* LU factorisation of a copy of A into *LU and its pivots; info > 0 (an exactly zero
 * pivot) is returned in *zero_pivot rather than as an error, since det wants it. */
static int lu_copy(gy_mat *LU, lapack_int **ipiv, const gy_mat *A, lapack_int *zero_pivot) {
  GY_TRY(gy_mat_copy(LU, A));
  *ipiv = gy_alloc((size_t)A->rows * sizeof(lapack_int));
  if (!*ipiv) {
    gy_mat_clear(LU);
    return gy_err(GY_ENOMEM, "out of memory for the pivots");
  }
  lapack_int info = LAPACKE_dgetrf(LAPACK_COL_MAJOR, (lapack_int)LU->rows, (lapack_int)LU->cols,
                                   LU->data, (lapack_int)LU->ld, *ipiv);
  if (info < 0) {
    gy_free(*ipiv);
    *ipiv = NULL;
    gy_mat_clear(LU);
    return lapack_fail("dgetrf", info);
  }
  *zero_pivot = info;
  return GY_OK;
}

int gy_linalg_inv(gy_mat *out, const gy_mat *A) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(check_square(A, "matrix"));
  GY_TRY(gy_check_interrupt());
  gy_mat LU = {0};
  lapack_int *ipiv = NULL, zero = 0;
  GY_TRY(lu_copy(&LU, &ipiv, A, &zero));
  int st = GY_OK;
  if (zero > 0) {
    st = gy_err(GY_ESINGULAR, "matrix is singular (pivot %d is zero)", (int)zero);
  } else {
    lapack_int info = LAPACKE_dgetri(LAPACK_COL_MAJOR, (lapack_int)LU.rows, LU.data,
                                     (lapack_int)LU.ld, ipiv);
    if (info < 0) st = lapack_fail("dgetri", info);
    else if (info > 0) st = gy_err(GY_ESINGULAR, "matrix is singular (pivot %d is zero)", (int)info);
  }
  gy_free(ipiv);
  if (st) gy_mat_clear(&LU);
  else give(out, &LU);
  return st;
}

int gy_linalg_det(double *det, const gy_mat *A) {
  if (!det) return gy_err(GY_EINVAL, "the determinant output is missing");
  GY_TRY(check_square(A, "matrix"));
  GY_TRY(gy_check_interrupt());
  gy_mat LU = {0};
  lapack_int *ipiv = NULL, zero = 0;
  GY_TRY(lu_copy(&LU, &ipiv, A, &zero));
  if (zero > 0) {
    *det = 0.0;
  } else {
    /* The product of U's diagonal kept as mantissa and exponent, so partial products that
     * overflow or underflow do not spoil a representable determinant. */
    double mant = 1.0;
    long exp2 = 0;
    for (int64_t i = 0; i < LU.rows; i++) {
      int e;
      mant *= frexp(GY_AT(&LU, i, i), &e);
      exp2 += e;
      if (ipiv[i] != (lapack_int)(i + 1)) mant = -mant;
      mant = frexp(mant, &e);
      exp2 += e;
    }
    if (exp2 > INT_MAX) exp2 = INT_MAX;
    if (exp2 < INT_MIN) exp2 = INT_MIN;
    *det = ldexp(mant, (int)exp2);
  }
  gy_free(ipiv);
  gy_mat_clear(&LU);
  return GY_OK;
}

/* ------------------------------------------------------------------ SVD-based solvers */

int gy_linalg_pinv(gy_mat *out, const gy_mat *A, double rcond) {
  GY_TRY(gy_check_out(out, "output"));
  if (isnan(rcond) || isinf(rcond)) return gy_err(GY_EINVAL, "rcond must be finite, got %g", rcond);
  if (rcond < 0) rcond = 1e-15;
  GY_TRY(check_input(A, "matrix"));
  int64_t m = A->rows, n = A->cols;
  gy_mat U = {0}, s = {0}, Vt = {0}, P = {0};
  int st = gy_linalg_svd(&U, &s, &Vt, A, 0);
  if (st) return st;
  /* numpy: singular values above rcond * max(s) are inverted, the rest count as zero. */
  double cutoff = rcond * s.data[0];
  int64_t r = 0;
  while (r < s.rows && s.data[r] > cutoff) r++;
  st = gy_mat_init(&P, n, m);
  if (!st && r > 0) {
    /* pinv = Vt' diag(1/s) U' over the r kept triplets: scale the rows of Vt, then one
     * product with the first r columns of U. */
    for (int64_t j = 0; j < n; j++)
      for (int64_t i = 0; i < r; i++) GY_AT(&Vt, i, j) /= s.data[i];
    gy_mat Vr = {0}, Ur = {0};
    st = gy_mat_view(&Vr, &Vt, 0, 0, r, n);
    if (!st) st = gy_mat_view(&Ur, &U, 0, 0, m, r);
    if (!st) st = gy_linalg_gemm(&P, 1.0, &Vr, 1, &Ur, 1, 0.0);
  }
  gy_mat_clear(&U);
  gy_mat_clear(&s);
  gy_mat_clear(&Vt);
  if (st) gy_mat_clear(&P);
  else give(out, &P);
  return st;
}

int gy_linalg_lstsq(gy_mat *X, const gy_mat *A, const gy_mat *B, double rcond, int64_t *rank) {
  GY_TRY(gy_check_out(X, "output"));
  if (isnan(rcond) || isinf(rcond)) return gy_err(GY_EINVAL, "rcond must be finite, got %g", rcond);
  GY_TRY(check_input(A, "A"));
  GY_TRY(check_rhs(A, B));
  GY_TRY(gy_check_interrupt());
  int64_t m = A->rows, n = A->cols, k = m < n ? m : n, mn = m > n ? m : n;
  /* numpy's rcond=None: eps * max(m, n), relative to the largest singular value. */
  if (rcond < 0) rcond = DBL_EPSILON * (double)mn;
  gy_mat Ac = {0}, W = {0}, S = {0}, Xs = {0};
  int st = gy_mat_copy(&Ac, A);
  /* dgelsd takes B in a max(m, n)-row array and returns X in its first n rows. It refuses
   * zero right-hand sides, so an empty B still gets the rank from one zero column. */
  int64_t nrhs = B->cols > 0 ? B->cols : 1;
  if (!st) st = gy_mat_init(&W, mn, nrhs);
  if (!st) st = gy_mat_init(&S, k, 1);
  if (!st) st = gy_mat_init(&Xs, n, B->cols);
  if (st) goto done;
  for (int64_t j = 0; j < B->cols; j++)
    memcpy(W.data + j * W.ld, B->data + j * B->ld, (size_t)m * sizeof(double));
  lapack_int r = 0;
  lapack_int info = LAPACKE_dgelsd(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n,
                                   (lapack_int)nrhs, Ac.data, (lapack_int)Ac.ld, W.data,
                                   (lapack_int)W.ld, S.data, rcond, &r);
  if (info < 0) {
    st = lapack_fail("dgelsd", info);
  } else if (info > 0) {
    st = gy_err(GY_ENOCONV, "the SVD did not converge (%d off-diagonal elements failed)",
                (int)info);
  } else {
    for (int64_t j = 0; j < B->cols; j++)
      memcpy(Xs.data + j * Xs.ld, W.data + j * W.ld, (size_t)n * sizeof(double));
    if (rank) *rank = r;
  }
done:
  gy_mat_clear(&Ac);
  gy_mat_clear(&W);
  gy_mat_clear(&S);
  if (st) gy_mat_clear(&Xs);
  else give(X, &Xs);
  return st;
}

/* ------------------------------------------------------------------ threads */

int gy_linalg_threads(int n) {
  if (n > 0) openblas_set_num_threads(n);
  return openblas_get_num_threads();
}
