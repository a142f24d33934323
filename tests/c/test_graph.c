/* Graph metrics on graphs whose answers are known by hand: thresholds with ties and
 * rounding, complete graphs, paths, stars, planted communities, and the error paths. The
 * BCT comparison on a random weighted graph is in tests/lua/graph_spec.lua. */
#include "test.h"

#include <stdlib.h>

#include "gyrus/graph.h"

#define AT(m, i, j) ((m)->data[(i) + (j) * (m)->ld])

static gy_mat make(int64_t n, const double *rows) {
  gy_mat m = {0};
  gy_mat_init(&m, n, n);
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = 0; j < n; j++) AT(&m, i, j) = rows[i * n + j];
  return m;
}

/* Undirected graph from an edge list, weight w on every edge. */
static gy_mat edges(int64_t n, const int *e, int ne, double w) {
  gy_mat m = {0};
  gy_mat_init(&m, n, n);
  for (int k = 0; k < ne; k++) {
    AT(&m, e[2 * k], e[2 * k + 1]) = w;
    AT(&m, e[2 * k + 1], e[2 * k]) = w;
  }
  return m;
}

static int64_t nnz(const gy_mat *m) {
  int64_t c = 0;
  for (int64_t k = 0; k < m->rows * m->cols; k++) c += m->data[k] != 0;
  return c;
}

static void test_threshold(void) {
  /* Five nodes, all ten links equal: p = 0.25 asks for 20 * 0.25 / 2 = 2.5 links, rounded
   * half up to 3, chosen in MATLAB's column-major order of the upper triangle:
   * (1,2), (1,3), (2,3). */
  gy_mat W = {0}, T = {0};
  gy_mat_init(&W, 5, 5);
  gy_mat_fill(&W, 1);
  CHECK_OK(gy_graph_threshold_proportional(&T, &W, 0.25));
  CHECK(nnz(&T) == 6);
  CHECK(AT(&T, 0, 1) == 1 && AT(&T, 1, 0) == 1);
  CHECK(AT(&T, 0, 2) == 1 && AT(&T, 1, 2) == 1 && AT(&T, 2, 1) == 1);
  CHECK(AT(&T, 0, 3) == 0 && AT(&T, 0, 0) == 0);
  gy_mat_clear(&T);
  /* Directed (asymmetric): proportion of all n^2 - n entries, here 20 * 0.1 = 2, largest by
   * signed value; negatives rank last. */
  AT(&W, 2, 0) = 5;
  AT(&W, 4, 3) = 3;
  AT(&W, 1, 1) = 9; /* the diagonal never counts */
  AT(&W, 0, 4) = -2;
  CHECK_OK(gy_graph_threshold_proportional(&T, &W, 0.1));
  CHECK(nnz(&T) == 2 && AT(&T, 2, 0) == 5 && AT(&T, 4, 3) == 3);
  gy_mat_clear(&T);
  CHECK_OK(gy_graph_threshold_proportional(&T, &W, 1));
  CHECK(nnz(&T) == 20 && AT(&T, 0, 4) == -2 && AT(&T, 1, 1) == 0);
  gy_mat_clear(&T);
  CHECK_OK(gy_graph_threshold_proportional(&T, &W, 0));
  CHECK(nnz(&T) == 0);
  gy_mat_clear(&T);
  CHECK_OK(gy_graph_threshold_absolute(&T, &W, 3));
  CHECK(nnz(&T) == 2 && AT(&T, 1, 1) == 0);
  gy_mat_clear(&T);
  CHECK_FAILS(gy_graph_threshold_proportional(&T, &W, 1.5), GY_EINVAL, "proportion");
  CHECK_FAILS(gy_graph_threshold_absolute(&T, &W, NAN), GY_EINVAL, "NaN");
  CHECK_OK(gy_graph_lengths(&T, &W));
  CHECK(AT(&T, 2, 0) == 0.2 && AT(&T, 0, 4) == -0.5);
  gy_mat_clear(&T);
  CHECK_OK(gy_graph_binarize(&T, &W));
  CHECK(AT(&T, 2, 0) == 1 && AT(&T, 0, 4) == 1 && nnz(&T) == 25);
  gy_mat_clear(&T);
  gy_mat_clear(&W);
}

