/* Topological RSA transforms. Geodesics use Floyd-Warshall: n conditions give n^3
 * relaxations, well under a second for the few hundred conditions RDMs have. */
#include "internal.h"
#include "gyrus/rsa.h"
#include "gyrus/rsa_trsa.h"

#include <math.h>
#include <stdlib.h>

static int vector_arg(const gy_mat *v, const char *what, int64_t *K) {
  GY_TRY(gy_check_mat(v, what));
  if (v->rows != 1 && v->cols != 1)
    return gy_err(GY_EINVAL, "%s must be a vector, got %lld x %lld", what,
                  (long long)v->rows, (long long)v->cols);
  *K = v->rows * v->cols;
  if (*K < 1) return gy_err(GY_EINVAL, "%s is empty", what);
  return GY_OK;
}

static double vec_at(const gy_mat *v, int64_t k) {
  return v->cols == 1 ? v->data[k] : v->data[k * v->ld];
}

/* n with n(n-1)/2 = K, or -1. */
static int64_t conditions_of(int64_t K) {
  int64_t n = (int64_t)floor(0.5 + sqrt(0.25 + 2.0 * (double)K));
  for (int64_t m = n - 1; m <= n + 1; m++)
    if (m >= 2 && m * (m - 1) / 2 == K) return m;
  return -1;
}

typedef struct { double v; int64_t i; } keyed;

static int cmp_keyed(const void *pa, const void *pb) {
  const keyed *a = pa, *b = pb;
  if (a->v < b->v) return -1;
  if (a->v > b->v) return 1;
  return (a->i > b->i) - (a->i < b->i);
}

static int rank_into(double *r, const gy_mat *v, int64_t K) {
  keyed *t = gy_alloc((size_t)K * sizeof *t);
  if (!t) return gy_err(GY_ENOMEM, "out of memory ranking %lld entries", (long long)K);
  int64_t m = 0;
  for (int64_t k = 0; k < K; k++) {
    double x = vec_at(v, k);
    if (isnan(x)) r[k] = NAN;
    else t[m++] = (keyed){x, k};
  }
  qsort(t, (size_t)m, sizeof *t, cmp_keyed);
  for (int64_t s = 0; s < m;) {
    int64_t e = s + 1;
    while (e < m && t[e].v == t[s].v) e++;
    double avg = 0.5 * (double)(s + 1 + e);
    for (int64_t q = s; q < e; q++) r[t[q].i] = avg;
    s = e;
  }
  gy_free(t);
  return GY_OK;
}

int gy_rsa_rank(gy_mat *out, const gy_mat *v) {
  int64_t K;
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(vector_arg(v, "RDM vector", &K));
  GY_TRY(gy_mat_init(out, K, 1));
  int st = rank_into(out->data, v, K);
  if (st) gy_mat_clear(out);
  return st;
}

static int cmp_double(const void *pa, const void *pb) {
  double a = *(const double *)pa, b = *(const double *)pb;
  return (a > b) - (a < b);
}

/* numpy's default ("linear", Hyndman-Fan type 7) quantile of sorted s[0..m-1]. */
static double quantile7(const double *s, int64_t m, double q) {
  double h = (double)(m - 1) * q;
  int64_t j = (int64_t)floor(h);
  if (j >= m - 1) return s[m - 1];
  return s[j] + (h - (double)j) * (s[j + 1] - s[j]);
}

/* Scales the finite entries of x to [0, 1]; a constant vector is left as it is (upstream
 * would divide 0 by 0). */
static void minmax(double *x, int64_t K) {
  double lo = INFINITY, hi = -INFINITY;
  for (int64_t k = 0; k < K; k++)
    if (isfinite(x[k])) {
      if (x[k] < lo) lo = x[k];
      if (x[k] > hi) hi = x[k];
    }
  if (!(hi > lo)) return;
  for (int64_t k = 0; k < K; k++)
    if (isfinite(x[k])) x[k] = (x[k] - lo) / (hi - lo);
}

/* x = minmax(rank(v)) and s = its finite entries sorted (*m of them, m >= 1). */
static int scaled_ranks(double *x, double *s, int64_t *m, const gy_mat *v, int64_t K) {
  GY_TRY(rank_into(x, v, K));
  minmax(x, K);
  *m = 0;
  for (int64_t k = 0; k < K; k++)
    if (!isnan(x[k])) s[(*m)++] = x[k];
  if (*m == 0) return gy_err(GY_EINVAL, "the RDM vector has no finite entry");
  qsort(s, (size_t)*m, sizeof *s, cmp_double);
  return GY_OK;
}

