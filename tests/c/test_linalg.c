/* BLAS/LAPACK wrappers: hand-derived small cases, properties on random matrices (products
 * against naive loops, reconstructions, orthogonality), every error path, and that a
 * failing call leaves its outputs empty and nothing allocated. numpy agreement is checked
 * by tests/lua/linalg_spec.lua against fixtures. */
#include "test.h"

#include <float.h>
#include <stdint.h>

static gy_rng rng;

static gy_mat randn(int64_t r, int64_t c) {
  gy_mat m = {0};
  gy_mat_init(&m, r, c);
  gy_rng_fill_normal(&rng, &m);
  return m;
}

static gy_mat from_rows(int64_t r, int64_t c, const double *rows) {
  gy_mat m = {0};
  gy_mat_init(&m, r, c);
  for (int64_t i = 0; i < r; i++)
    for (int64_t j = 0; j < c; j++) m.data[i + j * m.ld] = rows[i * c + j];
  return m;
}

static double at(const gy_mat *m, int64_t i, int64_t j) { return m->data[i + j * m->ld]; }

/* op(A)(i, j) for the naive reference product. */
static double op_at(const gy_mat *m, int t, int64_t i, int64_t j) {
  return t ? at(m, j, i) : at(m, i, j);
}

static double naive_entry(const gy_mat *A, int ta, const gy_mat *B, int tb, int64_t i, int64_t j) {
  int64_t k = ta ? A->rows : A->cols;
  double s = 0;
  for (int64_t p = 0; p < k; p++) s += op_at(A, ta, i, p) * op_at(B, tb, p, j);
  return s;
}

/* max |X - Y| over all elements (shapes must agree, else infinity). */
static double maxdiff(const gy_mat *X, const gy_mat *Y) {
  if (X->rows != Y->rows || X->cols != Y->cols) return INFINITY;
  double d = 0;
  for (int64_t j = 0; j < X->cols; j++)
    for (int64_t i = 0; i < X->rows; i++) d = fmax(d, fabs(at(X, i, j) - at(Y, i, j)));
  return d;
}

/* max |Q'Q - I| (orthonormal columns). */
static double orth_err(const gy_mat *Q) {
  gy_mat G = {0};
  if (gy_linalg_matmul(&G, Q, 1, Q, 0)) return INFINITY;
  double d = 0;
  for (int64_t j = 0; j < G.cols; j++)
    for (int64_t i = 0; i < G.rows; i++) d = fmax(d, fabs(at(&G, i, j) - (i == j)));
  gy_mat_clear(&G);
  return d;
}

static int is_empty(const gy_mat *m) { return m->data == NULL && m->rows == 0 && m->cols == 0; }

