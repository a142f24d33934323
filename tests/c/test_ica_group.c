/* Group ICA and ICASSO kernels: reduction identities, back-reconstruction consistency,
 * dual regression on exact data, clustering of a block similarity, bad input with clear
 * messages and no leaks (the sanitizer build checks). Agreement with numpy/scipy is
 * checked in tests/lua/ica_group_spec.lua against tests/fixtures/ica_group.lua. */
#include "test.h"

#include "gyrus/ica_group.h"
#include "gyrus/ica_icasso.h"
#include "gyrus/linalg.h"
#include "gyrus/rng.h"

#define AT(m, i, j) ((m)->data[(i) + (j) * (m)->ld])

static void randn(gy_mat *m, int64_t r, int64_t c, uint64_t seed) {
  gy_rng g;
  gy_rng_seed(&g, seed);
  gy_mat_init(m, r, c);
  gy_rng_fill_normal(&g, m);
}

static double max_abs_diff_identity(const gy_mat *A) {
  double e = 0;
  for (int64_t j = 0; j < A->cols; j++)
    for (int64_t i = 0; i < A->rows; i++) {
      double d = fabs(AT(A, i, j) - (i == j ? 1.0 : 0.0));
      if (d > e) e = d;
    }
  return e;
}

static void test_reduce(void) {
  for (int spatial = 0; spatial <= 1; spatial++)
    for (int tall = 0; tall <= 1; tall++) {
      gy_mat Y = {0}, P = {0}, Wt = {0}, D = {0}, ev = {0}, WD = {0}, C = {0};
      randn(&Y, tall ? 40 : 15, tall ? 15 : 40, 3 + (uint64_t)(2 * spatial + tall));
      CHECK_OK(gy_ica_group_reduce(&P, &Wt, &D, &ev, &Y, 5, spatial));
      /* white dewhite = I, and the reduced data have covariance I. */
      CHECK_OK(gy_linalg_matmul(&WD, &Wt, 0, &D, 0));
      CHECK(max_abs_diff_identity(&WD) < 1e-10);
      CHECK_OK(gy_linalg_syrk(&C, &P, 1, 1.0 / (double)(P.rows - 1)));
      CHECK(max_abs_diff_identity(&C) < 1e-10);
      for (int i = 1; i < 5; i++) CHECK(ev.data[i] <= ev.data[i - 1]);
      gy_mat_clear(&Y), gy_mat_clear(&P), gy_mat_clear(&Wt), gy_mat_clear(&D);
      gy_mat_clear(&ev), gy_mat_clear(&WD), gy_mat_clear(&C);
    }
}

static void test_bad_input(void) {
  gy_mat Y = {0}, Z = {0}, P = {0}, Wt = {0}, D = {0}, ev = {0}, out = {0};
  randn(&Y, 10, 30, 1);
  randn(&Z, 10, 29, 2);
  CHECK_FAILS(gy_ica_group_reduce(&P, &Wt, &D, &ev, &Y, 11, 1), GY_EINVAL,
              "11 components requested");
  /* rank 3 data asked for 5 */
  gy_mat A = {0}, B = {0}, L = {0};
  randn(&A, 10, 3, 5);
  randn(&B, 3, 30, 6);
  gy_linalg_matmul(&L, &A, 0, &B, 0);
  CHECK_FAILS(gy_ica_group_reduce(&P, &Wt, &D, &ev, &L, 5, 0), GY_EINVAL, "rank");
  const gy_mat *parts[2] = {&Y, &Z};
  CHECK_FAILS(gy_ica_group_concat(&out, parts, 2, 1), GY_EINVAL, "data set 2 has 29");
  gy_mat G = {0}, tc = {0}, maps = {0};
  randn(&G, 3, 29, 7);
  CHECK_FAILS(gy_ica_dual_regression(&tc, &maps, &Y, &G, 0), GY_EINVAL, "29 voxels");
  AT(&Y, 2, 3) = NAN;
  CHECK_FAILS(gy_ica_group_reduce(&P, &Wt, &D, &ev, &Y, 3, 1), GY_EINVAL, "non-finite");
  gy_mat S = {0}, lab = {0};
  gy_mat_init(&S, 3, 3);
  CHECK_FAILS(gy_icasso_cluster(&lab, NULL, &S, 4), GY_EINVAL, "4 clusters requested");
  gy_mat_clear(&Y), gy_mat_clear(&Z), gy_mat_clear(&A), gy_mat_clear(&B), gy_mat_clear(&L);
  gy_mat_clear(&G), gy_mat_clear(&S);
}

/* Data built exactly from group maps: dual regression returns the true time courses, and
 * stage 2 the true maps. */
