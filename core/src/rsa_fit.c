/* Iterative fits of weighted and interpolation RSA models (rsatoolbox fit_optimize,
 * fit_optimize_positive, fit_interpolate) on the minimisers of optim.c.
 *
 * For the cosine family the loss needs no pass over the RDMs once set up: each similarity
 * is a cosine between linear images T(x) of the RDM vectors (T = identity for cosine,
 * centring for corr, the double-centred second moment -1/2 H D H for the whitened
 * unbiased cosine), so mean_j cos(T R theta, T d_j) = theta'b / sqrt(theta'G theta) with
 * G = (TR)'(TR) and b = (TR)' mean_j T d_j / |T d_j|. */
#include "internal.h"
#include "gyrus/optim.h"
#include "gyrus/rsa.h"
#include "gyrus/rsa_fit.h"
#include "gyrus/rsa_trsa.h"
#include "gyrus/rng.h"

#include <math.h>
#include <string.h>

typedef struct {
  int64_t m, K, n_data;
  int fast, method, squared; /* squared: theta = phi^2 (fit_optimize_positive) */
  double ridge;
  double *G, *b;      /* fast path: m x m and m */
  double *R, *D;      /* generic path: models K x m, data K x n_data (NaN rows removed) */
  double *pred, *th;  /* work: K and m */
  double *u;          /* spearman, rho-a: mean of the data RDMs' centred (scaled) ranks */
} fit_ctx;

static int n_of(int64_t K, int64_t *n) {
  int64_t c = (int64_t)floor(0.5 + sqrt(0.25 + 2.0 * (double)K));
  *n = c;
  return c >= 2 && c * (c - 1) / 2 == K;
}

/* T(x) for the cosine family: x (K entries, n conditions) into t (K or n*n entries);
 * rm: n values of work space. */
static void transform(double *t, double *rm, const double *x, int64_t K, int64_t n,
                      int method) {
  double mu = 0;
  if (method == GY_RSA_CORR || method == GY_RSA_CORR_COV) {
    for (int64_t k = 0; k < K; k++) mu += x[k];
    mu /= (double)K;
  }
  if (method == GY_RSA_COSINE || method == GY_RSA_CORR) {
    for (int64_t k = 0; k < K; k++) t[k] = x[k] - mu;
    return;
  }
  /* G = -1/2 H D H: the Frobenius cosine of these is rsatoolbox's cosine_cov (its
   * off-diagonal entries weighted by sqrt(2) stand for both triangles) */
  int64_t k = 0;
  for (int64_t i = 0; i < n; i++) {
    t[i + i * n] = 0;
    for (int64_t j = i + 1; j < n; j++, k++) t[i + j * n] = t[j + i * n] = -0.5 * (x[k] - mu);
  }
  double grand = 0;
  for (int64_t i = 0; i < n; i++) {
    double s = 0;
    for (int64_t j = 0; j < n; j++) s += t[i + j * n];
    rm[i] = s / (double)n;
    grand += rm[i];
  }
  grand /= (double)n;
  for (int64_t j = 0; j < n; j++)
    for (int64_t i = 0; i < n; i++) t[i + j * n] += grand - rm[i] - rm[j];
}

static int method_ok(int method) {
  if (method < GY_RSA_COSINE || method > GY_RSA_BURES)
    return gy_err(GY_EINVAL, "unknown comparison method %d", method);
  return GY_OK;
}

/* Ranks of x (K finite values) into r, centred; *norm receives their length. */
static int centred_ranks(double *r, const double *x, int64_t K, double *norm) {
  gy_mat v = {(double *)x, K, 1, K, 0, 0}, rk = {0};
  GY_TRY(gy_rsa_rank(&rk, &v));
  double mu = 0, ss = 0;
  for (int64_t k = 0; k < K; k++) mu += rk.data[k];
  mu /= (double)K;
  for (int64_t k = 0; k < K; k++) {
    r[k] = rk.data[k] - mu;
    ss += r[k] * r[k];
  }
  gy_mat_clear(&rk);
  *norm = sqrt(ss);
  return GY_OK;
}

