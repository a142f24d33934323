/* Graph metrics that need no paths: thresholds, degree, strength, clustering, triangles,
 * transitivity, participation (BCT conventions, see gyrus/graph.h). */
#include "graph_internal.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int gy_graph_check(const gy_mat *W, int symmetric) {
  GY_TRY(gy_check_finite(W, "the graph"));
  if (W->rows != W->cols)
    return gy_err(GY_EINVAL, "the graph must be a square matrix, got %lld x %lld",
                  (long long)W->rows, (long long)W->cols);
  if (!symmetric) return GY_OK;
  for (int64_t j = 0; j < W->cols; j++)
    for (int64_t i = j + 1; i < W->rows; i++)
      if (fabs(GY_AT(W, i, j) - GY_AT(W, j, i)) >= 1e-10)
        return gy_err(GY_EINVAL,
                      "the graph must be undirected (symmetric), but W(%lld, %lld) = %g and "
                      "W(%lld, %lld) = %g",
                      (long long)i + 1, (long long)j + 1, GY_AT(W, i, j), (long long)j + 1,
                      (long long)i + 1, GY_AT(W, j, i));
  return GY_OK;
}

int gy_graph_check_nonneg(const gy_mat *W) {
  for (int64_t j = 0; j < W->cols; j++)
    for (int64_t i = 0; i < W->rows; i++)
      if (GY_AT(W, i, j) < 0)
        return gy_err(GY_EINVAL,
                      "the graph has a negative weight %g at (%lld, %lld); path lengths and "
                      "efficiency need non-negative weights",
                      GY_AT(W, i, j), (long long)i + 1, (long long)j + 1);
  return GY_OK;
}

/* ------------------------------------------------------------------------- thresholds */

typedef struct {
  double w;
  int64_t idx; /* column-major linear index, MATLAB's find() order */
} link_t;

/* Descending weight; equal weights keep find() order, as MATLAB's stable sortrows. */
static int link_cmp(const void *a, const void *b) {
  const link_t *x = a, *y = b;
  if (x->w > y->w) return -1;
  if (x->w < y->w) return 1;
  return (x->idx > y->idx) - (x->idx < y->idx);
}

int gy_graph_threshold_proportional(gy_mat *out, const gy_mat *W, double p) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_graph_check(W, 0));
  if (!(p >= 0 && p <= 1)) return gy_err(GY_EINVAL, "the proportion must be in [0, 1], got %g", p);
  int64_t n = W->rows;
  int sym = gy_graph_check(W, 1) == GY_OK;
  gy_errclear();
  GY_TRY(gy_mat_copy(out, W));
  for (int64_t i = 0; i < n; i++) GY_AT(out, i, i) = 0;
  if (sym)
    for (int64_t j = 0; j < n; j++)
      for (int64_t i = j + 1; i < n; i++) GY_AT(out, i, j) = 0;
  int64_t nnz = 0;
  for (int64_t k = 0; k < n * n; k++) nnz += out->data[k] != 0;
  link_t *links = malloc((size_t)(nnz ? nnz : 1) * sizeof *links);
  if (!links) {
    gy_mat_clear(out);
    return gy_err(GY_ENOMEM, "out of memory sorting %lld links", (long long)nnz);
  }
  int64_t m = 0;
  for (int64_t k = 0; k < n * n; k++)
    if (out->data[k] != 0) links[m++] = (link_t){out->data[k], k};
  qsort(links, (size_t)m, sizeof *links, link_cmp);
  /* MATLAB's round(), half away from zero; the argument is never negative here. */
  double want = floor((double)(n * n - n) * p / (sym ? 2.0 : 1.0) + 0.5);
  int64_t keep = want < (double)m ? (int64_t)want : m;
  for (int64_t k = keep; k < m; k++) out->data[links[k].idx] = 0;
  free(links);
  if (sym)
    for (int64_t j = 0; j < n; j++)
      for (int64_t i = j + 1; i < n; i++) GY_AT(out, i, j) = GY_AT(out, j, i);
  return GY_OK;
}