/* g = GT of the scaled ranks x at the quantiles lower, upper of their sorted values s. */
static void gt_from(double *g, const double *x, const double *s, int64_t m, int64_t K,
                    double lower, double upper) {
  double a = quantile7(s, m, lower), b = quantile7(s, m, upper);
  for (int64_t k = 0; k < K; k++) {
    double t = x[k];
    if (isnan(t)) g[k] = t;
    else if (t < a) g[k] = 0;
    else if (t > b) g[k] = 1;
    else g[k] = b > a ? (t - a) / (b - a) : 0;
  }
}

static int rgtm_into(double *g, const gy_mat *v, int64_t K, double lower, double upper) {
  double *s = gy_alloc((size_t)K * sizeof *s);
  if (!s) return gy_err(GY_ENOMEM, "out of memory");
  int64_t m;
  int st = scaled_ranks(g, s, &m, v, K);
  if (!st) gt_from(g, g, s, m, K, lower, upper);
  gy_free(s);
  return st;
}

static int check_thresholds(double lower, double upper) {
  if (!(lower >= 0 && lower <= 1) || !(upper >= 0 && upper <= 1))
    return gy_err(GY_EINVAL, "thresholds are quantiles in [0, 1], got lower %g and upper %g",
                  lower, upper);
  if (lower > upper)
    return gy_err(GY_EINVAL, "lower threshold %g is above upper threshold %g", lower, upper);
  return GY_OK;
}

int gy_rsa_rgtm(gy_mat *out, const gy_mat *v, double lower, double upper) {
  int64_t K;
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(vector_arg(v, "RDM vector", &K));
  GY_TRY(check_thresholds(lower, upper));
  GY_TRY(gy_mat_init(out, K, 1));
  int st = rgtm_into(out->data, v, K, lower, upper);
  if (st) gy_mat_clear(out);
  return st;
}

/* In place: x (K entries, GT values) becomes the geodesic distances. */
static int geodesic_into(double *x, int64_t K, int zero_edge, int inf_policy, int rank_after) {
  int64_t n = conditions_of(K);
  if (n < 0)
    return gy_err(GY_EINVAL, "a vector of %lld entries is not the upper triangle of an RDM "
                  "(n(n-1)/2 entries)", (long long)K);
  minmax(x, K);
  double *D = gy_alloc((size_t)(n * n) * sizeof *D);
  if (!D) return gy_err(GY_ENOMEM, "out of memory for a %lld x %lld distance matrix",
                        (long long)n, (long long)n);
  for (int64_t i = 0; i < n * n; i++) D[i] = INFINITY;
  for (int64_t i = 0, k = 0; i < n; i++) {
    D[i + i * n] = 0;
    for (int64_t j = i + 1; j < n; j++, k++) {
      double w = x[k];
      /* weight-1 pairs (at or above the upper threshold) are cut, as upstream */
      int edge = isfinite(w) && w < 1 && (w > 0 || (zero_edge && w >= 0));
      if (edge) D[i + j * n] = D[j + i * n] = w;
    }
  }
  for (int64_t m = 0; m < n; m++) {
    if ((m & 63) == 63) {
      int st = gy_check_interrupt();
      if (st) {
        gy_free(D);
        return st;
      }
    }
    for (int64_t j = 0; j < n; j++) {
      double dmj = D[m + j * n];
      if (dmj == INFINITY) continue;
      for (int64_t i = 0; i < n; i++) {
        double t = D[i + m * n] + dmj;
        if (t < D[i + j * n]) D[i + j * n] = t;
      }
    }
  }
  double big = -INFINITY;
  for (int64_t i = 0, k = 0; i < n; i++)
    for (int64_t j = i + 1; j < n; j++, k++) {
      x[k] = D[i + j * n];
      if (isfinite(x[k]) && x[k] > big) big = x[k];
    }
  gy_free(D);
  if (inf_policy == GY_RSA_INF_MAX && isfinite(big))
    for (int64_t k = 0; k < K; k++)
      if (x[k] == INFINITY) x[k] = big;
  if (rank_after) {
    gy_mat view = {x, K, 1, K, 0, 0};
    double *r = gy_alloc((size_t)K * sizeof *r);
    if (!r) return gy_err(GY_ENOMEM, "out of memory");
    int st = rank_into(r, &view, K);
    for (int64_t k = 0; k < K && !st; k++) x[k] = r[k];
    gy_free(r);
    return st;
  }
  return GY_OK;
}

static int check_flags(int zero_edge, int inf_policy) {
  if (zero_edge != GY_RSA_ZERO_NO_EDGE && zero_edge != GY_RSA_ZERO_IS_EDGE)
    return gy_err(GY_EINVAL, "unknown zero-edge rule %d", zero_edge);
  if (inf_policy != GY_RSA_INF_KEEP && inf_policy != GY_RSA_INF_MAX)
    return gy_err(GY_EINVAL, "unknown inf policy %d", inf_policy);
  return GY_OK;
}

