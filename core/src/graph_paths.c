/* Shortest paths on graphs: Dijkstra (binary heap over adjacency lists; unit lengths give
 * breadth-first distances), and what BCT builds on them: distances, charpath, global and
 * local efficiency, Brandes betweenness. */
#include "graph_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* How the entries of the matrix become edge lengths. */
enum { LEN_GIVEN, LEN_INVERSE, LEN_INVERSE_CBRT, LEN_UNIT };

/* Out-edges of node a are idx[ptr[a] .. ptr[a+1]) with lengths len[...], in ascending order. */
typedef struct {
  int64_t n;
  int64_t *ptr, *idx;
  double *len;
} csr_t;

static void csr_free(csr_t *g) {
  free(g->ptr);
  free(g->idx);
  free(g->len);
  memset(g, 0, sizeof *g);
}

/* The subgraph of W on nodes sub[0..k) (all nodes when sub is NULL): an edge a -> b for
 * every W(sub[a], sub[b]) != 0 with a != b. */
static int csr_build(csr_t *g, const gy_mat *W, const int64_t *sub, int64_t k, int how) {
  memset(g, 0, sizeof *g);
  g->n = k;
  g->ptr = calloc((size_t)k + 1, sizeof *g->ptr);
  if (!g->ptr) return gy_err(GY_ENOMEM, "out of memory");
  for (int64_t b = 0; b < k; b++) {
    int64_t jb = sub ? sub[b] : b;
    for (int64_t a = 0; a < k; a++)
      if (a != b && GY_AT(W, sub ? sub[a] : a, jb) != 0) g->ptr[a + 1]++;
  }
  for (int64_t a = 0; a < k; a++) g->ptr[a + 1] += g->ptr[a];
  int64_t m = g->ptr[k];
  g->idx = malloc((size_t)(m ? m : 1) * sizeof *g->idx);
  g->len = malloc((size_t)(m ? m : 1) * sizeof *g->len);
  int64_t *fill = malloc((size_t)(k ? k : 1) * sizeof *fill);
  if (!g->idx || !g->len || !fill) {
    free(fill);
    csr_free(g);
    return gy_err(GY_ENOMEM, "out of memory for %lld edges", (long long)m);
  }
  memcpy(fill, g->ptr, (size_t)k * sizeof *fill);
  for (int64_t b = 0; b < k; b++) {
    int64_t jb = sub ? sub[b] : b;
    for (int64_t a = 0; a < k; a++) {
      if (a == b) continue;
      double w = GY_AT(W, sub ? sub[a] : a, jb);
      if (w == 0) continue;
      double l = how == LEN_GIVEN ? w : how == LEN_INVERSE ? 1 / w
               : how == LEN_INVERSE_CBRT ? cbrt(1 / w) : 1;
      g->idx[fill[a]] = b;
      g->len[fill[a]++] = l;
    }
  }
  free(fill);
  return GY_OK;
}

/* Workspace of one single-source search. */
typedef struct {
  double *dist, *sigma, *delta;
  int64_t *order;   /* nodes in the order their distance became final */
  int64_t nreached;
  int64_t *hnode;   /* lazy binary heap of (key, node); stale entries are skipped */
  double *hkey;
  int64_t hsize, hcap;
  char *done;
} sssp_t;

static void sssp_free(sssp_t *s) {
  free(s->dist);
  free(s->sigma);
  free(s->delta);
  free(s->order);
  free(s->hnode);
  free(s->hkey);
  free(s->done);
  memset(s, 0, sizeof *s);
}

static int sssp_init(sssp_t *s, const csr_t *g) {
  memset(s, 0, sizeof *s);
  size_t n = (size_t)(g->n ? g->n : 1);
  s->hcap = g->ptr[g->n] + g->n + 1;
  s->dist = malloc(n * sizeof *s->dist);
  s->sigma = malloc(n * sizeof *s->sigma);
  s->delta = malloc(n * sizeof *s->delta);
  s->order = malloc(n * sizeof *s->order);
  s->done = malloc(n);
  s->hnode = malloc((size_t)s->hcap * sizeof *s->hnode);
  s->hkey = malloc((size_t)s->hcap * sizeof *s->hkey);
  if (!s->dist || !s->sigma || !s->delta || !s->order || !s->done || !s->hnode || !s->hkey) {
    sssp_free(s);
    return gy_err(GY_ENOMEM, "out of memory for a shortest-path search");
  }
  return GY_OK;
}

