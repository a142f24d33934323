/* FastICA, parallel (symmetric) and deflation, as sklearn's _ica_par and _ica_def.
 *
 * The whitened data Z are kept samples x components (column-major), so each component's
 * samples are contiguous for the non-linearity and every product over samples is one
 * GEMM/GEMV. */
#include "ica_internal.h"

#include <cblas.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <string.h>

void gy_ica_defaults(gy_ica_opts *o) {
  memset(o, 0, sizeof *o);
  o->algorithm = GY_ICA_PARALLEL;
  o->fun = GY_ICA_LOGCOSH;
  o->whiten = GY_ICA_WHITEN_UNIT;
  o->solver = GY_ICA_SOLVER_AUTO;
  o->alpha = 1.0;
  o->max_iter = 200;
  o->tol = 1e-4;
}

/* The non-linearities dominate FastICA's time (one g per sample and component per
 * iteration), so they are computed four at a time (ica_simd.h); tanh|x| = 1 - 2/(e^{2|x|} + 1)
 * (absolute error a few eps, all that the sample means need). An AVX2/FMA version is
 * picked at run time on machines that have it. */
#include "ica_simd.h"

/* y <- g(y) on 4 values; returns g'(y). */
static inline __attribute__((always_inline)) v4d vnonlin(v4d *y, int fun, double alpha) {
  const v4d u = *y;
  if (fun == GY_ICA_LOGCOSH) {
    const v4l sign = (v4l)(u * alpha) & (v4l){INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN};
    v4d a = (v4d)((v4l)(u * alpha) & ~sign);
    const v4d cap = {20, 20, 20, 20};
    a = vsel(a < cap, a, cap);
    const v4d t = 1.0 - 2.0 / (vexp(2.0 * a) + 1.0);
    *y = (v4d)((v4l)t | sign);
    return alpha * (1.0 - t * t);
  }
  if (fun == GY_ICA_EXP) {
    const v4d e = vexp(-u * u * 0.5);
    *y = u * e;
    return (1.0 - u * u) * e;
  }
  *y = u * u * u;
  return 3.0 * u * u;
}

/* y <- g(y) in place; returns sum_t g'(y_t). */
static inline __attribute__((always_inline)) double nonlin_body(double *restrict y, int64_t T,
                                                                 int fun, double alpha) {
  v4d acc = {0, 0, 0, 0};
  int64_t t = 0;
  for (; t + 4 <= T; t += 4) {
    v4d v;
    memcpy(&v, y + t, sizeof v);
    acc += vnonlin(&v, fun, alpha);
    memcpy(y + t, &v, sizeof v);
  }
  double sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  if (t < T) { /* the tail, padded */
    v4d v = {0, 0, 0, 0};
    for (int64_t k = t; k < T; k++) v[k - t] = y[k];
    const v4d g = vnonlin(&v, fun, alpha);
    for (int64_t k = t; k < T; k++) {
      y[k] = v[k - t];
      sum += g[k - t];
    }
  }
  return sum;
}

static double nonlin_generic(double *restrict y, int64_t T, int fun, double alpha) {
  return nonlin_body(y, T, fun, alpha);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define GY_ICA_AVX2 1
/* -std=c11 turns off FMA contraction, which this multiply-add chain wants. */
__attribute__((target("avx2,fma"), optimize("fp-contract=fast"))) static double
nonlin_avx2(double *restrict y, int64_t T, int fun, double alpha) {
  return nonlin_body(y, T, fun, alpha);
}
#endif

/* Which version runs; set by nonlin_select() on the calling thread before any worker
 * thread starts, so the workers only read it. */
static int use_avx2 = -1;

static void nonlin_select(void) {
#ifdef GY_ICA_AVX2
  if (use_avx2 < 0) use_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  use_avx2 = 0;
#endif
}

static double nonlin(double *restrict y, int64_t T, int fun, double alpha) {
#ifdef GY_ICA_AVX2
  if (use_avx2 > 0) return nonlin_avx2(y, T, fun, alpha);
#endif
  return nonlin_generic(y, T, fun, alpha);
}

/* W <- (W W')^(-1/2) W; eigenvalues clipped below at the smallest normal double. */
int gy_ica_symdec(gy_mat *W) {
  const int64_t n = W->rows;
  gy_mat M = {0}, s = {0}, u = {0}, B = {0}, R = {0};
  int st = gy_linalg_syrk(&M, W, 0, 1.0);
  if (!st) st = gy_linalg_eigh(&s, &u, &M);
  if (!st) st = gy_mat_init(&B, n, n);
  if (st) goto done;
  for (int64_t k = 0; k < n; k++) {
    const double sk = s.data[k] < DBL_MIN ? DBL_MIN : s.data[k];
    const double f = 1.0 / sqrt(sk);
    for (int64_t i = 0; i < n; i++) GY_AT(&B, i, k) = GY_AT(&u, i, k) * f;
  }
  st = gy_mat_init(&R, n, n);
  if (st) goto done;
  /* R = (u diag(s^-1/2)) u', then W <- R W. */
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)n, (int)n, (int)n, 1.0, B.data,
              (int)B.ld, u.data, (int)u.ld, 0.0, R.data, (int)R.ld);
  gy_mat_clear(&B);
  st = gy_mat_init(&B, n, n);
  if (st) goto done;
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)n, (int)n, 1.0, R.data,
              (int)R.ld, W->data, (int)W->ld, 0.0, B.data, (int)B.ld);
  for (int64_t j = 0; j < n; j++)
    for (int64_t i = 0; i < n; i++) GY_AT(W, i, j) = GY_AT(&B, i, j);
