/* VAR fits by least squares, order selection and Granger F tests (statsmodels' conventions),
 * with the F and t distribution tails from the regularized incomplete beta function. */
#include <math.h>
#include <stdlib.h>

#include "gyrus/granger.h"
#include "gyrus/linalg.h"
#include "internal.h"

/* Continued fraction of I_x(a, b) by the modified Lentz method (Numerical Recipes 6.4);
 * converges fast for x < (a + 1) / (a + b + 2), which the caller ensures. */
static double betacf(double a, double b, double x) {
  const double tiny = 1e-300, eps = 1e-16;
  double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 10000; m++) {
    int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (fabs(c) < tiny) c = tiny;
    d = 1 / d;
    double del = d * c;
    h *= del;
    if (fabs(del - 1) < eps) break;
  }
  return h;
}

/* lgamma(x) - Stirling's (x - 1/2) log x - x + log sqrt(2 pi), for x >= 10 (the series
 * to x^-13 is then exact to double precision). */
static double stirling_rest(double x) {
  static const double c[] = {1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188,
                             -691.0 / 360360, 1.0 / 156};
  double x2 = 1 / (x * x), s = 0;
  for (int k = 6; k >= 0; k--) s = s * x2 + c[k];
  return s / x;
}

/* log B(a, b) as R's lbeta: lgamma(a + b) - lgamma(a) - lgamma(b) loses about
 * eps lgamma(a + b) when a + b is large, so the large parts cancel analytically. */
static double lbeta(double a, double b) {
  const double ln_sqrt_2pi = 0.918938533204672741780329736406;
  double p = a < b ? a : b, q = a < b ? b : a;
  if (p >= 10) {
    double corr = stirling_rest(p) + stirling_rest(q) - stirling_rest(p + q);
    return -0.5 * log(q) + ln_sqrt_2pi + corr + (p - 0.5) * log(p / (p + q)) +
           q * log1p(-p / (p + q));
  }
  if (q >= 10) {
    double corr = stirling_rest(q) - stirling_rest(p + q);
    return lgamma(p) + corr + p - p * log(p + q) + (q - 0.5) * log1p(-p / (p + q));
  }
  return lgamma(p) + lgamma(q) - lgamma(p + q);
}

double gy_betainc(double a, double b, double x) {
  if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1)) return NAN;
  if (x == 0 || x == 1) return x;
  /* log of x^a (1-x)^b / B(a, b) without overflow */
  double lbt = -lbeta(a, b) + a * log(x) + b * log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return exp(lbt) * betacf(a, b, x) / a;
  return 1 - exp(lbt) * betacf(b, a, 1 - x) / b;
}

double gy_f_sf(double f, double d1, double d2) {
  if (isnan(f) || !(d1 > 0) || !(d2 > 0)) return NAN;
  if (f <= 0) return 1;
  if (isinf(f)) return 0;
  /* P(F > f) = I_{d2 / (d2 + d1 f)}(d2/2, d1/2) */
  return gy_betainc(d2 / 2, d1 / 2, d2 / (d2 + d1 * f));
}

double gy_t_sf2(double t, double df) {
  if (isnan(t) || !(df > 0)) return NAN;
  if (isinf(t)) return 0;
  return gy_betainc(df / 2, 0.5, df / (df + t * t));
}

/* Design matrix on samples t = first..n-1: an optional intercept column, then lags 1..L of
 * the variables vars[0..nv) (lag-major: lag 1 of every variable, then lag 2, ...). */
static int design(gy_mat *Z, const gy_mat *X, int64_t first, int64_t L, const int64_t *vars,
                  int64_t nv, int trend) {
  int64_t T = X->rows - first, c = 0;
  GY_TRY(gy_mat_init_uninit(Z, T, (trend ? 1 : 0) + L * nv));
  if (trend) {
    for (int64_t t = 0; t < T; t++) GY_AT(Z, t, 0) = 1;
    c = 1;
  }
  for (int64_t l = 1; l <= L; l++)
    for (int64_t v = 0; v < nv; v++, c++)
      for (int64_t t = 0; t < T; t++) GY_AT(Z, t, c) = GY_AT(X, first + t - l, vars[v]);
  return GY_OK;
}

