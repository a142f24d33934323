/* MATLAB .mat files through matio. */
#include "internal.h"
#include "gyrus/io_mat.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <matio.h>
#include <zlib.h>

struct gy_matfile {
  mat_t *mat;
  char *path;
  int64_t n;
  matvar_t **info; /* headers only (no data), one per variable */
  int64_t fsize;
};

/* matio reports problems on stderr by default; gyrus never prints, and the statuses
 * returned by matio carry what we need. */
static void quiet_log(int level, char *msg) {
  (void)level;
  (void)msg;
}

static void matio_quiet(void) {
  static int done;
  if (!done) {
    Mat_LogInitFunc("gyrus", quiet_log);
    done = 1;
  }
}

static int numeric_class(enum matio_classes c) {
  switch (c) {
  case MAT_C_DOUBLE: case MAT_C_SINGLE: case MAT_C_INT8: case MAT_C_UINT8: case MAT_C_INT16:
  case MAT_C_UINT16: case MAT_C_INT32: case MAT_C_UINT32: case MAT_C_INT64: case MAT_C_UINT64:
    return 1;
  default:
    return 0;
  }
}

static size_t class_size(enum matio_classes c) {
  switch (c) {
  case MAT_C_INT8: case MAT_C_UINT8: return 1;
  case MAT_C_INT16: case MAT_C_UINT16: return 2;
  case MAT_C_INT32: case MAT_C_UINT32: case MAT_C_SINGLE: return 4;
  default: return 8;
  }
}

static const char *class_name(enum matio_classes c) {
  switch (c) {
  case MAT_C_CELL: return "a cell array";
  case MAT_C_STRUCT: return "a struct";
  case MAT_C_OBJECT: return "an object";
  case MAT_C_CHAR: return "text";
  case MAT_C_SPARSE: return "a sparse matrix";
  case MAT_C_FUNCTION: return "a function handle";
  default: return "not numeric";
  }
}

/* matio trusts the dimensions of cell and struct arrays and allocates and walks one slot per
 * element before reading any of them, so a damaged size means gigabytes and minutes. In a
 * little-endian v5 file (the common case) each top-level variable is checked first: every
 * element of a cell or struct needs at least an 8-byte tag, so there cannot be more of them
 * than the variable has bytes / 8 (compressed: zlib inflates at most ~1032 times). */
