/* gyrus: MATLAB .mat files (v5, compressed or not; v7.3 where matio was built with HDF5).
 *
 * Only numeric variables (double, single, integer, logical; real) become matrices; an N-D
 * variable of size (n0, n1, ..., nk) becomes an n0 x (n1*...*nk) matrix laid out like the
 * NPY reader, i.e. numpy's a.reshape(n0, -1) of the array scipy.io.loadmat returns. Other
 * variables (char, cell, struct, sparse, complex) are listed but cannot be read. */
#ifndef GYRUS_IO_MAT_H
#define GYRUS_IO_MAT_H

#include "mat.h"
#include "status.h"

typedef struct gy_matfile gy_matfile;

/* Opens a .mat file for reading and lists its variables. */
int gy_matfile_open(gy_matfile **out, const char *path);
void gy_matfile_close(gy_matfile *f);
/* Number of variables, name of the k-th (0-based) and whether it can be read as a matrix. */
int64_t gy_matfile_count(const gy_matfile *f);
const char *gy_matfile_name(const gy_matfile *f, int64_t k);
int gy_matfile_is_numeric(const gy_matfile *f, int64_t k);
/* Index of the variable called name, -1 when there is none. */
int64_t gy_matfile_find(const gy_matfile *f, const char *name);
/* Reads the k-th variable into out (converted to double). */
int gy_matfile_read(gy_mat *out, gy_matfile *f, int64_t k);
/* Writes n named matrices as double variables of a v5 .mat file (zlib-compressed when
 * compress is non-zero), atomically. Names are MATLAB identifiers (letter, then letters,
 * digits, underscores; at most 63 characters), all distinct. */
int gy_matfile_write(const char *path, const char *const *names, const gy_mat *const *mats,
                     int64_t n, int compress);
/* The same as MATLAB v5 (version 5) or v7.3 (version 73: HDF5, when matio was built with it;
 * compress then asks HDF5's deflate). */
int gy_matfile_write_version(const char *path, const char *const *names,
                             const gy_mat *const *mats, int64_t n, int compress, int version);

#endif
