/* nilearn.signal.clean (Butterworth path, no interpolation of censored volumes): detrend,
 * filter, censor, confound regression by orthogonal projection, standardise, in nilearn's
 * order. */
#include <float.h>
#include <math.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "gyrus/signal.h"
#include "internal.h"

void gy_signal_clean_defaults(gy_signal_clean_opts *o) {
  o->detrend = 1;
  o->standardize = GY_SIGNAL_ZSCORE_SAMPLE;
  o->standardize_confounds = 1;
  o->order = 5;
  o->extrapolate = 0;
  o->t_r = 2.5;
  o->low_pass = 0;
  o->high_pass = 0;
  o->padlen = -1;
}

/* nilearn _detrend in place: mean, then the projection on the unit-norm centred ramp. */
static void detrend_in_place(gy_mat *X) {
  int64_t n = X->rows;
  if (n < 2) return;
  double rm = (double)(n - 1) / 2, rn = 0;
  for (int64_t t = 0; t < n; t++) rn += ((double)t - rm) * ((double)t - rm);
  rn = sqrt(rn);
  for (int64_t j = 0; j < X->cols; j++) {
    double *x = X->data + j * X->ld, s = 0, d = 0;
    for (int64_t t = 0; t < n; t++) s += x[t];
    s /= (double)n;
    for (int64_t t = 0; t < n; t++) {
      x[t] -= s;
      d += x[t] * ((double)t - rm) / rn;
    }
    for (int64_t t = 0; t < n; t++) x[t] -= d * ((double)t - rm) / rn;
  }
}

int gy_signal_detrend(gy_mat *out, const gy_mat *X) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_check_finite(X, "the signals"));
  GY_TRY(gy_mat_copy(out, X));
  detrend_in_place(out);
  return GY_OK;
}

/* x - mean, divided by the standard deviation with ddof (below eps counts as 1). */
static void zscore_in_place(gy_mat *X, int ddof) {
  int64_t n = X->rows;
  for (int64_t j = 0; j < X->cols; j++) {
    double *x = X->data + j * X->ld, m = 0, ss = 0;
    for (int64_t t = 0; t < n; t++) m += x[t];
    m /= (double)n;
    for (int64_t t = 0; t < n; t++) {
      x[t] -= m;
      ss += x[t] * x[t];
    }
    if (n - ddof <= 0) continue;
    double sd = sqrt(ss / (double)(n - ddof));
    if (sd < DBL_EPSILON) sd = 1;
    for (int64_t t = 0; t < n; t++) x[t] /= sd;
  }
}

/* 100 (x - mean) / |mean|; a column whose mean is below eps becomes 0 (nilearn warns). */
static void psc_in_place(gy_mat *X) {
  int64_t n = X->rows;
  for (int64_t j = 0; j < X->cols; j++) {
    double *x = X->data + j * X->ld, m = 0;
    for (int64_t t = 0; t < n; t++) m += x[t];
    m /= (double)n;
    for (int64_t t = 0; t < n; t++) x[t] = fabs(m) < DBL_EPSILON ? 0 : 100 * (x[t] - m) / fabs(m);
  }
}

/* Rows keep[0..n_keep) of X into a new matrix. */
static int censor(gy_mat *out, const gy_mat *X, const int64_t *keep, int64_t n_keep) {
  GY_TRY(gy_mat_init(out, n_keep, X->cols));
  for (int64_t j = 0; j < X->cols; j++)
    for (int64_t t = 0; t < n_keep; t++) GY_AT(out, t, j) = GY_AT(X, keep[t], j);
  return GY_OK;
}

static int censor_in_place(gy_mat *X, const int64_t *keep, int64_t n_keep) {
  gy_mat c = {0};
  GY_TRY(censor(&c, X, keep, n_keep));
  gy_mat_clear(X);
  *X = c;
  return GY_OK;
}

/* Slope of the chord from kept volume i to i + 1 in column j. */
static double chord(const gy_mat *Y, const double *dx, int64_t i, int64_t j) {
  return (GY_AT(Y, i + 1, j) - GY_AT(Y, i, j)) / dx[i];
}