int gy_rsa_geodesic(gy_mat *out, const gy_mat *g, int zero_edge, int inf_policy,
                    int rank_after) {
  int64_t K;
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(vector_arg(g, "GT vector", &K));
  GY_TRY(check_flags(zero_edge, inf_policy));
  for (int64_t k = 0; k < K; k++)
    if (vec_at(g, k) < 0 || isinf(vec_at(g, k)))
      return gy_err(GY_EINVAL, "GT vector entry %lld is %g: weights must be finite and "
                    "non-negative", (long long)k + 1, vec_at(g, k));
  GY_TRY(gy_mat_init(out, K, 1));
  for (int64_t k = 0; k < K; k++) out->data[k] = vec_at(g, k);
  int st = geodesic_into(out->data, K, zero_edge, inf_policy, rank_after);
  if (st) gy_mat_clear(out);
  return st;
}

int gy_rsa_rgtd(gy_mat *out, const gy_mat *v, double lower, double upper, int zero_edge,
                int inf_policy, int rank_after) {
  int64_t K;
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(vector_arg(v, "RDM vector", &K));
  GY_TRY(check_thresholds(lower, upper));
  GY_TRY(check_flags(zero_edge, inf_policy));
  if (conditions_of(K) < 0)
    return gy_err(GY_EINVAL, "a vector of %lld entries is not the upper triangle of an RDM "
                  "(n(n-1)/2 entries)", (long long)K);
  GY_TRY(gy_mat_init(out, K, 1));
  int st = rgtm_into(out->data, v, K, lower, upper);
  if (!st) st = geodesic_into(out->data, K, zero_edge, inf_policy, rank_after);
  if (st) gy_mat_clear(out);
  return st;
}

int gy_rsa_rgtm_sweep(gy_mat *scores, const gy_mat *data, const gy_mat *model,
                      const double *lower, const double *upper, int64_t n_pairs, int method,
                      int geodesic, int zero_edge, int inf_policy) {
  int64_t K;
  GY_TRY(gy_check_out(scores, "output"));
  GY_TRY(gy_check_mat(data, "data RDMs"));
  GY_TRY(vector_arg(model, "model RDM", &K));
  if (data->rows != K || data->cols < 1)
    return gy_err(GY_EINVAL, "data RDMs are %lld x %lld but the model has %lld entries",
                  (long long)data->rows, (long long)data->cols, (long long)K);
  if (n_pairs < 1 || !lower || !upper)
    return gy_err(GY_EINVAL, "no threshold pairs to sweep");
  for (int64_t p = 0; p < n_pairs; p++)
    GY_TRY(check_thresholds(lower[p], upper[p]));
  if (geodesic) {
    GY_TRY(check_flags(zero_edge, inf_policy));
    if (conditions_of(K) < 0)
      return gy_err(GY_EINVAL, "a vector of %lld entries is not the upper triangle of an RDM "
                    "(n(n-1)/2 entries)", (long long)K);
  }
  int64_t N = data->cols, c = N + 1;
  double *X = gy_alloc((size_t)(K * c) * sizeof *X), *Srt = gy_alloc((size_t)(K * c) * sizeof *Srt);
  double *G = gy_alloc((size_t)(K * c) * sizeof *G);
  int64_t *m = gy_alloc((size_t)c * sizeof *m);
  int st = (!X || !Srt || !G || !m) ? gy_err(GY_ENOMEM, "out of memory for the sweep") : GY_OK;
  for (int64_t j = 0; j < c && !st; j++) {
    gy_mat col = {0};
    if (j < N) st = gy_mat_view(&col, data, 0, j, K, 1);
    else if (model->cols == 1) col = *model;
    else st = gy_mat_transpose(&col, model);
    if (!st) st = scaled_ranks(X + j * K, Srt + j * K, &m[j], &col, K);
    if (j == N && model->cols != 1) gy_mat_clear(&col);
  }
  if (!st) st = gy_mat_init(scores, n_pairs, 1);
  for (int64_t p = 0; p < n_pairs && !st; p++) {
    st = gy_check_interrupt();
    gy_progress_set(p, n_pairs);
    for (int64_t j = 0; j < c && !st; j++) {
      gt_from(G + j * K, X + j * K, Srt + j * K, m[j], K, lower[p], upper[p]);
      if (geodesic) st = geodesic_into(G + j * K, K, zero_edge, inf_policy, 1);
    }
    double sum = 0, r;
    gy_mat gm = {G + N * K, K, 1, K, 0, 0};
    for (int64_t j = 0; j < N && !st; j++) {
      gy_mat gd = {G + j * K, K, 1, K, 0, 0};
      st = gy_rsa_compare(&r, &gd, &gm, method, NULL);
      sum += r;
    }
    if (!st) scores->data[p] = sum / (double)N;
  }
  gy_progress_set(0, 0);
  if (st) gy_mat_clear(scores);
  gy_free(X);
  gy_free(Srt);
  gy_free(G);
  gy_free(m);
  return st;
}
