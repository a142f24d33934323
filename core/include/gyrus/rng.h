/* gyrus: the seeded random generator.
 *
 * xoshiro256** (Blackman and Vigna, 2018), seeded through splitmix64 so any 64-bit seed
 * gives a well-mixed state. Only integer arithmetic decides the stream, so the same seed
 * gives the same numbers on every machine. Normals use the Marsaglia polar method. */
#ifndef GYRUS_RNG_H
#define GYRUS_RNG_H

#include "mat.h"

typedef struct gy_rng {
  uint64_t s[4];
  double spare;      /* second normal of the last polar pair */
  int32_t has_spare;
  int32_t pad;
} gy_rng;

void gy_rng_seed(gy_rng *r, uint64_t seed);
uint64_t gy_rng_next(gy_rng *r);
/* Uniform on [0, 1) with 53 random bits. */
double gy_rng_uniform(gy_rng *r);
/* Standard normal. */
double gy_rng_normal(gy_rng *r);
/* Uniform integer in [0, n), unbiased (Lemire's method); n > 0. */
uint64_t gy_rng_below(gy_rng *r, uint64_t n);
/* A uniformly random permutation of 0..n-1 into perm (Fisher-Yates). */
void gy_rng_permutation(gy_rng *r, int64_t *perm, int64_t n);
/* Fills m with uniform [0,1) or standard normal numbers, column by column. */
void gy_rng_fill_uniform(gy_rng *r, gy_mat *m);
void gy_rng_fill_normal(gy_rng *r, gy_mat *m);

#endif