/* Least squares of Y on Z; E receives the residuals (T x q) and coef (if not NULL) the
 * coefficients. */
static int ols(gy_mat *coef, gy_mat *E, const gy_mat *Z, const gy_mat *Y) {
  gy_mat B = {0};
  int st;
  if (Z->cols == 0) {
    GY_TRY(gy_mat_copy(E, Y));
    if (coef) return gy_mat_init(coef, 0, Y->cols);
    return GY_OK;
  }
  GY_TRY(gy_linalg_lstsq(&B, Z, Y, -1, NULL));
  st = gy_mat_copy(E, Y);
  if (st) { gy_mat_clear(&B); return st; }
  for (int64_t j = 0; j < Y->cols; j++)
    for (int64_t c = 0; c < Z->cols; c++) {
      double b = GY_AT(&B, c, j);
      for (int64_t t = 0; t < Z->rows; t++) GY_AT(E, t, j) -= GY_AT(Z, t, c) * b;
    }
  if (coef) *coef = B;
  else gy_mat_clear(&B);
  return GY_OK;
}

static int check_data(const gy_mat *X, int64_t order, const char *what) {
  GY_TRY(gy_check_mat(X, "X"));
  GY_TRY(gy_check_finite(X, "X"));
  if (order < 0) return gy_err(GY_EINVAL, "%s must be >= 0, got %lld", what, (long long)order);
  if (X->cols < 1) return gy_err(GY_EINVAL, "X has no variables");
  return GY_OK;
}

/* Residual cross-product E'E / div into S (k x k). */
static int crossprod(gy_mat *S, const gy_mat *E, double div) {
  int64_t k = E->cols;
  GY_TRY(gy_mat_init(S, k, k));
  for (int64_t i = 0; i < k; i++)
    for (int64_t j = 0; j <= i; j++) {
      double s = 0;
      for (int64_t t = 0; t < E->rows; t++) s += GY_AT(E, t, i) * GY_AT(E, t, j);
      GY_AT(S, i, j) = GY_AT(S, j, i) = s / div;
    }
  return GY_OK;
}

static int64_t *all_vars(int64_t k) {
  int64_t *v = malloc((size_t)(k > 0 ? k : 1) * sizeof *v);
  if (v)
    for (int64_t i = 0; i < k; i++) v[i] = i;
  return v;
}

int gy_granger_var(gy_mat *coef, gy_mat *sigma, const gy_mat *X, int64_t order, int trend) {
  GY_TRY(gy_check_out(coef, "coef"));
  GY_TRY(gy_check_out(sigma, "sigma"));
  GY_TRY(check_data(X, order, "order"));
  int64_t k = X->cols, n = X->rows, q = (trend ? 1 : 0) + k * order;
  if (n - order - q < 1)
    return gy_err(GY_EINVAL, "%lld samples are too few for a VAR(%lld) of %lld variables",
                  (long long)n, (long long)order, (long long)k);
  int64_t *vars = all_vars(k);
  if (!vars) return gy_err(GY_ENOMEM, "out of memory");
  gy_mat Z = {0}, Y = {0}, E = {0};
  int st = design(&Z, X, order, order, vars, k, trend);
  if (!st) st = gy_mat_view(&Y, X, order, 0, n - order, k);
  if (!st) st = ols(coef, &E, &Z, &Y);
  if (!st) st = crossprod(sigma, &E, (double)(n - order - q));
  if (st) gy_mat_clear(coef);
  gy_mat_clear(&Z);
  gy_mat_clear(&E);
  free(vars);
  return st;
}

static int logdet_spd(double *ld, const gy_mat *S) {
  gy_mat L = {0};
  int st = gy_linalg_cholesky(&L, S);
  if (st) return gy_err(GY_ESINGULAR, "the residual covariance is singular");
  double s = 0;
  for (int64_t i = 0; i < L.rows; i++) s += log(GY_AT(&L, i, i));
  gy_mat_clear(&L);
  *ld = 2 * s;
  return GY_OK;
}