static void heap_push(sssp_t *s, double key, int64_t node) {
  int64_t i = s->hsize++;
  while (i > 0) {
    int64_t p = (i - 1) / 2;
    if (s->hkey[p] <= key) break;
    s->hkey[i] = s->hkey[p];
    s->hnode[i] = s->hnode[p];
    i = p;
  }
  s->hkey[i] = key;
  s->hnode[i] = node;
}

static int64_t heap_pop(sssp_t *s) {
  int64_t top = s->hnode[0];
  double key = s->hkey[--s->hsize];
  int64_t node = s->hnode[s->hsize], i = 0;
  for (;;) {
    int64_t c = 2 * i + 1;
    if (c >= s->hsize) break;
    if (c + 1 < s->hsize && s->hkey[c + 1] < s->hkey[c]) c++;
    if (key <= s->hkey[c]) break;
    s->hkey[i] = s->hkey[c];
    s->hnode[i] = s->hnode[c];
    i = c;
  }
  s->hkey[i] = key;
  s->hnode[i] = node;
  return top;
}

/* Dijkstra from src: dist (Inf when unreachable), sigma = number of shortest paths (equal
 * lengths compared exactly, as BCT's betweenness_wei), order of settlement. Each edge is
 * pushed at most once, so the heap never outgrows hcap. */
static void sssp_run(sssp_t *s, const csr_t *g, int64_t src) {
  int64_t n = g->n;
  for (int64_t i = 0; i < n; i++) {
    s->dist[i] = INFINITY;
    s->sigma[i] = 0;
    s->done[i] = 0;
  }
  s->dist[src] = 0;
  s->sigma[src] = 1;
  s->hsize = 0;
  s->nreached = 0;
  heap_push(s, 0, src);
  while (s->hsize > 0) {
    int64_t v = heap_pop(s);
    if (s->done[v]) continue;
    s->done[v] = 1;
    s->order[s->nreached++] = v;
    double dv = s->dist[v];
    for (int64_t e = g->ptr[v]; e < g->ptr[v + 1]; e++) {
      int64_t w = g->idx[e];
      if (s->done[w]) continue;
      double nd = dv + g->len[e];
      if (nd < s->dist[w]) {
        s->dist[w] = nd;
        s->sigma[w] = s->sigma[v];
        heap_push(s, nd, w);
      } else if (nd == s->dist[w]) {
        s->sigma[w] += s->sigma[v];
      }
    }
  }
}

/* Checks shared by the path metrics: square, finite, and lengths or weights >= 0 unless
 * every link counts as 1. */
static int check_paths(const gy_mat *L, int binary) {
  GY_TRY(gy_graph_check(L, 0));
  if (!binary) GY_TRY(gy_graph_check_nonneg(L));
  return GY_OK;
}

/* All-pairs distances into D (n x n), from a graph already in adjacency lists. */
static int all_distances(gy_mat *D, const csr_t *g) {
  int64_t n = g->n;
  sssp_t s;
  GY_TRY(sssp_init(&s, g));
  int st = gy_mat_init(D, n, n);
  for (int64_t u = 0; u < n && !st; u++) {
    if (u % 64 == 0 && (st = gy_check_interrupt())) break;
    gy_progress_set(u, n);
    sssp_run(&s, g, u);
    for (int64_t v = 0; v < n; v++) GY_AT(D, u, v) = s.dist[v];
  }
  gy_progress_set(0, 0);
  sssp_free(&s);
  if (st) gy_mat_clear(D);
  return st;
}

int gy_graph_distance(gy_mat *D, const gy_mat *L, int binary) {
  GY_TRY(gy_check_out(D, "output"));
  GY_TRY(check_paths(L, binary));
  csr_t g;
  GY_TRY(csr_build(&g, L, NULL, L->rows, binary ? LEN_UNIT : LEN_GIVEN));
  int st = all_distances(D, &g);
  csr_free(&g);
  return st;
}