int gy_graph_threshold_absolute(gy_mat *out, const gy_mat *W, double thr) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_graph_check(W, 0));
  if (isnan(thr)) return gy_err(GY_EINVAL, "the threshold is NaN");
  GY_TRY(gy_mat_copy(out, W));
  for (int64_t k = 0; k < out->rows * out->cols; k++)
    if (out->data[k] < thr) out->data[k] = 0;
  for (int64_t i = 0; i < out->rows; i++) GY_AT(out, i, i) = 0;
  return GY_OK;
}

int gy_graph_binarize(gy_mat *out, const gy_mat *W) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_graph_check(W, 0));
  GY_TRY(gy_mat_copy(out, W));
  for (int64_t k = 0; k < out->rows * out->cols; k++) out->data[k] = out->data[k] != 0;
  return GY_OK;
}

int gy_graph_lengths(gy_mat *out, const gy_mat *W) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_graph_check(W, 0));
  GY_TRY(gy_mat_copy(out, W));
  for (int64_t k = 0; k < out->rows * out->cols; k++)
    if (out->data[k] != 0) out->data[k] = 1 / out->data[k];
  return GY_OK;
}

/* ------------------------------------------------------------------- degree, strength */

int gy_graph_degree(gy_mat *out, const gy_mat *W) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_graph_check(W, 0));
  GY_TRY(gy_mat_init(out, W->rows, 1));
  for (int64_t j = 0; j < W->cols; j++) {
    double k = 0;
    for (int64_t i = 0; i < W->rows; i++) k += GY_AT(W, i, j) != 0;
    out->data[j] = k;
  }
  return GY_OK;
}

int gy_graph_strength(gy_mat *out, const gy_mat *W) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_graph_check(W, 0));
  GY_TRY(gy_mat_init(out, W->rows, 1));
  for (int64_t j = 0; j < W->cols; j++) {
    double s = 0;
    for (int64_t i = 0; i < W->rows; i++) s += GY_AT(W, i, j);
    out->data[j] = s;
  }
  return GY_OK;
}

/* ----------------------------------------------------------- cycles of length three */

/* cyc[i] = [A^3]_ii with A = W^(1/3) (signed cube root) or A = (W != 0), zero diagonal, and
 * k[i] = number of neighbours. Dense: one GEMM gives A^2, then a dot product per node. */
static int cycles3(double *cyc, double *k, const gy_mat *W, int binary) {
  int64_t n = W->rows;
  if (n == 0) return GY_OK;
  gy_mat A = {0}, A2 = {0};
  GY_TRY(gy_mat_init(&A, n, n));
  int st = gy_mat_init(&A2, n, n);
  if (st) {
    gy_mat_clear(&A);
    return st;
  }
  for (int64_t j = 0; j < n; j++) {
    k[j] = 0;
    for (int64_t i = 0; i < n; i++) {
      double w = i == j ? 0 : GY_AT(W, i, j);
      GY_AT(&A, i, j) = binary ? (w != 0) : cbrt(w);
      k[j] += w != 0;
    }
  }
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)n, (int)n, 1.0, A.data,
              (int)A.ld, A.data, (int)A.ld, 0.0, A2.data, (int)A2.ld);
  /* [A^3]_ii = sum_j A2(i, j) A(j, i) = sum_j A2(j, i) A(j, i) for symmetric A: a column dot. */
  for (int64_t i = 0; i < n; i++)
    cyc[i] = cblas_ddot((int)n, A2.data + i * A2.ld, 1, A.data + i * A.ld, 1);
  gy_mat_clear(&A);
  gy_mat_clear(&A2);
  return GY_OK;
}

int gy_graph_clustering(gy_mat *out, const gy_mat *W, int binary) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_graph_check(W, 1));
  int64_t n = W->rows;
  GY_TRY(gy_mat_init(out, n, 1));
  double *k = malloc((size_t)(n ? n : 1) * sizeof *k);
  if (!k) {
    gy_mat_clear(out);
    return gy_err(GY_ENOMEM, "out of memory");
  }
  int st = cycles3(out->data, k, W, binary);
  if (st) {
    free(k);
    gy_mat_clear(out);
    return st;
  }
  for (int64_t i = 0; i < n; i++)
    out->data[i] = (k[i] < 2 || out->data[i] == 0) ? 0 : out->data[i] / (k[i] * (k[i] - 1));
  free(k);
  return GY_OK;
}