/* Replaces the censored rows of X (those not in keep) by scipy's CubicSpline (not-a-knot)
 * through the kept rows, per column. Rows before the first or after the last kept one are
 * extrapolated from the end pieces, or, without extrapolation, left for the caller to drop. */
static int interpolate(gy_mat *X, const int64_t *keep, int64_t m, double t_r, int extrapolate) {
  int64_t n = X->rows, p = X->cols;
  if (m < 2)
    return gy_err(GY_EINVAL, "interpolating censored volumes needs at least 2 kept volumes");
  size_t vec = (size_t)m * sizeof(double);
  double *x = gy_alloc(vec), *dx = gy_alloc(vec), *dl = gy_alloc(vec), *d = gy_alloc(vec),
         *du = gy_alloc(vec);
  gy_mat B = {0}, Y = {0};
  int st = (x && dx && dl && d && du) ? GY_OK : gy_err(GY_ENOMEM, "out of memory");
  if (!st) st = censor(&Y, X, keep, m);
  if (!st) st = gy_mat_init(&B, m, p);
  if (!st) {
    for (int64_t i = 0; i < m; i++) x[i] = (double)keep[i] * t_r;
    for (int64_t i = 0; i + 1 < m; i++) dx[i] = x[i + 1] - x[i];
    /* Slopes of the chords; B receives the right-hand sides, then the knot derivatives. */
    if (m == 2) {
      for (int64_t j = 0; j < p; j++) GY_AT(&B, 0, j) = GY_AT(&B, 1, j) = chord(&Y, dx, 0, j);
    } else if (m == 3) {
      /* not-a-knot with three points is the parabola through them (scipy's special case). */
      double A[9] = {1, dx[1], 0, 1, 2 * (dx[0] + dx[1]), 1, 0, dx[0], 1};
      lapack_int ipiv[3];
      for (int64_t j = 0; j < p; j++) {
        GY_AT(&B, 0, j) = 2 * chord(&Y, dx, 0, j);
        GY_AT(&B, 1, j) = 3 * (dx[0] * chord(&Y, dx, 1, j) + dx[1] * chord(&Y, dx, 0, j));
        GY_AT(&B, 2, j) = 2 * chord(&Y, dx, 1, j);
      }
      if (LAPACKE_dgesv(LAPACK_COL_MAJOR, 3, (int)p, A, 3, ipiv, B.data, (int)B.ld) != 0)
        st = gy_err(GY_ELIB, "the spline system is singular");
    } else {
      for (int64_t i = 1; i + 1 < m; i++) {
        dl[i - 1] = dx[i];
        d[i] = 2 * (dx[i - 1] + dx[i]);
        du[i] = dx[i - 1];
        for (int64_t j = 0; j < p; j++)
          GY_AT(&B, i, j) = 3 * (dx[i] * chord(&Y, dx, i - 1, j) + dx[i - 1] * chord(&Y, dx, i, j));
      }
      double e0 = x[2] - x[0], e1 = x[m - 1] - x[m - 3];
      d[0] = dx[1];
      du[0] = e0;
      d[m - 1] = dx[m - 3];
      dl[m - 2] = e1;
      for (int64_t j = 0; j < p; j++) {
        GY_AT(&B, 0, j) =
            ((dx[0] + 2 * e0) * dx[1] * chord(&Y, dx, 0, j) + dx[0] * dx[0] * chord(&Y, dx, 1, j)) /
            e0;
        GY_AT(&B, m - 1, j) = (dx[m - 2] * dx[m - 2] * chord(&Y, dx, m - 3, j) +
                               (2 * e1 + dx[m - 2]) * dx[m - 3] * chord(&Y, dx, m - 2, j)) /
                              e1;
      }
      if (LAPACKE_dgtsv(LAPACK_COL_MAJOR, (int)m, (int)p, dl, d, du, B.data, (int)B.ld) != 0)
        st = gy_err(GY_ELIB, "the spline system is singular");
    }
  }
  if (!st) {
    int64_t k = 0;
    for (int64_t t = 0; t < n; t++) {
      while (k < m && keep[k] < t) k++;
      if (k < m && keep[k] == t) continue;
      if ((t < keep[0] || t > keep[m - 1]) && !extrapolate) continue;
      /* The piece [x_i, x_i+1] holding t, or the end piece beyond the kept range. */
      int64_t i = k == 0 ? 0 : k >= m ? m - 2 : k - 1;
      double h = (double)t * t_r - x[i];
      for (int64_t j = 0; j < p; j++) {
        double s0 = GY_AT(&B, i, j), s1 = GY_AT(&B, i + 1, j), sl = chord(&Y, dx, i, j);
        double c = (s0 + s1 - 2 * sl) / dx[i];
        double c0 = c / dx[i], c1 = (sl - s0) / dx[i] - c;
        GY_AT(X, t, j) = ((c0 * h + c1) * h + s0) * h + GY_AT(&Y, i, j);
      }
    }
  }
  gy_mat_clear(&B);
  gy_mat_clear(&Y);
  gy_free(x);
  gy_free(dx);
  gy_free(dl);
  gy_free(d);
  gy_free(du);
  return st;
}