int gy_graph_charpath(double *lambda, double *efficiency, gy_mat *ecc, double *radius,
                      double *diameter, const gy_mat *L, int binary, int include_diagonal,
                      int include_infinite) {
  if (ecc) GY_TRY(gy_check_out(ecc, "eccentricity"));
  GY_TRY(check_paths(L, binary));
  int64_t n = L->rows;
  gy_mat D = {0};
  GY_TRY(gy_graph_distance(&D, L, binary));
  if (ecc) {
    int st = gy_mat_init(ecc, n, 1);
    if (st) {
      gy_mat_clear(&D);
      return st;
    }
  }
  /* BCT marks excluded entries NaN, then averages the rest; eccentricity is the row maximum
   * of what remains (NaN for a row with nothing left, e.g. a single node). */
  double sum = 0, isum = 0, cnt = 0, rad = NAN, dia = NAN;
  for (int64_t i = 0; i < n; i++) {
    double e = NAN;
    for (int64_t j = 0; j < n; j++) {
      double d = GY_AT(&D, i, j);
      if (i == j && !include_diagonal) continue;
      if (isinf(d) && !include_infinite) continue;
      sum += d;
      isum += 1 / d;
      cnt += 1;
      if (isnan(e) || d > e) e = d;
    }
    if (ecc) ecc->data[i] = e;
    if (!isnan(e)) {
      if (isnan(rad) || e < rad) rad = e;
      if (isnan(dia) || e > dia) dia = e;
    }
  }
  gy_mat_clear(&D);
  if (lambda) *lambda = cnt > 0 ? sum / cnt : NAN;
  if (efficiency) *efficiency = cnt > 0 ? isum / cnt : NAN;
  if (radius) *radius = rad;
  if (diameter) *diameter = dia;
  return GY_OK;
}

int gy_graph_efficiency_global(double *out, const gy_mat *W, int binary) {
  if (!out) return gy_err(GY_EINVAL, "output is missing");
  GY_TRY(check_paths(W, binary));
  int64_t n = W->rows;
  csr_t g;
  GY_TRY(csr_build(&g, W, NULL, n, binary ? LEN_UNIT : LEN_INVERSE));
  sssp_t s;
  int st = sssp_init(&s, &g);
  if (st) {
    csr_free(&g);
    return st;
  }
  double sum = 0;
  for (int64_t u = 0; u < n; u++) {
    if (u % 64 == 0 && (st = gy_check_interrupt())) break;
    gy_progress_set(u, n);
    sssp_run(&s, &g, u);
    for (int64_t v = 0; v < n; v++)
      if (v != u && !isinf(s.dist[v])) sum += 1 / s.dist[v];
  }
  gy_progress_set(0, 0);
  sssp_free(&s);
  csr_free(&g);
  if (st) return st;
  *out = n > 1 ? sum / ((double)n * n - n) : 0;
  return GY_OK;
}

/* Local efficiency of node u: inverse distances e within the subgraph of its neighbours V,
 * weighted by sw_j sw_h (symmetrised link weights, or cube roots of them) and normalised by
 * the number of neighbour pairs, as BCT's efficiency_bin / efficiency_wei. */
