/* PCA and whitening for ICA, with sklearn's conventions (FastICA's whitening and PCA's
 * svd_flip), so fixtures from sklearn compare directly. */
#include "ica_internal.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "ica_simd.h"

int gy_ica_centre(gy_mat *Xc, gy_mat *mean, const gy_mat *X, int check_constant) {
  GY_TRY(gy_check_out(Xc, "centred data output"));
  GY_TRY(gy_check_out(mean, "mean output"));
  GY_TRY(gy_check_finite(X, "X"));
  if (X->rows < 2 || X->cols < 1)
    return gy_err(GY_EINVAL, "X is %lld x %lld: ICA needs at least 2 samples (rows) and 1 "
                  "channel (column)", (long long)X->rows, (long long)X->cols);
  gy_mat A = {0}, m = {0};
  int st = gy_mat_init(&A, X->rows, X->cols);
  if (!st) st = gy_mat_init(&m, 1, X->cols);
  if (st) goto fail;
  const int64_t T = X->rows;
  for (int64_t j = 0; j < X->cols; j++) {
    const double *x = X->data + j * X->ld;
    double *a = A.data + j * A.ld;
    double s = 0;
    for (int64_t i = 0; i < T; i++) s += x[i];
    const double mu = s / (double)T;
    int constant = 1;
    for (int64_t i = 0; i < T; i++) {
      a[i] = x[i] - mu;
      if (x[i] != x[0]) constant = 0;
    }
    m.data[j] = mu;
    if (check_constant && constant) {
      st = gy_err(GY_EINVAL, "channel (column) %lld of X is constant: it carries no "
                  "independent signal, remove it", (long long)j + 1);
      goto fail;
    }
  }
  *Xc = A;
  *mean = m;
  return GY_OK;
fail:
  gy_mat_clear(&A);
  gy_mat_clear(&m);
  return st;
}

/* numpy's sign, except that 0 counts as positive so no axis is zeroed. */
static double sign_of(double v) { return v < 0 ? -1.0 : 1.0; }

/* The whitening from the covariance Cv = Xc'Xc (eigh path, Cv given) or from the SVD of
 * the centred data Xc (Cv NULL). */
static int whiten_impl(gy_mat *K, gy_mat *d, const gy_mat *Cv, const gy_mat *Xc, int64_t T,
                       int64_t p, int64_t n) {
  GY_TRY(gy_check_out(K, "whitening output"));
  GY_TRY(gy_check_out(d, "singular value output"));
  const int64_t kmax = T < p ? T : p;
  if (n < 1 || n > kmax)
    return gy_err(GY_EINVAL, "%lld components requested but X (%lld samples x %lld channels) "
                  "has at most %lld", (long long)n, (long long)T, (long long)p,
                  (long long)kmax);
  gy_mat Kout = {0}, dout = {0}, w = {0}, V = {0}, s = {0}, Vt = {0};
  int st = gy_mat_init(&Kout, n, p);
  if (!st) st = gy_mat_init(&dout, n, 1);
  if (st) goto done;
  if (Cv) {
    /* sklearn's "eigh" solver: eigenvalues below eps are clamped to eps. */
    st = gy_linalg_eigh(&w, &V, Cv);
    if (st) goto done;
    for (int64_t i = 0; i < n; i++) {
      const int64_t c = p - 1 - i; /* descending order */
      double ev = w.data[c];
      if (ev < DBL_EPSILON) ev = DBL_EPSILON;
      dout.data[i] = sqrt(ev);
      const double sg = sign_of(GY_AT(&V, 0, c));
      for (int64_t j = 0; j < p; j++) GY_AT(&Kout, i, j) = sg * GY_AT(&V, j, c) / dout.data[i];
    }
  } else {
    st = gy_linalg_svd(NULL, &s, &Vt, Xc, 0);
    if (st) goto done;
    for (int64_t i = 0; i < n; i++) {
      dout.data[i] = s.data[i];
      const double sg = sign_of(GY_AT(&Vt, i, 0));
      for (int64_t j = 0; j < p; j++) GY_AT(&Kout, i, j) = sg * GY_AT(&Vt, i, j) / s.data[i];
    }
  }
  /* A direction with (numerically) no variance would be whitened by dividing by noise.
   * Rounding leaves a null direction about sqrt(p eps) d0 (covariance) or max(T, p) eps d0
   * (SVD) above zero. */
  {
    const double tiny = Cv ? 10 * dout.data[0] * sqrt((double)p * DBL_EPSILON)
                           : 10 * dout.data[0] * (double)(T > p ? T : p) * DBL_EPSILON;
    for (int64_t i = 0; i < n; i++)
      if (!(dout.data[i] > tiny) || dout.data[0] == 0) {
        st = gy_err(GY_EINVAL, "X is rank-deficient: component %lld of %lld has singular "
                    "value %.3g (largest %.3g); ask for fewer components (n = %lld at most)",
                    (long long)i + 1, (long long)n, dout.data[i], dout.data[0], (long long)i);
        goto done;
      }
  }
  *K = Kout;
  *d = dout;
  Kout = (gy_mat){0};
  dout = (gy_mat){0};
done:
  gy_mat_clear(&Kout);
  gy_mat_clear(&dout);
  gy_mat_clear(&w);
  gy_mat_clear(&V);
  gy_mat_clear(&s);
  gy_mat_clear(&Vt);
  return st;
}

