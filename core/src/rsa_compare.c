/* RDM comparisons as rsatoolbox's rdm/compare.py defines them. Kendall's tau (a and b)
 * count discordant pairs with a merge sort (Knight 1966, as scipy's _kendall_dis), so they
 * cost O(K log K) rather than O(K^2) for K distances. */
#include "internal.h"
#include "gyrus/rsa.h"
#include "gyrus/linalg.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double vec_at(const gy_mat *v, int64_t k) {
  return v->cols == 1 ? v->data[k] : v->data[k * v->ld];
}

static double cosine(const double *a, const double *b, int64_t K) {
  double ab = 0, aa = 0, bb = 0;
  for (int64_t k = 0; k < K; k++) {
    ab += a[k] * b[k];
    aa += a[k] * a[k];
    bb += b[k] * b[k];
  }
  /* rsatoolbox: a zero-norm vector has similarity 0 with everything */
  if (!(aa > 0) || !(bb > 0)) return 0;
  return ab / sqrt(aa) / sqrt(bb);
}

static void centre(double *a, int64_t K) {
  double m = 0;
  for (int64_t k = 0; k < K; k++) m += a[k];
  m /= (double)K;
  for (int64_t k = 0; k < K; k++) a[k] -= m;
}

/* ---------------------------------------------------------------------------- ranks */

typedef struct { double v; int64_t i; } keyed;

static int cmp_keyed(const void *pa, const void *pb) {
  const keyed *a = pa, *b = pb;
  if (a->v < b->v) return -1;
  if (a->v > b->v) return 1;
  return (a->i > b->i) - (a->i < b->i);
}

/* Average ranks 1..K (scipy.stats.rankdata). */
static int rank(double *r, const double *x, int64_t K) {
  keyed *t = gy_alloc((size_t)K * sizeof *t);
  if (!t) return gy_err(GY_ENOMEM, "out of memory");
  for (int64_t k = 0; k < K; k++) t[k] = (keyed){x[k], k};
  qsort(t, (size_t)K, sizeof *t, cmp_keyed);
  for (int64_t s = 0; s < K;) {
    int64_t e = s + 1;
    while (e < K && t[e].v == t[s].v) e++;
    double avg = 0.5 * (double)(s + 1 + e);
    for (int64_t q = s; q < e; q++) r[t[q].i] = avg;
    s = e;
  }
  gy_free(t);
  return GY_OK;
}

/* -------------------------------------------------------------------------- kendall */

typedef struct { double x, y; } pair_xy;

static int cmp_xy(const void *pa, const void *pb) {
  const pair_xy *a = pa, *b = pb;
  if (a->x != b->x) return a->x < b->x ? -1 : 1;
  if (a->y != b->y) return a->y < b->y ? -1 : 1;
  return 0;
}

/* Sorts y[lo, hi) ascending and returns the number of inversions (i < j, y_i > y_j). */
static int64_t merge_count(double *y, double *tmp, int64_t lo, int64_t hi) {
  if (hi - lo < 2) return 0;
  int64_t mid = lo + (hi - lo) / 2;
  int64_t inv = merge_count(y, tmp, lo, mid) + merge_count(y, tmp, mid, hi);
  int64_t i = lo, j = mid, k = lo;
  while (i < mid && j < hi) {
    if (y[j] < y[i]) {
      inv += mid - i;
      tmp[k++] = y[j++];
    } else {
      tmp[k++] = y[i++];
    }
  }
  while (i < mid) tmp[k++] = y[i++];
  while (j < hi) tmp[k++] = y[j++];
  memcpy(y + lo, tmp + lo, (size_t)(hi - lo) * sizeof *y);
  return inv;
}