static void test_gemm(void) {
  const double a[] = {1, 2, 3, 4, 5, 6}, b[] = {7, 8, 9, 10, 11, 12};
  gy_mat A = from_rows(2, 3, a), B = from_rows(3, 2, b), C = {0};
  CHECK_OK(gy_linalg_matmul(&C, &A, 0, &B, 0));
  CHECK(C.rows == 2 && C.cols == 2);
  CHECK(at(&C, 0, 0) == 58 && at(&C, 0, 1) == 64 && at(&C, 1, 0) == 139 && at(&C, 1, 1) == 154);

  /* C = 2 A B + 1 C accumulates; into a view whose stride is larger than its rows. */
  gy_mat big = {0}, Cv = {0};
  CHECK_OK(gy_mat_init(&big, 5, 4));
  gy_mat_fill(&big, 1.0);
  CHECK_OK(gy_mat_view(&Cv, &big, 1, 1, 2, 2));
  CHECK_OK(gy_linalg_gemm(&Cv, 2.0, &A, 0, &B, 0, 1.0));
  CHECK(at(&Cv, 0, 0) == 117 && at(&Cv, 1, 1) == 309);
  CHECK(at(&big, 0, 0) == 1 && at(&big, 3, 1) == 1 && at(&big, 1, 3) == 1); /* untouched */

  /* beta = 0 ignores what C held, NaN included (as BLAS does). */
  gy_mat_fill(&Cv, NAN);
  CHECK_OK(gy_linalg_gemm(&Cv, 1.0, &A, 0, &B, 0, 0.0));
  CHECK(at(&Cv, 1, 0) == 139);

  /* NaN and Inf propagate through products as in numpy. */
  gy_mat An = {0}, Pn = {0};
  CHECK_OK(gy_mat_copy(&An, &A));
  An.data[0] = NAN;
  CHECK_OK(gy_linalg_matmul(&Pn, &An, 0, &B, 0));
  CHECK(isnan(at(&Pn, 0, 0)) && isnan(at(&Pn, 0, 1)) && at(&Pn, 1, 0) == 139);
  gy_mat_clear(&An), gy_mat_clear(&Pn);

  /* Every transpose combination against naive loops. */
  gy_mat R1 = randn(7, 5), R2 = randn(5, 6), R1t = {0}, R2t = {0};
  CHECK_OK(gy_mat_transpose(&R1t, &R1));
  CHECK_OK(gy_mat_transpose(&R2t, &R2));
  for (int ta = 0; ta < 2; ta++)
    for (int tb = 0; tb < 2; tb++) {
      const gy_mat *X = ta ? &R1t : &R1, *Y = tb ? &R2t : &R2;
      gy_mat P = {0};
      CHECK_OK(gy_linalg_matmul(&P, X, ta, Y, tb));
      double d = 0;
      for (int64_t j = 0; j < 6; j++)
        for (int64_t i = 0; i < 7; i++) d = fmax(d, fabs(at(&P, i, j) - naive_entry(X, ta, Y, tb, i, j)));
      CHECK(P.rows == 7 && P.cols == 6 && d < 1e-13);
      gy_mat_clear(&P);
    }

  /* An empty inner size: the product is zeros (and beta scales C). */
  gy_mat E1 = {0}, E2 = {0}, Z = {0};
  CHECK_OK(gy_mat_init(&E1, 3, 0));
  CHECK_OK(gy_mat_init(&E2, 0, 2));
  CHECK_OK(gy_linalg_matmul(&Z, &E1, 0, &E2, 0));
  CHECK(Z.rows == 3 && Z.cols == 2 && at(&Z, 2, 1) == 0);
  gy_mat_fill(&Z, 2.0);
  CHECK_OK(gy_linalg_gemm(&Z, 1.0, &E1, 0, &E2, 0, 3.0));
  CHECK(at(&Z, 1, 1) == 6.0);
  gy_mat Z2 = {0};
  CHECK_OK(gy_linalg_matmul(&Z2, &E2, 1, &E1, 1)); /* 2 x 0 times 0 x 3 */
  CHECK(Z2.rows == 2 && Z2.cols == 3);

  /* Errors. */
  gy_mat out = {0};
  CHECK_FAILS(gy_linalg_matmul(&out, &A, 0, &A, 0), GY_EINVAL,
              "inner sizes differ: A is 2 x 3 and B is 2 x 3");
  CHECK(is_empty(&out));
  CHECK_FAILS(gy_linalg_matmul(&out, &A, 1, &A, 1), GY_EINVAL, "A' is 3 x 2 and B' is 3 x 2");
  CHECK_FAILS(gy_linalg_matmul(&C, &A, 0, &B, 0), GY_EINVAL, "must be empty");
  CHECK_FAILS(gy_linalg_matmul(&out, NULL, 0, &B, 0), GY_EINVAL, "A is missing");
  CHECK_FAILS(gy_linalg_gemm(&C, 1, &A, 0, &B, 1, 0), GY_EINVAL, "inner sizes differ");
  CHECK_FAILS(gy_linalg_gemm(&C, 1, &A, 1, &A, 0, 0), GY_EINVAL,
              "C is 2 x 2 but the product is 3 x 3");
  CHECK_FAILS(gy_linalg_gemm(&C, 1, &B, 0, &A, 0, 0), GY_EINVAL,
              "C is 2 x 2 but the product is 3 x 3");
  gy_mat Cself = {0};
  CHECK_OK(gy_mat_view(&Cself, &C, 0, 0, 2, 2));
  CHECK_FAILS(gy_linalg_gemm(&Cself, 1, &C, 0, &C, 0, 0), GY_EINVAL, "shares storage");

  gy_mat_clear(&A), gy_mat_clear(&B), gy_mat_clear(&C), gy_mat_clear(&big);
  gy_mat_clear(&R1), gy_mat_clear(&R2), gy_mat_clear(&R1t), gy_mat_clear(&R2t);
  gy_mat_clear(&E1), gy_mat_clear(&E2), gy_mat_clear(&Z), gy_mat_clear(&Z2);
}

/* A product large enough to run in column panels (with progress and Ctrl-C polling):
 * entries in the first and the last panel against naive dot products, with B transposed
 * too since a panel of B' starts at a row of B. */
