/* gyrus: NumPy .npy and .npz files.
 *
 * Reading accepts every numeric dtype numpy writes (bool, signed and unsigned integers of
 * 1-8 bytes, float16/32/64), either byte order, C or Fortran order, format versions 1-3.
 * An array of shape (n0, n1, ..., nk) becomes an n0 x (n1*...*nk) matrix laid out as
 * numpy's a.reshape(n0, -1) (a 1-D array is an n0 x 1 column, a 0-D array 1 x 1); the
 * original shape is reported in gy_array_info. Data are read in blocks straight into the
 * matrix storage. Complex, object, structured and string arrays are refused. Sizes are
 * checked against the file before anything is allocated.
 *
 * Writing stores a matrix as a Fortran-order array (no transposition) of float64 or of
 * another numeric dtype; integer dtypes accept only integral values within range. */
#ifndef GYRUS_IO_NPY_H
#define GYRUS_IO_NPY_H

#include "mat.h"
#include "io.h"

enum gy_npy_limits { GY_NPY_MAXDIMS = 32 };

typedef struct gy_array_info {
  int64_t shape[32];  /* GY_NPY_MAXDIMS */
  int32_t ndim;
  int32_t dtype;      /* enum gy_dtype */
  int32_t fortran;    /* 1: Fortran (column-major) order in the file */
  int32_t big_endian; /* 1: big-endian elements in the file */
} gy_array_info;

/* Reads a .npy file into *out (empty); info (may be NULL) receives shape and dtype. */
int gy_npy_read(gy_mat *out, gy_array_info *info, const char *path);
/* The same from n bytes in memory (an .npy image). */
int gy_npy_parse(gy_mat *out, gy_array_info *info, const void *buf, size_t n);
/* Writes X as an array of the given shape and dtype (GY_DTYPE_NONE means float64). ndim 0
 * means X's own rows x cols; otherwise shape[0] = rows and the product of the other
 * dimensions = cols, the matrix being read as a.reshape(n0, -1) (a 1 x n row may also be
 * written with shape {n}). */
int gy_npy_write(const char *path, const gy_mat *X, const int64_t *shape, int ndim, int dtype);

/* An open .npz archive: the member names are read at open time. */
typedef struct gy_npz gy_npz;

int gy_npz_open(gy_npz **out, const char *path);
void gy_npz_close(gy_npz *z);
/* Number of arrays, and the name of array k (without the ".npy" suffix). */
int64_t gy_npz_count(const gy_npz *z);
const char *gy_npz_name(const gy_npz *z, int64_t k);
/* Reads array k (stored or deflated). */
int gy_npz_read(gy_mat *out, gy_array_info *info, gy_npz *z, int64_t k);
/* Writes n matrices under the given names (np.savez; np.savez_compressed when compress
 * is 1), each as a float64 Fortran-order array of its rows x cols. */
int gy_npz_write(const char *path, const char *const *names, const gy_mat *const *mats,
                 int64_t n, int compress);

#endif