/* Rows r0..r1 (inclusive) of X, replacing X. */
static int trim_rows(gy_mat *X, int64_t r0, int64_t r1) {
  if (r0 == 0 && r1 == X->rows - 1) return GY_OK;
  gy_mat v = {0}, c = {0};
  GY_TRY(gy_mat_view(&v, X, r0, 0, r1 - r0 + 1, X->cols));
  GY_TRY(gy_mat_copy(&c, &v));
  gy_mat_clear(X);
  *X = c;
  return GY_OK;
}

/* S <- S - Q Q' S with Q the columns of the pivoted QR of the confounds whose |R_ii| exceed
 * 100 eps (nilearn). Cf is scaled in place. */
static int regress_out(gy_mat *S, gy_mat *Cf, int standardize_confounds) {
  int64_t n = Cf->rows, q = Cf->cols;
  if (standardize_confounds) {
    zscore_in_place(Cf, 0);
  } else {
    for (int64_t j = 0; j < q; j++) {
      double *c = Cf->data + j * Cf->ld, mx = 0;
      for (int64_t t = 0; t < n; t++) mx = fmax(mx, fabs(c[t]));
      if (mx == 0) mx = 1;
      for (int64_t t = 0; t < n; t++) c[t] /= mx;
    }
  }
  int64_t k = n < q ? n : q;
  if (k == 0) return GY_OK;
  lapack_int *jpvt = gy_alloc((size_t)q * sizeof(lapack_int));
  double *tau = gy_alloc((size_t)k * sizeof(double));
  gy_mat P = {0};
  int st = (jpvt && tau) ? GY_OK : gy_err(GY_ENOMEM, "out of memory");
  if (!st) {
    memset(jpvt, 0, (size_t)q * sizeof(lapack_int));
    lapack_int info =
        LAPACKE_dgeqp3(LAPACK_COL_MAJOR, (int)n, (int)q, Cf->data, (int)Cf->ld, jpvt, tau);
    if (info != 0) st = gy_err(GY_ELIB, "QR of the confounds failed (LAPACK info %d)", (int)info);
  }
  int64_t r = 0;
  double *diag = NULL;
  if (!st) {
    diag = gy_alloc((size_t)k * sizeof(double));
    if (!diag) st = gy_err(GY_ENOMEM, "out of memory");
  }
  if (!st) {
    for (int64_t i = 0; i < k; i++) diag[i] = GY_AT(Cf, i, i);
    lapack_int info =
        LAPACKE_dorgqr(LAPACK_COL_MAJOR, (int)n, (int)k, (int)k, Cf->data, (int)Cf->ld, tau);
    if (info != 0)
      st = gy_err(GY_ELIB, "forming Q of the confounds failed (LAPACK info %d)", (int)info);
  }
  if (!st) {
    /* Keep the columns of Q whose R diagonal passes, packed to the front. */
    for (int64_t i = 0; i < k; i++)
      if (fabs(diag[i]) > DBL_EPSILON * 100) {
        if (r != i)
          memcpy(Cf->data + r * Cf->ld, Cf->data + i * Cf->ld, (size_t)n * sizeof(double));
        r++;
      }
  }
  if (!st && r > 0) st = gy_mat_init(&P, r, S->cols);
  if (!st && r > 0) {
    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)r, (int)S->cols, (int)n, 1.0,
                Cf->data, (int)Cf->ld, S->data, (int)S->ld, 0.0, P.data, (int)P.ld);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)S->cols, (int)r, -1.0,
                Cf->data, (int)Cf->ld, P.data, (int)P.ld, 1.0, S->data, (int)S->ld);
  }
  gy_mat_clear(&P);
  gy_free(diag);
  gy_free(jpvt);
  gy_free(tau);
  return st;
}