/* The data ranks do not change during a fit: spearman (Pearson of ranks) and rho-a are
 * then linear in the prediction's centred ranks, against u. */
static int rank_data(fit_ctx *c) {
  int64_t K = c->K;
  c->u = gy_alloc((size_t)(2 * K) * sizeof *c->u);
  if (!c->u) return gy_err(GY_ENOMEM, "out of memory");
  double *r = c->u + K;
  for (int64_t k = 0; k < K; k++) c->u[k] = 0;
  for (int64_t j = 0; j < c->n_data; j++) {
    double nrm;
    GY_TRY(centred_ranks(r, c->D + j * K, K, &nrm));
    double w = c->method == GY_RSA_SPEARMAN ? (nrm > 0 ? 1 / nrm : 0) : 1;
    for (int64_t k = 0; k < K; k++) c->u[k] += w * r[k] / (double)c->n_data;
  }
  return GY_OK;
}

static void ctx_free(fit_ctx *c) {
  gy_free(c->G);
  gy_free(c->b);
  gy_free(c->R);
  gy_free(c->D);
  gy_free(c->pred);
  gy_free(c->th);
  gy_free(c->u);
  memset(c, 0, sizeof *c);
}

static int ctx_init(fit_ctx *c, const gy_mat *models, const gy_mat *data, int method,
                    double ridge) {
  memset(c, 0, sizeof *c);
  GY_TRY(gy_check_mat(models, "model RDMs"));
  GY_TRY(gy_check_mat(data, "data RDMs"));
  GY_TRY(method_ok(method));
  if (models->rows < 1 || models->cols < 1) return gy_err(GY_EINVAL, "model RDMs are empty");
  if (data->rows < 1 || data->cols < 1) return gy_err(GY_EINVAL, "data RDMs are empty");
  if (models->rows != data->rows)
    return gy_err(GY_EINVAL, "model RDMs have %lld entries but data RDMs have %lld",
                  (long long)models->rows, (long long)data->rows);
  if (!(ridge >= 0) || !isfinite(ridge))
    return gy_err(GY_EINVAL, "ridge must be a finite number >= 0, got %g", ridge);
  int64_t K = models->rows, m = models->cols, nd = data->cols, n = 0;
  for (int64_t j = 0; j < m; j++)
    for (int64_t k = 0; k < K; k++)
      if (isinf(GY_AT(models, k, j)))
        return gy_err(GY_EINVAL, "model RDM %lld has an infinite entry", (long long)j + 1);
  for (int64_t j = 0; j < nd; j++)
    for (int64_t k = 0; k < K; k++)
      if (isinf(GY_AT(data, k, j)))
        return gy_err(GY_EINVAL, "data RDM %lld has an infinite entry", (long long)j + 1);
  int whole = method == GY_RSA_COSINE_COV || method == GY_RSA_CORR_COV || method == GY_RSA_BURES;
  if (whole && !n_of(K, &n))
    return gy_err(GY_EINVAL, "%lld entries is not the length of an RDM vector", (long long)K);
  /* rows with a NaN in any RDM are dropped, unless the method needs the whole RDM */
  int any_nan = 0;
  int64_t Kc = 0;
  for (int64_t k = 0; k < K; k++) {
    int ok = 1;
    for (int64_t j = 0; j < m; j++) ok &= !isnan(GY_AT(models, k, j));
    for (int64_t j = 0; j < nd; j++) ok &= !isnan(GY_AT(data, k, j));
    Kc += ok;
    any_nan |= !ok;
  }
  if (!whole && Kc < 2)
    return gy_err(GY_EINVAL, "fewer than 2 RDM entries are finite in every model and data RDM");
  c->m = m, c->n_data = nd, c->method = method, c->ridge = ridge;
  c->fast = method == GY_RSA_COSINE || method == GY_RSA_CORR ||
            ((method == GY_RSA_COSINE_COV || method == GY_RSA_CORR_COV) && !any_nan);
  c->K = whole ? K : Kc;
  c->th = gy_alloc((size_t)m * sizeof *c->th);
  c->R = gy_alloc((size_t)(c->K * m) * sizeof *c->R);
  c->D = gy_alloc((size_t)(c->K * nd) * sizeof *c->D);
  if (!c->th || !c->R || !c->D) {
    ctx_free(c);
    return gy_err(GY_ENOMEM, "out of memory");
  }
  int64_t r = 0;
  for (int64_t k = 0; k < K; k++) {
    int ok = 1;
    for (int64_t j = 0; j < m; j++) ok &= !isnan(GY_AT(models, k, j));
    for (int64_t j = 0; j < nd; j++) ok &= !isnan(GY_AT(data, k, j));
    if (!ok && !whole) continue;
    for (int64_t j = 0; j < m; j++) c->R[r + j * c->K] = GY_AT(models, k, j);
    for (int64_t j = 0; j < nd; j++) c->D[r + j * c->K] = GY_AT(data, k, j);
    r++;
  }
  if (!c->fast) {
    c->pred = gy_alloc((size_t)c->K * sizeof *c->pred);
    int st = c->pred ? GY_OK : gy_err(GY_ENOMEM, "out of memory");
    if (!st && (method == GY_RSA_SPEARMAN || method == GY_RSA_RHO_A)) st = rank_data(c);
    if (st) ctx_free(c);
    return st;
  }
  /* fast path: G and b from the transformed RDMs */
  int64_t Kf = c->K, L = whole ? n * n : Kf;
  double *TR = gy_alloc((size_t)(L * m) * sizeof *TR), *u = gy_alloc((size_t)L * sizeof *u),
         *t = gy_alloc((size_t)(L + n) * sizeof *t);
  c->G = gy_alloc((size_t)(m * m) * sizeof *c->G);
  c->b = gy_alloc((size_t)m * sizeof *c->b);
  int st = (!TR || !u || !t || !c->G || !c->b) ? gy_err(GY_ENOMEM, "out of memory") : GY_OK;
  if (!st) {
    for (int64_t j = 0; j < m; j++) transform(TR + j * L, t + L, c->R + j * Kf, Kf, n, method);
    for (int64_t l = 0; l < L; l++) u[l] = 0;
    for (int64_t j = 0; j < nd; j++) {
      transform(t, t + L, c->D + j * Kf, Kf, n, method);
      double s = 0;
      for (int64_t l = 0; l < L; l++) s += t[l] * t[l];
      if (s > 0) /* a zero data RDM compares as 0 with anything */
        for (int64_t l = 0; l < L; l++) u[l] += t[l] / sqrt(s) / (double)nd;
    }
    for (int64_t i = 0; i < m; i++) {
      double sb = 0;
      for (int64_t l = 0; l < L; l++) sb += TR[l + i * L] * u[l];
      c->b[i] = sb;
      for (int64_t j = 0; j <= i; j++) {
        double s = 0;
        for (int64_t l = 0; l < L; l++) s += TR[l + i * L] * TR[l + j * L];
        c->G[i + j * m] = c->G[j + i * m] = s;
      }
    }
  }
  gy_free(TR);
  gy_free(u);
  gy_free(t);
  if (st) ctx_free(c);
  return st;
}