static void test_gemm_panels(void) {
  const int64_t m = 600, k = 1200, n = 3000;
  gy_mat A = randn(m, k), B = randn(k, n), Bt = {0}, P = {0}, Pt = {0};
  CHECK_OK(gy_mat_transpose(&Bt, &B));
  CHECK_OK(gy_linalg_matmul(&P, &A, 0, &B, 0));
  CHECK_OK(gy_linalg_matmul(&Pt, &A, 0, &Bt, 1));
  const int64_t cols[] = {0, 1, 1500, 2776, 2777, 2778, 2999};
  double d = 0, dt = 0;
  for (int c = 0; c < 7; c++)
    for (int64_t i = 0; i < m; i += 37) {
      double ref = naive_entry(&A, 0, &B, 0, i, cols[c]);
      d = fmax(d, fabs(at(&P, i, cols[c]) - ref));
      dt = fmax(dt, fabs(at(&Pt, i, cols[c]) - ref));
    }
  CHECK(d < 1e-10 && dt < 1e-10);
  int64_t done = -1, total = -1;
  gy_progress_get(&done, &total);
  CHECK(total == 0); /* reset when finished */

  gy_mat out = {0};
  gy_interrupt(1);
  CHECK_FAILS(gy_linalg_matmul(&out, &A, 0, &B, 0), GY_EINTR, "interrupted");
  gy_interrupt(0);
  CHECK(is_empty(&out));
  gy_mat_clear(&A), gy_mat_clear(&B), gy_mat_clear(&Bt), gy_mat_clear(&P), gy_mat_clear(&Pt);
}

static void test_syrk(void) {
  gy_mat A = randn(9, 4);
  for (int trans = 0; trans < 2; trans++) {
    gy_mat S = {0};
    CHECK_OK(gy_linalg_syrk(&S, &A, trans, 0.5));
    int64_t n = trans ? 4 : 9;
    CHECK(S.rows == n && S.cols == n);
    double d = 0;
    for (int64_t j = 0; j < n; j++)
      for (int64_t i = 0; i < n; i++)
        d = fmax(d, fabs(at(&S, i, j) - 0.5 * naive_entry(&A, trans, &A, !trans, i, j)));
    CHECK(d < 1e-13);
    gy_mat_clear(&S);
  }
  gy_mat E = {0}, S = {0};
  CHECK_OK(gy_mat_init(&E, 0, 3));
  CHECK_OK(gy_linalg_syrk(&S, &E, 1, 1.0));
  CHECK(S.rows == 3 && S.cols == 3 && at(&S, 2, 2) == 0);
  CHECK_FAILS(gy_linalg_syrk(&S, &A, 1, 1.0), GY_EINVAL, "must be empty");
  gy_mat out = {0};
  CHECK_FAILS(gy_linalg_syrk(&out, NULL, 1, 1.0), GY_EINVAL, "A is missing");
  gy_mat_clear(&A), gy_mat_clear(&E), gy_mat_clear(&S);
}

static void test_eigh(void) {
  const double a[] = {2, 1, 1, 2};
  gy_mat A = from_rows(2, 2, a), w = {0}, V = {0};
  CHECK_OK(gy_linalg_eigh(&w, &V, &A));
  CHECK(w.rows == 2 && w.cols == 1);
  CHECK_NEAR(w.data[0], 1.0, 1e-14);
  CHECK_NEAR(w.data[1], 3.0, 1e-14);
  CHECK_NEAR(fabs(at(&V, 0, 0)), sqrt(0.5), 1e-14);
  CHECK_NEAR(at(&V, 0, 0) * at(&V, 1, 0), -0.5, 1e-14); /* (1, -1)/sqrt 2 */
  CHECK_NEAR(at(&V, 0, 1) * at(&V, 1, 1), 0.5, 1e-14);  /* (1, 1)/sqrt 2 */
  gy_mat_clear(&w), gy_mat_clear(&V);

  /* Random symmetric: ascending, V orthonormal, V diag(w) V' = A; only the lower
   * triangle is read. */
  const int64_t n = 20;
  gy_mat R = randn(n, n), S = {0};
  CHECK_OK(gy_mat_init(&S, n, n));
  for (int64_t j = 0; j < n; j++)
    for (int64_t i = 0; i < n; i++) S.data[i + j * n] = at(&R, i, j) + at(&R, j, i);
  gy_mat Sg = {0};
  CHECK_OK(gy_mat_copy(&Sg, &S));
  for (int64_t j = 1; j < n; j++)
    for (int64_t i = 0; i < j; i++) Sg.data[i + j * n] = 1e300; /* upper: ignored */
  CHECK_OK(gy_linalg_eigh(&w, &V, &Sg));
  int asc = 1;
  for (int64_t i = 1; i < n; i++) asc &= w.data[i] >= w.data[i - 1];
  CHECK(asc);
  CHECK(orth_err(&V) < 1e-13);
  gy_mat VW = {0}, Rec = {0};
  CHECK_OK(gy_mat_copy(&VW, &V));
  for (int64_t j = 0; j < n; j++)
    for (int64_t i = 0; i < n; i++) VW.data[i + j * n] *= w.data[j];
  CHECK_OK(gy_linalg_matmul(&Rec, &VW, 0, &V, 1));
  CHECK(maxdiff(&Rec, &S) < 1e-12);
  gy_mat w2 = {0};
  CHECK_OK(gy_linalg_eigh(&w2, NULL, &S));
  CHECK(maxdiff(&w2, &w) < 1e-12);

  /* Errors leave the outputs empty. */
  gy_mat ow = {0}, oV = {0}, NS = randn(3, 2), E = {0};
  CHECK_OK(gy_mat_init(&E, 0, 0));
  CHECK_FAILS(gy_linalg_eigh(&ow, &oV, &NS), GY_EINVAL, "matrix must be square, got 3 x 2");
  CHECK_FAILS(gy_linalg_eigh(&ow, &oV, &E), GY_EINVAL, "matrix is empty (0 x 0)");
  CHECK_FAILS(gy_linalg_eigh(&ow, &oV, NULL), GY_EINVAL, "matrix is missing");
  CHECK_FAILS(gy_linalg_eigh(&w, &oV, &S), GY_EINVAL, "must be empty");
  CHECK_FAILS(gy_linalg_eigh(&ow, &V, &S), GY_EINVAL, "must be empty");
  S.data[3 + 5 * n] = NAN;
  CHECK_FAILS(gy_linalg_eigh(&ow, &oV, &S), GY_EINVAL, "non-finite value (nan) at row 4, column 6");
  S.data[3 + 5 * n] = -INFINITY;
  CHECK_FAILS(gy_linalg_eigh(&ow, &oV, &S), GY_EINVAL, "non-finite value (-inf)");
  gy_interrupt(1);
  CHECK_FAILS(gy_linalg_eigh(&ow, &oV, &A), GY_EINTR, "interrupted");
  gy_interrupt(0);
  CHECK(is_empty(&ow) && is_empty(&oV));

  gy_mat_clear(&A), gy_mat_clear(&R), gy_mat_clear(&S), gy_mat_clear(&Sg), gy_mat_clear(&w);
  gy_mat_clear(&V), gy_mat_clear(&VW), gy_mat_clear(&Rec), gy_mat_clear(&w2);
  gy_mat_clear(&NS), gy_mat_clear(&E);
}

