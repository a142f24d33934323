/* Voxel-scale graph maps (degree, 3-cycles, mean correlation) from time x voxel data in
 * bounded memory: the voxels x voxels correlation matrix (20 GB for 50,000 voxels) is
 * never formed. Each tile of it is one GEMM of the z-scored data, reduced at once to
 * per-voxel counts; triangles need the thresholded links, kept as sorted adjacency lists
 * (filled in a second pass once the degrees are known) and counted by list intersection,
 * O(sum_i k_i^2) instead of the O(n^3) of a dense A^3.
 *
 * The tiles are single-precision GEMMs (twice the double rate) yet the links are exact:
 * for unit-norm columns the float dot product is within (T + 4) FLT_EPSILON of the true r
 * (the gamma_T bound with Cauchy-Schwarz, plus the rounding of Z to float), so only the
 * rare r inside that band around the threshold is recomputed in double. The mean
 * correlation needs no tile at all: sum_j r_ij = z_i . (sum_j z_j). */
#include "graph_internal.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const gy_mat *X;   /* the data: z_j = (x_j - mu_j) sc_j, a unit-norm column */
  const double *mu, *sc;
  const float *Zf;   /* the z_j in single precision, for the tiles */
  int64_t T, n, b;   /* b: tile size */
  float *tile;       /* b x b */
  double thr;
  float lo, hi;      /* float r below lo: no link; at or above hi: link; between: recheck */
  int use_abs;
} tiler;

static int cmp_i32(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

/* The largest square float tile that fits in room bytes, at most 2048 (enough for GEMM
 * speed) and at most n. */
static int64_t tile_size(double room, int64_t n) {
  int64_t b = (int64_t)sqrt(room / sizeof(float));
  if (b > 2048) b = 2048;
  if (b > n) b = n;
  return b < 1 ? 1 : b;
}

static void set_band(tiler *t) {
  double eps = (double)(t->T + 4) * FLT_EPSILON;
  t->lo = nextafterf((float)(t->thr - eps), -INFINITY);
  t->hi = nextafterf((float)(t->thr + eps), INFINITY);
}

/* The float r of voxels i, j was too close to the threshold to decide: the double one. */
static int exact_link(const tiler *t, int64_t i, int64_t j) {
  double r = 0;
  for (int64_t k = 0; k < t->T; k++)
    r += (GY_AT(t->X, k, i) - t->mu[i]) * (GY_AT(t->X, k, j) - t->mu[j]);
  r *= t->sc[i] * t->sc[j];
  return (t->use_abs ? fabs(r) : r) >= t->thr;
}

/* One sweep over the upper tiles. Pass 1 accumulates degrees; pass 2 writes each link into
 * both adjacency lists at the cursors pos[] (adj given) or sets both bits of the adjacency
 * bit rows (words 64-bit words per row). */
static int sweep(const tiler *t, int pass, double *deg, int64_t *pos, int32_t *adj,
                 uint64_t *bits, int64_t words) {
  int64_t n = t->n, b = t->b, ntiles = (n + b - 1) / b, done = 0;
  const float lo = t->lo, hi = t->hi;
  for (int64_t i0 = 0; i0 < n; i0 += b) {
    int64_t bi = n - i0 < b ? n - i0 : b;
    for (int64_t j0 = i0; j0 < n; j0 += b) {
      int64_t bj = n - j0 < b ? n - j0 : b;
      GY_TRY(gy_check_interrupt());
      gy_progress_set(done++, ntiles * (ntiles + 1) / 2);
      cblas_sgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)bi, (int)bj, (int)t->T, 1.0f,
                  t->Zf + i0 * t->T, (int)t->T, t->Zf + j0 * t->T, (int)t->T, 0.0f, t->tile,
                  (int)bi);
      for (int64_t jj = 0; jj < bj; jj++) {
        int64_t j = j0 + jj;
        int64_t iend = i0 == j0 ? jj : bi; /* diagonal tiles: i < j only */
        const float *col = t->tile + jj * bi;
        for (int64_t ii = 0; ii < iend; ii++) {
          float a = t->use_abs ? fabsf(col[ii]) : col[ii];
          if (a < lo) continue;
          int64_t i = i0 + ii;
          if (a < hi && !exact_link(t, i, j)) continue;
          if (pass == 1) {
            deg[i] += 1;
            deg[j] += 1;
          } else if (adj) {
            adj[pos[i]++] = (int32_t)j;
            adj[pos[j]++] = (int32_t)i;
          } else {
            bits[i * words + j / 64] |= UINT64_C(1) << (j % 64);
            bits[j * words + i / 64] |= UINT64_C(1) << (i % 64);
          }
        }
      }
    }
  }
  gy_progress_set(0, 0);
  return GY_OK;
}