done:
  gy_mat_clear(&M);
  gy_mat_clear(&s);
  gy_mat_clear(&u);
  gy_mat_clear(&B);
  gy_mat_clear(&R);
  return st;
}

/* One thread's share of a parallel-FastICA iteration: its rows of Z block by block,
 * Yb = Zb W', g in place, W1_k += g(Yb)' Zb and gp_k += sum g'(Yb), so the sources never
 * exist in full and each block is reused while in the core's cache. */
typedef struct par_work {
  const gy_mat *Z, *W;
  gy_mat *Y, *W1, *gp; /* per thread: B x n, n x n, n x 1 */
  int64_t B;
  int fun;
  double alpha;
} par_work;

static void par_rows(void *ctx, int k, int64_t r0, int64_t r1) {
  const par_work *w = ctx;
  const gy_mat *Z = w->Z, *W = w->W;
  const int64_t n = Z->cols;
  double *Y = w->Y[k].data, *gp = w->gp[k].data;
  gy_mat_fill(&w->W1[k], 0);
  gy_mat_fill(&w->gp[k], 0);
  for (int64_t a = r0; a < r1; a += w->B) {
    const int64_t nb = r1 - a < w->B ? r1 - a : w->B;
    const double *Zb = Z->data + a;
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)nb, (int)n, (int)n, 1.0, Zb,
                (int)Z->ld, W->data, (int)W->ld, 0.0, Y, (int)nb);
    for (int64_t i = 0; i < n; i++) gp[i] += nonlin(Y + i * nb, nb, w->fun, w->alpha);
    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)n, (int)n, (int)nb, 1.0, Y,
                (int)nb, Zb, (int)Z->ld, 1.0, w->W1[k].data, (int)n);
  }
}

/* Parallel FastICA on Z (T x n); W (n x n) holds w_init on entry, the result on exit.
 * The samples are split between threads (gy_ica_rows) with BLAS on one thread meanwhile. */
static int ica_par(gy_mat *W, gy_ica_info *info, const gy_mat *Z, const gy_ica_opts *o) {
  const int64_t T = Z->rows, n = Z->cols;
  const int nt = gy_ica_rows_threads(T, n), blas_threads = gy_linalg_threads(0);
  gy_mat W1 = {0}, Ys[16] = {{0}}, W1s[16] = {{0}}, gps[16] = {{0}}, gp = {0};
  par_work pw = {Z, W, Ys, W1s, gps, GY_ICA_ROWS_BLOCK, o->fun, o->alpha};
  int st = gy_ica_symdec(W);
  if (!st) st = gy_mat_init(&W1, n, n);
  if (!st) st = gy_mat_init(&gp, n, 1);
  for (int k = 0; !st && k < nt; k++) {
    st = gy_mat_init(&Ys[k], T < pw.B ? T : pw.B, n);
    if (!st) st = gy_mat_init(&W1s[k], n, n);
    if (!st) st = gy_mat_init(&gps[k], n, 1);
  }
  if (st) goto done;
  info->converged = 0;
  info->n_iter = 0;
  info->lim = INFINITY;
  if (nt > 1) gy_linalg_threads(1);
  for (int64_t it = 0; it < o->max_iter; it++) {
    if ((st = gy_check_interrupt())) goto done;
    gy_ica_rows(par_rows, &pw, T, nt);
    gy_mat_fill(&W1, 0);
    gy_mat_fill(&gp, 0);
    for (int k = 0; k < nt; k++) {
      for (int64_t t = 0; t < n * n; t++) W1.data[t] += W1s[k].data[t] / (double)T;
      for (int64_t i = 0; i < n; i++) gp.data[i] += gps[k].data[i];
    }
    for (int64_t j = 0; j < n; j++)
      for (int64_t i = 0; i < n; i++) GY_AT(&W1, i, j) -= gp.data[i] / (double)T * GY_AT(W, i, j);
    if ((st = gy_ica_symdec(&W1))) goto done;
    double lim = 0;
    for (int64_t i = 0; i < n; i++) {
      double dot = 0;
      for (int64_t j = 0; j < n; j++) dot += GY_AT(&W1, i, j) * GY_AT(W, i, j);
      const double e = fabs(fabs(dot) - 1);
      if (e > lim) lim = e;
    }
    for (int64_t j = 0; j < n; j++)
      for (int64_t i = 0; i < n; i++) GY_AT(W, i, j) = GY_AT(&W1, i, j);
    info->n_iter = it + 1;
    info->lim = lim;
    if (lim < o->tol) {
      info->converged = 1;
      break;
    }
  }
done:
  if (nt > 1 && blas_threads > 0) gy_linalg_threads(blas_threads);
  for (int k = 0; k < nt; k++) {
    gy_mat_clear(&Ys[k]);
    gy_mat_clear(&W1s[k]);
    gy_mat_clear(&gps[k]);
  }
  gy_mat_clear(&W1);
  gy_mat_clear(&gp);
  return st;
}