static int le32(const unsigned char *b) {
  return (int)((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24);
}

static int check_matrix_head(const unsigned char *h, size_t n, uint64_t budget, const char *path) {
  /* flags: tag (8) + 8 bytes; dims: tag (8) + 4 per dimension */
  /* matio reads the flags tag by its low byte whatever the rest says */
  if (n < 24 || (le32(h) & 0xff) != 6) return GY_OK; /* not the layout checked here */
  int cls = h[8] & 0xff;
  uint32_t dt = (uint32_t)le32(h + 16);
  uint32_t dlen = (uint32_t)le32(h + 20);
  /* A dimension tag in the packed small-element form holds at most 4 bytes; matio sized
   * a struct's field table from a damaged one. */
  if ((dt & 0xffff) == 5 && (dt >> 16) > 4)
    return gy_err(GY_EFORMAT, "'%s' is damaged (a variable's dimension tag is invalid)", path);
  if (dt != 5) return GY_OK;
  /* matio allocates the dimension list by its stated length before reading it. */
  if (dlen > budget)
    return gy_err(GY_EFORMAT, "'%s' is damaged (a variable's dimensions claim %lu bytes in %llu)",
                  path, (unsigned long)dlen, (unsigned long long)budget);
  if ((size_t)dlen > n - 24) return GY_OK;
  int dn = (int)dlen;
  /* The second flags word (nzmax, for sparse arrays) sizes an allocation too. */
  if ((uint64_t)(uint32_t)le32(h + 12) > budget)
    return gy_err(GY_EFORMAT, "'%s' is damaged (a variable claims %lu non-zeros in %llu bytes)", path,
                  (unsigned long)(uint32_t)le32(h + 12), (unsigned long long)budget);
  /* Every later sub-element (name, field names) must fit in the variable too. */
  for (size_t q = 24 + (size_t)((dn + 7) / 8 * 8); q + 8 <= n;) {
    uint32_t t = (uint32_t)le32(h + q);
    if (t >> 16) { q += 8; continue; } /* small element: 4 bytes of data inside its tag */
    uint32_t len = (uint32_t)le32(h + q + 4);
    if (len > budget)
      return gy_err(GY_EFORMAT, "'%s' is damaged (a part of a variable claims %lu bytes in %llu)", path,
                    (unsigned long)len, (unsigned long long)budget);
    break;
  }
  /* Numeric and text arrays need at least one stored byte per element (zeros compress,
   * which the compressed budget allows for), cells and structs an 8-byte tag each; sparse
   * dimensions say nothing about storage. */
  if (cls == 5 || cls < 1 || cls > 15) return GY_OK;
  uint64_t per = (cls <= 3) ? 8 : 1;
  uint64_t total = 1;
  for (int d = 0; d < dn / 4; d++) {
    uint64_t v = (uint32_t)le32(h + 24 + 4 * d);
    if (v && total > UINT64_MAX / 2 / v) return gy_err(GY_EFORMAT, "'%s' is damaged (a variable claims an absurd size)", path);
    total *= v;
  }
  if (total > budget / per)
    return gy_err(GY_EFORMAT, "'%s' is damaged (a variable claims %llu elements in %llu bytes)", path,
                  (unsigned long long)total, (unsigned long long)budget);
  return GY_OK;
}

static int prescan_v5(const char *path, int64_t fsize) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return GY_OK; /* matio will say why */
  unsigned char hdr[128];
  int s = GY_OK;
  /* matio recognises v5 by the version and byte-order marks alone, whatever the text says,
   * so the check keys on the same bytes (a damaged "MATLAB" text went unchecked: fuzz). */
  if (fread(hdr, 1, 128, fp) != 128 || hdr[126] != 'I' || hdr[127] != 'M' || hdr[124] != 0 ||
      hdr[125] != 1) {
    fclose(fp);
    return GY_OK; /* v4, v7.3 or big-endian: left to matio */
  }
  int64_t pos = 128;
  unsigned char tag[8], head[256], zin[4096];
  while (!s && pos + 8 <= fsize) {
    if (fseek(fp, (long)pos, SEEK_SET) != 0 || fread(tag, 1, 8, fp) != 8) break;
    uint32_t type = (uint32_t)le32(tag), nbytes = (uint32_t)le32(tag + 4);
    if (type >> 16) break; /* a small element at top level: left to matio */
    if (pos + 8 + (int64_t)nbytes > fsize) {
      s = gy_err(GY_EFORMAT, "'%s' is truncated or damaged (a variable needs %lu bytes past the end)",
                 path, (unsigned long)(pos + 8 + (int64_t)nbytes - fsize));
      break;
    }
    if (type == 14) {
      size_t got = fread(head, 1, sizeof head < nbytes ? sizeof head : nbytes, fp);
      s = check_matrix_head(head, got, nbytes, path);
    } else if (type == 15) {
      size_t got = fread(zin, 1, sizeof zin < nbytes ? sizeof zin : nbytes, fp);
      unsigned char out[8 + sizeof head];
      z_stream z;
      memset(&z, 0, sizeof z);
      if (inflateInit(&z) == Z_OK) {
        z.next_in = zin;
        z.avail_in = (uInt)got;
        z.next_out = out;
        z.avail_out = sizeof out;
        int zr = inflate(&z, Z_SYNC_FLUSH);
        size_t have = sizeof out - z.avail_out;
        inflateEnd(&z);
        uint64_t budget = (uint64_t)nbytes * 1100 + 1024;
        /* matio sizes its inflate buffer by the inner variable's stated length. A bad
         * checksum at the end of a short stream does not stop matio, so it does not stop
         * the check either. */
        if (zr == Z_DATA_ERROR && have > 8) zr = Z_OK;
        if ((zr == Z_OK || zr == Z_STREAM_END) && have > 8 && le32(out) == 14 &&
            (uint64_t)(uint32_t)le32(out + 4) > budget)
          s = gy_err(GY_EFORMAT, "'%s' is damaged (a compressed variable claims %lu bytes from "
                     "%lu compressed)", path, (unsigned long)(uint32_t)le32(out + 4),
                     (unsigned long)nbytes);
        else if ((zr == Z_OK || zr == Z_STREAM_END) && have > 8 && le32(out) == 14)
          s = check_matrix_head(out + 8, have - 8, budget, path);
      }
    }
    pos += 8 + (int64_t)nbytes;
    if (nbytes % 8 && type != 15) pos += 8 - nbytes % 8;
  }
  fclose(fp);
  return s;
}