static void test_complete(void) {
  /* K5: 6 triangles through each node, clustering and transitivity 1, local efficiency 1. */
  gy_mat W = {0}, out = {0};
  gy_mat_init(&W, 5, 5);
  gy_mat_fill(&W, 1);
  for (int i = 0; i < 5; i++) AT(&W, i, i) = 0;
  CHECK_OK(gy_graph_triangles(&out, &W, 0));
  for (int i = 0; i < 5; i++) CHECK(out.data[i] == 6);
  gy_mat_clear(&out);
  CHECK_OK(gy_graph_clustering(&out, &W, 1));
  for (int i = 0; i < 5; i++) CHECK_NEAR(out.data[i], 1, 1e-14);
  gy_mat_clear(&out);
  double t;
  CHECK_OK(gy_graph_transitivity(&t, &W, 0));
  CHECK_NEAR(t, 1, 1e-14);
  for (int mode = 0; mode <= 2; mode++) {
    CHECK_OK(gy_graph_efficiency_local(&out, &W, mode));
    for (int i = 0; i < 5; i++) CHECK_NEAR(out.data[i], 1, 1e-14);
    gy_mat_clear(&out);
  }
  CHECK_OK(gy_graph_degree(&out, &W));
  CHECK(out.rows == 5 && out.cols == 1 && out.data[3] == 4);
  gy_mat_clear(&out);
  gy_mat_clear(&W);

  /* A weighted triangle: Onnela's clustering is the geometric mean of its three weights. */
  const double tri[9] = {0, 1, 0.25, 1, 0, 0.5, 0.25, 0.5, 0};
  W = make(3, tri);
  CHECK_OK(gy_graph_clustering(&out, &W, 0));
  for (int i = 0; i < 3; i++) CHECK_NEAR(out.data[i], 0.5, 1e-14);
  gy_mat_clear(&out);
  CHECK_OK(gy_graph_triangles(&out, &W, 1));
  CHECK_NEAR(out.data[0], 0.5, 1e-14);
  gy_mat_clear(&out);
  CHECK_OK(gy_graph_strength(&out, &W));
  CHECK_NEAR(out.data[0], 1.25, 1e-15);
  gy_mat_clear(&out);
  gy_mat_clear(&W);
}

