-- Help texts of gy.linalg (lua/gyrus/linalg.lua). Format: a signature line, one paragraph
-- with the formula, options with defaults, and an "Example:" whose indented lines
-- tests/lua/help_spec.lua runs.
return {
["gy.linalg.matmul"] = [[
gy.linalg.matmul(A, B [, {ta=false, tb=false}]) -> matrix
The matrix product op(A) op(B) by BLAS dgemm, where op transposes when ta / tb is true, so
A'B needs no transposed copy (numpy: A.T @ B). The inner sizes must agree. The * operator
of matrices calls this. NaN and Inf propagate as in numpy; an empty inner size gives zeros.
Long products run in column panels so Ctrl-C stops them.
Options: ta (default false), tb (default false).
Example:
  local A = gy.randn(100, 3, {seed = 1})
  local G = gy.linalg.matmul(A, A, {ta = true})   -- 3 x 3 Gram matrix A'A
]],
["gy.linalg.syrk"] = [[
gy.linalg.syrk(A [, {trans=true, alpha=1}]) -> matrix
The symmetric rank-k product alpha A'A (trans = true: columns x columns, e.g. a scatter
matrix of variables) or alpha AA' (trans = false: rows x rows), by BLAS dsyrk at about half
the cost of a general product; both triangles are filled.
Options: trans (default true), alpha (default 1).
Example:
  local X = gy.randn(200, 4, {seed = 1})
  local C = gy.linalg.syrk(X, {alpha = 1 / 199})   -- X'X / (n - 1)
]],
["gy.linalg.eigh"] = [[
gy.linalg.eigh(A [, {eigvals_only=false}]) -> w, V
Eigendecomposition of a symmetric matrix, A = V diag(w) V', by LAPACK dsyevd as
numpy.linalg.eigh: eigenvalues w (n x 1) in ascending order, orthonormal eigenvectors in the
columns of V. Only the lower triangle of A is read. The sign of each eigenvector is
arbitrary (compare V diag(w) V' or |V| across libraries). NaN/Inf input is an error.
Options: eigvals_only (default false; scipy's name): return w alone, faster.
Example:
  local w, V = gy.linalg.eigh({{2, 1}, {1, 2}})   -- w = {1, 3}
]],
["gy.linalg.svd"] = [[
gy.linalg.svd(A [, {full_matrices=false, compute_uv=true}]) -> U, s, Vt
Singular value decomposition A = U diag(s) Vt by LAPACK dgesdd (falling back to dgesvd if
it fails to converge): s (k x 1, k = min(m, n)) in descending order. Thin factors by
default, U m x k and Vt k x n; full_matrices = true gives U m x m and Vt n x n.
Note: numpy's default is full_matrices=True; gyrus defaults to the thin factors, which are
what analyses use and far smaller for tall data. Signs of singular-vector pairs are arbitrary.
Options: full_matrices (default false), compute_uv (default true; false returns s alone).
Example:
  local U, s, Vt = gy.linalg.svd(gy.randn(50, 4, {seed = 1}))
  local s_only = gy.linalg.svd(gy.randn(50, 4, {seed = 1}), {compute_uv = false})
]],
["gy.linalg.solve"] = [[
gy.linalg.solve(A, B) -> X
Solves A X = B for a square A by LU with partial pivoting (LAPACK dgesv), as
numpy.linalg.solve; B may be a column (a flat table) or several columns. An exactly
singular A is an error ("matrix is singular"); a nearly singular one is solved without
warning, as in numpy (check gy.linalg.svd for the condition number).
Example:
  local x = gy.linalg.solve({{3, 1}, {1, 2}}, {9, 8})   -- {2, 3}
]],
["gy.linalg.cholesky"] = [[
gy.linalg.cholesky(A) -> L
The lower-triangular Cholesky factor, A = L L', by LAPACK dpotrf (numpy.linalg.cholesky).
Only the lower triangle of A is read; the upper triangle of L is zero. A matrix that is not
positive definite is an error naming the failing leading minor.
Example:
  local L = gy.linalg.cholesky({{4, 2}, {2, 3}})   -- {{2, 0}, {1, 1.414...}}
]],
["gy.linalg.inv"] = [[
gy.linalg.inv(A) -> matrix
The inverse of a square matrix by LU (LAPACK dgetrf + dgetri), as numpy.linalg.inv. A
singular matrix is an error. To apply an inverse, gy.linalg.solve(A, B) is faster and more
accurate than inv(A) * B.
Example:
  local Ai = gy.linalg.inv({{4, 7}, {2, 6}})   -- {{0.6, -0.7}, {-0.2, 0.4}}
]],
["gy.linalg.pinv"] = [[
gy.linalg.pinv(A [, {rcond=1e-15}]) -> matrix
The Moore-Penrose pseudo-inverse by SVD, pinv(A) = V diag(1/s) U', where singular values
s_i <= rcond * max(s) count as zero (numpy.linalg.pinv, same default). Works for any shape
and rank; the result is n x m for an m x n A.
Options: rcond (default 1e-15, >= 0).
Example:
  local P = gy.linalg.pinv({{1, 2}, {2, 4}, {3, 6}})   -- rank 1: A' / 70
]],
["gy.linalg.lstsq"] = [[
gy.linalg.lstsq(A, B [, {rcond=}]) -> X, rank
The least-squares solution X = argmin ||A X - B|| (minimum norm when A is rank deficient or
underdetermined) by LAPACK dgelsd, as numpy.linalg.lstsq; rank is the effective rank, the
number of singular values above rcond * max(s). Unlike numpy, residuals and singular values
are not returned (use gy.linalg.svd).
Options: rcond (default eps * max(m, n), numpy's rcond=None; a negative value is numpy's
legacy rcond=-1, machine precision).
Example:
  local X, rank = gy.linalg.lstsq({{1, 0}, {1, 1}, {1, 2}, {1, 3}}, {1, 3, 5, 7})   -- {1, 2}, 2
]],
["gy.linalg.det"] = [[
gy.linalg.det(A) -> number
The determinant of a square matrix from its LU factors (numpy.linalg.det): the product of
U's diagonal times the sign of the row permutation, accumulated as mantissa and exponent so
only a determinant that is itself out of range overflows. Exactly singular gives 0.
Example:
  local d = gy.linalg.det({{1, 2}, {3, 4}})   -- -2
]],
["gy.linalg.threads"] = [[
gy.linalg.threads([n]) -> number
Sets the number of OpenBLAS threads to n (when given) and returns the number in force.
The environment variable OPENBLAS_NUM_THREADS sets the starting value; several threads make
large products faster but sums may differ in the last bits between runs, so tests pin 1.
Example:
  local n = gy.linalg.threads()
  gy.linalg.threads(n)
]],
}