/* Deflation FastICA: one unit at a time, Gram-Schmidt against the units already found. */
static int ica_def(gy_mat *W, gy_ica_info *info, const gy_mat *Z, const gy_ica_opts *o) {
  const int64_t T = Z->rows, n = Z->cols;
  gy_mat init = {0}, y = {0}, w = {0}, w1 = {0};
  int st = gy_mat_copy(&init, W);
  if (!st) st = gy_mat_init(&y, T, 1);
  if (!st) st = gy_mat_init(&w, n, 1);
  if (!st) st = gy_mat_init(&w1, n, 1);
  if (st) goto done;
  gy_mat_fill(W, 0);
  info->converged = 1;
  info->n_iter = 0;
  info->lim = 0;
  for (int64_t j = 0; j < n; j++) {
    double nrm = 0;
    for (int64_t k = 0; k < n; k++) nrm += GY_AT(&init, j, k) * GY_AT(&init, j, k);
    nrm = sqrt(nrm);
    if (!(nrm > 0)) {
      st = gy_err(GY_EINVAL, "row %lld of w_init is zero", (long long)j + 1);
      goto done;
    }
    for (int64_t k = 0; k < n; k++) w.data[k] = GY_AT(&init, j, k) / nrm;
    int64_t it = 0;
    double lim = INFINITY;
    int conv = 0;
    while (it < o->max_iter) {
      if ((st = gy_check_interrupt())) goto done;
      cblas_dgemv(CblasColMajor, CblasNoTrans, (int)T, (int)n, 1.0, Z->data, (int)Z->ld,
                  w.data, 1, 0.0, y.data, 1);
      const double gpm = nonlin(y.data, T, o->fun, o->alpha) / (double)T;
      cblas_dgemv(CblasColMajor, CblasTrans, (int)T, (int)n, 1.0 / (double)T, Z->data,
                  (int)Z->ld, y.data, 1, 0.0, w1.data, 1);
      for (int64_t k = 0; k < n; k++) w1.data[k] -= gpm * w.data[k];
      /* w1 -= (W[:j] w1)' W[:j] */
      for (int64_t r = 0; r < j; r++) {
        double c = 0;
        for (int64_t k = 0; k < n; k++) c += GY_AT(W, r, k) * w1.data[k];
        y.data[r] = c; /* y is free scratch here */
      }
      for (int64_t r = 0; r < j; r++)
        for (int64_t k = 0; k < n; k++) w1.data[k] -= y.data[r] * GY_AT(W, r, k);
      double s = 0;
      for (int64_t k = 0; k < n; k++) s += w1.data[k] * w1.data[k];
      s = sqrt(s);
      double dot = 0;
      for (int64_t k = 0; k < n; k++) {
        w1.data[k] /= s;
        dot += w1.data[k] * w.data[k];
      }
      lim = fabs(fabs(dot) - 1);
      memcpy(w.data, w1.data, (size_t)n * sizeof(double));
      it++;
      if (lim < o->tol) {
        conv = 1;
        break;
      }
    }
    for (int64_t k = 0; k < n; k++) GY_AT(W, j, k) = w.data[k];
    if (it > info->n_iter) info->n_iter = it;
    if (lim > info->lim) info->lim = lim;
    if (!conv) info->converged = 0;
  }
done:
  gy_mat_clear(&init);
  gy_mat_clear(&y);
  gy_mat_clear(&w);
  gy_mat_clear(&w1);
  return st;
}

