/* gyrus: small unconstrained and bounded minimisers for model fitting.
 *
 * gy_optim_bfgs is the quasi-Newton method of scipy.optimize.minimize(method='BFGS'):
 * inverse-Hessian updates from the identity, a strong-Wolfe line search (c1 = 1e-4,
 * c2 = 0.9) and the stop rule max|gradient| <= gtol. gy_optim_fminbound is Brent's
 * bounded scalar minimiser (golden section with parabolic steps, Forsythe, Malcolm and
 * Moler's fmin) as scipy.optimize.minimize_scalar(method='bounded'). Objectives return a
 * status, so a failing evaluation stops the minimiser with that status. */
#ifndef GYRUS_OPTIM_H
#define GYRUS_OPTIM_H

#include "mat.h"

/* *f = objective at x (n values) and grad (n values) its gradient. */
typedef int (*gy_optim_fn)(double *f, double *grad, const double *x, void *ctx);
/* *f = objective at x (n values), no gradient. */
typedef int (*gy_optim_value_fn)(double *f, const double *x, void *ctx);
/* *f = objective at the scalar x. */
typedef int (*gy_optim_scalar_fn)(double *f, double x, void *ctx);

/* Minimises fn from x (n values, overwritten with the minimiser); *fmin receives the
 * objective there, *n_iter (if not NULL) the iterations used. gtol > 0; max_iter <= 0
 * takes scipy's 200 n. A line search that cannot improve ends the run at the best point
 * (scipy's "precision loss" exit), which is not an error. */
int gy_optim_bfgs(double *x, double *fmin, int64_t n, gy_optim_fn fn, void *ctx, double gtol,
                  int64_t max_iter, int64_t *n_iter);
/* Forward-difference gradient as scipy's '2-point' scheme: step sqrt(eps) max(1, |x_i|)
 * with the sign of x_i. f0 is fn at x; x (n values) is restored on return. */
int gy_optim_fd_gradient(double *grad, double f0, double *x, int64_t n, gy_optim_value_fn fn,
                         void *ctx);
/* Minimises fn on [a, b] to the absolute tolerance xatol (scipy's default 1e-5) with at
 * most max_fun evaluations (<= 0: 500); *x and *fmin receive the minimiser and its value. */
int gy_optim_fminbound(double *x, double *fmin, gy_optim_scalar_fn fn, void *ctx, double a,
                       double b, double xatol, int64_t max_fun);

#endif