static int check_keep(const int64_t *keep, int64_t n_keep, int64_t n) {
  if (!keep) return GY_OK;
  if (n_keep < 1) return gy_err(GY_EINVAL, "the sample mask removes every volume");
  for (int64_t i = 0; i < n_keep; i++) {
    if (keep[i] < 0 || keep[i] >= n)
      return gy_err(GY_EINVAL, "sample mask index %lld is outside 1..%lld", (long long)keep[i] + 1,
                    (long long)n);
    if (i > 0 && keep[i] <= keep[i - 1])
      return gy_err(GY_EINVAL, "sample mask indices must be increasing (%lld after %lld)",
                    (long long)keep[i] + 1, (long long)keep[i - 1] + 1);
  }
  return GY_OK;
}

static int clean_steps(gy_mat *S, gy_mat *Cf, const int64_t *keep, int64_t n_keep,
                       const gy_signal_clean_opts *o) {
  int64_t p = S->cols;
  int filter = o->low_pass != 0 || o->high_pass != 0;
  int64_t *shifted = NULL;
  if (keep && filter) {
    /* nilearn (Lindquist et al. 2018): interpolate the censored volumes, filter, then
     * censor. Without extrapolation the volumes outside the kept range are dropped and the
     * kept indices shift with them. */
    GY_TRY(interpolate(S, keep, n_keep, o->t_r, o->extrapolate));
    if (Cf->data) GY_TRY(interpolate(Cf, keep, n_keep, o->t_r, o->extrapolate));
    if (!o->extrapolate) {
      GY_TRY(trim_rows(S, keep[0], keep[n_keep - 1]));
      if (Cf->data) GY_TRY(trim_rows(Cf, keep[0], keep[n_keep - 1]));
      shifted = gy_alloc((size_t)n_keep * sizeof(int64_t));
      if (!shifted) return gy_err(GY_ENOMEM, "out of memory");
      for (int64_t i = 0; i < n_keep; i++) shifted[i] = keep[i] - keep[0];
      keep = shifted;
    }
  }
  /* Without a filter nilearn censors first. */
  if (keep && !filter) {
    GY_TRY(censor_in_place(S, keep, n_keep));
    if (Cf->data) GY_TRY(censor_in_place(Cf, keep, n_keep));
  }
  int64_t n = S->rows;
  double *mean0 = gy_alloc((size_t)(p ? p : 1) * sizeof(double));
  if (!mean0) {
    gy_free(shifted);
    return gy_err(GY_ENOMEM, "out of memory");
  }
  for (int64_t j = 0; j < p; j++) {
    double m = 0;
    for (int64_t t = 0; t < n; t++) m += GY_AT(S, t, j);
    mean0[j] = m / (double)n;
  }
  int st = GY_OK;
  if (o->detrend) {
    detrend_in_place(S);
    if (Cf->data) detrend_in_place(Cf);
  }
  if (filter) {
    double fs = 1 / o->t_r, nyq = fs / 2, eps32 = 1.1920928955078125e-07;
    double lo = o->low_pass, hi = o->high_pass;
    /* nilearn's _check_wn: cut-offs at or past Nyquist are pulled just below it. */
    if (lo >= nyq) lo = nyq - nyq * 10 * eps32;
    if (hi >= nyq) hi = nyq - nyq * 10 * eps32;
    if (!(lo != 0 && hi != 0 && lo == hi)) {
      gy_mat sos = {0}, F = {0};
      st = gy_signal_butter(&sos, o->order, lo, hi, fs);
      if (!st) st = gy_signal_sosfiltfilt(&F, &sos, S, o->padlen);
      if (!st) {
        gy_mat_clear(S);
        *S = F;
        F = (gy_mat){0};
      }
      if (!st && Cf->data) st = gy_signal_sosfiltfilt(&F, &sos, Cf, o->padlen);
      if (!st && Cf->data) {
        gy_mat_clear(Cf);
        *Cf = F;
      }
      gy_mat_clear(&sos);
    }
    if (!st && keep) st = censor_in_place(S, keep, n_keep);
    if (!st && keep && Cf->data) st = censor_in_place(Cf, keep, n_keep);
    n = S->rows;
  }
  gy_free(shifted);
  if (!st && Cf->data) st = regress_out(S, Cf, o->standardize_confounds);
  if (!st) {
    if (o->standardize == GY_SIGNAL_PSC) {
      /* When detrending or filtering removed the mean, psc is taken against the original
       * mean (nilearn adds it back when the mean shrank more than tenfold). */
      double now = 0, before = 0;
      for (int64_t j = 0; j < p; j++) {
        double m = 0;
        for (int64_t t = 0; t < n; t++) m += GY_AT(S, t, j);
        now += fabs(m / (double)n) / (double)p;
        before += fabs(mean0[j]) / (double)p;
      }
      if (now / before < 0.1)
        for (int64_t j = 0; j < p; j++)
          for (int64_t t = 0; t < n; t++) GY_AT(S, t, j) += mean0[j];
      psc_in_place(S);
    } else if (o->standardize == GY_SIGNAL_ZSCORE_SAMPLE) {
      if (n > 1) zscore_in_place(S, 1);
    } else if (o->standardize == GY_SIGNAL_ZSCORE) {
      zscore_in_place(S, 0);
    }
  }
  gy_free(mean0);
  return st;
}