static int check_opts(const gy_ica_opts *o) {
  if (!o) return gy_err(GY_EINVAL, "options are missing");
  if (o->algorithm != GY_ICA_PARALLEL && o->algorithm != GY_ICA_DEFLATION)
    return gy_err(GY_EINVAL, "unknown algorithm %d", o->algorithm);
  if (o->fun < GY_ICA_LOGCOSH || o->fun > GY_ICA_CUBE)
    return gy_err(GY_EINVAL, "unknown non-linearity %d", o->fun);
  if (o->whiten < GY_ICA_WHITEN_NONE || o->whiten > GY_ICA_WHITEN_ARBITRARY)
    return gy_err(GY_EINVAL, "unknown whitening %d", o->whiten);
  if (!(o->alpha >= 1 && o->alpha <= 2))
    return gy_err(GY_EINVAL, "alpha must be in [1, 2], got %g", o->alpha);
  if (o->max_iter < 1)
    return gy_err(GY_EINVAL, "max_iter must be at least 1, got %lld", (long long)o->max_iter);
  if (!(o->tol >= 0)) return gy_err(GY_EINVAL, "tol must be >= 0, got %g", o->tol);
  if (o->n_components < 0)
    return gy_err(GY_EINVAL, "the number of components must be positive, got %lld",
                  (long long)o->n_components);
  return GY_OK;
}

static int solve_fastica(gy_mat *W, gy_ica_info *info, const gy_mat *Z, const gy_ica_opts *o,
                         const void *ctx) {
  (void)ctx;
  return o->algorithm == GY_ICA_PARALLEL ? ica_par(W, info, Z, o) : ica_def(W, info, Z, o);
}

int gy_ica_fastica(gy_mat *sources, gy_mat *components, gy_mat *mixing, gy_mat *mean,
                   gy_mat *whitening, gy_mat *W, gy_ica_info *info, const gy_mat *X,
                   const gy_ica_opts *o) {
  return gy_ica_fit(sources, components, mixing, mean, whitening, W, info, X, o, solve_fastica,
                    NULL, 0);
}

