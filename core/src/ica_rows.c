/* Passes over the samples split between threads, each running single-threaded BLAS on its
 * own rows. With BLAS threads inside each product, the elementwise work between products
 * left BLAS's workers spinning (sched_yield) and every block crossed the cores; per-thread
 * row ranges keep a block's products and non-linearity on one core, in its cache. */
#include "ica_internal.h"

#include <pthread.h>

enum { ROWS_MAX_THREADS = 16 };

typedef struct rows_job {
  gy_ica_rows_fn fn;
  void *ctx;
  int k;
  int64_t r0, r1;
} rows_job;

static void *rows_run(void *arg) {
  rows_job *j = arg;
  j->fn(j->ctx, j->k, j->r0, j->r1);
  return NULL;
}

int gy_ica_rows_threads(int64_t T, int64_t n) {
  /* A pass too small to amortise starting threads (tens of microseconds) runs alone. */
  if (T * n < 262144) return 1;
  int t = gy_linalg_threads(0);
  if (t < 1) t = 1;
  if (t > ROWS_MAX_THREADS) t = ROWS_MAX_THREADS;
  return t;
}

void gy_ica_rows(gy_ica_rows_fn fn, void *ctx, int64_t T, int nt) {
  if (nt < 1) nt = 1;
  if (nt > ROWS_MAX_THREADS) nt = ROWS_MAX_THREADS;
  rows_job jobs[ROWS_MAX_THREADS];
  pthread_t th[ROWS_MAX_THREADS];
  int started[ROWS_MAX_THREADS] = {0};
  for (int k = 0; k < nt; k++) jobs[k] = (rows_job){fn, ctx, k, T * k / nt, T * (k + 1) / nt};
  /* A thread that cannot start leaves its rows to this one. */
  for (int k = 1; k < nt; k++) started[k] = pthread_create(&th[k], NULL, rows_run, &jobs[k]) == 0;
  rows_run(&jobs[0]);
  for (int k = 1; k < nt; k++) {
    if (started[k]) pthread_join(th[k], NULL);
    else rows_run(&jobs[k]);
  }
}
