/* Group ICA kernels: GIFT's two-stage PCA reduction, GICA1/GICA3 back-reconstruction,
 * dual regression, and the variance order / positive-skew sign of components. */
#include "internal.h"
#include "gyrus/ica_group.h"

#include <cblas.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The mean of each row of Y (R doubles, caller-freed); NULL when out of memory. */
static double *row_means(const gy_mat *Y) {
  double *mu = calloc((size_t)(Y->rows > 0 ? Y->rows : 1), sizeof *mu);
  if (!mu) return NULL;
  for (int64_t j = 0; j < Y->cols; j++)
    for (int64_t i = 0; i < Y->rows; i++) mu[i] += GY_AT(Y, i, j);
  for (int64_t i = 0; i < Y->rows; i++) mu[i] /= (double)Y->cols;
  return mu;
}

/* Copy of Y with each row (by_rows = 1) or each column (0) centred. */
static int centred_copy(gy_mat *out, const gy_mat *Y, int by_rows) {
  GY_TRY(gy_mat_copy(out, Y));
  const int64_t R = out->rows, K = out->cols;
  if (by_rows) {
    double *mu = row_means(out);
    if (!mu) {
      gy_mat_clear(out);
      return gy_err(GY_ENOMEM, "out of memory for %lld row means", (long long)R);
    }
    for (int64_t j = 0; j < K; j++)
      for (int64_t i = 0; i < R; i++) GY_AT(out, i, j) -= mu[i];
    free(mu);
  } else {
    for (int64_t j = 0; j < K; j++) {
      double s = 0;
      for (int64_t i = 0; i < R; i++) s += GY_AT(out, i, j);
      s /= (double)R;
      for (int64_t i = 0; i < R; i++) GY_AT(out, i, j) -= s;
    }
  }
  return GY_OK;
}

/* Voxels per block when a spatial pass centres Y a block of columns at a time, so no
 * centred copy of the whole data set is made (a time x voxels copy costs as much as the
 * products, mostly in page faults). */
static int64_t block_cols(int64_t T) {
  const int64_t b = 131072 / (T > 0 ? T : 1);
  return b < 16 ? 16 : b;
}

/* buf (T x nb, ld T) = columns c0..c0+nb-1 of Y minus the row means mu. */
static void centred_block(double *buf, const gy_mat *Y, const double *mu, int64_t c0,
                          int64_t nb) {
  const int64_t T = Y->rows;
  for (int64_t j = 0; j < nb; j++) {
    const double *y = Y->data + (c0 + j) * Y->ld;
    double *b = buf + j * T;
    for (int64_t i = 0; i < T; i++) b[i] = y[i] - mu[i];
  }
}