/* con - dis, tot, and the tied pairs in x and in y. */
static int kendall_counts(const double *a, const double *b, int64_t K, double *cmd, double *tot,
                          double *xtie, double *ytie) {
  pair_xy *p = gy_alloc((size_t)K * sizeof *p);
  double *y = gy_alloc((size_t)K * sizeof *y), *tmp = gy_alloc((size_t)K * sizeof *tmp);
  if (!p || !y || !tmp) {
    gy_free(p);
    gy_free(y);
    gy_free(tmp);
    return gy_err(GY_ENOMEM, "out of memory");
  }
  for (int64_t k = 0; k < K; k++) p[k] = (pair_xy){a[k], b[k]};
  qsort(p, (size_t)K, sizeof *p, cmp_xy);
  double xt = 0, nt = 0, yt = 0;
  for (int64_t s = 0; s < K;) {
    int64_t e = s + 1;
    while (e < K && p[e].x == p[s].x) e++;
    xt += 0.5 * (double)(e - s) * (double)(e - s - 1);
    for (int64_t u = s; u < e;) {
      int64_t w = u + 1;
      while (w < e && p[w].y == p[u].y) w++;
      nt += 0.5 * (double)(w - u) * (double)(w - u - 1);
      u = w;
    }
    s = e;
  }
  for (int64_t k = 0; k < K; k++) y[k] = p[k].y;
  /* Sorted by x then y, an inversion in y is a pair with x_i < x_j and y_i > y_j. */
  double dis = (double)merge_count(y, tmp, 0, K);
  for (int64_t s = 0; s < K;) {
    int64_t e = s + 1;
    while (e < K && y[e] == y[s]) e++;
    yt += 0.5 * (double)(e - s) * (double)(e - s - 1);
    s = e;
  }
  gy_free(p);
  gy_free(y);
  gy_free(tmp);
  *tot = 0.5 * (double)K * (double)(K - 1);
  *cmd = *tot - xt - yt + nt - 2 * dis;
  *xtie = xt;
  *ytie = yt;
  return GY_OK;
}

static double clip1(double t) { return t > 1 ? 1 : (t < -1 ? -1 : t); }

/* ------------------------------------------------------- whitened (cosine_cov) and G */

static int n_from_length(int64_t K, int64_t *n) {
  int64_t m = (int64_t)floor((1 + sqrt(1 + 8.0 * (double)K)) / 2 + 0.5);
  if (m < 2 || m * (m - 1) / 2 != K)
    return gy_err(GY_EINVAL, "RDM vectors of length %lld are not n(n-1)/2 for any n >= 2",
                  (long long)K);
  *n = m;
  return GY_OK;
}

/* rsatoolbox _cov_weighting: the kept distances d (mask[k] = 1) become the double-centred
 * second moment G = -1/2 H D H (off-diagonal entries times sqrt 2, then the n diagonal
 * entries), written to w (n_kept + n); with pattern variances sk (or NULL), G_ij is divided
 * by sqrt(sk_i sk_j). With missing entries the centring is rsatoolbox's least-squares fit
 * of row/column effects. */
static int cov_weight(double *w, const double *d, const unsigned char *mask, int64_t n,
                      int full, const double *sk) {
  int64_t K = n * (n - 1) / 2, nk = 0;
  if (full) {
    double *r = gy_alloc((size_t)n * sizeof *r);
    if (!r) return gy_err(GY_ENOMEM, "out of memory");
    double all = 0;
    for (int64_t i = 0; i < n; i++) r[i] = 0;
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++)
      for (int64_t j = i + 1; j < n; j++, k++) {
        double v = -0.5 * d[k];
        r[i] += v;
        r[j] += v;
        all += 2 * v;
      }
    for (int64_t i = 0; i < n; i++) r[i] /= (double)n;
    all /= (double)n * (double)n;
    k = 0;
    for (int64_t i = 0; i < n; i++)
      for (int64_t j = i + 1; j < n; j++, k++)
        w[k] = (-0.5 * d[k] - r[i] - r[j] + all) * sqrt(2.0) / (sk ? sqrt(sk[i] * sk[j]) : 1);
    for (int64_t i = 0; i < n; i++) w[K + i] = (-2 * r[i] + all) / (sk ? sk[i] : 1);
    gy_free(r);
    return GY_OK;
  }
  /* Model entry e (pair (i,j), weight 1/2, or diagonal (i,i), weight 1) as the sum of
   * the row effects c_i + c_j (pairs) or c_i (diagonal): M = A' W A, u = A' v, M c = u,
   * then v_e -= W_e (A c)_e as rsatoolbox writes it. */
  gy_mat Mm = {0}, u = {0}, c = {0};
  int st = gy_mat_init(&Mm, n, n);
  if (!st) st = gy_mat_init(&u, n, 1);
  if (st) { gy_mat_clear(&Mm); return st; }
  for (int64_t i = 0; i < n; i++) GY_AT(&Mm, i, i) = 1; /* the diagonal entries */
  int64_t k = 0;
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = i + 1; j < n; j++, k++) {
      if (!mask[k]) continue;
      double v = -0.5 * d[k];
      GY_AT(&Mm, i, i) += 0.5;
      GY_AT(&Mm, j, j) += 0.5;
      GY_AT(&Mm, i, j) += 0.5;
      GY_AT(&Mm, j, i) += 0.5;
      u.data[i] += v;
      u.data[j] += v;
    }
  st = gy_linalg_solve(&c, &Mm, &u);
  gy_mat_clear(&Mm);
  gy_mat_clear(&u);
  if (st) return st;
  k = 0;
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = i + 1; j < n; j++, k++) {
      if (!mask[k]) continue;
      w[nk++] = (-0.5 * d[k] - 0.5 * (c.data[i] + c.data[j])) * sqrt(2.0) /
                (sk ? sqrt(sk[i] * sk[j]) : 1);
    }
  for (int64_t i = 0; i < n; i++) w[nk + i] = -c.data[i] / (sk ? sk[i] : 1);
  gy_mat_clear(&c);
  return GY_OK;
}

