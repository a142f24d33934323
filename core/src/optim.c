/* Minimisers for model fitting: BFGS with a strong-Wolfe line search and Brent's bounded
 * scalar method, re-derived from Nocedal and Wright (Algorithms 3.5, 3.6 and 6.1) and from
 * Forsythe, Malcolm and Moler's fmin, with scipy's defaults so fits agree with rsatoolbox. */
#include "internal.h"
#include "gyrus/optim.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------- line search */

typedef struct {
  gy_optim_fn fn;
  void *ctx;
  int64_t n;
  const double *x, *p; /* start and direction */
  double *xt, *gt;     /* trial point and its gradient */
} line;

static int phi(line *L, double a, double *f, double *d) {
  for (int64_t i = 0; i < L->n; i++) L->xt[i] = L->x[i] + a * L->p[i];
  GY_TRY(L->fn(f, L->gt, L->xt, L->ctx));
  double s = 0;
  for (int64_t i = 0; i < L->n; i++) s += L->gt[i] * L->p[i];
  *d = s;
  return GY_OK;
}

/* Minimiser of the cubic through (a, fa, da) and (b, fb, db), or NaN. */
static double cubic_min(double a, double fa, double da, double b, double fb, double db) {
  double d1 = da + db - 3 * (fa - fb) / (a - b);
  double r = d1 * d1 - da * db;
  if (!(r >= 0)) return NAN;
  double d2 = copysign(sqrt(r), b - a);
  double den = db - da + 2 * d2;
  if (den == 0) return NAN;
  return b - (b - a) * (db + d2 - d1) / den;
}

/* Finds a step a > 0 with the strong Wolfe conditions; *ok = 0 when none was found, and
 * then L->xt holds nothing useful. On success L->xt, L->gt, *fa hold the new point. */
static int wolfe(line *L, double f0, double d0, double a1, double *a_out, double *fa, int *ok) {
  const double c1 = 1e-4, c2 = 0.9;
  double a_prev = 0, f_prev = f0, d_prev = d0, a = a1, f, d;
  *ok = 0;
  for (int it = 0; it < 30; it++) {
    GY_TRY(phi(L, a, &f, &d));
    double lo, flo, dlo, hi, fhi, dhi;
    if (!isfinite(f) || f > f0 + c1 * a * d0 || (it > 0 && f >= f_prev)) {
      lo = a_prev, flo = f_prev, dlo = d_prev, hi = a, fhi = f, dhi = d;
    } else if (fabs(d) <= -c2 * d0) {
      *a_out = a, *fa = f, *ok = 1;
      return GY_OK;
    } else if (d >= 0) {
      lo = a, flo = f, dlo = d, hi = a_prev, fhi = f_prev, dhi = d_prev;
    } else {
      a_prev = a, f_prev = f, d_prev = d;
      a *= 2;
      continue;
    }
    /* zoom: the bracket [lo, hi] holds a point that satisfies both conditions */
    for (int z = 0; z < 40; z++) {
      double w = hi - lo;
      double t = isfinite(fhi) ? cubic_min(lo, flo, dlo, hi, fhi, dhi) : NAN;
      double lo_b = lo + 0.1 * w, hi_b = hi - 0.1 * w;
      if (lo_b > hi_b) { double s = lo_b; lo_b = hi_b; hi_b = s; }
      if (!(t >= lo_b && t <= hi_b)) t = lo + 0.5 * w;
      if (fabs(w) <= 1e-16 * fabs(lo)) return GY_OK;
      GY_TRY(phi(L, t, &f, &d));
      if (!isfinite(f) || f > f0 + c1 * t * d0 || f >= flo) {
        hi = t, fhi = f, dhi = d;
      } else {
        if (fabs(d) <= -c2 * d0) {
          *a_out = t, *fa = f, *ok = 1;
          return GY_OK;
        }
        if (d * (hi - lo) >= 0) hi = lo, fhi = flo, dhi = dlo;
        lo = t, flo = f, dlo = d;
      }
    }
    return GY_OK;
  }
  return GY_OK;
}