static void test_paths(void) {
  /* The path 1-2-3-4: BCT counts both directions, so inner nodes carry 4 pairs. */
  const int pe[6] = {0, 1, 1, 2, 2, 3};
  gy_mat W = edges(4, pe, 3, 1), out = {0};
  CHECK_OK(gy_graph_betweenness(&out, &W, 0, 0));
  CHECK(out.data[0] == 0 && out.data[1] == 4 && out.data[2] == 4 && out.data[3] == 0);
  gy_mat_clear(&out);
  CHECK_OK(gy_graph_betweenness(&out, &W, 1, 1));
  CHECK_NEAR(out.data[1], 4.0 / 6, 1e-15);
  gy_mat_clear(&out);
  double e, lambda, eff, rad, dia;
  CHECK_OK(gy_graph_efficiency_global(&e, &W, 1));
  CHECK_NEAR(e, 2 * (3 + 2 / 2.0 + 1 / 3.0) / 12, 1e-15);
  CHECK_OK(gy_graph_charpath(&lambda, &eff, &out, &rad, &dia, &W, 0, 0, 1));
  CHECK_NEAR(lambda, 2 * (3 * 1 + 2 * 2 + 3) / 12.0, 1e-15);
  CHECK_NEAR(eff, e, 1e-15);
  CHECK(rad == 2 && dia == 3 && out.data[0] == 3 && out.data[1] == 2);
  gy_mat_clear(&out);
  /* Lengths: doubling every length doubles distances and leaves betweenness alone. */
  AT(&W, 0, 1) = AT(&W, 1, 0) = 2;
  CHECK_OK(gy_graph_distance(&out, &W, 0));
  CHECK(AT(&out, 0, 3) == 4 && AT(&out, 3, 0) == 4 && AT(&out, 2, 2) == 0);
  gy_mat_clear(&out);
  /* Weighted efficiency inverts weights: weight 2 is length 1/2. */
  CHECK_OK(gy_graph_efficiency_global(&e, &W, 0));
  double d01 = 0.5, d12 = 1, d23 = 1;
  double s = 1 / d01 + 1 / d12 + 1 / d23 + 1 / (d01 + d12) + 1 / (d12 + d23) + 1 / (d01 + d12 + d23);
  CHECK_NEAR(e, 2 * s / 12, 1e-15);
  gy_mat_clear(&W);

  /* A star on 5 nodes: the hub lies on every path, (n-1)(n-2) = 12 ordered pairs. */
  const int se[8] = {0, 1, 0, 2, 0, 3, 0, 4};
  W = edges(5, se, 4, 0.5);
  CHECK_OK(gy_graph_betweenness(&out, &W, 0, 0));
  CHECK(out.data[0] == 12 && out.data[1] == 0);
  gy_mat_clear(&out);
  /* A square 1-2-3-4-1: two shortest paths between opposite corners share the credit. */
  gy_mat_clear(&W);
  const int sq[8] = {0, 1, 1, 2, 2, 3, 3, 0};
  W = edges(4, sq, 4, 1);
  CHECK_OK(gy_graph_betweenness(&out, &W, 0, 0));
  for (int i = 0; i < 4; i++) CHECK_NEAR(out.data[i], 1, 1e-15);
  gy_mat_clear(&out);
  gy_mat_clear(&W);

  /* Two components: lambda is Inf unless infinite distances are dropped. */
  const int two[4] = {0, 1, 2, 3};
  W = edges(4, two, 2, 1);
  CHECK_OK(gy_graph_charpath(&lambda, &eff, NULL, &rad, &dia, &W, 0, 0, 1));
  CHECK(isinf(lambda) && isinf(rad) && eff == 4.0 / 12);
  CHECK_OK(gy_graph_charpath(&lambda, &eff, NULL, &rad, &dia, &W, 0, 0, 0));
  CHECK(lambda == 1 && eff == 1 && rad == 1 && dia == 1);
  gy_mat_clear(&W);
}

static void test_participation(void) {
  /* BCT's analytic case: participation_coef(ones(3,3), [1,1,2]) = 1 - (4 + 1)/9. */
  gy_mat W = {0}, ci = {0}, out = {0};
  gy_mat_init(&W, 3, 3);
  gy_mat_fill(&W, 1);
  gy_mat_init(&ci, 3, 1);
  ci.data[0] = 1;
  ci.data[1] = 1;
  ci.data[2] = 2;
  CHECK_OK(gy_graph_participation(&out, &W, &ci));
  for (int i = 0; i < 3; i++) CHECK_NEAR(out.data[i], 4.0 / 9, 1e-15);
  gy_mat_clear(&out);
  ci.data[2] = 1.5;
  CHECK_FAILS(gy_graph_participation(&out, &W, &ci), GY_EINVAL, "not an integer");
  gy_mat_clear(&ci);
  gy_mat_init(&ci, 2, 1);
  CHECK_FAILS(gy_graph_participation(&out, &W, &ci), GY_EINVAL, "2 community labels");
  gy_mat_clear(&ci);
  gy_mat_clear(&W);
}