int gy_ica_group_reduce(gy_mat *pcasig, gy_mat *white, gy_mat *dewhite, gy_mat *eigenvalues,
                        const gy_mat *Y, int64_t n, int spatial) {
  GY_TRY(gy_check_out(pcasig, "pcasig output"));
  GY_TRY(gy_check_out(white, "whitening output"));
  GY_TRY(gy_check_out(dewhite, "dewhitening output"));
  GY_TRY(gy_check_out(eigenvalues, "eigenvalue output"));
  GY_TRY(gy_check_finite(Y, "data"));
  /* D = op(Yc) is samples x dims: spatial, D = Yc' (voxels x time). */
  const int64_t N = spatial ? Y->cols : Y->rows, p = spatial ? Y->rows : Y->cols;
  if (N < 2 || p < 1)
    return gy_err(GY_EINVAL, "data are %lld x %lld: PCA needs at least 2 samples (%s)",
                  (long long)Y->rows, (long long)Y->cols, spatial ? "voxels" : "time points");
  const int64_t kmax = (N - 1 < p) ? N - 1 : p;
  if (n < 1 || n > kmax)
    return gy_err(GY_EINVAL, "%lld components requested but the data (%lld x %lld, %s as "
                  "samples) have at most %lld after centring", (long long)n,
                  (long long)Y->rows, (long long)Y->cols, spatial ? "voxels" : "time points",
                  (long long)kmax);
  if (Y->rows > INT_MAX || Y->cols > INT_MAX)
    return gy_err(GY_EUNSUPPORTED, "data are too large for 32-bit BLAS indices");
  gy_mat Yc = {0}, G = {0}, w = {0}, U = {0}, E = {0}, Us = {0}, P = {0}, Wt = {0}, Dw = {0},
         ev = {0}, buf = {0};
  double *mu = NULL;
  const int small = N < p; /* eigh of the samples' Gram DD' instead of the dims' D'D */
  /* The usual fMRI case (spatial, voxels >= time points) works on blocks of voxels. */
  const int blocked = spatial && !small;
  const int64_t B = blocked ? (block_cols(p) < N ? block_cols(p) : N) : 0;
  int st = GY_OK;
  if (blocked) {
    mu = row_means(Y);
    if (!mu) return gy_err(GY_ENOMEM, "out of memory for %lld row means", (long long)p);
    st = gy_mat_init(&buf, p, B);
    if (!st) st = gy_mat_init(&G, p, p);
    if (st) goto done;
    for (int64_t c0 = 0; c0 < N; c0 += B) {
      if ((st = gy_check_interrupt())) goto done;
      const int64_t nb = N - c0 < B ? N - c0 : B;
      centred_block(buf.data, Y, mu, c0, nb);
      cblas_dsyrk(CblasColMajor, CblasLower, CblasNoTrans, (int)p, (int)nb, 1.0, buf.data,
                  (int)p, 1.0, G.data, (int)G.ld);
    }
  } else {
    st = centred_copy(&Yc, Y, spatial);
    /* D'D = Yc Yc' (spatial) or Yc'Yc; DD' the other one. */
    if (!st) st = gy_linalg_syrk(&G, &Yc, small ? spatial : !spatial, 1.0);
  }
  if (!st) st = gy_linalg_eigh(&w, &U, &G);
  if (!st) st = gy_mat_init(&ev, n, 1);
  if (!st) st = gy_mat_init(&Us, G.rows, n);
  if (st) goto done;
  const int64_t m = G.rows;
  {
    const double top = w.data[m - 1];
    const double tiny = 10 * (double)(N > p ? N : p) * DBL_EPSILON * (top > 0 ? top : 0);
    for (int64_t i = 0; i < n; i++) {
      const double lam = w.data[m - 1 - i];
      if (!(lam > tiny) || !(top > 0)) {
        st = gy_err(GY_EINVAL, "the data have rank %lld after centring but %lld components "
                    "were requested: ask for fewer", (long long)i, (long long)n);
        goto done;
      }
      ev.data[i] = lam / (double)(N - 1);
      for (int64_t r = 0; r < m; r++) GY_AT(&Us, r, i) = GY_AT(&U, r, m - 1 - i);
    }
  }
  if (small) {
    /* e = D'u / sqrt(mu) is the unit eigenvector of D'D with the same eigenvalue. */
    st = gy_linalg_matmul(&E, &Yc, !spatial, &Us, 0);
    if (st) goto done;
    for (int64_t i = 0; i < n; i++) {
      const double f = 1.0 / sqrt(ev.data[i] * (double)(N - 1));
      for (int64_t r = 0; r < p; r++) GY_AT(&E, r, i) *= f;
    }
  } else {
    E = Us;
    Us = (gy_mat){0};
  }
  /* The eigenvector signs are arbitrary: the largest |entry| (first on ties) is made
   * positive so results are reproducible. */
  for (int64_t i = 0; i < n; i++) {
    int64_t b = 0;
    for (int64_t r = 1; r < p; r++)
      if (fabs(GY_AT(&E, r, i)) > fabs(GY_AT(&E, b, i))) b = r;
    if (GY_AT(&E, b, i) < 0)
      for (int64_t r = 0; r < p; r++) GY_AT(&E, r, i) = -GY_AT(&E, r, i);
  }
  st = gy_mat_init(&Wt, n, p);
  if (!st) st = gy_mat_init(&Dw, p, n);
  if (st) goto done;
  for (int64_t i = 0; i < n; i++) {
    const double s = sqrt(ev.data[i]);
    for (int64_t r = 0; r < p; r++) {
      GY_AT(&Wt, i, r) = GY_AT(&E, r, i) / s;
      GY_AT(&Dw, r, i) = GY_AT(&E, r, i) * s;
    }
  }
  /* pcasig = D white' */
  if (blocked) {
    st = gy_mat_init(&P, N, n);
    if (st) goto done;
    for (int64_t c0 = 0; c0 < N; c0 += B) {
      const int64_t nb = N - c0 < B ? N - c0 : B;
      centred_block(buf.data, Y, mu, c0, nb);
      cblas_dgemm(CblasColMajor, CblasTrans, CblasTrans, (int)nb, (int)n, (int)p, 1.0,
                  buf.data, (int)p, Wt.data, (int)Wt.ld, 0.0, P.data + c0, (int)P.ld);
    }
  } else {
    st = gy_linalg_matmul(&P, &Yc, spatial, &Wt, 1);
    if (st) goto done;
  }
  *pcasig = P;
  *white = Wt;
  *dewhite = Dw;
  *eigenvalues = ev;
  P = Wt = Dw = ev = (gy_mat){0};
done:
  free(mu);
  gy_mat_clear(&buf);
  gy_mat_clear(&Yc);
  gy_mat_clear(&G);
  gy_mat_clear(&w);
  gy_mat_clear(&U);
  gy_mat_clear(&E);
  gy_mat_clear(&Us);
  gy_mat_clear(&P);
  gy_mat_clear(&Wt);
  gy_mat_clear(&Dw);
  gy_mat_clear(&ev);
  return st;
}