/* -------------------------------------------------------------------------------- BFGS */

int gy_optim_bfgs(double *x, double *fmin, int64_t n, gy_optim_fn fn, void *ctx, double gtol,
                  int64_t max_iter, int64_t *n_iter) {
  if (!x || !fmin || !fn || n < 1) return gy_err(GY_EINVAL, "no parameters to optimise");
  if (!(gtol > 0)) return gy_err(GY_EINVAL, "gtol must be > 0, got %g", gtol);
  if (max_iter <= 0) max_iter = 200 * n;
  double *H = gy_alloc((size_t)(n * n + 7 * n) * sizeof *H);
  if (!H) return gy_err(GY_ENOMEM, "out of memory");
  double *g = H + n * n, *p = g + n, *xt = p + n, *gt = xt + n, *s = gt + n, *y = s + n,
         *Hy = y + n;
  for (int64_t i = 0; i < n * n; i++) H[i] = 0;
  for (int64_t i = 0; i < n; i++) H[i + i * n] = 1;
  double f;
  int64_t k = 0;
  int st = fn(&f, g, x, ctx);
  double f_old_old = NAN;
  if (!st) {
    double gn = 0;
    for (int64_t i = 0; i < n; i++) gn += g[i] * g[i];
    f_old_old = f + sqrt(gn) / 2; /* scipy's guess for the first step length */
  }
  while (!st && k < max_iter) {
    double gmax = 0;
    for (int64_t i = 0; i < n; i++) gmax = fmax(gmax, fabs(g[i]));
    if (!(gmax > gtol) || !isfinite(f)) break;
    if ((st = gy_check_interrupt())) break;
    double d0 = 0;
    for (int64_t i = 0; i < n; i++) {
      double v = 0;
      for (int64_t j = 0; j < n; j++) v -= H[i + j * n] * g[j];
      p[i] = v;
      d0 += v * g[i];
    }
    if (!(d0 < 0)) { /* H lost positive definiteness: restart from steepest descent */
      for (int64_t i = 0; i < n * n; i++) H[i] = 0;
      d0 = 0;
      for (int64_t i = 0; i < n; i++) H[i + i * n] = 1, p[i] = -g[i], d0 -= g[i] * g[i];
    }
    double a1 = 1.0;
    if (isfinite(f_old_old) && d0 != 0) {
      double t = 1.01 * 2 * (f - f_old_old) / d0;
      if (t > 0 && t < 1) a1 = t;
    }
    line L = {fn, ctx, n, x, p, xt, gt};
    double a = 0, fa = f;
    int ok;
    if ((st = wolfe(&L, f, d0, a1, &a, &fa, &ok))) break;
    if (!ok) break; /* no further decrease within precision: keep the current point */
    double ys = 0;
    for (int64_t i = 0; i < n; i++) {
      s[i] = a * p[i];
      y[i] = gt[i] - g[i];
      ys += y[i] * s[i];
      x[i] = xt[i];
      g[i] = gt[i];
    }
    f_old_old = f;
    f = fa;
    k++;
    double rho = ys != 0 ? 1 / ys : 1000; /* scipy's fallback for a zero curvature pair */
    /* H <- (I - rho s y') H (I - rho y s') + rho s s', expanded to avoid n^3 work */
    double yHy = 0;
    for (int64_t i = 0; i < n; i++) {
      double v = 0;
      for (int64_t j = 0; j < n; j++) v += H[i + j * n] * y[j];
      Hy[i] = v;
      yHy += y[i] * v;
    }
    for (int64_t j = 0; j < n; j++)
      for (int64_t i = 0; i < n; i++)
        H[i + j * n] += -rho * (Hy[i] * s[j] + s[i] * Hy[j]) +
                        (rho * rho * yHy + rho) * s[i] * s[j];
  }
  if (!st) *fmin = f;
  if (n_iter) *n_iter = k;
  gy_free(H);
  return st;
}