int gy_granger_select(int64_t *best, gy_mat *crit, const gy_mat *X, int64_t max_order, int ic) {
  GY_TRY(gy_check_out(crit, "crit"));
  GY_TRY(check_data(X, max_order, "max_order"));
  if (ic != GY_GRANGER_AIC && ic != GY_GRANGER_BIC)
    return gy_err(GY_EINVAL, "unknown information criterion %d", ic);
  int64_t k = X->cols, n = X->rows, T = n - max_order;
  if (T - 1 - k * max_order < 1)
    return gy_err(GY_EINVAL, "%lld samples are too few for max_order %lld with %lld variables",
                  (long long)n, (long long)max_order, (long long)k);
  int64_t *vars = all_vars(k);
  if (!vars) return gy_err(GY_ENOMEM, "out of memory");
  int st = gy_mat_init(crit, max_order + 1, 1);
  for (int64_t q = 0; q <= max_order && !st; q++) {
    gy_mat Z = {0}, Y = {0}, E = {0}, S = {0};
    double ld = 0;
    st = design(&Z, X, max_order, q, vars, k, 1);
    if (!st) st = gy_mat_view(&Y, X, max_order, 0, T, k);
    if (!st) st = ols(NULL, &E, &Z, &Y);
    if (!st) st = crossprod(&S, &E, (double)T);
    if (!st) st = logdet_spd(&ld, &S);
    double m = (double)(q * k * k + k);
    if (!st) crit->data[q] = ld + (ic == GY_GRANGER_AIC ? 2.0 : log((double)T)) * m / (double)T;
    gy_mat_clear(&Z);
    gy_mat_clear(&E);
    gy_mat_clear(&S);
    if (!st) st = gy_check_interrupt();
  }
  free(vars);
  if (st) { gy_mat_clear(crit); return st; }
  int64_t b = 0;
  for (int64_t q = 1; q <= max_order; q++)
    if (crit->data[q] < crit->data[b]) b = q;
  if (best) *best = b;
  return GY_OK;
}

static double ssr_of(const gy_mat *E) {
  double s = 0;
  for (int64_t t = 0; t < E->rows; t++) s += GY_AT(E, t, 0) * GY_AT(E, t, 0);
  return s;
}

/* SSR of target i on the lags of vars (with intercept). */
static int fit_ssr(double *ssr, const gy_mat *X, int64_t L, int64_t i, const int64_t *vars,
                   int64_t nv) {
  gy_mat Z = {0}, Y = {0}, E = {0};
  int st = design(&Z, X, L, L, vars, nv, 1);
  if (!st) st = gy_mat_view(&Y, X, L, i, X->rows - L, 1);
  if (!st) st = ols(NULL, &E, &Z, &Y);
  if (!st) *ssr = ssr_of(&E);
  gy_mat_clear(&Z);
  gy_mat_clear(&E);
  return st;
}

/* Conditional tests of every pair from one fit: with the full design Z (all k variables),
 * V = (Z'Z)^-1 = Z+ Z+' and b the full coefficients of target i, dropping variable j raises
 * the SSR by b_J' (V_JJ)^-1 b_J (J = the L columns of j), an exact OLS identity; so one
 * pseudo-inverse serves all k (k - 1) restricted models. */