static int whiten_cov(gy_mat *K, gy_mat *d, const gy_mat *Cv, int64_t T, int64_t n) {
  return whiten_impl(K, d, Cv, NULL, T, Cv->rows, n);
}

int gy_ica_whiten_centred(gy_mat *K, gy_mat *d, const gy_mat *Xc, int64_t n, int solver) {
  const int64_t T = Xc->rows, p = Xc->cols;
  if (solver == GY_ICA_SOLVER_AUTO) solver = T >= p ? GY_ICA_SOLVER_EIGH : GY_ICA_SOLVER_SVD;
  if (solver != GY_ICA_SOLVER_EIGH && solver != GY_ICA_SOLVER_SVD)
    return gy_err(GY_EINVAL, "unknown whitening solver %d", solver);
  if (solver == GY_ICA_SOLVER_SVD) return whiten_impl(K, d, NULL, Xc, T, p, n);
  gy_mat Cv = {0};
  GY_TRY(gy_linalg_syrk(&Cv, Xc, 1, 1.0));
  int st = whiten_impl(K, d, &Cv, NULL, T, p, n);
  gy_mat_clear(&Cv);
  return st;
}

void gy_ica_centred_rows(double *buf, const gy_mat *X, const double *mean, int64_t r0,
                         int64_t nb) {
  for (int64_t j = 0; j < X->cols; j++) {
    const double *x = X->data + r0 + j * X->ld;
    double *b = buf + j * nb;
    const double mu = mean ? mean[j] : 0.0;
    for (int64_t i = 0; i < nb; i++) b[i] = x[i] - mu;
  }
}

int gy_ica_check_finite(const gy_mat *X, const char *what) {
  GY_TRY(gy_check_mat(X, what));
  v4d acc = {0, 0, 0, 0};
  for (int64_t j = 0; j < X->cols; j++) {
    const double *x = X->data + j * X->ld;
    int64_t t = 0;
    for (; t + 4 <= X->rows; t += 4) {
      v4d v;
      memcpy(&v, x + t, sizeof v);
      acc += v * 0.0; /* NaN from a NaN or an infinity, else 0 */
    }
    for (; t < X->rows; t++) acc[0] += x[t] * 0.0;
  }
  if (isfinite((acc[0] + acc[1]) + (acc[2] + acc[3]))) return GY_OK;
  return gy_check_finite(X, what); /* names the value and where */
}

int gy_ica_mean(gy_mat *mean, const gy_mat *X, int check_constant) {
  GY_TRY(gy_check_out(mean, "mean output"));
  GY_TRY(gy_check_mat(X, "X"));
  if (X->rows < 2 || X->cols < 1)
    return gy_err(GY_EINVAL, "X is %lld x %lld: ICA needs at least 2 samples (rows) and 1 "
                  "channel (column)", (long long)X->rows, (long long)X->cols);
  gy_mat m = {0};
  GY_TRY(gy_mat_init(&m, 1, X->cols));
  for (int64_t j = 0; j < X->cols; j++) {
    /* One read for the sum and the constant test; a non-finite value shows in the sum. */
    const double *x = X->data + j * X->ld;
    double s = 0;
    int constant = 1;
    for (int64_t i = 0; i < X->rows; i++) {
      s += x[i];
      if (x[i] != x[0]) constant = 0;
    }
    if (!isfinite(s)) { /* a non-finite value (the error names it), or an overflow */
      const int st = gy_check_finite(X, "X");
      if (st) {
        gy_mat_clear(&m);
        return st;
      }
    }
    m.data[j] = s / (double)X->rows;
    if (check_constant && constant) {
      gy_mat_clear(&m);
      return gy_err(GY_EINVAL, "channel (column) %lld of X is constant: it carries no "
                    "independent signal, remove it", (long long)j + 1);
    }
  }
  *mean = m;
  return GY_OK;
}