int gy_graph_triangles(gy_mat *out, const gy_mat *W, int weighted) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_graph_check(W, 1));
  int64_t n = W->rows;
  GY_TRY(gy_mat_init(out, n, 1));
  double *k = malloc((size_t)(n ? n : 1) * sizeof *k);
  if (!k) {
    gy_mat_clear(out);
    return gy_err(GY_ENOMEM, "out of memory");
  }
  int st = cycles3(out->data, k, W, !weighted);
  free(k);
  if (st) {
    gy_mat_clear(out);
    return st;
  }
  /* Each triangle is two closed walks i -> j -> h -> i (one per direction). */
  for (int64_t i = 0; i < n; i++) out->data[i] *= 0.5;
  if (!weighted)
    for (int64_t i = 0; i < n; i++) out->data[i] = round(out->data[i]);
  return GY_OK;
}

int gy_graph_transitivity(double *out, const gy_mat *W, int binary) {
  if (!out) return gy_err(GY_EINVAL, "output is missing");
  GY_TRY(gy_graph_check(W, 1));
  int64_t n = W->rows;
  double *buf = malloc((size_t)(n ? 2 * n : 1) * sizeof *buf);
  if (!buf) return gy_err(GY_ENOMEM, "out of memory");
  int st = cycles3(buf, buf + n, W, binary);
  if (st) {
    free(buf);
    return st;
  }
  double num = 0, den = 0;
  for (int64_t i = 0; i < n; i++) {
    num += buf[i];
    den += buf[n + i] * (buf[n + i] - 1);
  }
  free(buf);
  *out = den > 0 ? num / den : 0;
  return GY_OK;
}

/* ------------------------------------------------------------------- participation */

int gy_graph_participation(gy_mat *out, const gy_mat *W, const gy_mat *ci) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_graph_check(W, 0));
  GY_TRY(gy_check_finite(ci, "the community labels"));
  int64_t n = W->rows;
  if (ci->rows * ci->cols != n || (ci->rows != 1 && ci->cols != 1 && n > 0))
    return gy_err(GY_EINVAL, "%lld community labels for a graph of %lld nodes",
                  (long long)(ci->rows * ci->cols), (long long)n);
  /* Labels are arbitrary integers: map them to 0..nm-1 by sorting the distinct values. */
  int64_t *lab = malloc((size_t)(n ? n : 1) * sizeof *lab);
  double *vals = malloc((size_t)(n ? n : 1) * sizeof *vals);
  if (!lab || !vals) {
    free(lab);
    free(vals);
    return gy_err(GY_ENOMEM, "out of memory");
  }
  for (int64_t i = 0; i < n; i++) {
    double v = ci->rows == 1 ? GY_AT(ci, 0, i) : GY_AT(ci, i, 0);
    if (v != floor(v)) {
      free(lab);
      free(vals);
      return gy_err(GY_EINVAL, "community label %g of node %lld is not an integer", v,
                    (long long)i + 1);
    }
    vals[i] = v;
  }
  int64_t nm = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t m = 0;
    while (m < nm && vals[m] != vals[i]) m++;
    if (m == nm) vals[nm++] = vals[i];
    lab[i] = m;
  }
  free(vals);
  double *km = calloc((size_t)(nm ? nm : 1), sizeof *km);
  int st = km ? gy_mat_init(out, n, 1) : gy_err(GY_ENOMEM, "out of memory");
  if (st) {
    free(lab);
    free(km);
    return st;
  }
  for (int64_t i = 0; i < n; i++) {
    if (i % 256 == 0 && (st = gy_check_interrupt())) break;
    memset(km, 0, (size_t)nm * sizeof *km);
    double k = 0;
    for (int64_t j = 0; j < n; j++) {
      double w = GY_AT(W, i, j);
      k += w;
      km[lab[j]] += w;
    }
    double s = 0;
    for (int64_t m = 0; m < nm; m++) s += km[m] * km[m];
    out->data[i] = k == 0 ? 0 : 1 - s / (k * k);
  }
  free(lab);
  free(km);
  if (st) gy_mat_clear(out);
  return st;
}