/* Loss at theta (not phi); grad (if not NULL) d loss / d theta, fast path only. */
static int loss_theta(double *f, double *grad, const double *th, fit_ctx *c) {
  int64_t m = c->m;
  double rid = 0;
  for (int64_t i = 0; i < m; i++) rid += th[i] * th[i];
  if (c->fast) {
    double q = 0, cb = 0;
    for (int64_t i = 0; i < m; i++) {
      double gi = 0;
      for (int64_t j = 0; j < m; j++) gi += c->G[i + j * m] * th[j];
      q += th[i] * gi;
      cb += th[i] * c->b[i];
    }
    double s = q > 0 ? sqrt(q) : 0;
    *f = (s > 0 ? -cb / s : 0) + c->ridge * rid;
    if (grad)
      for (int64_t i = 0; i < m; i++) {
        double gi = 0;
        for (int64_t j = 0; j < m; j++) gi += c->G[i + j * m] * th[j];
        grad[i] = (s > 0 ? -(c->b[i] / s - cb * gi / (s * s * s)) : -c->b[i]) +
                  2 * c->ridge * th[i];
      }
    return GY_OK;
  }
  int64_t K = c->K;
  for (int64_t k = 0; k < K; k++) c->pred[k] = 0;
  for (int64_t j = 0; j < m; j++)
    for (int64_t k = 0; k < K; k++) c->pred[k] += th[j] * c->R[k + j * K];
  if (c->u) {
    double *r = c->u + K, nrm, dot = 0;
    GY_TRY(centred_ranks(r, c->pred, K, &nrm));
    for (int64_t k = 0; k < K; k++) dot += r[k] * c->u[k];
    double kk = (double)K;
    double sim = c->method == GY_RSA_SPEARMAN ? (nrm > 0 ? dot / nrm : 0)
                                              : 12 * dot / (kk * kk * kk - kk);
    *f = -sim + c->ridge * rid;
    return GY_OK;
  }
  gy_mat p = {c->pred, K, 1, K, 0, 0};
  double sum = 0;
  for (int64_t j = 0; j < c->n_data; j++) {
    gy_mat d = {c->D + j * K, K, 1, K, 0, 0};
    double v;
    GY_TRY(gy_rsa_compare(&v, &p, &d, c->method, NULL));
    sum += v;
  }
  *f = -sum / (double)c->n_data + c->ridge * rid;
  return GY_OK;
}