/* U diag(s) Vt for the first k singular triplets. */
static void check_svd(const gy_mat *A, int full) {
  int64_t m = A->rows, n = A->cols, k = m < n ? m : n;
  gy_mat U = {0}, s = {0}, Vt = {0};
  CHECK_OK(gy_linalg_svd(&U, &s, &Vt, A, full));
  CHECK(s.rows == k && s.cols == 1);
  CHECK(U.rows == m && U.cols == (full ? m : k));
  CHECK(Vt.rows == (full ? n : k) && Vt.cols == n);
  int desc = 1;
  for (int64_t i = 1; i < k; i++) desc &= s.data[i] <= s.data[i - 1] && s.data[i] >= 0;
  CHECK(desc);
  CHECK(orth_err(&U) < 1e-13);
  gy_mat V = {0};
  CHECK_OK(gy_mat_transpose(&V, &Vt));
  CHECK(orth_err(&V) < 1e-13);
  gy_mat Us = {0}, Uk = {0}, Vk = {0}, Rec = {0};
  CHECK_OK(gy_mat_view(&Uk, &U, 0, 0, m, k));
  CHECK_OK(gy_mat_view(&Vk, &Vt, 0, 0, k, n));
  CHECK_OK(gy_mat_copy(&Us, &Uk));
  for (int64_t j = 0; j < k; j++)
    for (int64_t i = 0; i < m; i++) Us.data[i + j * m] *= s.data[j];
  CHECK_OK(gy_linalg_matmul(&Rec, &Us, 0, &Vk, 0));
  CHECK(maxdiff(&Rec, A) < 1e-12);
  /* Values alone, and one factor alone, agree with the full call. */
  gy_mat s2 = {0}, U2 = {0}, s3 = {0};
  CHECK_OK(gy_linalg_svd(NULL, &s2, NULL, A, full));
  CHECK(maxdiff(&s2, &s) < 1e-12);
  CHECK_OK(gy_linalg_svd(&U2, &s3, NULL, A, full));
  CHECK(U2.rows == U.rows && U2.cols == U.cols && maxdiff(&s3, &s) < 1e-12);
  gy_mat_clear(&U), gy_mat_clear(&s), gy_mat_clear(&Vt), gy_mat_clear(&V), gy_mat_clear(&Us);
  gy_mat_clear(&Rec), gy_mat_clear(&s2), gy_mat_clear(&U2), gy_mat_clear(&s3);
}