int gy_ica_fit(gy_mat *sources, gy_mat *components, gy_mat *mixing, gy_mat *mean,
               gy_mat *whitening, gy_mat *W, gy_ica_info *info, const gy_mat *X,
               const gy_ica_opts *o, gy_ica_solve_fn solve, const void *ctx,
               int identity_init) {
  GY_TRY(gy_check_out(sources, "sources output"));
  GY_TRY(gy_check_out(components, "components output"));
  GY_TRY(gy_check_out(mixing, "mixing output"));
  GY_TRY(gy_check_out(mean, "mean output"));
  GY_TRY(gy_check_out(whitening, "whitening output"));
  GY_TRY(gy_check_out(W, "W output"));
  if (!info) return gy_err(GY_EINVAL, "info output is missing");
  GY_TRY(check_opts(o));
  GY_TRY(gy_ica_check_finite(X, "X"));
  nonlin_select();
  if (X->rows > INT_MAX || X->cols > INT_MAX)
    return gy_err(GY_EUNSUPPORTED, "X is too large for 32-bit BLAS indices");
  const int64_t T = X->rows, p = X->cols, kmax = T < p ? T : p;
  const int whiten = o->whiten != GY_ICA_WHITEN_NONE;
  int64_t n = whiten ? (o->n_components ? o->n_components : kmax) : p;
  if (whiten && n > kmax)
    return gy_err(GY_EINVAL, "%lld components requested but X (%lld samples x %lld channels) "
                  "has at most %lld", (long long)n, (long long)T, (long long)p,
                  (long long)kmax);
  if (!whiten && T < 2)
    return gy_err(GY_EINVAL, "X has %lld sample: at least 2 are needed", (long long)T);
  if (o->w_init) {
    GY_TRY(gy_check_finite(o->w_init, "w_init"));
    if (o->w_init->rows != n || o->w_init->cols != n)
      return gy_err(GY_EINVAL, "w_init is %lld x %lld but should be %lld x %lld (components)",
                    (long long)o->w_init->rows, (long long)o->w_init->cols, (long long)n,
                    (long long)n);
  }
  gy_mat mu = {0}, K = {0}, d = {0}, Z = {0}, Wm = {0}, comp = {0}, S = {0}, mix = {0},
         buf = {0};
  const int64_t B = T < GY_ICA_BLOCK ? T : GY_ICA_BLOCK;
  int st;
  if (whiten) {
    st = gy_ica_mean(&mu, X, 1);
    if (!st) st = gy_ica_whiten_data(&K, &d, X, &mu, n, o->solver);
    if (!st) st = gy_mat_init_uninit(&Z, T, n);
    if (!st) st = gy_mat_init_uninit(&buf, B, p);
    if (st) goto done;
    /* Z = (X - mean) K' sqrt(T), block by block: white, Z'Z/T = I. */
    for (int64_t r0 = 0; r0 < T; r0 += B) {
      const int64_t nb = T - r0 < B ? T - r0 : B;
      gy_ica_centred_rows(buf.data, X, mu.data, r0, nb);
      cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)nb, (int)n, (int)p,
                  sqrt((double)T), buf.data, (int)nb, K.data, (int)K.ld, 0.0, Z.data + r0,
                  (int)Z.ld);
    }
  } else {
    st = gy_mat_init(&mu, 1, p);
    if (!st) st = gy_mat_init(&K, p, p);
    if (st) goto done;
    for (int64_t i = 0; i < p; i++) GY_AT(&K, i, i) = 1;
  }
  if (o->w_init) st = gy_mat_copy(&Wm, o->w_init);
  else if (identity_init) {
    st = gy_mat_init(&Wm, n, n);
    for (int64_t i = 0; !st && i < n; i++) GY_AT(&Wm, i, i) = 1;
  } else {
    gy_rng r;
    gy_rng_seed(&r, o->seed);
    st = gy_mat_init(&Wm, n, n);
    if (!st) gy_rng_fill_normal(&r, &Wm);
  }
  if (st) goto done;
  {
    const gy_mat *data = whiten ? &Z : X; /* without whitening X is used as it is */
    st = solve(&Wm, info, data, o, ctx);
  }
  if (st) goto done;
  /* components = W K; sources = (X - mean) components' (sklearn: no sqrt(T) here). */
  st = gy_linalg_matmul(&comp, &Wm, 0, &K, 0);
  if (st) goto done;
  if (whiten) {
    /* The sources take over Z's storage block by block (each block of Z is dead once the
     * iterations are done): a second samples-sized allocation costs as much as a GEMM. */
    S = Z;
    Z = (gy_mat){0};
  } else if ((st = gy_mat_init_uninit(&S, T, n))) goto done;
  if (whiten) {
    for (int64_t r0 = 0; r0 < T; r0 += B) {
      const int64_t nb = T - r0 < B ? T - r0 : B;
      gy_ica_centred_rows(buf.data, X, mu.data, r0, nb);
      cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)nb, (int)n, (int)p, 1.0,
                  buf.data, (int)nb, comp.data, (int)comp.ld, 0.0, S.data + r0, (int)S.ld);
    }
  } else {
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)T, (int)n, (int)p, 1.0, X->data,
                (int)X->ld, comp.data, (int)comp.ld, 0.0, S.data, (int)S.ld);
  }
  if (o->whiten == GY_ICA_WHITEN_UNIT) {
    for (int64_t i = 0; i < n; i++) {
      double *s = S.data + i * S.ld, m = 0, v = 0;
      for (int64_t t = 0; t < T; t++) m += s[t];
      m /= (double)T;
      for (int64_t t = 0; t < T; t++) v += (s[t] - m) * (s[t] - m);
      const double sd = sqrt(v / (double)T);
      if (!(sd > 0)) {
        st = gy_err(GY_EINVAL, "source %lld has zero variance", (long long)i + 1);
        goto done;
      }
      for (int64_t t = 0; t < T; t++) s[t] /= sd;
      for (int64_t k = 0; k < n; k++) GY_AT(&Wm, i, k) /= sd;
      for (int64_t k = 0; k < p; k++) GY_AT(&comp, i, k) /= sd;
    }
  }
  st = gy_linalg_pinv(&mix, &comp, -1);
  if (st) goto done;
  *sources = S;
  *components = comp;
  *mixing = mix;
  *mean = mu;
  *whitening = K;
  *W = Wm;
  S = comp = mix = mu = K = Wm = (gy_mat){0};
done:
  gy_mat_clear(&mu);
  gy_mat_clear(&K);
  gy_mat_clear(&d);
  gy_mat_clear(&Z);
  gy_mat_clear(&Wm);
  gy_mat_clear(&comp);
  gy_mat_clear(&S);
  gy_mat_clear(&mix);
  gy_mat_clear(&buf);
  return st;
}