/* Loss as a function of the optimiser's variables (phi^2 = theta when squared). */
static int loss_value(double *f, const double *x, void *ctx) {
  fit_ctx *c = ctx;
  for (int64_t i = 0; i < c->m; i++) c->th[i] = c->squared ? x[i] * x[i] : x[i];
  return loss_theta(f, NULL, c->th, c);
}

static int loss_grad(double *f, double *grad, const double *x, void *ctx) {
  fit_ctx *c = ctx;
  if (!c->fast) {
    GY_TRY(loss_value(f, x, ctx));
    return gy_optim_fd_gradient(grad, *f, (double *)x, c->m, loss_value, ctx);
  }
  for (int64_t i = 0; i < c->m; i++) c->th[i] = c->squared ? x[i] * x[i] : x[i];
  GY_TRY(loss_theta(f, grad, c->th, c));
  if (c->squared)
    for (int64_t i = 0; i < c->m; i++) grad[i] *= 2 * x[i];
  return GY_OK;
}

int gy_rsa_fit_loss(double *loss, const gy_mat *theta, const gy_mat *models,
                    const gy_mat *data, int method, double ridge) {
  if (!loss) return gy_err(GY_EINVAL, "no place for the loss");
  GY_TRY(gy_check_mat(theta, "theta"));
  fit_ctx c;
  GY_TRY(ctx_init(&c, models, data, method, ridge));
  int st = GY_OK;
  if (theta->rows * theta->cols != c.m)
    st = gy_err(GY_EINVAL, "theta has %lld values for %lld models",
                (long long)(theta->rows * theta->cols), (long long)c.m);
  if (!st) st = gy_check_finite(theta, "theta");
  if (!st) {
    for (int64_t i = 0; i < c.m; i++)
      c.th[i] = theta->cols == 1 ? GY_AT(theta, i, 0) : GY_AT(theta, 0, i);
    st = loss_theta(loss, NULL, c.th, &c);
  }
  ctx_free(&c);
  return st;
}