static int conditional_all(gy_mat *F, gy_mat *p, const gy_mat *X, int64_t L, double df) {
  int64_t k = X->cols, n = X->rows, T = n - L;
  int64_t *vars = all_vars(k);
  if (!vars) return gy_err(GY_ENOMEM, "out of memory");
  gy_mat Z = {0}, Zp = {0}, Y = {0}, B = {0}, E = {0}, V = {0}, VJ = {0}, bJ = {0}, x = {0};
  int st = design(&Z, X, L, L, vars, k, 1);
  if (!st) st = gy_linalg_pinv(&Zp, &Z, -1);
  if (!st) st = gy_mat_view(&Y, X, L, 0, T, k);
  if (!st) st = ols(&B, &E, &Z, &Y);
  if (!st) st = gy_mat_init(&V, Zp.rows, Zp.rows);
  if (!st) st = gy_mat_init(&VJ, L, L);
  if (!st) st = gy_mat_init(&bJ, L, 1);
  for (int64_t a = 0; a < Zp.rows && !st; a++)
    for (int64_t b = 0; b <= a; b++) {
      double s = 0;
      for (int64_t t = 0; t < T; t++) s += GY_AT(&Zp, a, t) * GY_AT(&Zp, b, t);
      GY_AT(&V, a, b) = GY_AT(&V, b, a) = s;
    }
  for (int64_t j = 0; j < k && !st; j++) {
    for (int64_t l1 = 0; l1 < L; l1++)
      for (int64_t l2 = 0; l2 < L; l2++)
        GY_AT(&VJ, l1, l2) = GY_AT(&V, 1 + l1 * k + j, 1 + l2 * k + j);
    for (int64_t i = 0; i < k && !st; i++) {
      if (i == j) continue;
      double ssr = 0;
      for (int64_t t = 0; t < T; t++) ssr += GY_AT(&E, t, i) * GY_AT(&E, t, i);
      for (int64_t l = 0; l < L; l++) bJ.data[l] = GY_AT(&B, 1 + l * k + j, i);
      st = gy_linalg_solve(&x, &VJ, &bJ);
      if (st) break;
      double q = 0;
      for (int64_t l = 0; l < L; l++) q += bJ.data[l] * x.data[l];
      gy_mat_clear(&x);
      double stat = ssr > 0 ? q / ssr / (double)L * df : INFINITY;
      if (stat < 0) stat = 0;
      GY_AT(F, i, j) = stat;
      GY_AT(p, i, j) = gy_f_sf(stat, (double)L, df);
    }
    if (!st) st = gy_check_interrupt();
  }
  gy_mat_clear(&Z); gy_mat_clear(&Zp); gy_mat_clear(&B); gy_mat_clear(&E);
  gy_mat_clear(&V); gy_mat_clear(&VJ); gy_mat_clear(&bJ); gy_mat_clear(&x);
  free(vars);
  return st;
}

int gy_granger_test(gy_mat *F, gy_mat *p, double *df_resid, const gy_mat *X, int64_t order,
                    int conditional) {
  GY_TRY(gy_check_out(F, "F"));
  GY_TRY(gy_check_out(p, "p"));
  GY_TRY(check_data(X, order, "order"));
  if (order < 1) return gy_err(GY_EINVAL, "order must be >= 1, got %lld", (long long)order);
  int64_t k = X->cols, n = X->rows, T = n - order;
  if (k < 2) return gy_err(GY_EINVAL, "X needs at least 2 variables, got %lld", (long long)k);
  int64_t nfull = conditional ? k : 2;
  double df = (double)(T - 1 - nfull * order);
  if (df < 1)
    return gy_err(GY_EINVAL, "%lld samples are too few for order %lld with %lld variables",
                  (long long)n, (long long)order, (long long)nfull);
  int64_t *vars = malloc((size_t)k * sizeof *vars);
  if (!vars) return gy_err(GY_ENOMEM, "out of memory");
  int st = gy_mat_init(F, k, k);
  if (!st) st = gy_mat_init(p, k, k);
  if (!st && conditional) {
    for (int64_t i = 0; i < k; i++) GY_AT(p, i, i) = 1;
    st = conditional_all(F, p, X, order, df);
  }
  for (int64_t i = 0; i < k && !st && !conditional; i++) {
    double ssr_own = 0;
    vars[0] = i;
    st = fit_ssr(&ssr_own, X, order, i, vars, 1);
    for (int64_t j = 0; j < k && !st; j++) {
      if (j == i) { GY_AT(p, i, j) = 1; continue; }
      double f = 0;
      vars[1] = j;
      st = fit_ssr(&f, X, order, i, vars, 2);
      if (st) break;
      double stat = f > 0 ? (ssr_own - f) / f / (double)order * df : INFINITY;
      if (stat < 0) stat = 0; /* rounding when j adds nothing */
      GY_AT(F, i, j) = stat;
      GY_AT(p, i, j) = gy_f_sf(stat, (double)order, df);
    }
    if (!st) st = gy_check_interrupt();
  }
  free(vars);
  if (st) {
    gy_mat_clear(F);
    gy_mat_clear(p);
    return st;
  }
  if (df_resid) *df_resid = df;
  return GY_OK;
}
