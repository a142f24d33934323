/* Louvain community detection with the modularity null model, as BCT's community_louvain
 * (B = W - gamma s s'/sum(W); B = 'modularity'): nodes visited in a random order move to the
 * module with the largest gain while the gain exceeds 1e-10; modules are then merged into
 * nodes and the process repeats until the modularity stops growing. The order comes from
 * gyrus's seeded generator, so a seed gives the same partition on every machine. */
#include "graph_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  double *B, *H, *B1;   /* n0 x n0 each, used with the current size n as leading dimension */
  int64_t *mb, *m, *perm, *relabel;
} louvain_ws;

static void ws_free(louvain_ws *w) {
  gy_free(w->B);
  gy_free(w->H);
  gy_free(w->B1);
  free(w->mb);
  free(w->m);
  free(w->perm);
  free(w->relabel);
}

/* Moves nodes until no move gains more than 1e-10; returns whether any node moved. */
static int local_moves(louvain_ws *w, int64_t n, gy_rng *rng, int *moved) {
  double *B = w->B, *H = w->H;
  int64_t *mb = w->mb;
  *moved = 0;
  for (int flag = 1; flag;) {
    flag = 0;
    GY_TRY(gy_check_interrupt());
    gy_rng_permutation(rng, w->perm, n);
    for (int64_t t = 0; t < n; t++) {
      int64_t u = w->perm[t], ma = mb[u], best = -1;
      double base = H[u + ma * n] - B[u + u * n], bestq = -INFINITY;
      for (int64_t c = 0; c < n; c++) {
        double dq = c == ma ? 0 : H[u + c * n] - base;
        if (dq > bestq) {
          bestq = dq;
          best = c;
        }
      }
      if (bestq > 1e-10) {
        flag = 1;
        *moved = 1;
        mb[u] = best;
        const double *bu = B + u * n; /* B is symmetric: column u is row u */
        double *hb = H + best * n, *ha = H + ma * n;
        for (int64_t v = 0; v < n; v++) {
          hb[v] += bu[v];
          ha[v] -= bu[v];
        }
      }
    }
  }
  return GY_OK;
}

int gy_graph_louvain(gy_mat *ci, double *q, const gy_mat *W, double gamma, uint64_t seed) {
  GY_TRY(gy_check_out(ci, "communities"));
  GY_TRY(gy_graph_check(W, 1));
  GY_TRY(gy_graph_check_nonneg(W));
  if (!(gamma >= 0) || isinf(gamma))
    return gy_err(GY_EINVAL, "gamma must be a finite non-negative number, got %g", gamma);
  int64_t n0 = W->rows;
  double s = 0;
  for (int64_t j = 0; j < n0; j++)
    for (int64_t i = 0; i < n0; i++) s += GY_AT(W, i, j);
  if (!(s > 0)) return gy_err(GY_EINVAL, "the graph has no links (total weight 0)");

  louvain_ws w = {0};
  size_t nn = (size_t)n0 * (size_t)n0 * sizeof(double);
  w.B = gy_alloc(nn);
  w.H = gy_alloc(nn);
  w.B1 = gy_alloc(nn);
  w.mb = malloc((size_t)n0 * sizeof *w.mb);
  w.m = malloc((size_t)n0 * sizeof *w.m);
  w.perm = malloc((size_t)n0 * sizeof *w.perm);
  w.relabel = malloc((size_t)n0 * sizeof *w.relabel);
  if (!w.B || !w.H || !w.B1 || !w.mb || !w.m || !w.perm || !w.relabel) {
    ws_free(&w);
    return gy_err(GY_ENOMEM, "out of memory for Louvain on %lld nodes (%.1f MB)",
                  (long long)n0, 3.0 * (double)nn / 1e6);
  }
  /* Row sums of W equal its column sums: W is symmetric. */
  double *k = w.B1;
  for (int64_t i = 0; i < n0; i++) {
    k[i] = 0;
    for (int64_t j = 0; j < n0; j++) k[i] += GY_AT(W, i, j);
  }
  for (int64_t j = 0; j < n0; j++)
    for (int64_t i = 0; i < n0; i++) w.B[i + j * n0] = GY_AT(W, i, j) - gamma * k[i] * k[j] / s;
  /* BCT symmetrises B; W is symmetric within 1e-10, so do the same for exact symmetry. */
  for (int64_t j = 0; j < n0; j++)
    for (int64_t i = j + 1; i < n0; i++) {
      double b = 0.5 * (w.B[i + j * n0] + w.B[j + i * n0]);
      w.B[i + j * n0] = w.B[j + i * n0] = b;
    }

  gy_rng rng;
  gy_rng_seed(&rng, seed);
  int64_t n = n0;
  for (int64_t i = 0; i < n0; i++) w.m[i] = i;
  double Q = 0, Q0 = -INFINITY;
  for (int64_t i = 0; i < n; i++) Q += w.B[i + i * n];
  int st = GY_OK;
  while (Q - Q0 > 1e-10) {
    for (int64_t i = 0; i < n; i++) w.mb[i] = i;
    memcpy(w.H, w.B, (size_t)n * (size_t)n * sizeof(double));
    int moved;
    if ((st = local_moves(&w, n, &rng, &moved))) break;
    /* Renumber the modules 0..k-1 in order of their smallest member (BCT: unique()). */
    for (int64_t i = 0; i < n; i++) w.relabel[i] = -1;
    int64_t nk = 0;
    for (int64_t c = 0; c < n; c++) w.perm[c] = 0;
    for (int64_t i = 0; i < n; i++) w.perm[w.mb[i]] = 1;
    for (int64_t c = 0; c < n; c++)
      if (w.perm[c]) w.relabel[c] = nk++;
    for (int64_t i = 0; i < n; i++) w.mb[i] = w.relabel[w.mb[i]];
    for (int64_t i = 0; i < n0; i++) w.m[i] = w.mb[w.m[i]];
    /* Modules become nodes: B1(a, b) = sum of B over members of a and b. */
    memset(w.B1, 0, (size_t)nk * (size_t)nk * sizeof(double));
    for (int64_t j = 0; j < n; j++)
      for (int64_t i = 0; i < n; i++) w.B1[w.mb[i] + w.mb[j] * nk] += w.B[i + j * n];
    double *t = w.B;
    w.B = w.B1;
    w.B1 = t;
    n = nk;
    Q0 = Q;
    Q = 0;
    for (int64_t i = 0; i < n; i++) Q += w.B[i + i * n];
  }
  if (!st) st = gy_mat_init(ci, n0, 1);
  if (!st) {
    /* Labels in order of first appearance along the nodes, so equal partitions print alike. */
    for (int64_t c = 0; c < n0; c++) w.relabel[c] = -1;
    int64_t next = 0;
    for (int64_t i = 0; i < n0; i++) {
      if (w.relabel[w.m[i]] < 0) w.relabel[w.m[i]] = next++;
      ci->data[i] = (double)w.relabel[w.m[i]];
    }
    if (q) *q = Q / s;
  }
  ws_free(&w);
  return st;
}