int gy_ica_group_concat(gy_mat *out, const gy_mat *const *parts, int64_t count,
                        int along_rows) {
  GY_TRY(gy_check_out(out, "concatenation output"));
  if (!parts || count < 1) return gy_err(GY_EINVAL, "nothing to concatenate");
  int64_t R = 0, K = 0;
  for (int64_t s = 0; s < count; s++) {
    char what[48];
    snprintf(what, sizeof what, "data set %lld", (long long)s + 1);
    GY_TRY(gy_check_mat(parts[s], what));
    const int64_t fixed = along_rows ? parts[s]->cols : parts[s]->rows;
    const int64_t first = along_rows ? parts[0]->cols : parts[0]->rows;
    if (fixed != first)
      return gy_err(GY_EINVAL, "data set %lld has %lld %s but data set 1 has %lld: all must "
                    "have the same number of %s", (long long)s + 1, (long long)fixed,
                    along_rows ? "columns (voxels)" : "rows", (long long)first,
                    along_rows ? "columns (voxels)" : "rows");
    if (along_rows) R += parts[s]->rows;
    else K += parts[s]->cols;
  }
  if (along_rows) K = parts[0]->cols;
  else R = parts[0]->rows;
  gy_mat o = {0};
  GY_TRY(gy_mat_init(&o, R, K));
  int64_t at = 0;
  for (int64_t s = 0; s < count; s++) {
    const gy_mat *A = parts[s];
    gy_mat v = {0};
    int st = along_rows ? gy_mat_view(&v, &o, at, 0, A->rows, K)
                        : gy_mat_view(&v, &o, 0, at, R, A->cols);
    if (!st) st = gy_mat_assign(&v, A);
    if (st) {
      gy_mat_clear(&o);
      return st;
    }
    at += along_rows ? A->rows : A->cols;
  }
  *out = o;
  return GY_OK;
}