static uint64_t le64(const unsigned char *b) {
  return (uint64_t)(uint32_t)le32(b) | (uint64_t)(uint32_t)le32(b + 4) << 32;
}

/* A v7.3 file cut short still opens in matio, with its variables silently missing. The
 * HDF5 superblock (after MATLAB's 512-byte user block, or at 0, 1024, 2048...) records
 * the end-of-file address, so a file shorter than that is truncated. */
static int prescan_v73(const char *path, int64_t fsize) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return GY_OK;
  static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  unsigned char b[64];
  int s = GY_OK;
  for (int64_t at = 0; at <= 4096 && at + (int64_t)sizeof b <= fsize; at = at ? 2 * at : 512) {
    if (fseek(fp, (long)at, SEEK_SET) != 0 || fread(b, 1, sizeof b, fp) != sizeof b) break;
    if (memcmp(b, sig, 8) != 0) continue;
    int v = b[8];
    /* version 0/1: offsets size at 13, base/free-space/EOF addresses from 24 (28 for v1);
     * version 2/3: offsets size at 9, base/extension/EOF addresses from 12 */
    int osize = v >= 2 ? b[9] : b[13];
    int off = v >= 2 ? 12 + 16 : (v == 1 ? 28 : 24) + 16;
    if (osize == 8 && v <= 3) {
      uint64_t eof = le64(b + off);
      if (eof != UINT64_MAX && eof > (uint64_t)fsize)
        s = gy_err(GY_EFORMAT, "'%s' is truncated: its HDF5 (v7.3) structure ends at byte %llu, the "
                   "file has %lld bytes", path, (unsigned long long)eof, (long long)fsize);
    }
    break;
  }
  fclose(fp);
  return s;
}

void gy_matfile_close(gy_matfile *f) {
  if (!f) return;
  for (int64_t k = 0; k < f->n; k++) Mat_VarFree(f->info[k]);
  free(f->info);
  if (f->mat) Mat_Close(f->mat);
  free(f->path);
  free(f);
}

