/* ICASSO: similarity of ICA estimates, average-linkage clustering (nearest-neighbour
 * chain, O(N^2) time), cluster quality Iq and centrotypes. */
#include "internal.h"
#include "gyrus/ica_icasso.h"

#include <math.h>
#include <stdlib.h>

int gy_icasso_similarity(gy_mat *S, const gy_mat *E) {
  GY_TRY(gy_check_out(S, "similarity output"));
  GY_TRY(gy_check_finite(E, "estimates"));
  const int64_t T = E->rows, N = E->cols;
  if (T < 2 || N < 1)
    return gy_err(GY_EINVAL, "estimates are %lld x %lld: need at least 2 samples (rows) and "
                  "one estimate (column)", (long long)T, (long long)N);
  gy_mat Z = {0}, R = {0};
  GY_TRY(gy_mat_copy(&Z, E));
  for (int64_t j = 0; j < N; j++) {
    double *z = Z.data + j * Z.ld, m = 0, ss = 0;
    for (int64_t t = 0; t < T; t++) m += z[t];
    m /= (double)T;
    for (int64_t t = 0; t < T; t++) {
      z[t] -= m;
      ss += z[t] * z[t];
    }
    if (!(ss > 0)) {
      gy_mat_clear(&Z);
      return gy_err(GY_EINVAL, "estimate (column) %lld is constant: its correlation is "
                    "undefined", (long long)j + 1);
    }
    const double f = 1.0 / sqrt(ss);
    for (int64_t t = 0; t < T; t++) z[t] *= f;
  }
  int st = gy_linalg_syrk(&R, &Z, 1, 1.0);
  gy_mat_clear(&Z);
  if (st) return st;
  for (int64_t j = 0; j < N; j++)
    for (int64_t i = 0; i < N; i++) {
      double v = fabs(GY_AT(&R, i, j));
      GY_AT(&R, i, j) = i == j ? 1.0 : (v > 1 ? 1.0 : v);
    }
  *S = R;
  return GY_OK;
}

static int check_similarity(const gy_mat *S) {
  GY_TRY(gy_check_finite(S, "similarity"));
  if (S->rows != S->cols || S->rows < 1)
    return gy_err(GY_EINVAL, "the similarity matrix is %lld x %lld but must be square and "
                  "non-empty", (long long)S->rows, (long long)S->cols);
  return GY_OK;
}

typedef struct merge {
  double h;
  int64_t a, b, seq;
} merge;

static int by_height(const void *x, const void *y) {
  const merge *p = x, *q = y;
  if (p->h < q->h) return -1;
  if (p->h > q->h) return 1;
  return (p->seq > q->seq) - (p->seq < q->seq);
}

