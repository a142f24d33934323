/* Helpers shared by the encode_*.c files; not part of the public API. */
#ifndef GYRUS_ENCODE_INTERNAL_H
#define GYRUS_ENCODE_INTERNAL_H

#include "internal.h"
#include "gyrus/encode.h"

/* The score of one target: y and p hold n values each. */
double gy_encode_score_col(const double *y, const double *p, int64_t n, int kind);
int gy_encode_check_kind(int kind);

#endif