int gy_ica_whiten_data(gy_mat *K, gy_mat *d, const gy_mat *X, const gy_mat *mean, int64_t n,
                       int solver) {
  const int64_t T = X->rows, p = X->cols;
  if (solver == GY_ICA_SOLVER_AUTO) solver = T >= p ? GY_ICA_SOLVER_EIGH : GY_ICA_SOLVER_SVD;
  if (solver != GY_ICA_SOLVER_EIGH && solver != GY_ICA_SOLVER_SVD)
    return gy_err(GY_EINVAL, "unknown whitening solver %d", solver);
  if (solver == GY_ICA_SOLVER_SVD) {
    gy_mat Xc = {0}, m = {0};
    GY_TRY(gy_ica_centre(&Xc, &m, X, 0));
    int st = gy_ica_whiten_centred(K, d, &Xc, n, solver);
    gy_mat_clear(&Xc);
    gy_mat_clear(&m);
    return st;
  }
  /* The covariance of the centred data, accumulated over blocks of rows so no centred
   * copy of X is made. */
  const int64_t B = T < GY_ICA_BLOCK ? T : GY_ICA_BLOCK;
  gy_mat buf = {0}, Cv = {0};
  int st = gy_mat_init(&buf, B, p);
  if (!st) st = gy_mat_init(&Cv, p, p);
  if (st) goto done;
  for (int64_t r0 = 0; r0 < T; r0 += B) {
    const int64_t nb = T - r0 < B ? T - r0 : B;
    gy_ica_centred_rows(buf.data, X, mean->data, r0, nb);
    cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, (int)p, (int)nb, 1.0, buf.data,
                (int)nb, 1.0, Cv.data, (int)Cv.ld);
  }
  st = whiten_cov(K, d, &Cv, T, n);
done:
  gy_mat_clear(&buf);
  gy_mat_clear(&Cv);
  return st;
}

int gy_ica_whiten(gy_mat *K, gy_mat *mean, gy_mat *d, const gy_mat *X, int64_t n, int solver) {
  GY_TRY(gy_check_out(K, "whitening output"));
  GY_TRY(gy_check_out(d, "singular value output"));
  gy_mat m = {0};
  GY_TRY(gy_ica_mean(&m, X, 1));
  int st = gy_ica_whiten_data(K, d, X, &m, n, solver);
  if (st) {
    gy_mat_clear(&m);
    return st;
  }
  *mean = m;
  return GY_OK;
}

int gy_ica_pca(gy_mat *components, gy_mat *explained_variance, gy_mat *scores, gy_mat *mean,
               const gy_mat *X, int64_t n) {
  GY_TRY(gy_check_out(components, "components output"));
  GY_TRY(gy_check_out(explained_variance, "explained variance output"));
  GY_TRY(gy_check_out(scores, "scores output"));
  GY_TRY(gy_check_out(mean, "mean output"));
  const int64_t T = X ? X->rows : 0, p = X ? X->cols : 0, kmax = T < p ? T : p;
  gy_mat Xc = {0}, m = {0}, U = {0}, s = {0}, Vt = {0}, comp = {0}, ev = {0}, sc = {0};
  GY_TRY(gy_ica_centre(&Xc, &m, X, 0));
  int st = GY_OK;
  if (n == 0) n = kmax;
  if (n < 1 || n > kmax) {
    st = gy_err(GY_EINVAL, "%lld components requested but X (%lld samples x %lld channels) "
                "has at most %lld", (long long)n, (long long)T, (long long)p, (long long)kmax);
    goto done;
  }
  st = gy_linalg_svd(&U, &s, &Vt, &Xc, 0);
  if (!st) st = gy_mat_init(&comp, n, p);
  if (!st) st = gy_mat_init(&ev, n, 1);
  if (st) goto done;
  for (int64_t i = 0; i < n; i++) {
    /* svd_flip(u_based_decision=True): the largest |u| of each column (first on ties)
     * becomes positive. */
    int64_t best = 0;
    for (int64_t t = 1; t < T; t++)
      if (fabs(GY_AT(&U, t, i)) > fabs(GY_AT(&U, best, i))) best = t;
    const double sg = GY_AT(&U, best, i) < 0 ? -1.0 : 1.0;
    for (int64_t j = 0; j < p; j++) GY_AT(&comp, i, j) = sg * GY_AT(&Vt, i, j);
    ev.data[i] = s.data[i] * s.data[i] / (double)(T - 1);
  }
  st = gy_linalg_matmul(&sc, &Xc, 0, &comp, 1);
  if (st) goto done;
  *components = comp;
  *explained_variance = ev;
  *scores = sc;
  *mean = m;
  comp = ev = sc = m = (gy_mat){0};
done:
  gy_mat_clear(&Xc);
  gy_mat_clear(&m);
  gy_mat_clear(&U);
  gy_mat_clear(&s);
  gy_mat_clear(&Vt);
  gy_mat_clear(&comp);
  gy_mat_clear(&ev);
  gy_mat_clear(&sc);
  return st;
}