/* Q = sum_ij [c_i = c_j] (W_ij - gamma k_i k_j / s) / s, straight from the definition. */
static double modularity(const gy_mat *W, const gy_mat *ci, double gamma) {
  int64_t n = W->rows;
  double s = 0, q = 0;
  double *k = calloc((size_t)n, sizeof *k);
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = 0; j < n; j++) {
      k[i] += AT(W, i, j);
      s += AT(W, i, j);
    }
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = 0; j < n; j++)
      if (ci->data[i] == ci->data[j]) q += AT(W, i, j) - gamma * k[i] * k[j] / s;
  free(k);
  return q / s;
}

static void test_louvain(void) {
  /* Three planted modules of 8 nodes: dense inside, a few weak links between. */
  const int64_t n = 24;
  gy_mat W = {0}, ci = {0};
  gy_mat_init(&W, n, n);
  gy_rng r;
  gy_rng_seed(&r, 5);
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = i + 1; j < n; j++) {
      double w = i / 8 == j / 8 ? 0.5 + 0.5 * gy_rng_uniform(&r)
                                : (gy_rng_uniform(&r) < 0.15 ? 0.2 * gy_rng_uniform(&r) : 0);
      AT(&W, i, j) = AT(&W, j, i) = w;
    }
  double q = 0, q2 = 0;
  CHECK_OK(gy_graph_louvain(&ci, &q, &W, 1, 42));
  int recovered = 1;
  for (int64_t i = 0; i < n; i++) recovered &= ci.data[i] == (double)(i / 8);
  CHECK(recovered);
  CHECK_NEAR(q, modularity(&W, &ci, 1), 1e-12);
  CHECK(q > 0.5);
  gy_mat ci2 = {0};
  for (uint64_t seed = 0; seed < 5; seed++) {
    CHECK_OK(gy_graph_louvain(&ci2, &q2, &W, 1, seed));
    CHECK_NEAR(q2, q, 1e-12);
    gy_mat_clear(&ci2);
  }
  /* gamma = 0 rewards one big module; a large gamma splits everything. */
  CHECK_OK(gy_graph_louvain(&ci2, &q2, &W, 0, 1));
  CHECK_NEAR(q2, modularity(&W, &ci2, 0), 1e-12);
  gy_mat_clear(&ci2);
  CHECK_OK(gy_graph_louvain(&ci2, &q2, &W, 3, 1));
  CHECK_NEAR(q2, modularity(&W, &ci2, 3), 1e-12);
  gy_mat_clear(&ci2);
  gy_mat_clear(&ci);

  AT(&W, 0, 1) = -1;
  AT(&W, 1, 0) = -1;
  CHECK_FAILS(gy_graph_louvain(&ci, &q, &W, 1, 1), GY_EINVAL, "negative weight");
  gy_mat_clear(&W);
  gy_mat_init(&W, 3, 3);
  CHECK_FAILS(gy_graph_louvain(&ci, &q, &W, 1, 1), GY_EINVAL, "no links");
  gy_mat_clear(&W);
}

static void test_errors(void) {
  gy_mat W = {0}, out = {0};
  gy_mat_init(&W, 3, 4);
  CHECK_FAILS(gy_graph_degree(&out, &W), GY_EINVAL, "square");
  gy_mat_clear(&W);
  gy_mat_init(&W, 3, 3);
  AT(&W, 0, 1) = 1;
  CHECK_FAILS(gy_graph_clustering(&out, &W, 0), GY_EINVAL, "symmetric");
  CHECK_FAILS(gy_graph_triangles(&out, &W, 0), GY_EINVAL, "symmetric");
  AT(&W, 1, 0) = -1;
  AT(&W, 0, 1) = -1;
  double e;
  CHECK_FAILS(gy_graph_efficiency_global(&e, &W, 0), GY_EINVAL, "negative");
  CHECK_OK(gy_graph_efficiency_global(&e, &W, 1));
  CHECK_FAILS(gy_graph_efficiency_local(&out, &W, 7), GY_EINVAL, "variant");
  AT(&W, 2, 2) = NAN;
  CHECK_FAILS(gy_graph_strength(&out, &W), GY_EINVAL, "non-finite");
  gy_mat_clear(&W);
  gy_mat_init(&W, 0, 0);
  CHECK_OK(gy_graph_degree(&out, &W));
  CHECK(out.rows == 0);
  gy_mat_clear(&out);
  CHECK_OK(gy_graph_efficiency_global(&e, &W, 0));
  CHECK_OK(gy_graph_clustering(&out, &W, 0));
  gy_mat_clear(&out);
  gy_mat_clear(&W);
}