int gy_matfile_open(gy_matfile **out, const char *path) {
  if (!out) return gy_err(GY_EINVAL, "no place for the file handle");
  *out = NULL;
  if (!path || !*path) return gy_err(GY_EINVAL, "the file name is empty");
  matio_quiet();
  struct stat st;
  if (stat(path, &st) != 0) return gy_err(GY_EIO, "cannot open '%s': %s", path, strerror(errno));
  if (!S_ISREG(st.st_mode)) return gy_err(GY_EIO, "'%s' is not a regular file", path);
  /* matio rejects a file without the 128-byte v5 header or the HDF5 signature, but
   * says only that it could not open it. */
  if (st.st_size < 128) return gy_err(GY_EFORMAT, "'%s' is too short to be a .mat file", path);
  GY_TRY(prescan_v5(path, (int64_t)st.st_size));
  GY_TRY(prescan_v73(path, (int64_t)st.st_size));
  gy_matfile *f = calloc(1, sizeof *f);
  if (!f) return gy_err(GY_ENOMEM, "out of memory");
  f->fsize = (int64_t)st.st_size;
  f->path = strdup(path);
  if (!f->path) {
    gy_matfile_close(f);
    return gy_err(GY_ENOMEM, "out of memory");
  }
  f->mat = Mat_Open(path, MAT_ACC_RDONLY);
  if (!f->mat) {
    gy_matfile_close(f);
    return gy_err(GY_EFORMAT, "'%s' is not a MATLAB .mat file (v4, v5 or v7.3) or is damaged", path);
  }
  int64_t cap = 0;
  matvar_t *v;
  while ((v = Mat_VarReadNextInfo(f->mat)) != NULL) {
    /* matio can return the same damaged element again and again: every element takes at
     * least an 8-byte tag, so more of them than that is a loop. */
    if (f->n >= f->fsize / 8) {
      Mat_VarFree(v);
      gy_matfile_close(f);
      return gy_err(GY_EFORMAT, "'%s' is damaged (its variables do not end)", path);
    }
    if (!v->name) { /* v5 files may hold unnamed (function workspace) elements */
      Mat_VarFree(v);
      continue;
    }
    if (f->n == cap) {
      int64_t nc = cap ? 2 * cap : 8;
      matvar_t **ni = realloc(f->info, (size_t)nc * sizeof *ni);
      if (!ni) {
        Mat_VarFree(v);
        gy_matfile_close(f);
        return gy_err(GY_ENOMEM, "out of memory");
      }
      f->info = ni;
      cap = nc;
    }
    f->info[f->n++] = v;
  }
  *out = f;
  return GY_OK;
}

int64_t gy_matfile_count(const gy_matfile *f) { return f ? f->n : 0; }

const char *gy_matfile_name(const gy_matfile *f, int64_t k) {
  if (!f || k < 0 || k >= f->n) return NULL;
  return f->info[k]->name;
}

int gy_matfile_is_numeric(const gy_matfile *f, int64_t k) {
  if (!f || k < 0 || k >= f->n) return 0;
  const matvar_t *v = f->info[k];
  return numeric_class(v->class_type) && !v->isComplex;
}

int64_t gy_matfile_find(const gy_matfile *f, const char *name) {
  if (!f || !name) return -1;
  for (int64_t k = 0; k < f->n; k++)
    if (strcmp(f->info[k]->name, name) == 0) return k;
  return -1;
}

/* Checks the size a variable claims before matio allocates it: data cannot be larger
 * than the file, or than about 1032 times it when zlib-compressed (zlib's maximal ratio). */
static int plausible_size(const gy_matfile *f, const matvar_t *v, int64_t *n0, int64_t *rest) {
  if (v->rank < 0 || (v->rank > 0 && !v->dims))
    return gy_err(GY_EFORMAT, "variable '%s' has a damaged size", v->name);
  uint64_t total = 1, r = 1;
  for (int d = 0; d < v->rank; d++) {
    uint64_t dd = (uint64_t)v->dims[d];
    if (dd && total > (UINT64_MAX / 16) / dd)
      return gy_err(GY_EFORMAT, "variable '%s' claims an absurd size", v->name);
    total *= dd;
    if (d > 0) r *= dd;
  }
  uint64_t bytes = total * class_size(v->class_type);
  uint64_t limit = (uint64_t)f->fsize;
  if (v->compression || Mat_GetVersion(f->mat) == MAT_FT_MAT73) limit = limit * 1100 + (1u << 20);
  if (bytes > limit)
    return gy_err(GY_EFORMAT, "variable '%s' claims %llu bytes of data but the file has %lld bytes",
                  v->name, (unsigned long long)bytes, (long long)f->fsize);
  *n0 = v->rank > 0 ? (int64_t)v->dims[0] : 1;
  *rest = v->rank > 0 ? (int64_t)r : 1;
  return GY_OK;
}