/* G = -1/2 H D H (n x n) of a complete RDM vector. */
static int second_moment(gy_mat *G, const double *d, int64_t n) {
  GY_TRY(gy_mat_init(G, n, n));
  int64_t k = 0;
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = i + 1; j < n; j++, k++) {
      GY_AT(G, i, j) = -0.5 * d[k];
      GY_AT(G, j, i) = -0.5 * d[k];
    }
  double all = 0;
  double *r = gy_alloc((size_t)n * sizeof *r);
  if (!r) { gy_mat_clear(G); return gy_err(GY_ENOMEM, "out of memory"); }
  for (int64_t i = 0; i < n; i++) {
    r[i] = 0;
    for (int64_t j = 0; j < n; j++) r[i] += GY_AT(G, i, j);
    all += r[i];
    r[i] /= (double)n;
  }
  all /= (double)n * (double)n;
  for (int64_t j = 0; j < n; j++)
    for (int64_t i = 0; i < n; i++) GY_AT(G, i, j) += all - r[i] - r[j];
  gy_free(r);
  return GY_OK;
}

/* Eigenvalues below n eps max|w| are rounding noise of a zero (G = -HDH/2 always has one):
 * counting them would add sqrt(1e-16)-sized terms to the Bures trace. */
static double eig_floor(const gy_mat *w) {
  double m = 0;
  for (int64_t q = 0; q < w->rows; q++) m = fmax(m, fabs(w->data[q]));
  return m * (double)w->rows * DBL_EPSILON;
}

/* Symmetric square root with negative (and negligible) eigenvalues set to 0. */
static int sqrtm_psd(gy_mat *out, const gy_mat *A) {
  int64_t n = A->rows;
  gy_mat w = {0}, V = {0};
  GY_TRY(gy_linalg_eigh(&w, &V, A));
  double tol = eig_floor(&w);
  /* V diag(w^1/4) times its transpose is V diag(w^1/2) V'. */
  for (int64_t q = 0; q < n; q++) {
    double s = w.data[q] > tol ? sqrt(sqrt(w.data[q])) : 0;
    for (int64_t i = 0; i < n; i++) GY_AT(&V, i, q) *= s;
  }
  int st = gy_linalg_syrk(out, &V, 0, 1.0);
  gy_mat_clear(&w);
  gy_mat_clear(&V);
  return st;
}