int gy_optim_fd_gradient(double *grad, double f0, double *x, int64_t n, gy_optim_value_fn fn,
                         void *ctx) {
  const double rel = sqrt(DBL_EPSILON);
  for (int64_t i = 0; i < n; i++) {
    double xi = x[i];
    double h = rel * (xi >= 0 ? 1 : -1) * fmax(1, fabs(xi));
    x[i] = xi + h;
    h = x[i] - xi; /* the step actually taken in floating point */
    double f;
    int st = fn(&f, x, ctx);
    x[i] = xi;
    if (st) return st;
    grad[i] = (f - f0) / h;
  }
  return GY_OK;
}

/* ---------------------------------------------------------------- bounded scalar (Brent) */

int gy_optim_fminbound(double *x_out, double *fmin, gy_optim_scalar_fn fn, void *ctx, double a,
                       double b, double xatol, int64_t max_fun) {
  if (!(a < b) || !isfinite(a) || !isfinite(b))
    return gy_err(GY_EINVAL, "bounds must be finite with lower < upper, got [%g, %g]", a, b);
  if (!(xatol > 0)) return gy_err(GY_EINVAL, "xatol must be > 0, got %g", xatol);
  if (max_fun <= 0) max_fun = 500;
  const double sqrt_eps = sqrt(2.2e-16), golden = 0.5 * (3.0 - sqrt(5.0));
  /* xf: best point; nfc: second best; fulc: previous second best */
  double fulc = a + golden * (b - a), nfc = fulc, xf = fulc;
  double rat = 0, e = 0, x = xf, fx, fu;
  GY_TRY(fn(&fx, x, ctx));
  int64_t num = 1;
  double ffulc = fx, fnfc = fx;
  double xm = 0.5 * (a + b), tol1 = sqrt_eps * fabs(xf) + xatol / 3.0, tol2 = 2.0 * tol1;
  while (fabs(xf - xm) > tol2 - 0.5 * (b - a)) {
    int use_golden = 1;
    if (fabs(e) > tol1) { /* try a parabola through the three best points */
      use_golden = 0;
      double r = (xf - nfc) * (fx - ffulc);
      double q = (xf - fulc) * (fx - fnfc);
      double p = (xf - fulc) * q - (xf - nfc) * r;
      q = 2.0 * (q - r);
      if (q > 0) p = -p;
      q = fabs(q);
      r = e;
      e = rat;
      if (fabs(p) < fabs(0.5 * q * r) && p > q * (a - xf) && p < q * (b - xf)) {
        rat = p / q;
        x = xf + rat;
        if (x - a < tol2 || b - x < tol2) rat = xm - xf >= 0 ? tol1 : -tol1;
      } else {
        use_golden = 1;
      }
    }
    if (use_golden) {
      e = xf >= xm ? a - xf : b - xf;
      rat = golden * e;
    }
    x = xf + (rat >= 0 ? 1 : -1) * fmax(fabs(rat), tol1);
    GY_TRY(fn(&fu, x, ctx));
    num++;
    if (fu <= fx) {
      if (x >= xf) a = xf;
      else b = xf;
      fulc = nfc, ffulc = fnfc;
      nfc = xf, fnfc = fx;
      xf = x, fx = fu;
    } else {
      if (x < xf) a = x;
      else b = x;
      if (fu <= fnfc || nfc == xf) {
        fulc = nfc, ffulc = fnfc;
        nfc = x, fnfc = fu;
      } else if (fu <= ffulc || fulc == xf || fulc == nfc) {
        fulc = x, ffulc = fu;
      }
    }
    xm = 0.5 * (a + b);
    tol1 = sqrt_eps * fabs(xf) + xatol / 3.0;
    tol2 = 2.0 * tol1;
    if (num >= max_fun) break;
  }
  *x_out = xf;
  *fmin = fx;
  return GY_OK;
}
