/* Infomax and extended Infomax with the heuristics of MNE's infomax_.py (itself EEGLAB's
 * runica): learning-rate annealing on the angle between successive weight changes,
 * restarts on blow-up, kurtosis-driven signs for extended Infomax. The permutations come
 * from gyrus's generator, so runs match MNE in behaviour, not bit for bit. */
#include "ica_internal.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void gy_ica_infomax_defaults(gy_ica_infomax_opts *o) {
  memset(o, 0, sizeof *o);
  o->extended = 1;
  o->use_bias = 1;
  o->w_change = 1e-12;
  o->anneal_deg = 60;
  o->anneal_step = 0.9;
  o->n_subgauss = 1;
  o->kurt_size = 6000;
  o->ext_blocks = 1;
  o->blowup = 1e4;
  o->blowup_fac = 0.5;
  o->n_small_angle = 20;
}

/* Fisher kurtosis (biased, scipy's default) of each column of U (m x n) into k. */
static void kurtosis(double *k, const double *U, int64_t m, int64_t n) {
  for (int64_t j = 0; j < n; j++) {
    const double *u = U + j * m;
    double mu = 0, m2 = 0, m4 = 0;
    for (int64_t i = 0; i < m; i++) mu += u[i];
    mu /= (double)m;
    for (int64_t i = 0; i < m; i++) {
      const double d = u[i] - mu, d2 = d * d;
      m2 += d2;
      m4 += d2 * d2;
    }
    m2 /= (double)m;
    m4 /= (double)m;
    k[j] = m2 > 0 ? m4 / (m2 * m2) - 3.0 : 0.0;
  }
}

typedef struct infomax_ws {
  double *xb, *u, *M, *D, *Wt, *bias, *signs, *oldsigns, *oldkurt, *kurt, *start, *old,
      *delta, *olddelta, *xk, *uk;
  int64_t *perm;
} infomax_ws;

static void ws_free(infomax_ws *w) {
  double **p[] = {&w->xb, &w->u, &w->M, &w->D, &w->Wt, &w->bias, &w->signs, &w->oldsigns,
                  &w->oldkurt, &w->kurt, &w->start, &w->old, &w->delta, &w->olddelta, &w->xk,
                  &w->uk};
  for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
    gy_free(*p[i]);
    *p[i] = NULL;
  }
  gy_free(w->perm);
  w->perm = NULL;
}

static void reset_signs(double *signs, double *oldsigns, int64_t n, int64_t n_subgauss) {
  for (int64_t k = 0; k < n; k++) {
    signs[k] = k < n_subgauss ? -1.0 : 1.0;
    oldsigns[k] = 0;
  }
}

/* MNE's weights matrix is the transpose of the unmixing (u = x weights); it is kept here
 * as Wt (n x n, column-major) and W = Wt' is returned. */