/* Tiled voxel maps against the dense route (textbook correlations, threshold, degree and
 * triangles of the dense graph) for T x n data where n/5 groups share a signal of weight
 * mix. The budget leaves `tile` x `tile` doubles beside the triangle structure. */
static void check_voxel(int64_t T, int64_t n, double mix, double thr, int64_t tile) {
  gy_mat X = {0}, R = {0}, A = {0}, deg = {0}, tri = {0}, mr = {0}, dd = {0}, dt = {0};
  gy_mat_init(&X, T, n);
  gy_rng r;
  gy_rng_seed(&r, 9);
  gy_rng_fill_normal(&r, &X);
  for (int64_t j = 5; j < n; j++)
    for (int64_t i = 0; i < T; i++) AT(&X, i, j) += mix * AT(&X, i, j % 5);
  for (int64_t i = 0; i < T; i++) AT(&X, i, 7) = 3; /* a constant voxel */
  gy_mat_init(&R, n, n);
  double *z = calloc((size_t)(T * n), sizeof *z), *msum = calloc((size_t)n, sizeof *msum);
  for (int64_t a = 0; a < n; a++) {
    double m = 0, ss = 0;
    for (int64_t i = 0; i < T; i++) m += AT(&X, i, a) / T;
    for (int64_t i = 0; i < T; i++) ss += (AT(&X, i, a) - m) * (AT(&X, i, a) - m);
    for (int64_t i = 0; i < T; i++) z[i + a * T] = ss > 0 ? (AT(&X, i, a) - m) / sqrt(ss) : 0;
  }
  for (int64_t a = 0; a < n; a++)
    for (int64_t b = 0; b < n; b++) {
      double c = 0;
      for (int64_t i = 0; i < T; i++) c += z[i + a * T] * z[i + b * T];
      AT(&R, a, b) = c;
    }
  int clear = 1;
  for (int64_t k = 0; k < n * n; k++) clear &= fabs(fabs(R.data[k]) - thr) > 1e-9;
  CHECK(clear); /* no correlation so close to thr that rounding could flip a link */
  gy_mat_init(&A, n, n);
  for (int64_t a = 0; a < n; a++)
    for (int64_t b = 0; b < n; b++)
      if (a != b) {
        AT(&A, a, b) = AT(&R, a, b) >= thr;
        msum[a] += AT(&R, a, b);
      }
  CHECK_OK(gy_graph_degree(&dd, &A));
  CHECK_OK(gy_graph_triangles(&dt, &A, 0));
  double ends = 0, total = 0;
  for (int64_t i = 0; i < n; i++) ends += dd.data[i];
  int64_t words = (n + 63) / 64;
  double lists = ends * 4 + (double)(2 * n + 1) * 8, bits = (double)(n * words * 8);
  int64_t budget = T * n * 8 + n * 8 * 3 + (int64_t)(lists > bits ? lists : bits) + tile * tile * 8;
  CHECK_OK(gy_graph_voxel_maps(&deg, &tri, &mr, &X, thr, 0, budget));
  int same = 1, near = 1;
  for (int64_t i = 0; i < n; i++) {
    same &= deg.data[i] == dd.data[i] && tri.data[i] == dt.data[i];
    near &= fabs(mr.data[i] - msum[i] / (n - 1)) < 1e-13;
    total += tri.data[i];
  }
  CHECK(same && near);
  CHECK(deg.data[7] == 0 && mr.data[7] == 0);
  CHECK(total > 30);
  gy_mat_clear(&deg);
  gy_mat_clear(&tri);
  gy_mat_clear(&mr);
  /* |r| links; degree alone needs no adjacency. */
  CHECK_OK(gy_graph_voxel_maps(&deg, NULL, NULL, &X, thr, 1, budget));
  double k0 = 0;
  for (int64_t b = 1; b < n; b++) k0 += fabs(AT(&R, 0, b)) >= thr;
  CHECK(deg.data[0] == k0);
  gy_mat_clear(&deg);
  free(z);
  free(msum);
  gy_mat_clear(&X);
  gy_mat_clear(&R);
  gy_mat_clear(&A);
  gy_mat_clear(&dd);
  gy_mat_clear(&dt);
}