int gy_ica_group_backrecon(gy_mat *maps, gy_mat *tc, const gy_mat *pcasig,
                           const gy_mat *dewhite1, const gy_mat *white2,
                           const gy_mat *dewhite2, const gy_mat *W, int64_t offset,
                           int method) {
  GY_TRY(gy_check_out(maps, "maps output"));
  GY_TRY(gy_check_out(tc, "time course output"));
  GY_TRY(gy_check_finite(pcasig, "pcasig"));
  GY_TRY(gy_check_finite(dewhite1, "dewhite1"));
  GY_TRY(gy_check_finite(white2, "white2"));
  GY_TRY(gy_check_finite(dewhite2, "dewhite2"));
  GY_TRY(gy_check_finite(W, "W"));
  if (method != GY_ICA_BACK_GICA1 && method != GY_ICA_BACK_GICA3)
    return gy_err(GY_EINVAL, "unknown back-reconstruction %d", method);
  const int64_t n1 = pcasig->cols, n2 = W->rows;
  if (dewhite1->cols != n1)
    return gy_err(GY_EINVAL, "dewhite1 has %lld columns but pcasig has %lld",
                  (long long)dewhite1->cols, (long long)n1);
  if (W->cols != n2 || white2->rows != n2 || dewhite2->cols != n2 ||
      dewhite2->rows != white2->cols)
    return gy_err(GY_EINVAL, "stage shapes disagree: W %lld x %lld, white2 %lld x %lld, "
                  "dewhite2 %lld x %lld", (long long)W->rows, (long long)W->cols,
                  (long long)white2->rows, (long long)white2->cols, (long long)dewhite2->rows,
                  (long long)dewhite2->cols);
  if (offset < 0 || offset + n1 > white2->cols)
    return gy_err(GY_EINVAL, "subject block %lld..%lld is outside the %lld concatenated "
                  "dimensions", (long long)offset + 1, (long long)(offset + n1),
                  (long long)white2->cols);
  gy_mat blk = {0}, Bm = {0}, Bt = {0}, Wi = {0}, F = {0}, Mo = {0}, H = {0}, To = {0};
  int st;
  /* The map operator F (n2 x n1) with maps = F pcasig', and the time operator
   * H (n1 x n2) with tc = dewhite1 H. */
  if (method == GY_ICA_BACK_GICA1) {
    st = gy_mat_view(&blk, dewhite2, offset, 0, n1, n2);
    if (!st) st = gy_linalg_pinv(&Bm, &blk, -1);  /* n2 x n1 */
    if (!st) st = gy_mat_copy(&Bt, &blk);         /* n1 x n2 */
  } else {
    st = gy_mat_view(&blk, white2, 0, offset, n2, n1);
    if (!st) st = gy_mat_copy(&Bm, &blk);         /* n2 x n1 */
    if (!st) st = gy_linalg_pinv(&Bt, &blk, -1);  /* n1 x n2 */
  }
  if (!st) st = gy_linalg_pinv(&Wi, W, -1);
  if (!st) st = gy_linalg_matmul(&F, W, 0, &Bm, 0);
  if (!st) st = gy_linalg_matmul(&Mo, &F, 0, pcasig, 1);
  if (!st) st = gy_linalg_matmul(&H, &Bt, 0, &Wi, 0);
  if (!st) st = gy_linalg_matmul(&To, dewhite1, 0, &H, 0);
  if (st) goto done;
  *maps = Mo;
  *tc = To;
  Mo = To = (gy_mat){0};
done:
  gy_mat_clear(&Bm);
  gy_mat_clear(&Bt);
  gy_mat_clear(&Wi);
  gy_mat_clear(&F);
  gy_mat_clear(&Mo);
  gy_mat_clear(&H);
  gy_mat_clear(&To);
  return st;
}

