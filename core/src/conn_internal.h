/* Shared between conn.c and conn_tangent.c; not part of the public API. */
#ifndef GYRUS_CONN_INTERNAL_H
#define GYRUS_CONN_INTERNAL_H

#include "gyrus/conn.h"
#include "internal.h"

/* Length of the vector of a p x p symmetric matrix. */
int64_t gy_conn_vec_len(int64_t p, int discard_diagonal);
/* Writes the vector of the symmetric p x p matrix M (column-major, leading dimension ldm)
 * to dst[0], dst[stride], ... */
void gy_conn_vec_write(double *dst, int64_t stride, const double *M, int64_t p, int64_t ldm,
                       int discard_diagonal, int convention);

#endif