static void test_voxel(void) {
  /* Dense clusters: bit rows; ragged tiles of about 40 voxels. */
  check_voxel(40, 150, 1.5, 0.3, 40);
  /* A sparse graph on 1500 voxels: adjacency lists. */
  check_voxel(30, 1500, 0.4, 0.6, 200);
  gy_mat X = {0}, deg = {0}, tri = {0};
  gy_mat_init(&X, 20, 100);
  gy_rng r;
  gy_rng_seed(&r, 2);
  gy_rng_fill_normal(&r, &X);
  CHECK_FAILS(gy_graph_voxel_maps(&deg, &tri, NULL, &X, -1.0, 0, 20 * 100 * 4 + 100 * 40 + 2000),
              GY_ENOMEM, "raise the budget");
  CHECK_FAILS(gy_graph_voxel_maps(&deg, NULL, NULL, &X, 0.5, 0, 1000), GY_ENOMEM, "too small");
  CHECK_FAILS(gy_graph_voxel_maps(&deg, NULL, NULL, &X, NAN, 0, 1 << 20), GY_EINVAL, "NaN");
  CHECK(deg.data == NULL && tri.data == NULL);
  gy_mat_clear(&X);
}

/* Ctrl-C stops every long loop with GY_EINTR and frees what it allocated (the sanitizer
 * build checks the freeing). */
static void test_interrupt(void) {
  const int se[8] = {0, 1, 0, 2, 0, 3, 1, 2};
  gy_mat W = edges(4, se, 4, 1), out = {0}, ci = {0}, X = {0}, tri = {0};
  gy_mat_init(&X, 10, 20);
  gy_rng r;
  gy_rng_seed(&r, 3);
  gy_rng_fill_normal(&r, &X);
  double e, q;
  gy_interrupt(1);
  CHECK_FAILS(gy_graph_betweenness(&out, &W, 0, 0), GY_EINTR, "interrupted");
  CHECK_FAILS(gy_graph_efficiency_global(&e, &W, 0), GY_EINTR, "interrupted");
  CHECK_FAILS(gy_graph_efficiency_local(&out, &W, 1), GY_EINTR, "interrupted");
  CHECK_FAILS(gy_graph_distance(&out, &W, 0), GY_EINTR, "interrupted");
  CHECK_FAILS(gy_graph_louvain(&ci, &q, &W, 1, 1), GY_EINTR, "interrupted");
  CHECK_FAILS(gy_graph_participation(&out, &W, &X), GY_EINVAL, "community labels");
  CHECK_FAILS(gy_graph_voxel_maps(&out, &tri, NULL, &X, 0.1, 0, 1 << 20), GY_EINTR,
              "interrupted");
  gy_interrupt(0);
  CHECK(out.data == NULL && ci.data == NULL && tri.data == NULL);
  gy_mat_clear(&W);
  gy_mat_clear(&X);
}

int main(void) {
  test_interrupt();
  test_voxel();
  test_threshold();
  test_complete();
  test_paths();
  test_participation();
  test_louvain();
  test_errors();
  return test_summary();
}