/* Triangles i < j < h, each found once from its smallest edge (i, j) by intersecting the
 * sorted lists of i and j above j, and credited to all three corners. */
static int count_triangles_lists(double *tri, const int64_t *ptr, const int32_t *adj,
                                 int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    if (i % 1024 == 0) GY_TRY(gy_check_interrupt());
    for (int64_t e = ptr[i]; e < ptr[i + 1]; e++) {
      int64_t j = adj[e];
      if (j <= i) continue;
      int64_t a = e + 1, c = ptr[j];
      while (c < ptr[j + 1] && adj[c] <= j) c++;
      while (a < ptr[i + 1] && c < ptr[j + 1]) {
        if (adj[a] < adj[c]) a++;
        else if (adj[a] > adj[c]) c++;
        else {
          tri[i] += 1;
          tri[j] += 1;
          tri[adj[a]] += 1;
          a++;
          c++;
        }
      }
    }
  }
  return GY_OK;
}

static int popcount64(uint64_t x) {
  x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
  x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
  x = (x + (x >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
  return (int)((x * UINT64_C(0x0101010101010101)) >> 56);
}

static int64_t and_count_sw(const uint64_t *a, const uint64_t *b, int64_t words) {
  int64_t c = 0;
  for (int64_t q = 0; q < words; q++) c += popcount64(a[q] & b[q]);
  return c;
}

/* The POPCNT instruction is 3-4 times faster than the portable bit trick; it is chosen at
 * run time so the library still runs on x86-64 machines without it. */
#if defined(__GNUC__) && defined(__x86_64__)
__attribute__((target("popcnt"))) static int64_t and_count_hw(const uint64_t *a,
                                                              const uint64_t *b, int64_t words) {
  int64_t c = 0;
  for (int64_t q = 0; q < words; q++) c += __builtin_popcountll(a[q] & b[q]);
  return c;
}
static int64_t (*pick_and_count(void))(const uint64_t *, const uint64_t *, int64_t) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("popcnt") ? and_count_hw : and_count_sw;
}
#else
static int64_t (*pick_and_count(void))(const uint64_t *, const uint64_t *, int64_t) {
  return and_count_sw;
}
#endif

/* Dense graphs: |N(i) and N(j)| for each link i < j is the popcount of two bit rows ANDed
 * (n/64 words, against k_i + k_j steps for list merging); each triangle is seen from two
 * of its links at every corner, hence the halving. */
static int count_triangles_bits(double *tri, const uint64_t *bits, int64_t words, int64_t n) {
  int64_t (*and_count)(const uint64_t *, const uint64_t *, int64_t) = pick_and_count();
  for (int64_t i = 0; i < n; i++) {
    if (i % 256 == 0) GY_TRY(gy_check_interrupt());
    const uint64_t *ri = bits + i * words;
    for (int64_t w = (i + 1) / 64; w < words; w++) {
      uint64_t m = ri[w];
      if (w == (i + 1) / 64) m &= ~UINT64_C(0) << ((i + 1) % 64);
      while (m) {
        int64_t j = w * 64 + __builtin_ctzll(m);
        m &= m - 1;
        double c = (double)and_count(ri, bits + j * words, words);
        tri[i] += c;
        tri[j] += c;
      }
    }
  }
  for (int64_t i = 0; i < n; i++) tri[i] *= 0.5;
  return GY_OK;
}

int gy_graph_voxel_maps(gy_mat *degree, gy_mat *triangles, gy_mat *mean_r, const gy_mat *X,
                        double thr, int use_abs, int64_t max_bytes) {
  if (degree) GY_TRY(gy_check_out(degree, "degree"));
  if (triangles) GY_TRY(gy_check_out(triangles, "triangles"));
  if (mean_r) GY_TRY(gy_check_out(mean_r, "mean correlation"));
  GY_TRY(gy_check_finite(X, "the data"));
  if (isnan(thr)) return gy_err(GY_EINVAL, "the threshold is NaN");
  int64_t T = X->rows, n = X->cols;
  if (T < 2) return gy_err(GY_EINVAL, "correlations need at least 2 time points, got %lld",
                           (long long)T);
  if (n >= INT32_MAX) return gy_err(GY_EINVAL, "too many voxels (%lld)", (long long)n);
  double fixed = (double)T * n * 4 + (double)n * 8 * 5;
  double room = (double)max_bytes - fixed;
  if (room < 16.0 * 16 * 4)
    return gy_err(GY_ENOMEM,
                  "a memory budget of %.3g MB is too small: the data copy and per-voxel "
                  "sums alone need %.3g MB",
                  (double)max_bytes / 1048576.0, fixed / 1048576.0);
  int64_t b = tile_size(room, n);

  float *tile = NULL, *Zf = NULL;
  double *deg = NULL, *sum = NULL, *tri = NULL, *mu = NULL, *sc = NULL;
  int64_t *ptr = NULL;
  int32_t *adj = NULL;
  uint64_t *bits = NULL;
  int st = GY_OK;
  tile = malloc((size_t)(b * b > 0 ? b * b : 1) * sizeof *tile);
  deg = calloc((size_t)(n ? n : 1), sizeof *deg);
  sum = calloc((size_t)(n ? n : 1), sizeof *sum);
  Zf = malloc((size_t)(T * n > 0 ? T * n : 1) * sizeof *Zf);
  mu = malloc((size_t)(n ? n : 1) * sizeof *mu);
  sc = malloc((size_t)(n ? n : 1) * sizeof *sc);
  if (!tile || !deg || !sum || !Zf || !mu || !sc) {
    st = gy_err(GY_ENOMEM, "out of memory");
    goto done;
  }
  for (int64_t j = 0; j < n; j++) {
    double m = 0, ss = 0;
    for (int64_t i = 0; i < T; i++) m += GY_AT(X, i, j);
    m /= (double)T;
    for (int64_t i = 0; i < T; i++) {
      double d = GY_AT(X, i, j) - m;
      ss += d * d;
    }
    /* A constant voxel (outside the brain, say) correlates with nothing: z = 0. */
    mu[j] = m;
    sc[j] = ss > 0 ? 1 / sqrt(ss) : 0;
    for (int64_t i = 0; i < T; i++) Zf[i + j * T] = (float)((GY_AT(X, i, j) - m) * sc[j]);
  }
  tiler t = {X, mu, sc, Zf, T, n, b, tile, thr, 0, 0, use_abs};
  set_band(&t);
  if ((st = sweep(&t, 1, deg, NULL, NULL, NULL, 0))) goto done;
  if (mean_r) {
    /* sum_{j != i} r_ij = z_i . (sum_j z_j) - z_i . z_i, with z_i . z_i = 1 (0 if constant). */
    double *zsum = calloc((size_t)(T ? T : 1), sizeof *zsum);
    if (!zsum) {
      st = gy_err(GY_ENOMEM, "out of memory");
      goto done;
    }
    for (int64_t j = 0; j < n; j++)
      for (int64_t i = 0; i < T; i++) zsum[i] += (GY_AT(X, i, j) - mu[j]) * sc[j];
    for (int64_t j = 0; j < n; j++) {
      double dot = 0, self = 0;
      for (int64_t i = 0; i < T; i++) {
        double z = (GY_AT(X, i, j) - mu[j]) * sc[j];
        dot += z * zsum[i];
        self += z * z;
      }
      sum[j] = dot - self;
    }
    free(zsum);
  }

  if (triangles) {
    double ends = 0, work_lists = 0;
    for (int64_t i = 0; i < n; i++) {
      ends += deg[i];
      work_lists += deg[i] * deg[i];
    }
    /* Adjacency lists (4 bytes per link end, merge cost sum k_i^2) or bit rows (n^2/8
     * bytes, n/64 words per link): the cheaper one that fits; the second sweep makes do
     * with a smaller tile if need be. */
    int64_t words = (n + 63) / 64;
    double need_lists = ends * 4 + (double)(2 * n + 1) * 8, need_bits = (double)n * words * 8;
    double work_bits = ends / 2 * (double)words;
    int fit_lists = room - need_lists >= 16.0 * 16 * 4, fit_bits = room - need_bits >= 16.0 * 16 * 4;
    if (!fit_lists && !fit_bits) {
      double need = fixed + (need_lists < need_bits ? need_lists : need_bits) + 16.0 * 16 * 4;
      st = gy_err(GY_ENOMEM,
                  "counting triangles at r >= %g keeps %.0f links, which need %.3g MB, over "
                  "the %.3g MB budget: raise the budget or the threshold",
                  thr, ends / 2, need / 1048576.0, (double)max_bytes / 1048576.0);
      goto done;
    }
    int use_bits = fit_bits && (!fit_lists || work_bits < work_lists);
    int64_t b2 = tile_size(room - (use_bits ? need_bits : need_lists), n);
    if (b2 < b) {
      free(tile);
      tile = malloc((size_t)(b2 * b2) * sizeof *tile);
      if (!tile) {
        st = gy_err(GY_ENOMEM, "out of memory");
        goto done;
      }
      t.tile = tile;
      t.b = b2;
    }
    tri = calloc((size_t)(n ? n : 1), sizeof *tri);
    if (!tri) {
      st = gy_err(GY_ENOMEM, "out of memory");
      goto done;
    }
    if (use_bits) {
      bits = calloc((size_t)(n > 0 ? n * words : 1), sizeof *bits);
      if (!bits) {
        st = gy_err(GY_ENOMEM, "out of memory for %.3g MB of adjacency bits", need_bits / 1048576.0);
        goto done;
      }
      if ((st = sweep(&t, 2, NULL, NULL, NULL, bits, words))) goto done;
      if ((st = count_triangles_bits(tri, bits, words, n))) goto done;
    } else {
      ptr = malloc((size_t)(n + 1) * sizeof *ptr);
      int64_t *pos = malloc((size_t)(n ? n : 1) * sizeof *pos);
      adj = malloc((size_t)(ends > 0 ? ends : 1) * sizeof *adj);
      if (!ptr || !pos || !adj) {
        free(pos);
        st = gy_err(GY_ENOMEM, "out of memory for %.0f links", ends / 2);
        goto done;
      }
      ptr[0] = 0;
      for (int64_t i = 0; i < n; i++) ptr[i + 1] = ptr[i] + (int64_t)deg[i];
      memcpy(pos, ptr, (size_t)n * sizeof *pos);
      st = sweep(&t, 2, NULL, pos, adj, NULL, 0);
      free(pos);
      if (st) goto done;
      for (int64_t i = 0; i < n; i++)
        qsort(adj + ptr[i], (size_t)(ptr[i + 1] - ptr[i]), sizeof *adj, cmp_i32);
      if ((st = count_triangles_lists(tri, ptr, adj, n))) goto done;
    }
  }

  if (degree && !(st = gy_mat_init(degree, n, 1))) memcpy(degree->data, deg, (size_t)n * 8);
  if (!st && triangles && !(st = gy_mat_init(triangles, n, 1)))
    memcpy(triangles->data, tri, (size_t)n * 8);
  if (!st && mean_r && !(st = gy_mat_init(mean_r, n, 1)))
    for (int64_t i = 0; i < n; i++) mean_r->data[i] = n > 1 ? sum[i] / (double)(n - 1) : 0;
  if (st) {
    if (degree) gy_mat_clear(degree);
    if (triangles) gy_mat_clear(triangles);
    if (mean_r) gy_mat_clear(mean_r);
  }
done:
  free(mu);
  free(sc);
  free(tile);
  free(Zf);
  free(deg);
  free(sum);
  free(tri);
  free(ptr);
  free(adj);
  free(bits);
  return st;
}