static int bures(double *out, const double *a, const double *b, int64_t n) {
  gy_mat G1 = {0}, G2 = {0}, R = {0}, T = {0}, Mx = {0}, w = {0};
  int st;
  if ((st = second_moment(&G1, a, n)) || (st = second_moment(&G2, b, n))) goto done;
  double t1 = 0, t2 = 0;
  for (int64_t i = 0; i < n; i++) {
    t1 += GY_AT(&G1, i, i);
    t2 += GY_AT(&G2, i, i);
  }
  if (!(t1 > 0) || !(t2 > 0)) {
    st = gy_err(GY_EINVAL, "an RDM with all distances zero has no Bures similarity");
    goto done;
  }
  if ((st = sqrtm_psd(&R, &G1))) goto done;
  if ((st = gy_linalg_matmul(&T, &R, 0, &G2, 0))) goto done;
  if ((st = gy_linalg_matmul(&Mx, &T, 0, &R, 0))) goto done;
  if ((st = gy_linalg_eigh(&w, NULL, &Mx))) goto done;
  double s = 0, tol = eig_floor(&w);
  for (int64_t q = 0; q < n; q++) s += w.data[q] > tol ? sqrt(w.data[q]) : 0;
  *out = s / sqrt(t1 * t2);
done:
  gy_mat_clear(&G1);
  gy_mat_clear(&G2);
  gy_mat_clear(&R);
  gy_mat_clear(&T);
  gy_mat_clear(&Mx);
  gy_mat_clear(&w);
  return st;
}

/* --------------------------------------------------------------------------- public */