static double elem(const void *data, enum matio_classes c, size_t i) {
  switch (c) {
  case MAT_C_DOUBLE: return ((const double *)data)[i];
  case MAT_C_SINGLE: return ((const float *)data)[i];
  case MAT_C_INT8: return ((const int8_t *)data)[i];
  case MAT_C_UINT8: return ((const uint8_t *)data)[i];
  case MAT_C_INT16: return ((const int16_t *)data)[i];
  case MAT_C_UINT16: return ((const uint16_t *)data)[i];
  case MAT_C_INT32: return ((const int32_t *)data)[i];
  case MAT_C_UINT32: return ((const uint32_t *)data)[i];
  case MAT_C_INT64: return (double)((const int64_t *)data)[i];
  case MAT_C_UINT64: return (double)((const uint64_t *)data)[i];
  default: return 0;
  }
}

int gy_matfile_read(gy_mat *out, gy_matfile *f, int64_t k) {
  GY_TRY(gy_check_out(out, "the output"));
  if (!f) return gy_err(GY_EINVAL, "the file is not open");
  if (k < 0 || k >= f->n) return gy_err(GY_EINVAL, "variable %lld does not exist (the file has %lld)",
                                        (long long)k, (long long)f->n);
  const matvar_t *info = f->info[k];
  if (!numeric_class(info->class_type))
    return gy_err(GY_EUNSUPPORTED, "variable '%s' is %s, not a numeric array", info->name,
                  class_name(info->class_type));
  if (info->isComplex)
    return gy_err(GY_EUNSUPPORTED, "variable '%s' is complex; only real arrays are read", info->name);
  int64_t n0, rest;
  GY_TRY(plausible_size(f, info, &n0, &rest));
  matio_quiet();
  matvar_t *v = Mat_VarRead(f->mat, info->name);
  if (!v) return gy_err(GY_EFORMAT, "cannot read variable '%s' of '%s': the file is damaged",
                        info->name, f->path);
  int64_t c0, c1;
  /* The header read again with the data must agree with the one checked above. */
  if (v->class_type != info->class_type || v->rank != info->rank || v->isComplex ||
      plausible_size(f, v, &c0, &c1) != GY_OK || c0 != n0 || c1 != rest ||
      (n0 * rest > 0 && (!v->data || v->nbytes < (size_t)(n0 * rest) * class_size(v->class_type)))) {
    Mat_VarFree(v);
    return gy_err(GY_EFORMAT, "variable '%s' of '%s' is damaged", info->name, f->path);
  }
  int s = gy_mat_init_uninit(out, n0, rest);
  if (s) {
    Mat_VarFree(v);
    return s;
  }
  /* MATLAB stores column-major: element (i, j1, ..., jk) is at i + n0*(j1 + n1*(j2 + ...)).
   * Column j of the result is numpy's C-order flattening of (j1, ..., jk), last index fastest. */
  int rank = v->rank < 2 ? 1 : v->rank;
  size_t idx[64] = {0};
  if (rank > 64) {
    gy_mat_clear(out);
    Mat_VarFree(v);
    return gy_err(GY_EUNSUPPORTED, "variable '%s' has more than 64 dimensions", info->name);
  }
  for (int64_t j = 0; j < rest; j++) {
    size_t off = 0, stride = (size_t)n0;
    for (int d = 1; d < rank; d++) {
      off += idx[d] * stride;
      stride *= v->dims[d];
    }
    for (int64_t i = 0; i < n0; i++) GY_AT(out, i, j) = elem(v->data, v->class_type, off + (size_t)i);
    for (int d = rank - 1; d >= 1; d--) { /* odometer, last dimension fastest */
      if (++idx[d] < v->dims[d]) break;
      idx[d] = 0;
    }
    if ((j & 4095) == 4095 && gy_check_interrupt()) {
      gy_mat_clear(out);
      Mat_VarFree(v);
      return GY_EINTR;
    }
  }
  Mat_VarFree(v);
  return GY_OK;
}

static int valid_name(const char *s) {
  if (!s || !isalpha((unsigned char)s[0])) return 0;
  size_t n = 0;
  for (; s[n]; n++)
    if (!isalnum((unsigned char)s[n]) && s[n] != '_') return 0;
  return n <= 63;
}