static void test_svd(void) {
  gy_mat T = randn(9, 5), W = randn(5, 9);
  check_svd(&T, 0);
  check_svd(&T, 1);
  check_svd(&W, 0);
  check_svd(&W, 1);
  /* diag(3, -4): singular values 4, 3. */
  const double d[] = {3, 0, 0, -4};
  gy_mat D = from_rows(2, 2, d), s = {0};
  CHECK_OK(gy_linalg_svd(NULL, &s, NULL, &D, 0));
  CHECK_NEAR(s.data[0], 4, 1e-15);
  CHECK_NEAR(s.data[1], 3, 1e-15);

  gy_mat oU = {0}, os = {0}, oV = {0}, E = {0};
  CHECK_OK(gy_mat_init(&E, 0, 4));
  CHECK_FAILS(gy_linalg_svd(&oU, &os, &oV, &E, 0), GY_EINVAL, "matrix is empty (0 x 4)");
  CHECK_FAILS(gy_linalg_svd(&oU, &s, &oV, &T, 0), GY_EINVAL, "must be empty");
  CHECK_FAILS(gy_linalg_svd(&oU, &os, &oV, NULL, 0), GY_EINVAL, "matrix is missing");
  T.data[7] = INFINITY;
  CHECK_FAILS(gy_linalg_svd(&oU, &os, &oV, &T, 0), GY_EINVAL, "non-finite value (inf) at row 8, column 1");
  CHECK(is_empty(&oU) && is_empty(&os) && is_empty(&oV));
  gy_mat_clear(&T), gy_mat_clear(&W), gy_mat_clear(&D), gy_mat_clear(&s), gy_mat_clear(&E);
}

static void test_solve(void) {
  const double a[] = {3, 1, 1, 2}, b[] = {9, 8};
  gy_mat A = from_rows(2, 2, a), B = from_rows(2, 1, b), X = {0};
  CHECK_OK(gy_linalg_solve(&X, &A, &B));
  CHECK_NEAR(X.data[0], 2, 1e-15);
  CHECK_NEAR(X.data[1], 3, 1e-15);
  CHECK(A.data[0] == 3 && A.data[3] == 2 && B.data[0] == 9); /* inputs untouched */
  gy_mat_clear(&X);

  /* Random 30 x 30 with 3 right-hand sides: the residual is tiny. */
  gy_mat R = randn(30, 30), RB = randn(30, 3), RX = {0}, AX = {0};
  CHECK_OK(gy_linalg_solve(&RX, &R, &RB));
  CHECK_OK(gy_linalg_matmul(&AX, &R, 0, &RX, 0));
  CHECK(maxdiff(&AX, &RB) < 1e-10);

  /* Inputs that are views with a column stride larger than their rows. */
  gy_mat Rbig = {0}, Av = {0}, Bv = {0}, Xv = {0};
  CHECK_OK(gy_mat_init(&Rbig, 40, 40));
  CHECK_OK(gy_mat_view(&Av, &Rbig, 3, 5, 30, 30));
  CHECK_OK(gy_mat_view(&Bv, &Rbig, 2, 36, 30, 3));
  CHECK_OK(gy_mat_assign(&Av, &R));
  CHECK_OK(gy_mat_assign(&Bv, &RB));
  CHECK_OK(gy_linalg_solve(&Xv, &Av, &Bv));
  CHECK(maxdiff(&Xv, &RX) == 0);
  gy_mat_clear(&Rbig), gy_mat_clear(&Xv);

  /* No right-hand sides is valid and gives n x 0. */
  gy_mat B0 = {0}, X0 = {0};
  CHECK_OK(gy_mat_init(&B0, 2, 0));
  CHECK_OK(gy_linalg_solve(&X0, &A, &B0));
  CHECK(X0.rows == 2 && X0.cols == 0);

  const double s[] = {1, 2, 2, 4}, b3[] = {1, 2, 3};
  gy_mat Sg = from_rows(2, 2, s), B3 = from_rows(3, 1, b3), NS = randn(2, 3), E = {0};
  CHECK_OK(gy_mat_init(&E, 0, 0));
  CHECK_FAILS(gy_linalg_solve(&X, &Sg, &B), GY_ESINGULAR, "matrix is singular");
  CHECK(is_empty(&X));
  CHECK_FAILS(gy_linalg_solve(&X, &A, &B3), GY_EINVAL, "A is 2 x 2 and B is 3 x 1: B needs 2 rows");
  CHECK_FAILS(gy_linalg_solve(&X, &NS, &B), GY_EINVAL, "A must be square, got 2 x 3");
  CHECK_FAILS(gy_linalg_solve(&X, &E, &B), GY_EINVAL, "A is empty");
  CHECK_FAILS(gy_linalg_solve(&X, &A, NULL), GY_EINVAL, "B is missing");
  CHECK_FAILS(gy_linalg_solve(&RX, &A, &B), GY_EINVAL, "must be empty");
  B.data[1] = NAN;
  CHECK_FAILS(gy_linalg_solve(&X, &A, &B), GY_EINVAL, "B has a non-finite value (nan) at row 2");
  A.data[0] = NAN;
  CHECK_FAILS(gy_linalg_solve(&X, &A, &B), GY_EINVAL, "A has a non-finite value");
  CHECK(is_empty(&X));
  gy_mat_clear(&A), gy_mat_clear(&B), gy_mat_clear(&R), gy_mat_clear(&RB), gy_mat_clear(&RX);
  gy_mat_clear(&AX), gy_mat_clear(&B0), gy_mat_clear(&X0), gy_mat_clear(&Sg), gy_mat_clear(&B3);
  gy_mat_clear(&NS), gy_mat_clear(&E);
}