int gy_rsa_compare(double *out, const gy_mat *a, const gy_mat *b, int method,
                   const gy_mat *sigma_k) {
  if (!out) return gy_err(GY_EINVAL, "the output is missing");
  GY_TRY(gy_check_mat(a, "the first RDM"));
  GY_TRY(gy_check_mat(b, "the second RDM"));
  if ((a->cols != 1 && a->rows != 1) || (b->cols != 1 && b->rows != 1))
    return gy_err(GY_EINVAL, "RDMs must be vectors (%lld x %lld and %lld x %lld given)",
                  (long long)a->rows, (long long)a->cols, (long long)b->rows, (long long)b->cols);
  int64_t K = a->rows * a->cols;
  if (K != b->rows * b->cols)
    return gy_err(GY_EINVAL, "the RDMs have different sizes (%lld and %lld distances)",
                  (long long)K, (long long)(b->rows * b->cols));
  if (method < GY_RSA_COSINE || method > GY_RSA_BURES)
    return gy_err(GY_EINVAL, "unknown comparison method %d", method);
  if (K < 1) return gy_err(GY_EINVAL, "the RDMs are empty");
  int has_sk = sigma_k && (sigma_k->rows || sigma_k->cols);
  if (has_sk) {
    int64_t n;
    GY_TRY(gy_check_mat(sigma_k, "sigma_k"));
    if (method != GY_RSA_COSINE_COV && method != GY_RSA_CORR_COV)
      return gy_err(GY_EINVAL, "sigma_k applies to cosine_cov and corr_cov only");
    GY_TRY(n_from_length(K, &n));
    if ((sigma_k->cols != 1 && sigma_k->rows != 1) || sigma_k->rows * sigma_k->cols != n)
      return gy_err(GY_EINVAL,
                    "sigma_k must be a vector of %lld pattern variances, got %lld x %lld",
                    (long long)n, (long long)sigma_k->rows, (long long)sigma_k->cols);
    for (int64_t i = 0; i < n; i++) {
      double v = vec_at(sigma_k, i);
      if (!(v > 0) || !isfinite(v))
        return gy_err(GY_EINVAL, "sigma_k entry %lld is %g: variances must be positive and finite",
                      (long long)i + 1, v);
    }
  }

  int64_t nk = 0;
  unsigned char *mask = gy_alloc((size_t)K);
  double *x = gy_alloc((size_t)K * sizeof *x), *y = gy_alloc((size_t)K * sizeof *y);
  double *w1 = NULL, *w2 = NULL;
  int st = (mask && x && y) ? GY_OK : gy_err(GY_ENOMEM, "out of memory");
  for (int64_t k = 0; k < K && !st; k++) {
    double u = vec_at(a, k), v = vec_at(b, k);
    if (isinf(u) || isinf(v))
      st = gy_err(GY_EINVAL, "distance %lld is infinite", (long long)k + 1);
    else if (isnan(u) != isnan(v))
      st = gy_err(GY_EINVAL, "the RDMs have different NaN positions (distance %lld is NaN in "
                  "only one)", (long long)k + 1);
    mask[k] = !isnan(u);
    if (mask[k]) {
      x[nk] = u;
      y[nk] = v;
      nk++;
    }
  }
  if (st) goto done;
  if (nk < 2 && method != GY_RSA_COSINE && method != GY_RSA_BURES) {
    st = gy_err(GY_EINVAL, "fewer than two distances are not NaN");
    goto done;
  }
  switch (method) {
    case GY_RSA_COSINE:
      *out = cosine(x, y, nk);
      break;
    case GY_RSA_CORR:
      centre(x, nk);
      centre(y, nk);
      *out = cosine(x, y, nk);
      break;
    case GY_RSA_SPEARMAN:
    case GY_RSA_RHO_A: {
      double *rx = gy_alloc((size_t)nk * sizeof *rx), *ry = gy_alloc((size_t)nk * sizeof *ry);
      if (!rx || !ry) st = gy_err(GY_ENOMEM, "out of memory");
      if (!st) st = rank(rx, x, nk);
      if (!st) st = rank(ry, y, nk);
      if (!st) {
        centre(rx, nk);
        centre(ry, nk);
        if (method == GY_RSA_SPEARMAN) {
          *out = cosine(rx, ry, nk);
        } else {
          double s = 0, K3 = (double)nk;
          for (int64_t k = 0; k < nk; k++) s += rx[k] * ry[k];
          *out = 12 * s / (K3 * K3 * K3 - K3);
        }
      }
      gy_free(rx);
      gy_free(ry);
      break;
    }
    case GY_RSA_TAU_A:
    case GY_RSA_TAU_B: {
      double cmd = 0, tot = 0, xt = 0, yt = 0;
      if ((st = kendall_counts(x, y, nk, &cmd, &tot, &xt, &yt))) break;
      if (method == GY_RSA_TAU_A) *out = clip1(cmd / tot);
      else if (tot - xt > 0 && tot - yt > 0)
        *out = clip1(cmd / sqrt(tot - xt) / sqrt(tot - yt));
      else *out = NAN; /* scipy: a constant vector has no tau-b */
      break;
    }
    case GY_RSA_COSINE_COV:
    case GY_RSA_CORR_COV: {
      int64_t n;
      if ((st = n_from_length(K, &n))) break;
      if (method == GY_RSA_CORR_COV) {
        centre(x, nk);
        centre(y, nk);
      }
      w1 = gy_alloc((size_t)(nk + n) * sizeof *w1);
      w2 = gy_alloc((size_t)(nk + n) * sizeof *w2);
      if (!w1 || !w2) { st = gy_err(GY_ENOMEM, "out of memory"); break; }
      /* cov_weight reads distances at their full-vector positions */
      double *fx = gy_alloc((size_t)K * sizeof *fx), *fy = gy_alloc((size_t)K * sizeof *fy);
      double *sk = has_sk ? gy_alloc((size_t)n * sizeof *sk) : NULL;
      if (!fx || !fy || (has_sk && !sk)) st = gy_err(GY_ENOMEM, "out of memory");
      for (int64_t i = 0; i < n && sk && !st; i++) sk[i] = vec_at(sigma_k, i);
      for (int64_t k = 0, q = 0; k < K && !st; k++) {
        fx[k] = mask[k] ? x[q] : 0;
        fy[k] = mask[k] ? y[q] : 0;
        q += mask[k];
      }
      if (!st) st = cov_weight(w1, fx, mask, n, nk == K, sk);
      if (!st) st = cov_weight(w2, fy, mask, n, nk == K, sk);
      if (!st) *out = cosine(w1, w2, nk + n);
      gy_free(fx);
      gy_free(fy);
      gy_free(sk);
      break;
    }
    case GY_RSA_BURES: {
      int64_t n;
      if ((st = n_from_length(K, &n))) break;
      if (nk != K) {
        st = gy_err(GY_EINVAL, "the Bures similarity needs complete RDMs (no NaN distances)");
        break;
      }
      st = bures(out, x, y, n);
      break;
    }
  }
done:
  gy_free(mask);
  gy_free(x);
  gy_free(y);
  gy_free(w1);
  gy_free(w2);
  return st;
}