static int write_var(mat_t *mat, const char *name, const gy_mat *m, int compress) {
  size_t dims[2] = {(size_t)m->rows, (size_t)m->cols};
  double *buf = m->data;
  double *copy = NULL;
  if (m->ld != m->rows && m->rows * m->cols > 0) {
    copy = malloc((size_t)(m->rows * m->cols) * sizeof *copy);
    if (!copy) return gy_err(GY_ENOMEM, "out of memory");
    for (int64_t j = 0; j < m->cols; j++)
      memcpy(copy + j * m->rows, m->data + j * m->ld, (size_t)m->rows * sizeof *copy);
    buf = copy;
  }
  matvar_t *v = Mat_VarCreate(name, MAT_C_DOUBLE, MAT_T_DOUBLE, 2, dims, buf, MAT_F_DONT_COPY_DATA);
  if (!v) {
    free(copy);
    return gy_err(GY_ELIB, "matio could not create variable '%s'", name);
  }
  int r = Mat_VarWrite(mat, v, compress ? MAT_COMPRESSION_ZLIB : MAT_COMPRESSION_NONE);
  Mat_VarFree(v); /* MAT_F_DONT_COPY_DATA: the data stay ours */
  free(copy);
  if (r != 0) return gy_err(GY_EIO, "cannot write variable '%s'", name);
  return GY_OK;
}

int gy_matfile_write(const char *path, const char *const *names, const gy_mat *const *mats,
                     int64_t n, int compress) {
  return gy_matfile_write_version(path, names, mats, n, compress, 5);
}

int gy_matfile_write_version(const char *path, const char *const *names,
                             const gy_mat *const *mats, int64_t n, int compress, int version) {
  if (version != 5 && version != 73)
    return gy_err(GY_EINVAL, "the .mat version must be 5 or 7.3, got %d", version);
  if (!path || !*path) return gy_err(GY_EINVAL, "the file name is empty");
  if (n < 0 || (n > 0 && (!names || !mats))) return gy_err(GY_EINVAL, "no variables given");
  for (int64_t k = 0; k < n; k++) {
    if (!valid_name(names[k]))
      return gy_err(GY_EINVAL, "'%s' is not a MATLAB variable name (a letter, then letters, "
                    "digits or _, at most 63)", names[k] ? names[k] : "(null)");
    for (int64_t q = 0; q < k; q++)
      if (strcmp(names[q], names[k]) == 0) return gy_err(GY_EINVAL, "variable '%s' is given twice", names[k]);
    GY_TRY(gy_check_mat(mats[k], names[k]));
  }
  matio_quiet();
  /* The library opens the file itself: it fills a temporary file that replaces path at the end. */
  char *tmp;
  int fd;
  GY_TRY(gy_temp_beside(path, &tmp, &fd));
  close(fd);
  mat_t *mat = Mat_CreateVer(tmp, NULL, version == 73 ? MAT_FT_MAT73 : MAT_FT_MAT5);
  if (!mat) {
    unlink(tmp);
    free(tmp);
    /* matio built without HDF5 refuses v7.3 here, like an unwritable directory. */
    return gy_err(GY_EIO, version == 73 ? "cannot create '%s' as a v7.3 .mat file (matio may "
                  "lack HDF5 support: write version 5 instead)" : "cannot create '%s'", path);
  }
  int s = GY_OK;
  for (int64_t k = 0; k < n && !s; k++) {
    s = write_var(mat, names[k], mats[k], compress);
    if (!s) s = gy_check_interrupt();
  }
  if (Mat_Close(mat) != 0 && !s) s = gy_err(GY_EIO, "cannot write '%s'", path);
  if (!s && rename(tmp, path) != 0) s = gy_err(GY_EIO, "cannot replace '%s': %s", path, strerror(errno));
  if (s) unlink(tmp);
  free(tmp);
  return s;
}