static void test_cholesky(void) {
  const double a[] = {4, 2, 2, 3};
  gy_mat A = from_rows(2, 2, a), L = {0};
  CHECK_OK(gy_linalg_cholesky(&L, &A));
  CHECK_NEAR(at(&L, 0, 0), 2, 1e-15);
  CHECK_NEAR(at(&L, 1, 0), 1, 1e-15);
  CHECK_NEAR(at(&L, 1, 1), sqrt(2.0), 1e-15);
  CHECK(at(&L, 0, 1) == 0); /* upper triangle zeroed */

  const double np[] = {1, 2, 2, 1}, neg[] = {-1};
  gy_mat N = from_rows(2, 2, np), Ng = from_rows(1, 1, neg), out = {0}, NS = randn(3, 2);
  CHECK_FAILS(gy_linalg_cholesky(&out, &N), GY_ESINGULAR,
              "matrix is not positive definite (leading minor of order 2)");
  CHECK_FAILS(gy_linalg_cholesky(&out, &Ng), GY_ESINGULAR, "not positive definite");
  CHECK_FAILS(gy_linalg_cholesky(&out, &NS), GY_EINVAL, "must be square");
  CHECK_FAILS(gy_linalg_cholesky(&L, &A), GY_EINVAL, "must be empty");
  A.data[1] = INFINITY;
  CHECK_FAILS(gy_linalg_cholesky(&out, &A), GY_EINVAL, "non-finite");
  CHECK(is_empty(&out));
  gy_mat_clear(&A), gy_mat_clear(&L), gy_mat_clear(&N), gy_mat_clear(&Ng), gy_mat_clear(&NS);
}

static void test_inv_det(void) {
  const double a[] = {4, 7, 2, 6};
  gy_mat A = from_rows(2, 2, a), I = {0};
  CHECK_OK(gy_linalg_inv(&I, &A));
  CHECK_NEAR(at(&I, 0, 0), 0.6, 1e-15);
  CHECK_NEAR(at(&I, 0, 1), -0.7, 1e-15);
  CHECK_NEAR(at(&I, 1, 0), -0.2, 1e-15);
  CHECK_NEAR(at(&I, 1, 1), 0.4, 1e-15);
  double d = 0;
  CHECK_OK(gy_linalg_det(&d, &A));
  CHECK_NEAR(d, 10, 1e-14);

  const double p[] = {0, 1, 0, 0, 0, 1, 1, 0, 0}; /* a cyclic permutation: det +1 */
  const double q[] = {0, 1, 1, 0};                 /* a swap: det -1 */
  const double t[] = {2, -3, 1, 2, 0, -1, 1, 4, 5}; /* det 49 by cofactors */
  gy_mat P = from_rows(3, 3, p), Q = from_rows(2, 2, q), T = from_rows(3, 3, t);
  CHECK_OK(gy_linalg_det(&d, &P));
  CHECK(d == 1);
  CHECK_OK(gy_linalg_det(&d, &Q));
  CHECK(d == -1);
  CHECK_OK(gy_linalg_det(&d, &T));
  CHECK_NEAR(d, 49, 1e-13);
  /* Partial products overflow but the determinant does not. */
  gy_mat H = {0};
  CHECK_OK(gy_mat_init(&H, 4, 4));
  H.data[0] = 1e200, H.data[5] = 1e200, H.data[10] = 1e-200, H.data[15] = -1e-200;
  CHECK_OK(gy_linalg_det(&d, &H));
  CHECK_NEAR(d, -1, 1e-14);
  H.data[10] = 1e200, H.data[15] = 1e200;
  CHECK_OK(gy_linalg_det(&d, &H));
  CHECK(isinf(d) && d > 0);

  const double s[] = {1, 2, 3, 2, 4, 6, 1, 0, 1};
  gy_mat S = from_rows(3, 3, s), out = {0}, NS = randn(2, 3);
  CHECK_OK(gy_linalg_det(&d, &S));
  CHECK(d == 0);
  CHECK_FAILS(gy_linalg_inv(&out, &S), GY_ESINGULAR, "matrix is singular");
  CHECK_FAILS(gy_linalg_inv(&out, &NS), GY_EINVAL, "must be square, got 2 x 3");
  CHECK_FAILS(gy_linalg_inv(&I, &A), GY_EINVAL, "must be empty");
  CHECK_FAILS(gy_linalg_det(&d, &NS), GY_EINVAL, "must be square");
  CHECK_FAILS(gy_linalg_det(NULL, &A), GY_EINVAL, "missing");
  A.data[2] = NAN;
  CHECK_FAILS(gy_linalg_det(&d, &A), GY_EINVAL, "non-finite");
  CHECK_FAILS(gy_linalg_inv(&out, &A), GY_EINVAL, "non-finite");
  CHECK(is_empty(&out));
  gy_mat_clear(&A), gy_mat_clear(&I), gy_mat_clear(&P), gy_mat_clear(&Q), gy_mat_clear(&T);
  gy_mat_clear(&H), gy_mat_clear(&S), gy_mat_clear(&NS);
}