int gy_ica_dual_regression(gy_mat *tc, gy_mat *maps, const gy_mat *Y, const gy_mat *G,
                           int des_norm) {
  GY_TRY(gy_check_out(tc, "time course output"));
  GY_TRY(gy_check_out(maps, "maps output"));
  GY_TRY(gy_check_finite(Y, "subject data"));
  GY_TRY(gy_check_finite(G, "group maps"));
  if (G->cols != Y->cols)
    return gy_err(GY_EINVAL, "the group maps have %lld voxels (columns) but the subject data "
                  "have %lld", (long long)G->cols, (long long)Y->cols);
  const int64_t n = G->rows, T = Y->rows, V = Y->cols;
  if (n < 1 || n >= V)
    return gy_err(GY_EINVAL, "%lld maps cannot be regressed on %lld voxels", (long long)n,
                  (long long)V);
  if (T <= n)
    return gy_err(GY_EINVAL, "%lld time points cannot estimate %lld time courses in the "
                  "temporal regression: at least %lld are needed", (long long)T, (long long)n,
                  (long long)n + 1);
  gy_mat Gc = {0}, Pg = {0}, TC = {0}, Tc = {0}, Pt = {0}, Mo = {0}, s = {0};
  double *mu = NULL, *cm = NULL;
  /* Stage 1: Gc' is voxels x n; each map centred over voxels = each row of G centred. */
  int st = centred_copy(&Gc, G, 1);
  if (!st) st = gy_linalg_svd(NULL, &s, NULL, &Gc, 0);
  if (st) goto done;
  {
    int64_t rank = 0;
    for (int64_t i = 0; i < s.rows; i++)
      if (s.data[i] > s.data[0] * 1e-10) rank++;
    if (rank < n) {
      st = gy_err(GY_ESINGULAR, "the group maps are linearly dependent (rank %lld of %lld): "
                  "the spatial regression is not identified", (long long)rank, (long long)n);
      goto done;
    }
  }
  /* tc = (pinv(Gc') Yr')' = Yr Pg with Pg = pinv(Gc) (voxels x n). Yr = Y - mu 1' is never
   * formed: Yr Pg = Y Pg - mu (1'Pg), where 1'Pg vanishes up to rounding because the maps
   * are centred. */
  st = gy_linalg_pinv(&Pg, &Gc, -1);
  if (!st) st = gy_linalg_matmul(&TC, Y, 0, &Pg, 0);
  if (st) goto done;
  mu = row_means(Y);
  cm = calloc((size_t)V, sizeof *cm);
  if (!mu || !cm) {
    st = gy_err(GY_ENOMEM, "out of memory for the data means");
    goto done;
  }
  for (int64_t k = 0; k < n; k++) {
    double sk = 0;
    for (int64_t v = 0; v < V; v++) sk += GY_AT(&Pg, v, k);
    for (int64_t t = 0; t < T; t++) GY_AT(&TC, t, k) -= mu[t] * sk;
  }
  st = centred_copy(&Tc, &TC, 0);
  if (st) goto done;
  if (des_norm)
    for (int64_t k = 0; k < n; k++) {
      double ss = 0;
      for (int64_t t = 0; t < T; t++) ss += GY_AT(&Tc, t, k) * GY_AT(&Tc, t, k);
      const double sd = sqrt(ss / (double)(T - 1));
      if (!(sd > 0)) {
        st = gy_err(GY_EINVAL, "time course %lld is constant: it cannot be variance-"
                    "normalised", (long long)k + 1);
        goto done;
      }
      for (int64_t t = 0; t < T; t++) GY_AT(&Tc, t, k) /= sd;
    }
  /* Stage 2: maps = pinv(Tc) Yc = Pt Y - (Pt 1) cm' with cm the voxel means over time. */
  st = gy_linalg_pinv(&Pt, &Tc, -1);
  if (!st) st = gy_linalg_matmul(&Mo, &Pt, 0, Y, 0);
  if (st) goto done;
  for (int64_t v = 0; v < V; v++) {
    double m = 0;
    for (int64_t t = 0; t < T; t++) m += GY_AT(Y, t, v);
    cm[v] = m / (double)T;
  }
  for (int64_t k = 0; k < n; k++) {
    double rk = 0;
    for (int64_t t = 0; t < T; t++) rk += GY_AT(&Pt, k, t);
    for (int64_t v = 0; v < V; v++) GY_AT(&Mo, k, v) -= rk * cm[v];
  }
  *tc = TC;
  *maps = Mo;
  TC = Mo = (gy_mat){0};
done:
  free(mu);
  free(cm);
  gy_mat_clear(&Gc);
  gy_mat_clear(&Pg);
  gy_mat_clear(&TC);
  gy_mat_clear(&Tc);
  gy_mat_clear(&Pt);
  gy_mat_clear(&Mo);
  gy_mat_clear(&s);
  return st;
}

/* Element r of a row or column vector. */
static double vec_at(const gy_mat *v, int64_t r) { return v->rows == 1 ? v->data[r * v->ld] : v->data[r]; }

typedef struct sort_key {
  double v;
  int64_t i;
} sort_key;

static int by_variance(const void *a, const void *b) {
  const sort_key *x = a, *y = b;
  if (x->v > y->v) return -1;
  if (x->v < y->v) return 1;
  return (x->i > y->i) - (x->i < y->i);
}

