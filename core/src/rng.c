/* xoshiro256** seeded by splitmix64 (Blackman & Vigna, https://prng.di.unimi.it/).
 * Only integer arithmetic decides the bit stream; normals use sqrt and log, which are
 * correctly rounded or nearly so in every libm gyrus builds against. */
#include "internal.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void gy_rng_seed(gy_rng *r, uint64_t seed) {
  uint64_t x = seed;
  for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
  r->spare = 0;
  r->has_spare = 0;
  r->pad = 0;
}

uint64_t gy_rng_next(gy_rng *r) {
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double gy_rng_uniform(gy_rng *r) { return (double)(gy_rng_next(r) >> 11) * 0x1.0p-53; }

double gy_rng_normal(gy_rng *r) {
  if (r->has_spare) {
    r->has_spare = 0;
    return r->spare;
  }
  double u, v, s;
  do {
    u = 2.0 * gy_rng_uniform(r) - 1.0;
    v = 2.0 * gy_rng_uniform(r) - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  double f = sqrt(-2.0 * log(s) / s);
  r->spare = v * f;
  r->has_spare = 1;
  return u * f;
}

/* Lemire, "Fast random integer generation in an interval" (2019). */
uint64_t gy_rng_below(gy_rng *r, uint64_t n) {
  if (n == 0) return 0;
  unsigned __int128 m = (unsigned __int128)gy_rng_next(r) * n;
  uint64_t lo = (uint64_t)m;
  if (lo < n) {
    uint64_t t = (0 - n) % n;
    while (lo < t) {
      m = (unsigned __int128)gy_rng_next(r) * n;
      lo = (uint64_t)m;
    }
  }
  return (uint64_t)(m >> 64);
}

void gy_rng_permutation(gy_rng *r, int64_t *perm, int64_t n) {
  for (int64_t i = 0; i < n; i++) perm[i] = i;
  for (int64_t i = n - 1; i > 0; i--) {
    int64_t j = (int64_t)gy_rng_below(r, (uint64_t)i + 1);
    int64_t t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
}

void gy_rng_fill_uniform(gy_rng *r, gy_mat *m) {
  if (!m || !m->data) return;
  for (int64_t j = 0; j < m->cols; j++)
    for (int64_t i = 0; i < m->rows; i++) GY_AT(m, i, j) = gy_rng_uniform(r);
}

void gy_rng_fill_normal(gy_rng *r, gy_mat *m) {
  if (!m || !m->data) return;
  for (int64_t j = 0; j < m->cols; j++)
    for (int64_t i = 0; i < m->rows; i++) GY_AT(m, i, j) = gy_rng_normal(r);
}
