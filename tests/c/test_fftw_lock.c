/* FFTW's planner is not thread-safe: two threads plan, run and destroy spectral transforms
 * of many lengths at once (each length a fresh plan) and must get the single-threaded
 * answers. Without the planner lock this corrupts FFTW's plan tables (wrong results or a
 * crash, reliably under the sanitizer build). */
#include "test.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

#include "gyrus/spectral.h"

enum { N_LENGTHS = 12, ROUNDS = 6 };

static void fill(gy_mat *X, int n) {
  gy_mat_init(X, n, 4);
  for (int e = 0; e < 2; e++)
    for (int t = 0; t < n; t++) {
      double ph = 2 * 3.14159265358979323846 * 25.0 * t / 200.0 + 0.7 * e;
      X->data[t + 2 * e * X->ld] = sin(ph) + 0.01 * cos(13.0 * t * (e + 1));
      X->data[t + (2 * e + 1) * X->ld] = sin(ph + 0.5);
    }
}

static int length_of(int i) { return 150 + 7 * i; }

/* Multitaper PLI and Morlet PLV (r2c and complex plans) of the length-i data. */
static int run(int i, double out[2]) {
  gy_mat X = {0}, freqs = {0}, o1[1] = {{0}}, o2[1] = {{0}};
  fill(&X, length_of(i));
  int m1[] = {GY_SPECTRAL_PLI}, m2[] = {GY_SPECTRAL_PLV};
  double fmin[] = {20.0}, fmax[] = {30.0}, fc[] = {25.0}, cyc[] = {5.0};
  int st = gy_spectral_conn(o1, &freqs, &X, 2, 200.0, GY_SPECTRAL_MULTITAPER, m1, 1, fmin, fmax, 1,
                            1, 0, 1);
  if (!st) st = gy_spectral_conn_cwt(o2, &X, 2, 200.0, m2, 1, fc, cyc, 1);
  if (!st) {
    out[0] = o1[0].data[0];
    out[1] = o2[0].data[o2[0].cols / 2];
  }
  gy_mat_clear(&X);
  gy_mat_clear(&freqs);
  gy_mat_clear(&o1[0]);
  gy_mat_clear(&o2[0]);
  return st;
}

static double expected[N_LENGTHS][2];

typedef struct {
  int offset, bad;
} job;

static void *worker(void *arg) {
  job *j = arg;
  for (int r = 0; r < ROUNDS; r++)
    for (int k = 0; k < N_LENGTHS; k++) {
      int i = (k + j->offset) % N_LENGTHS;
      double got[2];
      if (run(i, got) || got[0] != expected[i][0] || got[1] != expected[i][1]) j->bad++;
    }
  return NULL;
}

static void test_two_threads(void) {
  for (int i = 0; i < N_LENGTHS; i++) CHECK_OK(run(i, expected[i]));
  job a = {0, 0}, b = {N_LENGTHS / 2, 0};
  pthread_t ta, tb;
  CHECK(pthread_create(&ta, NULL, worker, &a) == 0);
  CHECK(pthread_create(&tb, NULL, worker, &b) == 0);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  CHECK(a.bad == 0);
  CHECK(b.bad == 0);
}

int main(void) {
  test_two_threads();
  return test_summary();
}