int gy_ica_group_sort(gy_mat *order, gy_mat *sign, gy_mat *variance, const gy_mat *maps,
                      const gy_mat *tc) {
  GY_TRY(gy_check_out(order, "order output"));
  GY_TRY(gy_check_out(sign, "sign output"));
  GY_TRY(gy_check_out(variance, "variance output"));
  GY_TRY(gy_check_finite(maps, "maps"));
  GY_TRY(gy_check_finite(tc, "time courses"));
  const int64_t n = maps->rows, V = maps->cols;
  if (tc->cols != n)
    return gy_err(GY_EINVAL, "%lld maps (rows) but %lld time courses (columns)", (long long)n,
                  (long long)tc->cols);
  if (n < 1 || V < 1 || tc->rows < 1) return gy_err(GY_EINVAL, "no components to sort");
  sort_key *key = malloc((size_t)n * sizeof *key);
  if (!key) return gy_err(GY_ENOMEM, "out of memory for %lld components", (long long)n);
  gy_mat o = {0}, s = {0}, v = {0};
  int st = gy_mat_init(&o, n, 1);
  if (!st) st = gy_mat_init(&s, n, 1);
  if (!st) st = gy_mat_init(&v, n, 1);
  if (st) goto done;
  double total = 0;
  for (int64_t k = 0; k < n; k++) {
    double a = 0, b = 0;
    for (int64_t j = 0; j < V; j++) a += GY_AT(maps, k, j) * GY_AT(maps, k, j);
    for (int64_t t = 0; t < tc->rows; t++) b += GY_AT(tc, t, k) * GY_AT(tc, t, k);
    key[k] = (sort_key){a * b, k};
    total += a * b;
  }
  if (!(total > 0)) {
    st = gy_err(GY_EINVAL, "every component is zero: there is no variance to sort by");
    goto done;
  }
  qsort(key, (size_t)n, sizeof *key, by_variance);
  for (int64_t r = 0; r < n; r++) {
    const int64_t k = key[r].i;
    double m = 0, m3 = 0;
    for (int64_t j = 0; j < V; j++) m += GY_AT(maps, k, j);
    m /= (double)V;
    for (int64_t j = 0; j < V; j++) {
      const double d = GY_AT(maps, k, j) - m;
      m3 += d * d * d;
    }
    o.data[r] = (double)k;
    s.data[r] = m3 < 0 ? -1.0 : 1.0;
    v.data[r] = key[r].v / total;
  }
  *order = o;
  *sign = s;
  *variance = v;
  o = s = v = (gy_mat){0};
done:
  free(key);
  gy_mat_clear(&o);
  gy_mat_clear(&s);
  gy_mat_clear(&v);
  return st;
}

int gy_ica_group_permute(gy_mat *out, const gy_mat *A, const gy_mat *order,
                         const gy_mat *sign, int by_rows) {
  GY_TRY(gy_check_out(out, "permuted output"));
  GY_TRY(gy_check_mat(A, "matrix"));
  GY_TRY(gy_check_finite(order, "order"));
  const int64_t n = by_rows ? A->rows : A->cols;
  const int64_t m = order->rows * order->cols;
  if (sign) {
    GY_TRY(gy_check_finite(sign, "sign"));
    if (sign->rows * sign->cols != m)
      return gy_err(GY_EINVAL, "%lld signs for %lld indices",
                    (long long)(sign->rows * sign->cols), (long long)m);
  }
  for (int64_t r = 0; r < m; r++) {
    const double k = vec_at(order, r);
    if (!(k >= 0 && k < (double)n) || k != floor(k))
      return gy_err(GY_EINVAL, "index %g (0-based) is not a %s of a %lld x %lld matrix", k,
                    by_rows ? "row" : "column", (long long)A->rows, (long long)A->cols);
  }
  gy_mat o = {0};
  GY_TRY(by_rows ? gy_mat_init(&o, m, A->cols) : gy_mat_init(&o, A->rows, m));
  for (int64_t r = 0; r < m; r++) {
    const int64_t k = (int64_t)vec_at(order, r);
    const double f = sign ? vec_at(sign, r) : 1.0;
    if (by_rows)
      for (int64_t j = 0; j < A->cols; j++) GY_AT(&o, r, j) = f * GY_AT(A, k, j);
    else
      for (int64_t i = 0; i < A->rows; i++) GY_AT(&o, i, r) = f * GY_AT(A, i, k);
  }
  *out = o;
  return GY_OK;
}
