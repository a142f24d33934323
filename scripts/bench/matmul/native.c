/* The machine's DGEMM rate: cblas_dgemm on the same inputs, column-major as gyrus holds
 * them, with nothing around it. Built by scripts/bench/run.sh with pkg-config openblas. */
#define _POSIX_C_SOURCE 200809L
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double *load(const char *dir, const char *name, int *rows, int *cols) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.shape", dir, name);
  FILE *f = fopen(path, "r");
  if (!f || fscanf(f, "%d %d", rows, cols) != 2) { fprintf(stderr, "cannot read %s\n", path); exit(1); }
  fclose(f);
  size_t n = (size_t)*rows * (size_t)*cols;
  double *x = malloc(n * sizeof *x);
  snprintf(path, sizeof path, "%s/%s.f64", dir, name);
  f = fopen(path, "rb");
  if (!x || !f || fread(x, sizeof *x, n, f) != n) { fprintf(stderr, "cannot read %s\n", path); exit(1); }
  fclose(f);
  return x;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : ".";
  int m, k, k2, n;
  double *A = load(dir, "A", &m, &k), *B = load(dir, "B", &k2, &n);
  if (k != k2) { fprintf(stderr, "shapes do not match\n"); return 1; }
  double w[64 * 64] = {0};
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, 8, 8, 8, 1, w, 8, w, 8, 0, w + 64, 8);
  double *C = malloc((size_t)m * n * sizeof *C);
  if (!C) return 1;
  /* Touched first, so the time is DGEMM's alone and not the kernel's page faults. */
  memset(C, 0, (size_t)m * n * sizeof *C);
  double t0 = now();
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0, A, m, B, k, 0.0, C, m);
  double t = now() - t0;
  double s = C[(size_t)(m - 1) + (size_t)(n - 1) * m];
  for (long q = 0; q < 10; q++) s += C[(q * 7919) % m + ((q * 104729) % n) * (size_t)m];
  printf("time %.6f\ncheck %.17g\n", t, s);
  free(A); free(B); free(C);
  return 0;
}
