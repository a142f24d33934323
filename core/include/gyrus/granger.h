/* gyrus: vector autoregression and Granger causality.
 *
 * Data are time points x variables (n x k). A VAR(p) with intercept is fitted by ordinary
 * least squares on the n - p usable samples (statsmodels VAR(...).fit(p, trend="c")); the
 * coefficient matrix has 1 + k p rows (intercept, then lag 1 of every variable, lag 2, ...)
 * and k columns (one equation per variable). The F test is statsmodels'
 * grangercausalitytests ssr_ftest: F = (SSR_r - SSR_f) / L / (SSR_f / df_f). */
#ifndef GYRUS_GRANGER_H
#define GYRUS_GRANGER_H

#include "mat.h"

enum gy_granger_ic {
  GY_GRANGER_AIC = 0, /* log det Sigma_ML + 2 m / T */
  GY_GRANGER_BIC = 1  /* log det Sigma_ML + log(T) m / T, m = p k^2 + k free parameters */
};

/* VAR(order) fit: coef (1 + k order) x k, sigma (k x k) the residual covariance
 * SSR / (T - 1 - k order) as statsmodels' sigma_u; trend = 0 drops the intercept (coef then
 * has k order rows). */
int gy_granger_var(gy_mat *coef, gy_mat *sigma, const gy_mat *X, int64_t order, int trend);
/* Information criterion of every order 0..max_order on the same T = n - max_order samples
 * (statsmodels select_order): crit is (max_order + 1) x 1; *best the order minimising it. */
int gy_granger_select(int64_t *best, gy_mat *crit, const gy_mat *X, int64_t max_order, int ic);
/* Granger causality of every source j on every target i at lag order L: F and p are k x k
 * with F(i, j) the test of j -> i (diagonal 0 and 1); *df_resid the residual degrees of
 * freedom of the full model (the F has (L, df_resid) degrees). conditional = 0 is pairwise
 * (full model: lags of i and j, statsmodels grangercausalitytests); 1 conditions on all
 * other variables (full model: lags of all k). */
int gy_granger_test(gy_mat *F, gy_mat *p, double *df_resid, const gy_mat *X, int64_t order,
                    int conditional);
/* Regularized incomplete beta I_x(a, b) (a, b > 0, 0 <= x <= 1); NaN outside the domain. */
double gy_betainc(double a, double b, double x);
/* Survival function of the F(d1, d2) distribution at f. */
double gy_f_sf(double f, double d1, double d2);
/* Two-sided p-value of Student's t with df degrees of freedom. */
double gy_t_sf2(double t, double df);

#endif