static void test_pinv(void) {
  /* Rank one: pinv(A) = A' / ||A||_F^2. */
  const double a[] = {1, 2, 2, 4, 3, 6};
  gy_mat A = from_rows(3, 2, a), P = {0};
  CHECK_OK(gy_linalg_pinv(&P, &A, -1));
  CHECK(P.rows == 2 && P.cols == 3);
  double dd = 0;
  for (int64_t i = 0; i < 3; i++)
    for (int64_t j = 0; j < 2; j++) dd = fmax(dd, fabs(at(&P, j, i) - at(&A, i, j) / 70.0));
  CHECK(dd < 1e-15);
  gy_mat_clear(&P);

  /* Full rank, wide: A pinv(A) = I. */
  gy_mat W = randn(4, 7), AP = {0};
  CHECK_OK(gy_linalg_pinv(&P, &W, 1e-15));
  CHECK_OK(gy_linalg_matmul(&AP, &W, 0, &P, 0));
  gy_mat I4 = {0};
  CHECK_OK(gy_mat_init(&I4, 4, 4));
  for (int i = 0; i < 4; i++) I4.data[i * 5] = 1;
  CHECK(maxdiff(&AP, &I4) < 1e-13);
  gy_mat_clear(&P);

  /* A huge rcond drops everything: zeros. */
  CHECK_OK(gy_linalg_pinv(&P, &W, 2.0));
  double mx = 0;
  for (int64_t k = 0; k < 28; k++) mx = fmax(mx, fabs(P.data[k]));
  CHECK(P.rows == 7 && P.cols == 4 && mx == 0);

  gy_mat out = {0}, E = {0};
  CHECK_OK(gy_mat_init(&E, 3, 0));
  CHECK_FAILS(gy_linalg_pinv(&out, &W, NAN), GY_EINVAL, "rcond must be finite");
  CHECK_FAILS(gy_linalg_pinv(&out, &W, INFINITY), GY_EINVAL, "rcond must be finite");
  CHECK_FAILS(gy_linalg_pinv(&out, &E, -1), GY_EINVAL, "matrix is empty (3 x 0)");
  CHECK_FAILS(gy_linalg_pinv(&P, &W, -1), GY_EINVAL, "must be empty");
  W.data[0] = NAN;
  CHECK_FAILS(gy_linalg_pinv(&out, &W, -1), GY_EINVAL, "non-finite");
  CHECK(is_empty(&out));
  gy_mat_clear(&A), gy_mat_clear(&P), gy_mat_clear(&W), gy_mat_clear(&AP), gy_mat_clear(&I4);
  gy_mat_clear(&E);
}