int gy_rsa_fit_optimize(gy_mat *theta, double *loss, const gy_mat *models, const gy_mat *data,
                        int method, double ridge, int positive, int64_t n_starts,
                        uint64_t seed, double gtol) {
  GY_TRY(gy_check_out(theta, "output"));
  if (!loss) return gy_err(GY_EINVAL, "no place for the loss");
  if (!(gtol > 0)) return gy_err(GY_EINVAL, "tol must be > 0, got %g", gtol);
  fit_ctx c;
  GY_TRY(ctx_init(&c, models, data, method, ridge));
  int64_t m = c.m;
  c.squared = positive != 0;
  double *x = gy_alloc((size_t)(2 * m) * sizeof *x), *best = x ? x + m : NULL;
  int st = x ? GY_OK : gy_err(GY_ENOMEM, "out of memory");
  double fbest = INFINITY;
  gy_rng rng;
  gy_rng_seed(&rng, seed);
  if (n_starts <= 0) n_starts = 2 * m;
  /* positive: start 0 is zeros (evaluated only), 1 random, then the m near-one-hot starts */
  int64_t runs = positive ? m + 2 : n_starts;
  for (int64_t r = 0; r < runs && !st; r++) {
    double f;
    if (positive && r == 0) {
      for (int64_t i = 0; i < m; i++) x[i] = 0;
      st = loss_value(&f, x, &c);
    } else {
      for (int64_t i = 0; i < m; i++)
        x[i] = positive && r >= 2 ? (i == r - 2 ? 1.0 : 0.001) : gy_rng_uniform(&rng);
      st = gy_optim_bfgs(x, &f, m, loss_grad, &c, gtol, 0, NULL);
    }
    if (!st && f < fbest) {
      fbest = f;
      memcpy(best, x, (size_t)m * sizeof *x);
    }
  }
  if (!st && !(fbest < INFINITY)) st = gy_err(GY_ENOCONV, "no start gave a finite loss");
  if (!st) st = gy_mat_init(theta, m, 1);
  if (!st) {
    double nrm = 0;
    for (int64_t i = 0; i < m; i++) {
      double t = positive ? best[i] * best[i] : best[i];
      theta->data[i] = t;
      nrm += t * t;
    }
    if (nrm > 0)
      for (int64_t i = 0; i < m; i++) theta->data[i] /= sqrt(nrm);
    *loss = fbest;
  }
  gy_free(x);
  ctx_free(&c);
  return st;
}

typedef struct {
  fit_ctx *c;
  int64_t pair;
} pair_ctx;

static int pair_loss(double *f, double w, void *ctx) {
  pair_ctx *p = ctx;
  fit_ctx *c = p->c;
  for (int64_t i = 0; i < c->m; i++) c->th[i] = 0;
  c->th[p->pair] = w;
  c->th[p->pair + 1] = 1 - w;
  return loss_theta(f, NULL, c->th, c);
}

int gy_rsa_fit_interpolate(gy_mat *theta, double *loss, const gy_mat *models,
                           const gy_mat *data, int method, double xatol) {
  GY_TRY(gy_check_out(theta, "output"));
  if (!loss) return gy_err(GY_EINVAL, "no place for the loss");
  if (!(xatol > 0)) return gy_err(GY_EINVAL, "xatol must be > 0, got %g", xatol);
  if (models && models->cols < 2)
    return gy_err(GY_EINVAL, "an interpolation model needs at least 2 model RDMs");
  fit_ctx c;
  GY_TRY(ctx_init(&c, models, data, method, 0));
  double fbest = INFINITY, wbest = 0;
  int64_t pbest = 0;
  int st = GY_OK;
  for (int64_t i = 0; i + 1 < c.m && !st; i++) {
    pair_ctx p = {&c, i};
    double w, f;
    st = gy_optim_fminbound(&w, &f, pair_loss, &p, 0, 1, xatol, 500);
    if (!st && f < fbest) fbest = f, wbest = w, pbest = i;
  }
  if (!st) st = gy_mat_init(theta, c.m, 1);
  if (!st) {
    theta->data[pbest] = wbest;
    theta->data[pbest + 1] = 1 - wbest;
    *loss = fbest;
  }
  ctx_free(&c);
  return st;
}