static int local_one(double *out, const gy_mat *W, int64_t u, int mode, int64_t *V,
                     double *sw, double *sa, double *e) {
  int64_t n = W->rows, k = 0;
  for (int64_t j = 0; j < n; j++) {
    if (j == u) continue;
    double a = GY_AT(W, u, j), b = GY_AT(W, j, u);
    if (a == 0 && b == 0) continue;
    V[k] = j;
    sa[k] = (a != 0) + (b != 0);
    sw[k] = mode == GY_GRAPH_LOCAL_BINARY ? sa[k] : cbrt(a) + cbrt(b);
    k++;
  }
  *out = 0;
  if (k < 2) return GY_OK;
  int how = mode == GY_GRAPH_LOCAL_BINARY ? LEN_UNIT
          : mode == GY_GRAPH_LOCAL_ORIGINAL ? LEN_INVERSE : LEN_INVERSE_CBRT;
  csr_t g;
  GY_TRY(csr_build(&g, W, V, k, how));
  sssp_t s;
  int st = sssp_init(&s, &g);
  if (st) {
    csr_free(&g);
    return st;
  }
  for (int64_t a = 0; a < k; a++) {
    sssp_run(&s, &g, a);
    for (int64_t b = 0; b < k; b++)
      e[a + b * k] = (a == b || isinf(s.dist[b])) ? 0 : 1 / s.dist[b];
  }
  sssp_free(&s);
  csr_free(&g);
  double numer = 0;
  for (int64_t a = 0; a < k; a++)
    for (int64_t b = 0; b < k; b++) {
      double eab = e[a + b * k], eba = e[b + a * k];
      double se = mode == GY_GRAPH_LOCAL_ORIGINAL ? cbrt(eab) + cbrt(eba) : eab + eba;
      numer += sw[a] * sw[b] * se;
    }
  numer /= 2;
  if (numer != 0) {
    double s1 = 0, s2 = 0;
    for (int64_t a = 0; a < k; a++) {
      s1 += sa[a];
      s2 += sa[a] * sa[a];
    }
    *out = numer / (s1 * s1 - s2);
  }
  return GY_OK;
}

int gy_graph_efficiency_local(gy_mat *out, const gy_mat *W, int mode) {
  GY_TRY(gy_check_out(out, "output"));
  if (mode != GY_GRAPH_LOCAL_BINARY && mode != GY_GRAPH_LOCAL_ORIGINAL &&
      mode != GY_GRAPH_LOCAL_WANG)
    return gy_err(GY_EINVAL, "unknown local efficiency variant %d", mode);
  GY_TRY(check_paths(W, mode == GY_GRAPH_LOCAL_BINARY));
  int64_t n = W->rows;
  size_t nn = (size_t)(n ? n : 1);
  int64_t *V = malloc(nn * sizeof *V);
  double *sw = malloc(nn * sizeof *sw), *sa = malloc(nn * sizeof *sa);
  double *e = malloc(nn * nn * sizeof *e);
  int st = (V && sw && sa && e) ? gy_mat_init(out, n, 1) : gy_err(GY_ENOMEM, "out of memory");
  for (int64_t u = 0; u < n && !st; u++) {
    if (u % 16 == 0 && (st = gy_check_interrupt())) break;
    gy_progress_set(u, n);
    st = local_one(out->data + u, W, u, mode, V, sw, sa, e);
  }
  gy_progress_set(0, 0);
  free(V);
  free(sw);
  free(sa);
  free(e);
  if (st) gy_mat_clear(out);
  return st;
}

int gy_graph_betweenness(gy_mat *out, const gy_mat *L, int binary, int normalized) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(check_paths(L, binary));
  int64_t n = L->rows;
  csr_t g;
  GY_TRY(csr_build(&g, L, NULL, n, binary ? LEN_UNIT : LEN_GIVEN));
  sssp_t s;
  int st = sssp_init(&s, &g);
  if (st) {
    csr_free(&g);
    return st;
  }
  st = gy_mat_init(out, n, 1);
  for (int64_t u = 0; u < n && !st; u++) {
    if (u % 64 == 0 && (st = gy_check_interrupt())) break;
    gy_progress_set(u, n);
    sssp_run(&s, &g, u);
    /* Brandes' accumulation in reverse order of settlement: a successor w of v on a
     * shortest path (dist[v] + l == dist[w], compared exactly) is settled after v. */
    for (int64_t r = s.nreached - 1; r >= 0; r--) {
      int64_t v = s.order[r];
      double d = 0;
      for (int64_t e = g.ptr[v]; e < g.ptr[v + 1]; e++) {
        int64_t w = g.idx[e];
        if (s.dist[v] + g.len[e] == s.dist[w]) d += s.sigma[v] / s.sigma[w] * (1 + s.delta[w]);
      }
      s.delta[v] = d;
      if (v != u) out->data[v] += d;
    }
  }
  gy_progress_set(0, 0);
  sssp_free(&s);
  csr_free(&g);
  if (st) {
    gy_mat_clear(out);
    return st;
  }
  if (normalized && n > 2)
    for (int64_t i = 0; i < n; i++) out->data[i] /= (double)(n - 1) * (double)(n - 2);
  return GY_OK;
}