static int solve_infomax(gy_mat *W, gy_ica_info *info, const gy_mat *Z, const gy_ica_opts *o,
                         const void *ctx) {
  const gy_ica_infomax_opts *io = ctx;
  const int64_t T = Z->rows, n = Z->cols, nn = n * n;
  double l_rate = io->l_rate > 0 ? io->l_rate : 0.01 / log((double)n * (double)n);
  if (n < 2) l_rate = io->l_rate > 0 ? io->l_rate : 0.01; /* log(1) = 0 */
  const int64_t block = io->block > 0 ? io->block : (int64_t)floor(sqrt((double)T / 3.0));
  if (block < 1 || block > T)
    return gy_err(GY_EINVAL, "Infomax block size %lld must be in [1, %lld samples]",
                  (long long)block, (long long)T);
  const int64_t nblock = T / block;
  const int64_t kurt_size = io->kurt_size < T ? io->kurt_size : T;
  if (io->extended && kurt_size < 2)
    return gy_err(GY_EINVAL, "kurt_size must be at least 2, got %lld", (long long)kurt_size);
  const double max_weight = 1e8, restart_fac = 0.9, min_l_rate = 1e-10, extmomentum = 0.5,
               signsbias = 0.02, degconst = 180.0 / acos(-1.0);
  const int64_t signcount_threshold = 25, signcount_step = 2;

  infomax_ws w = {0};
  const size_t nb = (size_t)nn * sizeof(double), vb = (size_t)n * sizeof(double);
  w.xb = gy_alloc((size_t)block * vb);
  w.u = gy_alloc((size_t)block * vb);
  w.M = gy_alloc(nb), w.D = gy_alloc(nb), w.Wt = gy_alloc(nb), w.start = gy_alloc(nb);
  w.old = gy_alloc(nb), w.delta = gy_alloc(nb), w.olddelta = gy_alloc(nb);
  w.bias = gy_alloc(vb), w.signs = gy_alloc(vb), w.oldsigns = gy_alloc(vb);
  w.oldkurt = gy_alloc(vb), w.kurt = gy_alloc(vb);
  w.xk = gy_alloc((size_t)(kurt_size > 0 ? kurt_size : 1) * vb);
  w.uk = gy_alloc((size_t)(kurt_size > 0 ? kurt_size : 1) * vb);
  w.perm = gy_alloc((size_t)T * sizeof(int64_t));
  if (!w.xb || !w.u || !w.M || !w.D || !w.Wt || !w.start || !w.old || !w.delta ||
      !w.olddelta || !w.bias || !w.signs || !w.oldsigns || !w.oldkurt || !w.kurt || !w.xk ||
      !w.uk || !w.perm) {
    ws_free(&w);
    return gy_err(GY_ENOMEM, "out of memory for Infomax work space");
  }
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = 0; j < n; j++) w.start[i + j * n] = GY_AT(W, j, i); /* weights = W' */
  memcpy(w.Wt, w.start, nb);
  memcpy(w.old, w.start, nb);
  memset(w.bias, 0, vb);
  memset(w.olddelta, 0, nb);
  memset(w.oldkurt, 0, vb);
  reset_signs(w.signs, w.oldsigns, n, io->n_subgauss);
  gy_rng rng;
  gy_rng_seed(&rng, o->seed);

  int64_t step = 0, max_iter = o->max_iter, count_small_angle = 0, blockno = 0, signcount = 0;
  int64_t ext_blocks = io->ext_blocks;
  double oldchange = 0, change = 0;
  int blowup = 0, converged = 0, st = GY_OK;
  while (step < max_iter) {
    if ((st = gy_check_interrupt())) goto done;
    gy_rng_permutation(&rng, w.perm, T);
    for (int64_t b = 0; b < nblock; b++) {
      const int64_t *pr = w.perm + b * block;
      for (int64_t j = 0; j < n; j++)
        for (int64_t i = 0; i < block; i++) w.xb[i + j * block] = GY_AT(Z, pr[i], j);
      /* u = xb Wt + bias */
      cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)block, (int)n, (int)n, 1.0,
                  w.xb, (int)block, w.Wt, (int)n, 0.0, w.u, (int)block);
      for (int64_t j = 0; j < n; j++)
        for (int64_t i = 0; i < block; i++) w.u[i + j * block] += w.bias[j];
      /* D = block I - (u'y) diag(signs) - u'u (extended) or block I + u'(1 - 2y). */
      if (io->extended) {
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)n, (int)n, (int)block, 1.0,
                    w.u, (int)block, w.u, (int)block, 0.0, w.D, (int)n);
        for (int64_t k = 0; k < block * n; k++) w.xb[k] = tanh(w.u[k]); /* xb: y */
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)n, (int)n, (int)block, 1.0,
                    w.u, (int)block, w.xb, (int)block, 0.0, w.M, (int)n);
        for (int64_t j = 0; j < n; j++)
          for (int64_t i = 0; i < n; i++)
            w.D[i + j * n] = (i == j ? (double)block : 0.0) - w.signs[j] * w.M[i + j * n] -
                             w.D[i + j * n];
        if (io->use_bias)
          for (int64_t j = 0; j < n; j++) {
            double s = 0;
            for (int64_t i = 0; i < block; i++) s += w.xb[i + j * block];
            w.bias[j] += l_rate * (-2.0 * s);
          }
      } else {
        for (int64_t k = 0; k < block * n; k++) w.xb[k] = 1.0 - 2.0 / (1.0 + exp(-w.u[k]));
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)n, (int)n, (int)block, 1.0,
                    w.u, (int)block, w.xb, (int)block, 0.0, w.D, (int)n);
        for (int64_t i = 0; i < n; i++) w.D[i + i * n] += (double)block;
        if (io->use_bias)
          for (int64_t j = 0; j < n; j++) {
            double s = 0;
            for (int64_t i = 0; i < block; i++) s += w.xb[i + j * block];
            w.bias[j] += l_rate * s;
          }
      }
      /* Wt += l_rate Wt D */
      memcpy(w.M, w.Wt, nb);
      cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)n, (int)n, l_rate,
                  w.M, (int)n, w.D, (int)n, 1.0, w.Wt, (int)n);
      double mx = 0;
      for (int64_t k = 0; k < nn; k++) mx = fmax(mx, fabs(w.Wt[k]));
      blockno++;
      if (!(mx <= max_weight)) {
        blowup = 1;
        break;
      }
      if (io->extended && ext_blocks > 0 && blockno % ext_blocks == 0) {
        const double *src = Z->data;
        int64_t m = T;
        if (kurt_size < T) {
          for (int64_t i = 0; i < kurt_size; i++) {
            const int64_t r = (int64_t)floor(gy_rng_uniform(&rng) * (double)(T - 1));
            for (int64_t j = 0; j < n; j++) w.xk[i + j * kurt_size] = GY_AT(Z, r, j);
          }
          src = w.xk;
          m = kurt_size;
        }
        /* uk holds kurt_size = min(kurt_size, T) rows, enough for either case. */
        double *uk = w.uk;
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)n, (int)n, 1.0, src,
                    (int)(src == Z->data ? Z->ld : m), w.Wt, (int)n, 0.0, uk, (int)m);
        kurtosis(w.kurt, uk, m, n);
        int64_t ndiff = 0;
        for (int64_t j = 0; j < n; j++) {
          w.kurt[j] = extmomentum * w.oldkurt[j] + (1.0 - extmomentum) * w.kurt[j];
          w.oldkurt[j] = w.kurt[j];
          const double v = w.kurt[j] + signsbias;
          w.signs[j] = v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0);
          if (w.signs[j] != w.oldsigns[j]) ndiff++;
          w.oldsigns[j] = w.signs[j];
        }
        signcount = ndiff == 0 ? signcount + 1 : 0;
        if (signcount >= signcount_threshold) {
          ext_blocks *= signcount_step;
          signcount = 0;
        }
      }
    }
    if (!blowup) {
      step++;
      change = 0;
      double dot = 0;
      for (int64_t k = 0; k < nn; k++) {
        w.delta[k] = w.Wt[k] - w.old[k];
        change += w.delta[k] * w.delta[k];
        dot += w.delta[k] * w.olddelta[k];
      }
      double angledelta = 0;
      if (step > 2) {
        double c = dot / sqrt(change * oldchange);
        c = c > 1 ? 1 : (c < -1 ? -1 : c);
        angledelta = acos(c) * degconst;
      }
      memcpy(w.old, w.Wt, nb);
      if (angledelta > io->anneal_deg) {
        l_rate *= io->anneal_step;
        memcpy(w.olddelta, w.delta, nb);
        oldchange = change;
        count_small_angle = 0;
      } else {
        if (step == 1) {
          memcpy(w.olddelta, w.delta, nb);
          oldchange = change;
        }
        if (io->n_small_angle >= 0 && ++count_small_angle > io->n_small_angle) {
          max_iter = step;
          converged = 1;
        }
      }
      if (step > 2 && change < io->w_change) {
        step = max_iter;
        converged = 1;
      } else if (change > io->blowup) {
        l_rate *= io->blowup_fac;
      }
    } else {
      step = 0;
      blowup = 0;
      blockno = 1;
      l_rate *= restart_fac;
      memcpy(w.Wt, w.start, nb);
      memcpy(w.old, w.start, nb);
      memset(w.olddelta, 0, nb);
      memset(w.bias, 0, vb);
      ext_blocks = io->ext_blocks;
      reset_signs(w.signs, w.oldsigns, n, io->n_subgauss);
      if (!(l_rate > min_l_rate)) {
        st = gy_err(GY_ENOCONV, "Infomax blew up repeatedly (learning rate below %g): the "
                    "unmixing matrix might not be invertible", min_l_rate);
        goto done;
      }
    }
  }
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = 0; j < n; j++) GY_AT(W, i, j) = w.Wt[j + i * n];
  info->n_iter = step;
  info->converged = converged;
  info->lim = change;
done:
  ws_free(&w);
  return st;
}

int gy_ica_infomax(gy_mat *sources, gy_mat *components, gy_mat *mixing, gy_mat *mean,
                   gy_mat *whitening, gy_mat *W, gy_ica_info *info, const gy_mat *X,
                   const gy_ica_opts *o, const gy_ica_infomax_opts *io) {
  if (!io) return gy_err(GY_EINVAL, "Infomax options are missing");
  if (!(io->l_rate >= 0) || io->block < 0 || io->kurt_size < 0 || io->ext_blocks < 0 ||
      io->n_subgauss < 0 || !(io->anneal_step > 0) || !(io->blowup_fac > 0))
    return gy_err(GY_EINVAL, "Infomax options out of range (l_rate >= 0, block >= 0, "
                  "kurt_size >= 0, ext_blocks >= 0, n_subgauss >= 0, anneal_step > 0, "
                  "blowup_fac > 0)");
  return gy_ica_fit(sources, components, mixing, mean, whitening, W, info, X, o, solve_infomax,
                    io, 1);
}
