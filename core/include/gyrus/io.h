/* gyrus: shared pieces of file input and output.
 *
 * Element types of the array formats (NPY, NIfTI) and the atomic writer every gyrus
 * writer goes through: data go to a temporary file beside the target, which is renamed
 * over the target only once everything is written and flushed, so an interrupted or failed
 * write never leaves a half file in place of a good one. */
#ifndef GYRUS_IO_H
#define GYRUS_IO_H

#include "status.h"

/* Element types of array files. */
enum gy_dtype {
  GY_DTYPE_NONE = 0,
  GY_DTYPE_BOOL = 1,
  GY_DTYPE_INT8 = 2,
  GY_DTYPE_INT16 = 3,
  GY_DTYPE_INT32 = 4,
  GY_DTYPE_INT64 = 5,
  GY_DTYPE_UINT8 = 6,
  GY_DTYPE_UINT16 = 7,
  GY_DTYPE_UINT32 = 8,
  GY_DTYPE_UINT64 = 9,
  GY_DTYPE_FLOAT16 = 10,
  GY_DTYPE_FLOAT32 = 11,
  GY_DTYPE_FLOAT64 = 12
};

/* Bytes per element of a dtype (0 for GY_DTYPE_NONE or an unknown code). */
int gy_dtype_size(int dtype);

/* A file being written atomically. */
typedef struct gy_wfile gy_wfile;

/* Creates a temporary file in the directory of path; *out receives the handle. */
int gy_wfile_open(gy_wfile **out, const char *path);
/* Appends n bytes. */
int gy_wfile_write(gy_wfile *f, const void *buf, size_t n);
/* Flushes, syncs and renames the temporary file over path; frees f whatever happens. */
int gy_wfile_commit(gy_wfile *f);
/* Removes the temporary file and frees f (safe on NULL). */
void gy_wfile_abort(gy_wfile *f);

#endif