static void test_dual_exact(void) {
  gy_mat Gm = {0}, tc = {0}, Y = {0}, tc2 = {0}, maps = {0};
  randn(&Gm, 3, 200, 9);
  randn(&tc, 30, 3, 10);
  /* centre the maps over voxels so the spatial regression is exact */
  for (int k = 0; k < 3; k++) {
    double m = 0;
    for (int v = 0; v < 200; v++) m += AT(&Gm, k, v);
    for (int v = 0; v < 200; v++) AT(&Gm, k, v) -= m / 200;
  }
  CHECK_OK(gy_linalg_matmul(&Y, &tc, 0, &Gm, 0));
  CHECK_OK(gy_ica_dual_regression(&tc2, &maps, &Y, &Gm, 0));
  double e = 0, f = 0;
  for (int k = 0; k < 3; k++) {
    for (int t = 0; t < 30; t++) e = fmax(e, fabs(AT(&tc2, t, k) - AT(&tc, t, k)));
    for (int v = 0; v < 200; v++) f = fmax(f, fabs(AT(&maps, k, v) - AT(&Gm, k, v)));
  }
  CHECK(e < 1e-10);
  /* stage 2 regresses the voxel-centred data, which equal tcc Gm exactly */
  CHECK(f < 1e-10);
  gy_mat_clear(&Gm), gy_mat_clear(&tc), gy_mat_clear(&Y), gy_mat_clear(&tc2);
  gy_mat_clear(&maps);
}

/* Two blocks of similar estimates plus an outlier: three clusters, Iq by hand. */
static void test_icasso_blocks(void) {
  gy_mat S = {0}, lab = {0}, h = {0}, iq = {0}, c = {0}, z = {0};
  gy_mat_init(&S, 5, 5);
  const double v[5][5] = {{1, .9, .8, .1, .2},
                          {.9, 1, .85, .15, .1},
                          {.8, .85, 1, .2, .1},
                          {.1, .15, .2, 1, .05},
                          {.2, .1, .1, .05, 1}};
  for (int i = 0; i < 5; i++)
    for (int j = 0; j < 5; j++) AT(&S, i, j) = v[i][j];
  CHECK_OK(gy_icasso_cluster(&lab, &h, &S, 3));
  CHECK(lab.data[0] == 0 && lab.data[1] == 0 && lab.data[2] == 0);
  CHECK(lab.data[3] == 1 && lab.data[4] == 2);
  CHECK_NEAR(h.data[0], 0.1, 1e-15);
  CHECK_NEAR(h.data[1], 1 - 0.825, 1e-15); /* {0,1} to 2: (0.8 + 0.85) / 2 */
  CHECK_OK(gy_icasso_quality(&iq, &c, &z, &S, &lab, 3));
  CHECK_NEAR(iq.data[0], (0.9 + 0.8 + 0.85) / 3 - (0.1 + 0.2 + 0.15 + 0.1 + 0.2 + 0.1) / 6,
             1e-15);
  CHECK_NEAR(iq.data[1], 1 - (0.1 + 0.15 + 0.2 + 0.05) / 4, 1e-15);
  CHECK(c.data[0] == 1); /* row sums 2.7, 2.75, 2.65 */
  CHECK(z.data[0] == 3 && z.data[2] == 1);
  gy_mat_clear(&S), gy_mat_clear(&lab), gy_mat_clear(&h), gy_mat_clear(&iq);
  gy_mat_clear(&c), gy_mat_clear(&z);
}

/* Back-reconstruction: the subject time courses of GICA1 times its maps reproduce the
 * subject's reduced data projected on the group subspace; GICA3 maps of a single subject
 * with identity second stage equal the group maps. */
static void test_backrecon_single(void) {
  gy_mat Y = {0}, P = {0}, Wt = {0}, D = {0}, ev = {0}, I = {0}, W = {0}, maps = {0}, tc = {0},
         gm = {0};
  randn(&Y, 20, 100, 21);
  CHECK_OK(gy_ica_group_reduce(&P, &Wt, &D, &ev, &Y, 4, 1));
  gy_mat_init(&I, 4, 4);
  for (int i = 0; i < 4; i++) AT(&I, i, i) = 1;
  randn(&W, 4, 4, 22);
  for (int method = 0; method <= 1; method++) {
    CHECK_OK(gy_ica_group_backrecon(&maps, &tc, &P, &D, &I, &I, &W, 0, method));
    CHECK_OK(gy_linalg_matmul(&gm, &W, 0, &P, 1));
    double e = 0;
    for (int64_t j = 0; j < gm.cols; j++)
      for (int i = 0; i < 4; i++) e = fmax(e, fabs(AT(&gm, i, j) - AT(&maps, i, j)));
    CHECK(e < 1e-10);
    gy_mat_clear(&maps), gy_mat_clear(&tc), gy_mat_clear(&gm);
  }
  CHECK_FAILS(gy_ica_group_backrecon(&maps, &tc, &P, &D, &I, &I, &W, 1, 0), GY_EINVAL,
              "outside");
  gy_mat_clear(&Y), gy_mat_clear(&P), gy_mat_clear(&Wt), gy_mat_clear(&D), gy_mat_clear(&ev);
  gy_mat_clear(&I), gy_mat_clear(&W);
}

int main(void) {
  test_reduce();
  test_bad_input();
  test_dual_exact();
  test_icasso_blocks();
  test_backrecon_single();
  return test_summary();
}