static int64_t find_root(int64_t *parent, int64_t i) {
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

int gy_icasso_cluster(gy_mat *labels, gy_mat *heights, const gy_mat *S, int64_t k) {
  GY_TRY(gy_check_out(labels, "labels output"));
  if (heights) GY_TRY(gy_check_out(heights, "heights output"));
  GY_TRY(check_similarity(S));
  const int64_t N = S->rows;
  if (k < 1 || k > N)
    return gy_err(GY_EINVAL, "%lld clusters requested for %lld estimates: between 1 and %lld",
                  (long long)k, (long long)N, (long long)N);
  double *D = malloc((size_t)N * (size_t)N * sizeof *D);
  int64_t *size = malloc((size_t)N * sizeof *size), *chain = malloc((size_t)N * sizeof *chain),
          *parent = malloc((size_t)N * sizeof *parent), *first = malloc((size_t)N * sizeof *first);
  merge *mg = malloc((size_t)(N > 1 ? N - 1 : 1) * sizeof *mg);
  gy_mat lab = {0}, hh = {0};
  int st = GY_OK;
  if (!D || !size || !chain || !parent || !first || !mg) {
    st = gy_err(GY_ENOMEM, "out of memory clustering %lld estimates", (long long)N);
    goto done;
  }
  /* The similarity is symmetrised so rounding in the caller's matrix cannot make the
   * distance from i to j differ from j to i. */
  for (int64_t j = 0; j < N; j++)
    for (int64_t i = 0; i < N; i++)
      D[i + j * N] = 1.0 - 0.5 * (GY_AT(S, i, j) + GY_AT(S, j, i));
  for (int64_t i = 0; i < N; i++) size[i] = 1;
  int64_t nm = 0, len = 0;
  while (nm < N - 1) {
    if ((nm & 63) == 0 && (st = gy_check_interrupt())) goto done;
    if (len == 0)
      for (int64_t i = 0; i < N; i++)
        if (size[i]) {
          chain[len++] = i;
          break;
        }
    for (;;) {
      const int64_t x = chain[len - 1];
      int64_t y = len > 1 ? chain[len - 2] : -1;
      double best = len > 1 ? D[x + y * N] : INFINITY;
      for (int64_t i = 0; i < N; i++) {
        if (!size[i] || i == x) continue;
        if (D[x + i * N] < best) {
          best = D[x + i * N];
          y = i;
        }
      }
      if (len > 1 && y == chain[len - 2]) {
        len -= 2;
        /* Merge x into y: Lance-Williams update for average linkage. */
        const double nx = (double)size[x], ny = (double)size[y];
        for (int64_t i = 0; i < N; i++) {
          if (!size[i] || i == x || i == y) continue;
          const double d = (nx * D[x + i * N] + ny * D[y + i * N]) / (nx + ny);
          D[y + i * N] = D[i + y * N] = d;
        }
        mg[nm] = (merge){best, x, y, nm};
        nm++;
        size[y] += size[x];
        size[x] = 0;
        break;
      }
      chain[len++] = y;
    }
  }
  qsort(mg, (size_t)nm, sizeof *mg, by_height);
  for (int64_t i = 0; i < N; i++) parent[i] = i;
  for (int64_t m = 0; m < N - k; m++) {
    const int64_t a = find_root(parent, mg[m].a), b = find_root(parent, mg[m].b);
    if (a != b) parent[a] = b;
  }
  st = gy_mat_init(&lab, N, 1);
  if (!st && heights) st = gy_mat_init(&hh, N > 1 ? N - 1 : 0, 1);
  if (st) goto done;
  for (int64_t i = 0; i < N; i++) first[i] = -1;
  int64_t next = 0;
  for (int64_t i = 0; i < N; i++) {
    const int64_t r = find_root(parent, i);
    if (first[r] < 0) first[r] = next++;
    lab.data[i] = (double)first[r];
  }
  if (heights)
    for (int64_t m = 0; m < nm; m++) hh.data[m] = mg[m].h;
  *labels = lab;
  lab = (gy_mat){0};
  if (heights) {
    *heights = hh;
    hh = (gy_mat){0};
  }
done:
  free(D);
  free(size);
  free(chain);
  free(parent);
  free(first);
  free(mg);
  gy_mat_clear(&lab);
  gy_mat_clear(&hh);
  return st;
}

int gy_icasso_quality(gy_mat *iq, gy_mat *centrotype, gy_mat *size, const gy_mat *S,
                      const gy_mat *labels, int64_t k) {
  GY_TRY(gy_check_out(iq, "Iq output"));
  GY_TRY(gy_check_out(centrotype, "centrotype output"));
  GY_TRY(gy_check_out(size, "size output"));
  GY_TRY(check_similarity(S));
  GY_TRY(gy_check_finite(labels, "labels"));
  const int64_t N = S->rows;
  if (labels->rows * labels->cols != N)
    return gy_err(GY_EINVAL, "%lld labels for %lld estimates",
                  (long long)(labels->rows * labels->cols), (long long)N);
  if (k < 1) return gy_err(GY_EINVAL, "the number of clusters must be positive");
  int64_t *lab = malloc((size_t)N * sizeof *lab);
  if (!lab) return gy_err(GY_ENOMEM, "out of memory for %lld labels", (long long)N);
  gy_mat q = {0}, c = {0}, z = {0};
  int st = GY_OK;
  for (int64_t i = 0; i < N; i++) {
    const double v = labels->rows == 1 ? labels->data[i * labels->ld] : labels->data[i];
    if (!(v >= 0 && v < (double)k) || v != floor(v)) {
      st = gy_err(GY_EINVAL, "label %g of estimate %lld is not a cluster 0..%lld", v,
                  (long long)i + 1, (long long)k - 1);
      goto done;
    }
    lab[i] = (int64_t)v;
  }
  st = gy_mat_init(&q, k, 1);
  if (!st) st = gy_mat_init(&c, k, 1);
  if (!st) st = gy_mat_init(&z, k, 1);
  if (st) goto done;
  for (int64_t i = 0; i < N; i++) z.data[lab[i]] += 1;
  for (int64_t cl = 0; cl < k; cl++) {
    if (z.data[cl] == 0) {
      st = gy_err(GY_EINVAL, "cluster %lld has no member", (long long)cl + 1);
      goto done;
    }
    double in = 0, out = 0, best = -INFINITY;
    int64_t arg = -1;
    for (int64_t i = 0; i < N; i++) {
      if (lab[i] != cl) continue;
      double row = 0;
      for (int64_t j = 0; j < N; j++) {
        const double s = GY_AT(S, i, j);
        if (lab[j] == cl) {
          row += s;
          if (j != i) in += s;
        } else out += s;
      }
      if (row > best) {
        best = row;
        arg = i;
      }
    }
    const double m = z.data[cl];
    const double intra = m > 1 ? in / (m * (m - 1)) : 1.0;
    const double extra = N > m ? out / (m * ((double)N - m)) : 0.0;
    q.data[cl] = intra - extra;
    c.data[cl] = (double)arg;
  }
  *iq = q;
  *centrotype = c;
  *size = z;
  q = c = z = (gy_mat){0};
done:
  free(lab);
  gy_mat_clear(&q);
  gy_mat_clear(&c);
  gy_mat_clear(&z);
  return st;
}

int gy_icasso_resample(gy_mat *out, const gy_mat *X, uint64_t seed) {
  GY_TRY(gy_check_out(out, "resample output"));
  GY_TRY(gy_check_mat(X, "X"));
  if (X->rows < 1) return gy_err(GY_EINVAL, "X has no rows to resample");
  gy_mat o = {0};
  GY_TRY(gy_mat_init(&o, X->rows, X->cols));
  gy_rng r;
  gy_rng_seed(&r, seed);
  for (int64_t i = 0; i < X->rows; i++) {
    const int64_t src = (int64_t)gy_rng_below(&r, (uint64_t)X->rows);
    for (int64_t j = 0; j < X->cols; j++) GY_AT(&o, i, j) = GY_AT(X, src, j);
  }
  *out = o;
  return GY_OK;
}