static void test_lstsq(void) {
  /* y = 1 + 2x on four points: exact fit, rank 2. */
  const double a[] = {1, 0, 1, 1, 1, 2, 1, 3}, y[] = {1, 3, 5, 7};
  gy_mat A = from_rows(4, 2, a), Y = from_rows(4, 1, y), X = {0};
  int64_t rank = -1;
  CHECK_OK(gy_linalg_lstsq(&X, &A, &Y, -1, &rank));
  CHECK(X.rows == 2 && X.cols == 1 && rank == 2);
  CHECK_NEAR(X.data[0], 1, 1e-14);
  CHECK_NEAR(X.data[1], 2, 1e-14);
  CHECK(A.data[1] == 1 && Y.data[3] == 7); /* inputs untouched */
  gy_mat_clear(&X);

  /* Rank one with equal columns: the minimum-norm solution splits evenly. */
  const double r[] = {1, 1, 1, 1, 1, 1}, b[] = {2, 2, 2};
  gy_mat R = from_rows(3, 2, r), B = from_rows(3, 1, b);
  CHECK_OK(gy_linalg_lstsq(&X, &R, &B, -1, &rank));
  CHECK(rank == 1);
  CHECK_NEAR(X.data[0], 1, 1e-14);
  CHECK_NEAR(X.data[1], 1, 1e-14);
  gy_mat_clear(&X);

  /* Underdetermined 2 x 4: A X = B exactly; rank NULL is allowed. */
  gy_mat U = randn(2, 4), UB = randn(2, 3), AX = {0};
  CHECK_OK(gy_linalg_lstsq(&X, &U, &UB, -1, NULL));
  CHECK(X.rows == 4 && X.cols == 3);
  CHECK_OK(gy_linalg_matmul(&AX, &U, 0, &X, 0));
  CHECK(maxdiff(&AX, &UB) < 1e-12);
  gy_mat_clear(&X);

  /* rcond relative to the largest singular value: diag(1, 1e-6) with rcond 1e-3 has rank 1. */
  const double g[] = {1, 0, 0, 1e-6}, gb[] = {1, 1};
  gy_mat G = from_rows(2, 2, g), GB = from_rows(2, 1, gb);
  CHECK_OK(gy_linalg_lstsq(&X, &G, &GB, 1e-3, &rank));
  CHECK(rank == 1 && X.data[1] == 0);
  gy_mat_clear(&X);
  CHECK_OK(gy_linalg_lstsq(&X, &G, &GB, -1, &rank));
  CHECK(rank == 2);
  CHECK_NEAR(X.data[1], 1e6, 1e-9);
  gy_mat_clear(&X);

  gy_mat out = {0}, E = {0}, E2 = {0}, B0 = {0};
  CHECK_OK(gy_mat_init(&E, 0, 2));
  CHECK_OK(gy_mat_init(&E2, 0, 1));
  CHECK_FAILS(gy_linalg_lstsq(&out, &A, &B, -1, &rank), GY_EINVAL,
              "A is 4 x 2 and B is 3 x 1: B needs 4 rows");
  CHECK_FAILS(gy_linalg_lstsq(&out, &E, &E2, -1, &rank), GY_EINVAL, "A is empty (0 x 2)");
  CHECK_FAILS(gy_linalg_lstsq(&out, &A, &Y, NAN, &rank), GY_EINVAL, "rcond must be finite");
  CHECK_FAILS(gy_linalg_lstsq(&out, &A, NULL, -1, &rank), GY_EINVAL, "B is missing");
  CHECK_FAILS(gy_linalg_lstsq(&AX, &A, &Y, -1, &rank), GY_EINVAL, "must be empty");
  Y.data[2] = INFINITY;
  CHECK_FAILS(gy_linalg_lstsq(&out, &A, &Y, -1, &rank), GY_EINVAL, "B has a non-finite value (inf) at row 3");
  A.data[0] = NAN;
  CHECK_FAILS(gy_linalg_lstsq(&out, &A, &B, -1, &rank), GY_EINVAL, "A has a non-finite");
  CHECK(is_empty(&out));
  /* No right-hand sides: n x 0. */
  CHECK_OK(gy_mat_init(&B0, 3, 0));
  CHECK_OK(gy_linalg_lstsq(&out, &R, &B0, -1, &rank));
  CHECK(out.rows == 2 && out.cols == 0 && rank == 1);
  gy_mat_clear(&A), gy_mat_clear(&Y), gy_mat_clear(&R), gy_mat_clear(&B), gy_mat_clear(&U);
  gy_mat_clear(&UB), gy_mat_clear(&AX), gy_mat_clear(&G), gy_mat_clear(&GB), gy_mat_clear(&out);
  gy_mat_clear(&E), gy_mat_clear(&E2), gy_mat_clear(&B0);
}

static void test_threads(void) {
  int before = gy_linalg_threads(0);
  CHECK(before >= 1);
  CHECK(gy_linalg_threads(1) == 1);
  CHECK(gy_linalg_threads(0) == 1);
  CHECK(gy_linalg_threads(-3) == 1); /* negative: unchanged */
  gy_linalg_threads(before);
  CHECK(gy_linalg_threads(0) == before);
}

int main(void) {
  gy_rng_seed(&rng, 12345);
  int64_t before = gy_alloc_bytes();
  test_gemm();
  test_gemm_panels();
  test_syrk();
  test_eigh();
  test_svd();
  test_solve();
  test_cholesky();
  test_inv_det();
  test_pinv();
  test_lstsq();
  test_threads();
  CHECK(gy_alloc_bytes() == before); /* every path freed what it allocated */
  return test_summary();
}