int gy_signal_clean(gy_mat *out, const gy_mat *X, const gy_mat *confounds, const int64_t *keep,
                    int64_t n_keep, const gy_signal_clean_opts *o) {
  GY_TRY(gy_check_out(out, "output"));
  if (!o) return gy_err(GY_EINVAL, "options are missing");
  GY_TRY(gy_check_finite(X, "the signals"));
  int64_t n = X->rows;
  if (n < 1 || X->cols < 1) return gy_err(GY_EINVAL, "the signals are empty");
  if (confounds) {
    GY_TRY(gy_check_finite(confounds, "the confounds"));
    if (confounds->rows != n)
      return gy_err(GY_EINVAL, "the confounds have %lld time points, the signals %lld",
                    (long long)confounds->rows, (long long)n);
  }
  if (o->standardize < GY_SIGNAL_STD_NONE || o->standardize > GY_SIGNAL_PSC)
    return gy_err(GY_EINVAL, "unknown standardisation %d", (int)o->standardize);
  if (o->low_pass < 0 || o->high_pass < 0 || !isfinite(o->low_pass) || !isfinite(o->high_pass))
    return gy_err(GY_EINVAL,
                  "cut-off frequencies must be positive (0 for none), got low_pass %g, "
                  "high_pass %g",
                  o->low_pass, o->high_pass);
  if ((o->low_pass != 0 || o->high_pass != 0) && !(o->t_r > 0 && isfinite(o->t_r)))
    return gy_err(GY_EINVAL, "filtering needs a positive repetition time t_r, got %g", o->t_r);
  if (o->low_pass != 0 && o->high_pass != 0 && o->high_pass >= o->low_pass)
    return gy_err(GY_EINVAL,
                  "the high-pass cut-off (%g Hz) must be below the low-pass cut-off (%g Hz)",
                  o->high_pass, o->low_pass);
  GY_TRY(check_keep(keep, n_keep, n));
  gy_mat S = {0}, Cf = {0};
  GY_TRY(gy_mat_copy(&S, X));
  int st = confounds ? gy_mat_copy(&Cf, confounds) : GY_OK;
  if (!st) st = clean_steps(&S, &Cf, keep, n_keep, o);
  gy_mat_clear(&Cf);
  if (st) {
    gy_mat_clear(&S);
    return st;
  }
  *out = S;
  return GY_OK;
}
