/* gyrus: the dense matrix.
 *
 * Column-major doubles; element (i, j) is data[i + j*ld]. Storage made by gyrus is
 * 64-byte aligned. A matrix either owns its storage (owner = 1: gy_mat_clear frees it) or
 * is a view into storage owned elsewhere (owner = 0), which must outlive the view.
 * The struct itself always belongs to the caller (stack, Lua cdata, another struct);
 * functions that produce a matrix take an empty `gy_mat *out` and fill it. */
#ifndef GYRUS_MAT_H
#define GYRUS_MAT_H

#include "status.h"

typedef struct gy_mat {
  double *data;
  int64_t rows;
  int64_t cols;
  int64_t ld;     /* distance between columns, >= rows */
  int32_t owner;  /* 1: data is freed by gy_mat_clear */
  int32_t flags;  /* reserved */
} gy_mat;

/* Sizes of the struct and offsets of its fields, for the FFI layout test. */
int64_t gy_mat_layout(int field);

/* Allocates rows x cols (zero-filled) into *out, which must be empty or cleared. */
int gy_mat_init(gy_mat *out, int64_t rows, int64_t cols);
/* As gy_mat_init but the contents are undefined: for outputs the caller overwrites whole,
 * saving a pass over memory. */
int gy_mat_init_uninit(gy_mat *out, int64_t rows, int64_t cols);
/* Frees owned storage and empties *m; safe on an empty or view matrix. */
void gy_mat_clear(gy_mat *m);
/* A view of rows [r0, r0+nr) x columns [c0, c0+nc) of src: no copy. */
int gy_mat_view(gy_mat *out, const gy_mat *src, int64_t r0, int64_t c0, int64_t nr, int64_t nc);
/* A deep, contiguous (ld = rows) copy of src into *out. */
int gy_mat_copy(gy_mat *out, const gy_mat *src);
/* Copies the values of src into dst, which has the same shape. */
int gy_mat_assign(gy_mat *dst, const gy_mat *src);
/* out = src transposed (new storage). */
int gy_mat_transpose(gy_mat *out, const gy_mat *src);
/* Sets every element to v. */
void gy_mat_fill(gy_mat *m, double v);
/* 1 if every element is finite, 0 otherwise. */
int gy_mat_isfinite(const gy_mat *m);

/* 64-byte aligned allocation used for all gyrus storage; bytes in use are counted so the
 * Lua side can nudge its garbage collector. */
void *gy_alloc(size_t bytes);
void gy_free(void *p);
int64_t gy_alloc_bytes(void);

#endif
