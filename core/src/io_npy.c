/* NumPy .npy and .npz: a header parser that trusts nothing, block-wise conversion
 * straight into matrix storage, and a writer that numpy reads back. */
#include "internal.h"
#include "gyrus/io_npy.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* numpy refuses headers above 10000 bytes by default; structured dtypes can need more,
 * but those are refused anyway, so this only bounds the allocation. */
enum { HEADER_MAX = 1 << 20, BLOCK = 1 << 16 };
static const int64_t MAX_ELEMS = INT64_C(1) << 40;

/* ------------------------------------------------------------------ byte sources */

/* Where array bytes come from: a file region, memory, or a deflated zip member. Every
 * read updates a CRC so zip members are verified without a second pass. */
typedef struct src {
  FILE *fp;
  const unsigned char *mem;
  size_t mem_len, mem_pos;
  z_stream *z;           /* deflated member: fp holds the compressed bytes */
  unsigned char *zbuf;
  uint64_t zleft;        /* compressed bytes not yet fed to inflate */
  uint64_t left;         /* bytes this source may still deliver */
  uint32_t crc;
  int z_done;
} src;

static int64_t file_size(FILE *fp) {
  if (fseeko(fp, 0, SEEK_END) != 0) return -1;
  off_t n = ftello(fp);
  if (fseeko(fp, 0, SEEK_SET) != 0) return -1;
  return (int64_t)n;
}

/* Reads exactly n bytes; a short read is a truncated file. */
static int src_read(src *s, void *buf, size_t n, const char *what) {
  if (n == 0) return GY_OK;
  if ((uint64_t)n > s->left)
    return gy_err(GY_EFORMAT, "the file is truncated: %s needs %zu more bytes, %llu remain",
                  what, n, (unsigned long long)s->left);
  if (s->mem) {
    memcpy(buf, s->mem + s->mem_pos, n);
    s->mem_pos += n;
  } else if (s->z) {
    s->z->next_out = buf;
    s->z->avail_out = (uInt)n;
    while (s->z->avail_out > 0) {
      if (s->z_done)
        return gy_err(GY_EFORMAT, "the compressed member ends early (%s)", what);
      if (s->z->avail_in == 0 && s->zleft > 0) {
        size_t k = s->zleft < BLOCK ? (size_t)s->zleft : BLOCK;
        if (fread(s->zbuf, 1, k, s->fp) != k)
          return gy_err(GY_EFORMAT, "the archive is truncated inside a member");
        s->zleft -= k;
        s->z->next_in = s->zbuf;
        s->z->avail_in = (uInt)k;
      }
      int r = inflate(s->z, Z_NO_FLUSH);
      if (r == Z_STREAM_END) s->z_done = 1;
      else if (r == Z_BUF_ERROR && s->z->avail_in == 0 && s->zleft == 0)
        return gy_err(GY_EFORMAT, "the compressed member ends early (%s)", what);
      else if (r != Z_OK)
        return gy_err(GY_EFORMAT, "the compressed member is corrupt (%s)",
                      s->z->msg ? s->z->msg : "inflate failed");
    }
  } else if (fread(buf, 1, n, s->fp) != n) {
    return gy_err(GY_EFORMAT, "the file is truncated in %s", what);
  }
  s->left -= n;
  s->crc = (uint32_t)crc32(s->crc, buf, (uInt)n);
  return GY_OK;
}

/* ------------------------------------------------------------------ dtypes */

static int host_big_endian(void) {
  const uint16_t one = 1;
  unsigned char b;
  memcpy(&b, &one, 1);
  return b == 0;
}

static double half_to_double(uint16_t h) {
  int e = (h >> 10) & 0x1f, m = h & 0x3ff;
  double v;
  if (e == 0) v = ldexp(m, -24);
  else if (e == 31) v = m ? NAN : INFINITY;
  else v = ldexp(m + 1024, e - 25);
  return (h & 0x8000) ? -v : v;
}

/* Round to nearest even, as numpy's float16 cast. */
static uint16_t double_to_half(double d) {
  uint16_t sign = signbit(d) ? 0x8000 : 0;
  double a = fabs(d);
  if (isnan(d)) return 0x7e00;
  if (a >= 65520.0) return sign | 0x7c00; /* past the largest half after rounding */
  if (a < ldexp(1, -14)) {                /* subnormal: units of 2^-24 */
    double q = nearbyint(a * ldexp(1, 24));
    return sign | (uint16_t)q;            /* q may reach 1024: the smallest normal */
  }
  int e;
  double f = frexp(a, &e);                /* a = f * 2^e, f in [0.5, 1) */
  double q = nearbyint(ldexp(f, 11));     /* 11 significant bits */
  if (q >= 2048) { q /= 2; e++; }
  int he = e - 1 + 15;
  if (he >= 31) return sign | 0x7c00;
  return sign | (uint16_t)(he << 10) | (uint16_t)((int)q - 1024);
}

static void swap_bytes(unsigned char *p, int size) {
  for (int a = 0, b = size - 1; a < b; a++, b--) {
    unsigned char t = p[a];
    p[a] = p[b];
    p[b] = t;
  }
}

/* n elements of dtype at p (file byte order `swap` relative to the host) into out. */
static void decode(double *out, unsigned char *p, int64_t n, int dtype, int swap) {
  int size = gy_dtype_size(dtype);
  if (swap && size > 1)
    for (int64_t k = 0; k < n; k++) swap_bytes(p + k * size, size);
  for (int64_t k = 0; k < n; k++) {
    const unsigned char *q = p + k * size;
    switch (dtype) {
    case GY_DTYPE_BOOL: out[k] = q[0] != 0; break;
    case GY_DTYPE_INT8: { int8_t v; memcpy(&v, q, 1); out[k] = v; } break;
    case GY_DTYPE_UINT8: out[k] = q[0]; break;
    case GY_DTYPE_INT16: { int16_t v; memcpy(&v, q, 2); out[k] = v; } break;
    case GY_DTYPE_UINT16: { uint16_t v; memcpy(&v, q, 2); out[k] = v; } break;
    case GY_DTYPE_INT32: { int32_t v; memcpy(&v, q, 4); out[k] = v; } break;
    case GY_DTYPE_UINT32: { uint32_t v; memcpy(&v, q, 4); out[k] = v; } break;
    case GY_DTYPE_INT64: { int64_t v; memcpy(&v, q, 8); out[k] = (double)v; } break;
    case GY_DTYPE_UINT64: { uint64_t v; memcpy(&v, q, 8); out[k] = (double)v; } break;
    case GY_DTYPE_FLOAT16: { uint16_t v; memcpy(&v, q, 2); out[k] = half_to_double(v); } break;
    case GY_DTYPE_FLOAT32: { float v; memcpy(&v, q, 4); out[k] = v; } break;
    default: { double v; memcpy(&v, q, 8); out[k] = v; } break;
    }
  }
}

/* One value into dtype, little-endian, at q; integer types take only integral values in
 * range (a cast would silently wrap or be undefined). */
static int encode(unsigned char *q, double v, int dtype) {
  if (dtype != GY_DTYPE_FLOAT16 && dtype != GY_DTYPE_FLOAT32 && dtype != GY_DTYPE_FLOAT64) {
    static const double lo[] = {0, 0, -128, -32768, -2147483648.0, -9223372036854775808.0,
                                0, 0, 0, 0};
    static const double hi[] = {0, 1, 127, 32767, 2147483647.0, 9223372036854775807.0,
                                255, 65535, 4294967295.0, 18446744073709551615.0};
    if (!(v == floor(v)) || v < lo[dtype] || v > hi[dtype] ||
        ((dtype == GY_DTYPE_INT64 || dtype == GY_DTYPE_UINT64) && v >= hi[dtype]))
      return gy_err(GY_EINVAL, "the value %.17g does not fit the integer dtype", v);
  }
  unsigned char b[8];
  int size = gy_dtype_size(dtype);
  switch (dtype) {
  case GY_DTYPE_BOOL: case GY_DTYPE_UINT8: b[0] = (unsigned char)v; break;
  case GY_DTYPE_INT8: { int8_t x = (int8_t)v; memcpy(b, &x, 1); } break;
  case GY_DTYPE_INT16: { int16_t x = (int16_t)v; memcpy(b, &x, 2); } break;
  case GY_DTYPE_UINT16: { uint16_t x = (uint16_t)v; memcpy(b, &x, 2); } break;
  case GY_DTYPE_INT32: { int32_t x = (int32_t)v; memcpy(b, &x, 4); } break;
  case GY_DTYPE_UINT32: { uint32_t x = (uint32_t)v; memcpy(b, &x, 4); } break;
  case GY_DTYPE_INT64: { int64_t x = (int64_t)v; memcpy(b, &x, 8); } break;
  case GY_DTYPE_UINT64: { uint64_t x = (uint64_t)v; memcpy(b, &x, 8); } break;
  case GY_DTYPE_FLOAT16: { uint16_t x = double_to_half(v); memcpy(b, &x, 2); } break;
  case GY_DTYPE_FLOAT32: { float x = (float)v; memcpy(b, &x, 4); } break;
  default: memcpy(b, &v, 8); break;
  }
  if (host_big_endian()) swap_bytes(b, size);
  memcpy(q, b, (size_t)size);
  return GY_OK;
}

static const struct { char kind; int size; int dtype; } dtype_table[] = {
  {'b', 1, GY_DTYPE_BOOL}, {'i', 1, GY_DTYPE_INT8}, {'i', 2, GY_DTYPE_INT16},
  {'i', 4, GY_DTYPE_INT32}, {'i', 8, GY_DTYPE_INT64}, {'u', 1, GY_DTYPE_UINT8},
  {'u', 2, GY_DTYPE_UINT16}, {'u', 4, GY_DTYPE_UINT32}, {'u', 8, GY_DTYPE_UINT64},
  {'f', 2, GY_DTYPE_FLOAT16}, {'f', 4, GY_DTYPE_FLOAT32}, {'f', 8, GY_DTYPE_FLOAT64},
};

static const char *dtype_descr(int dtype) {
  switch (dtype) {
  case GY_DTYPE_BOOL: return "|b1";
  case GY_DTYPE_INT8: return "|i1";
  case GY_DTYPE_UINT8: return "|u1";
  case GY_DTYPE_INT16: return "<i2";
  case GY_DTYPE_UINT16: return "<u2";
  case GY_DTYPE_INT32: return "<i4";
  case GY_DTYPE_UINT32: return "<u4";
  case GY_DTYPE_INT64: return "<i8";
  case GY_DTYPE_UINT64: return "<u8";
  case GY_DTYPE_FLOAT16: return "<f2";
  case GY_DTYPE_FLOAT32: return "<f4";
  case GY_DTYPE_FLOAT64: return "<f8";
  default: return NULL;
  }
}

/* A descr string such as "<f8", "|u1", ">i2", "?". */
static int parse_descr(gy_array_info *info, const char *d) {
  char order = '=';
  const char *p = d;
  if (*p == '<' || *p == '>' || *p == '|' || *p == '=') order = *p++;
  if (strcmp(p, "?") == 0) p = "b1";
  char kind = *p;
  if (kind == 'c')
    return gy_err(GY_EUNSUPPORTED, "complex arrays (dtype '%s') are not supported; save the real "
                  "and imaginary parts as two arrays", d);
  if (kind == 'O')
    return gy_err(GY_EUNSUPPORTED, "object arrays (dtype 'O') hold pickled Python objects and "
                  "are not supported");
  char *end;
  errno = 0;
  long size = kind ? strtol(p + 1, &end, 10) : 0;
  if (!kind || errno || *end || end == p + 1) size = -1;
  for (size_t k = 0; k < sizeof dtype_table / sizeof dtype_table[0]; k++) {
    if (dtype_table[k].kind == kind && dtype_table[k].size == size) {
      info->dtype = dtype_table[k].dtype;
      info->big_endian = order == '>' || (order == '=' && host_big_endian());
      if (size == 1) info->big_endian = 0;
      return GY_OK;
    }
  }
  return gy_err(GY_EUNSUPPORTED, "dtype '%s' is not supported (numeric dtypes only: bool, "
                "int8-64, uint8-64, float16/32/64)", d);
}

/* ------------------------------------------------------------------ header */

typedef struct cursor { const char *p, *end; } cursor;

static void skip_ws(cursor *c) {
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    c->p++;
}

static int expect_char(cursor *c, char ch) {
  skip_ws(c);
  if (c->p >= c->end || *c->p != ch)
    return gy_err(GY_EFORMAT, "the .npy header is malformed (expected '%c')", ch);
  c->p++;
  return GY_OK;
}

/* A Python string literal without escapes, at most cap - 1 bytes. */
static int parse_str(cursor *c, char *out, size_t cap) {
  skip_ws(c);
  if (c->p >= c->end || (*c->p != '\'' && *c->p != '"'))
    return gy_err(GY_EFORMAT, "the .npy header is malformed (expected a string)");
  char q = *c->p++;
  size_t n = 0;
  while (c->p < c->end && *c->p != q) {
    if (*c->p == '\\' || n + 1 >= cap)
      return gy_err(GY_EFORMAT, "the .npy header has an unexpected string");
    out[n++] = *c->p++;
  }
  if (c->p >= c->end) return gy_err(GY_EFORMAT, "the .npy header has an unterminated string");
  c->p++;
  out[n] = '\0';
  return GY_OK;
}

static int parse_shape(cursor *c, gy_array_info *info) {
  GY_TRY(expect_char(c, '('));
  info->ndim = 0;
  for (;;) {
    skip_ws(c);
    if (c->p < c->end && *c->p == ')') { c->p++; break; }
    if (c->p >= c->end || *c->p < '0' || *c->p > '9')
      return gy_err(GY_EFORMAT, "the .npy shape is malformed (expected a non-negative integer)");
    int64_t v = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
      if (v > (INT64_C(1) << 50))
        return gy_err(GY_EFORMAT, "the .npy shape has an absurd dimension");
      v = v * 10 + (*c->p++ - '0');
    }
    if (c->p < c->end && *c->p == 'L') c->p++; /* Python 2 longs */
    if (info->ndim >= GY_NPY_MAXDIMS)
      return gy_err(GY_EFORMAT, "the .npy shape has more than %d dimensions", GY_NPY_MAXDIMS);
    info->shape[info->ndim++] = v;
    skip_ws(c);
    if (c->p < c->end && *c->p == ',') { c->p++; continue; }
    GY_TRY(expect_char(c, ')'));
    break;
  }
  return GY_OK;
}

static int parse_bool(cursor *c, int32_t *out) {
  skip_ws(c);
  size_t left = (size_t)(c->end - c->p);
  if (left >= 4 && memcmp(c->p, "True", 4) == 0) { *out = 1; c->p += 4; return GY_OK; }
  if (left >= 5 && memcmp(c->p, "False", 5) == 0) { *out = 0; c->p += 5; return GY_OK; }
  return gy_err(GY_EFORMAT, "the .npy header is malformed (fortran_order is not True/False)");
}

static int parse_header(gy_array_info *info, const char *h, size_t n) {
  cursor c = {h, h + n};
  int seen_descr = 0, seen_order = 0, seen_shape = 0;
  GY_TRY(expect_char(&c, '{'));
  for (;;) {
    skip_ws(&c);
    if (c.p < c.end && *c.p == '}') { c.p++; break; }
    char key[32];
    GY_TRY(parse_str(&c, key, sizeof key));
    GY_TRY(expect_char(&c, ':'));
    if (strcmp(key, "descr") == 0) {
      skip_ws(&c);
      if (c.p < c.end && *c.p == '[')
        return gy_err(GY_EUNSUPPORTED, "structured arrays (record dtypes) are not supported");
      char d[64];
      GY_TRY(parse_str(&c, d, sizeof d));
      GY_TRY(parse_descr(info, d));
      seen_descr = 1;
    } else if (strcmp(key, "fortran_order") == 0) {
      GY_TRY(parse_bool(&c, &info->fortran));
      seen_order = 1;
    } else if (strcmp(key, "shape") == 0) {
      GY_TRY(parse_shape(&c, info));
      seen_shape = 1;
    } else {
      return gy_err(GY_EFORMAT, "the .npy header has an unknown key '%s'", key);
    }
    skip_ws(&c);
    if (c.p < c.end && *c.p == ',') { c.p++; continue; }
    GY_TRY(expect_char(&c, '}'));
    break;
  }
  skip_ws(&c);
  if (c.p != c.end && !(c.p + 1 == c.end && *c.p == '\0'))
    return gy_err(GY_EFORMAT, "the .npy header has text after its closing brace");
  if (!seen_descr || !seen_order || !seen_shape)
    return gy_err(GY_EFORMAT, "the .npy header lacks '%s'",
                  !seen_descr ? "descr" : !seen_order ? "fortran_order" : "shape");
  return GY_OK;
}

/* ------------------------------------------------------------------ reading */

/* The matrix shape of an array and its element count, all bounded. */
static int array_dims(const gy_array_info *info, int64_t *rows, int64_t *cols, int64_t *count) {
  int64_t r = info->ndim >= 1 ? info->shape[0] : 1, c = 1;
  for (int d = 1; d < info->ndim; d++) {
    int64_t s = info->shape[d];
    if (s > 0 && c > MAX_ELEMS / s)
      return gy_err(GY_EFORMAT, "the .npy shape is absurdly large (more than 2^40 elements)");
    c *= s;
  }
  if (r > MAX_ELEMS || (c > 0 && r > MAX_ELEMS / c))
    return gy_err(GY_EFORMAT, "the .npy shape is absurdly large (more than 2^40 elements)");
  *rows = r;
  *cols = c;
  *count = r * c;
  return GY_OK;
}

/* Reads header and data from s; `total` is the size of the whole .npy image. */
static int npy_from_src(gy_mat *out, gy_array_info *info_out, src *s) {
  GY_TRY(gy_check_out(out, "output"));
  gy_array_info info;
  memset(&info, 0, sizeof info);
  unsigned char pre[12];
  if (s->left < 10) return gy_err(GY_EFORMAT, "not a .npy file (too short for its magic)");
  GY_TRY(src_read(s, pre, 8, "the magic"));
  if (memcmp(pre, "\x93NUMPY", 6) != 0) return gy_err(GY_EFORMAT, "not a .npy file (wrong magic)");
  int major = pre[6];
  uint64_t hlen;
  if (major == 1) {
    GY_TRY(src_read(s, pre + 8, 2, "the header length"));
    hlen = pre[8] | (uint64_t)pre[9] << 8;
  } else if (major == 2 || major == 3) {
    GY_TRY(src_read(s, pre + 8, 4, "the header length"));
    hlen = pre[8] | (uint64_t)pre[9] << 8 | (uint64_t)pre[10] << 16 | (uint64_t)pre[11] << 24;
  } else {
    return gy_err(GY_EUNSUPPORTED, ".npy format version %d.%d is not supported", major, pre[7]);
  }
  if (hlen > HEADER_MAX) return gy_err(GY_EFORMAT, "the .npy header claims %llu bytes",
                                       (unsigned long long)hlen);
  if (hlen > s->left) return gy_err(GY_EFORMAT, "the file is truncated inside the .npy header");
  char *h = malloc(hlen + 1);
  if (!h) return gy_err(GY_ENOMEM, "out of memory");
  int st = src_read(s, h, (size_t)hlen, "the header");
  if (!st) st = parse_header(&info, h, (size_t)hlen);
  free(h);
  GY_TRY(st);
  int64_t rows = 0, cols = 0, count = 0;
  GY_TRY(array_dims(&info, &rows, &cols, &count));
  int size = gy_dtype_size(info.dtype);
  uint64_t need = (uint64_t)count * (uint64_t)size;
  if (need != s->left)
    return gy_err(GY_EFORMAT, "the .npy header describes %llu data bytes but the file holds %llu",
                  (unsigned long long)need, (unsigned long long)s->left);
  gy_mat m = {0};
  GY_TRY(gy_mat_init(&m, rows, cols));
  /* File order to matrix position: contiguous unless the array is C-ordered with more
   * than one row and column, or Fortran-ordered with more than two dimensions. */
  int c_order = !info.fortran && rows > 1 && cols > 1;
  int f_nd = info.fortran && info.ndim > 2 && rows * cols > 0;
  int swap = info.big_endian != host_big_endian() && size > 1;
  int64_t idx[GY_NPY_MAXDIMS] = {0}; /* Fortran-order counter over dims 1.. */
  int64_t cstride[GY_NPY_MAXDIMS] = {0};
  if (f_nd) {
    cstride[info.ndim - 1] = 1;
    for (int d = info.ndim - 2; d >= 1; d--) cstride[d] = cstride[d + 1] * info.shape[d + 1];
  }
  unsigned char *raw = NULL;
  double *vals = NULL;
  int64_t per = BLOCK / 8; /* elements per block */
  int direct = !c_order && !f_nd && info.dtype == GY_DTYPE_FLOAT64 && !swap;
  if (!direct) {
    raw = malloc((size_t)per * (size_t)size);
    vals = malloc((size_t)per * sizeof(double));
    if (!raw || !vals) {
      free(raw);
      free(vals);
      gy_mat_clear(&m);
      return gy_err(GY_ENOMEM, "out of memory");
    }
  }
  int64_t i = 0, j = 0, fi = 0, fj = 0;
  for (int64_t done = 0; done < count && !st;) {
    int64_t k = count - done < per ? count - done : per;
    if (direct) {
      st = src_read(s, m.data + done, (size_t)k * 8, "the data");
      done += k;
      if (!st) st = gy_check_interrupt();
      continue;
    }
    st = src_read(s, raw, (size_t)(k * size), "the data");
    if (st) break;
    decode(vals, raw, k, info.dtype, swap);
    if (c_order) {
      for (int64_t q = 0; q < k; q++) {
        m.data[i + j * rows] = vals[q];
        if (++j == cols) { j = 0; i++; }
      }
    } else if (f_nd) {
      for (int64_t q = 0; q < k; q++) {
        m.data[fi + fj * rows] = vals[q];
        if (++fi == rows) {
          fi = 0;
          for (int d = 1; d < info.ndim; d++) {
            fj += cstride[d];
            if (++idx[d] < info.shape[d]) break;
            fj -= cstride[d] * info.shape[d];
            idx[d] = 0;
          }
        }
      }
    } else {
      memcpy(m.data + done, vals, (size_t)k * sizeof(double));
    }
    done += k;
    if (!st) st = gy_check_interrupt();
  }
  free(raw);
  free(vals);
  if (st) {
    gy_mat_clear(&m);
    return st;
  }
  *out = m;
  if (info_out) *info_out = info;
  return GY_OK;
}

int gy_npy_read(gy_mat *out, gy_array_info *info, const char *path) {
  GY_TRY(gy_check_out(out, "output"));
  if (!path) return gy_err(GY_EINVAL, "the file name is missing");
  FILE *fp = fopen(path, "rb");
  if (!fp) return gy_err(GY_EIO, "cannot open '%s': %s", path, strerror(errno));
  int64_t size = file_size(fp);
  if (size < 0) {
    fclose(fp);
    return gy_err(GY_EIO, "cannot read '%s': %s", path, strerror(errno));
  }
  src s = {.fp = fp, .left = (uint64_t)size};
  int st = npy_from_src(out, info, &s);
  fclose(fp);
  return st;
}

int gy_npy_parse(gy_mat *out, gy_array_info *info, const void *buf, size_t n) {
  if (!buf && n) return gy_err(GY_EINVAL, "the buffer is missing");
  src s = {.mem = buf, .mem_len = n, .left = n};
  return npy_from_src(out, info, &s);
}

/* ------------------------------------------------------------------ writing */

/* Where encoded bytes go: the atomic file directly, or through CRC and deflate into a
 * zip member. */
typedef struct sink {
  gy_wfile *f;
  z_stream *z;
  unsigned char *zbuf;
  uint32_t crc;
  uint64_t raw_bytes, out_bytes;
} sink;

static int sink_put(sink *k, const void *buf, size_t n) {
  k->crc = (uint32_t)crc32(k->crc, buf, (uInt)n);
  k->raw_bytes += n;
  if (!k->z) {
    k->out_bytes += n;
    return gy_wfile_write(k->f, buf, n);
  }
  k->z->next_in = (unsigned char *)buf;
  k->z->avail_in = (uInt)n;
  while (k->z->avail_in > 0) {
    k->z->next_out = k->zbuf;
    k->z->avail_out = BLOCK;
    if (deflate(k->z, Z_NO_FLUSH) == Z_STREAM_ERROR)
      return gy_err(GY_ELIB, "zlib failed to compress");
    size_t got = BLOCK - k->z->avail_out;
    k->out_bytes += got;
    GY_TRY(gy_wfile_write(k->f, k->zbuf, got));
  }
  return GY_OK;
}

static int sink_finish(sink *k) {
  if (!k->z) return GY_OK;
  int r;
  do {
    k->z->next_out = k->zbuf;
    k->z->avail_out = BLOCK;
    r = deflate(k->z, Z_FINISH);
    if (r == Z_STREAM_ERROR) return gy_err(GY_ELIB, "zlib failed to compress");
    size_t got = BLOCK - k->z->avail_out;
    k->out_bytes += got;
    GY_TRY(gy_wfile_write(k->f, k->zbuf, got));
  } while (r != Z_STREAM_END);
  return GY_OK;
}

/* Checks the requested shape against X: the matrix is a.reshape(n0, -1), except that a
 * vector may be written as a 1-D array and a single value as a 0-D one. */
static int write_shape(gy_array_info *info, const gy_mat *X, const int64_t *shape, int ndim) {
  if (ndim < 0 || ndim > GY_NPY_MAXDIMS)
    return gy_err(GY_EINVAL, "an array has 0 to %d dimensions, not %d", GY_NPY_MAXDIMS, ndim);
  if (ndim > 0 && !shape) return gy_err(GY_EINVAL, "the shape is missing");
  if (!ndim) {
    info->ndim = 2;
    info->shape[0] = X->rows;
    info->shape[1] = X->cols;
    return GY_OK;
  }
  info->ndim = ndim;
  int64_t rest = 1;
  for (int d = 0; d < ndim; d++) {
    if (shape[d] < 0) return gy_err(GY_EINVAL, "dimension %d of the shape is negative", d + 1);
    info->shape[d] = shape[d];
    if (d > 0) {
      if (shape[d] > 0 && rest > MAX_ELEMS / shape[d])
        return gy_err(GY_EINVAL, "the shape is too large");
      rest *= shape[d];
    }
  }
  int ok = shape[0] == X->rows && rest == X->cols;
  /* A row vector may be written as a 1-D array too. */
  if (!ok && ndim == 1 && X->rows == 1 && shape[0] == X->cols) ok = 1;
  if (!ok) {
    char buf[200];
    int len = 0;
    for (int d = 0; d < ndim && len < 150; d++)
      len += snprintf(buf + len, sizeof buf - (size_t)len, "%s%lld", d ? ", " : "",
                      (long long)shape[d]);
    return gy_err(GY_EINVAL, "a %lld x %lld matrix cannot be written with shape (%s)",
                  (long long)X->rows, (long long)X->cols, buf);
  }
  return GY_OK;
}

/* The header of an array written by gyrus, padded as numpy pads (total a multiple of 64). */
static int put_header(sink *k, const gy_array_info *info, int64_t *nbytes_header) {
  char h[1200];
  int n = snprintf(h, sizeof h, "{'descr': '%s', 'fortran_order': %s, 'shape': (",
                   dtype_descr(info->dtype), info->fortran ? "True" : "False");
  for (int d = 0; d < info->ndim; d++)
    n += snprintf(h + n, sizeof h - (size_t)n, "%lld%s", (long long)info->shape[d],
                  info->ndim == 1 ? "," : d + 1 < info->ndim ? ", " : "");
  n += snprintf(h + n, sizeof h - (size_t)n, "), }");
  int total = ((10 + n + 1 + 63) / 64) * 64;
  int hlen = total - 10;
  while (n < hlen - 1) h[n++] = ' ';
  h[n++] = '\n';
  unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(hlen & 0xff),
                           (unsigned char)(hlen >> 8)};
  GY_TRY(sink_put(k, pre, 10));
  GY_TRY(sink_put(k, h, (size_t)hlen));
  *nbytes_header = total;
  return GY_OK;
}

/* Header and data of X as the array described by info. */
static int put_array(sink *k, const gy_mat *X, const gy_array_info *info) {
  int64_t hb;
  GY_TRY(put_header(k, info, &hb));
  int size = gy_dtype_size(info->dtype);
  unsigned char *buf = malloc(BLOCK);
  if (!buf) return gy_err(GY_ENOMEM, "out of memory");
  int64_t per = BLOCK / size, fill = 0;
  int st = GY_OK;
  int64_t r = X->rows, c = X->cols;
  if (info->fortran) {
    for (int64_t j = 0; j < c && !st; j++) {
      for (int64_t i = 0; i < r && !st; i++) {
        st = encode(buf + fill * size, GY_AT(X, i, j), info->dtype);
        if (++fill == per) { if (!st) st = sink_put(k, buf, (size_t)(fill * size)); fill = 0; }
      }
      if (!st && (j & 255) == 255) st = gy_check_interrupt();
    }
  } else {
    for (int64_t i = 0; i < r && !st; i++) {
      for (int64_t j = 0; j < c && !st; j++) {
        st = encode(buf + fill * size, GY_AT(X, i, j), info->dtype);
        if (++fill == per) { if (!st) st = sink_put(k, buf, (size_t)(fill * size)); fill = 0; }
      }
      if (!st && (i & 255) == 255) st = gy_check_interrupt();
    }
  }
  if (!st && fill) st = sink_put(k, buf, (size_t)(fill * size));
  free(buf);
  return st;
}

static int prepare(gy_array_info *info, const gy_mat *X, const int64_t *shape, int ndim,
                   int dtype) {
  GY_TRY(gy_check_mat(X, "the matrix"));
  memset(info, 0, sizeof *info);
  info->dtype = dtype == GY_DTYPE_NONE ? GY_DTYPE_FLOAT64 : dtype;
  if (!dtype_descr(info->dtype)) return gy_err(GY_EINVAL, "unknown dtype code %d", dtype);
  GY_TRY(write_shape(info, X, shape, ndim));
  /* Up to two dimensions the matrix storage is Fortran order already; beyond, C order
   * is the one that a.reshape(n0, -1) maps row by row. */
  info->fortran = info->ndim <= 2;
  return GY_OK;
}

int gy_npy_write(const char *path, const gy_mat *X, const int64_t *shape, int ndim, int dtype) {
  gy_array_info info;
  GY_TRY(prepare(&info, X, shape, ndim, dtype));
  gy_wfile *f;
  GY_TRY(gy_wfile_open(&f, path));
  sink k = {.f = f};
  int st = put_array(&k, X, &info);
  if (st) {
    gy_wfile_abort(f);
    return st;
  }
  return gy_wfile_commit(f);
}

/* ------------------------------------------------------------------ .npz */

typedef struct npz_entry {
  char *name;
  uint64_t csize, usize, offset;
  uint32_t crc;
  int method;
} npz_entry;

struct gy_npz {
  FILE *fp;
  int64_t size;
  int64_t n;
  npz_entry *e;
};

static uint32_t rd16(const unsigned char *p) { return p[0] | (uint32_t)p[1] << 8; }
static uint32_t rd32(const unsigned char *p) { return rd16(p) | rd16(p + 2) << 16; }
static uint64_t rd64(const unsigned char *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

void gy_npz_close(gy_npz *z) {
  if (!z) return;
  if (z->fp) fclose(z->fp);
  for (int64_t k = 0; k < z->n; k++) free(z->e[k].name);
  free(z->e);
  free(z);
}

static int read_at(FILE *fp, int64_t off, void *buf, size_t n) {
  if (fseeko(fp, (off_t)off, SEEK_SET) != 0 || fread(buf, 1, n, fp) != n)
    return gy_err(GY_EFORMAT, "the archive is truncated");
  return GY_OK;
}

/* The end-of-central-directory records: where the directory is and how many entries. */
static int find_directory(gy_npz *z, uint64_t *cd_off, uint64_t *cd_size, uint64_t *count) {
  int64_t tail = z->size < 65557 ? z->size : 65557;
  if (z->size < 22) return gy_err(GY_EFORMAT, "not an .npz file (too short for a zip archive)");
  unsigned char *buf = malloc((size_t)tail);
  if (!buf) return gy_err(GY_ENOMEM, "out of memory");
  int st = read_at(z->fp, z->size - tail, buf, (size_t)tail);
  int64_t at = -1;
  for (int64_t p = tail - 22; !st && p >= 0; p--)
    if (rd32(buf + p) == 0x06054b50) { at = p; break; }
  if (!st && at < 0) st = gy_err(GY_EFORMAT, "not an .npz file (no zip directory)");
  if (st) { free(buf); return st; }
  unsigned char *e = buf + at;
  *count = rd16(e + 10);
  *cd_size = rd32(e + 12);
  *cd_off = rd32(e + 16);
  int64_t eocd = z->size - tail + at;
  free(buf);
  if (*count == 0xffff || *cd_size == 0xffffffffu || *cd_off == 0xffffffffu) {
    unsigned char loc[20], rec[56];
    if (eocd < 20) return gy_err(GY_EFORMAT, "the zip64 directory locator is missing");
    GY_TRY(read_at(z->fp, eocd - 20, loc, 20));
    if (rd32(loc) != 0x07064b50) return gy_err(GY_EFORMAT, "the zip64 directory locator is missing");
    uint64_t r = rd64(loc + 8);
    if (r > (uint64_t)z->size - 56) return gy_err(GY_EFORMAT, "the zip64 directory is outside the file");
    GY_TRY(read_at(z->fp, (int64_t)r, rec, 56));
    if (rd32(rec) != 0x06064b50) return gy_err(GY_EFORMAT, "the zip64 directory is corrupt");
    *count = rd64(rec + 32);
    *cd_size = rd64(rec + 40);
    *cd_off = rd64(rec + 48);
  }
  if (*cd_off > (uint64_t)z->size || *cd_size > (uint64_t)z->size - *cd_off)
    return gy_err(GY_EFORMAT, "the zip directory lies outside the file");
  if (*count > *cd_size / 46) return gy_err(GY_EFORMAT, "the zip directory claims too many entries");
  return GY_OK;
}

static int parse_directory(gy_npz *z, const unsigned char *cd, uint64_t size, uint64_t count) {
  z->e = calloc(count ? count : 1, sizeof *z->e);
  if (!z->e) return gy_err(GY_ENOMEM, "out of memory");
  uint64_t p = 0;
  for (uint64_t k = 0; k < count; k++) {
    if (size - p < 46 || rd32(cd + p) != 0x02014b50)
      return gy_err(GY_EFORMAT, "the zip directory is corrupt at entry %llu",
                    (unsigned long long)k + 1);
    const unsigned char *h = cd + p;
    uint32_t flags = rd16(h + 8), nlen = rd16(h + 28), xlen = rd16(h + 30), clen = rd16(h + 32);
    if (size - p - 46 < (uint64_t)nlen + xlen + clen)
      return gy_err(GY_EFORMAT, "the zip directory is corrupt at entry %llu",
                    (unsigned long long)k + 1);
    npz_entry *e = &z->e[z->n];
    e->method = (int)rd16(h + 10);
    e->crc = rd32(h + 16);
    e->csize = rd32(h + 20);
    e->usize = rd32(h + 24);
    e->offset = rd32(h + 42);
    /* zip64 extra field: the 64-bit values of the fields that hold 0xffffffff. */
    const unsigned char *x = h + 46 + nlen, *xend = x + xlen;
    while (xend - x >= 4) {
      uint32_t id = rd16(x), len = rd16(x + 2);
      if ((uint64_t)(xend - x - 4) < len) break;
      if (id == 1) {
        const unsigned char *q = x + 4, *qend = q + len;
        if (e->usize == 0xffffffffu && qend - q >= 8) { e->usize = rd64(q); q += 8; }
        if (e->csize == 0xffffffffu && qend - q >= 8) { e->csize = rd64(q); q += 8; }
        if (e->offset == 0xffffffffu && qend - q >= 8) { e->offset = rd64(q); q += 8; }
      }
      x += 4 + len;
    }
    e->name = malloc(nlen + 1);
    if (!e->name) return gy_err(GY_ENOMEM, "out of memory");
    memcpy(e->name, h + 46, nlen);
    e->name[nlen] = '\0';
    z->n++;
    if (nlen >= 4 && strcmp(e->name + nlen - 4, ".npy") == 0) e->name[nlen - 4] = '\0';
    if (flags & 1)
      return gy_err(GY_EUNSUPPORTED, "member '%s' is encrypted", e->name);
    p += 46 + (uint64_t)nlen + xlen + clen;
  }
  return GY_OK;
}

int gy_npz_open(gy_npz **out, const char *path) {
  if (!out) return gy_err(GY_EINVAL, "no place for the archive handle");
  *out = NULL;
  if (!path) return gy_err(GY_EINVAL, "the file name is missing");
  gy_npz *z = calloc(1, sizeof *z);
  if (!z) return gy_err(GY_ENOMEM, "out of memory");
  z->fp = fopen(path, "rb");
  if (!z->fp) {
    int e = errno;
    free(z);
    return gy_err(GY_EIO, "cannot open '%s': %s", path, strerror(e));
  }
  z->size = file_size(z->fp);
  if (z->size < 0) {
    gy_npz_close(z);
    return gy_err(GY_EIO, "cannot read '%s'", path);
  }
  uint64_t off = 0, size = 0, count = 0;
  int st = find_directory(z, &off, &size, &count);
  unsigned char *cd = NULL;
  if (!st) {
    cd = malloc(size ? size : 1);
    if (!cd) st = gy_err(GY_ENOMEM, "out of memory");
  }
  if (!st) st = read_at(z->fp, (int64_t)off, cd, size);
  if (!st) st = parse_directory(z, cd, size, count);
  free(cd);
  if (st) {
    gy_npz_close(z);
    return st;
  }
  *out = z;
  return GY_OK;
}

int64_t gy_npz_count(const gy_npz *z) { return z ? z->n : 0; }

const char *gy_npz_name(const gy_npz *z, int64_t k) {
  if (!z || k < 0 || k >= z->n) return NULL;
  return z->e[k].name;
}

int gy_npz_read(gy_mat *out, gy_array_info *info, gy_npz *z, int64_t k) {
  GY_TRY(gy_check_out(out, "output"));
  if (!z) return gy_err(GY_EINVAL, "the archive is not open");
  if (k < 0 || k >= z->n)
    return gy_err(GY_EINVAL, "member %lld is outside 1..%lld", (long long)k + 1, (long long)z->n);
  npz_entry *e = &z->e[k];
  unsigned char lh[30];
  if (z->size < 30 || e->offset > (uint64_t)z->size - 30)
    return gy_err(GY_EFORMAT, "member '%s' lies outside the archive", e->name);
  GY_TRY(read_at(z->fp, (int64_t)e->offset, lh, 30));
  if (rd32(lh) != 0x04034b50) return gy_err(GY_EFORMAT, "member '%s' has a corrupt header", e->name);
  uint64_t data = e->offset + 30 + rd16(lh + 26) + rd16(lh + 28);
  if (data > (uint64_t)z->size || e->csize > (uint64_t)z->size - data)
    return gy_err(GY_EFORMAT, "member '%s' is truncated", e->name);
  if (fseeko(z->fp, (off_t)data, SEEK_SET) != 0)
    return gy_err(GY_EIO, "cannot seek in the archive");
  src s = {.fp = z->fp, .left = e->usize};
  z_stream zs;
  int st = GY_OK;
  if (e->method == 0) {
    if (e->csize != e->usize) return gy_err(GY_EFORMAT, "member '%s' has inconsistent sizes", e->name);
    st = npy_from_src(out, info, &s);
  } else if (e->method == 8) {
    /* Deflate expands at most about 1032:1; a larger claim is a lie (or a bomb). */
    if (e->usize / 1032 > e->csize + 1)
      return gy_err(GY_EFORMAT, "member '%s' claims an impossible size", e->name);
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, -15) != Z_OK) return gy_err(GY_ELIB, "zlib failed to start");
    s.z = &zs;
    s.zleft = e->csize;
    s.zbuf = malloc(BLOCK);
    if (!s.zbuf) st = gy_err(GY_ENOMEM, "out of memory");
    if (!st) st = npy_from_src(out, info, &s);
    free(s.zbuf);
    inflateEnd(&zs);
  } else {
    return gy_err(GY_EUNSUPPORTED, "member '%s' uses zip compression method %d", e->name, e->method);
  }
  if (!st && s.crc != e->crc) {
    gy_mat_clear(out);
    st = gy_err(GY_EFORMAT, "member '%s' fails its CRC check (the archive is corrupt)", e->name);
  }
  return st;
}

static void put16(unsigned char *p, uint32_t v) { p[0] = v & 0xff; p[1] = (v >> 8) & 0xff; }
static void put32(unsigned char *p, uint32_t v) { put16(p, v & 0xffff); put16(p + 2, v >> 16); }

int gy_npz_write(const char *path, const char *const *names, const gy_mat *const *mats,
                 int64_t n, int compress) {
  if (n < 0 || (n > 0 && (!names || !mats))) return gy_err(GY_EINVAL, "no arrays to write");
  if (n > 65535) return gy_err(GY_EUNSUPPORTED, "more than 65535 arrays in one archive");
  gy_array_info *infos = calloc((size_t)(n ? n : 1), sizeof *infos);
  unsigned char *central = NULL;
  if (!infos) return gy_err(GY_ENOMEM, "out of memory");
  int st = GY_OK;
  size_t cd_len = 0;
  for (int64_t k = 0; k < n && !st; k++) {
    if (!names[k] || !*names[k] || strlen(names[k]) > 1000)
      st = gy_err(GY_EINVAL, "array %lld needs a name of 1 to 1000 bytes", (long long)k + 1);
    for (int64_t q = 0; q < k && !st; q++)
      if (strcmp(names[k], names[q]) == 0)
        st = gy_err(GY_EINVAL, "the name '%s' is given twice", names[k]);
    if (!st) st = prepare(&infos[k], mats[k], NULL, 0, GY_DTYPE_FLOAT64);
    if (!st && (uint64_t)mats[k]->rows * (uint64_t)mats[k]->cols > (0xffffffffu - 4096) / 8)
      st = gy_err(GY_EUNSUPPORTED, "array '%s' is too large for a zip member without zip64",
                  names[k]);
    cd_len += 46 + strlen(names[k] ? names[k] : "") + 4;
  }
  if (!st) {
    central = malloc(cd_len ? cd_len : 1);
    if (!central) st = gy_err(GY_ENOMEM, "out of memory");
  }
  gy_wfile *f = NULL;
  if (!st) st = gy_wfile_open(&f, path);
  unsigned char *zbuf = malloc(BLOCK);
  if (!zbuf && !st) st = gy_err(GY_ENOMEM, "out of memory");
  uint64_t offset = 0;
  size_t cp = 0;
  for (int64_t k = 0; k < n && !st; k++) {
    size_t nlen = strlen(names[k]) + 4;
    char *fname = malloc(nlen + 1);
    if (!fname) { st = gy_err(GY_ENOMEM, "out of memory"); break; }
    snprintf(fname, nlen + 1, "%s.npy", names[k]);
    /* Sizes and CRC follow the data in a descriptor (flag bit 3), so members stream out. */
    unsigned char lh[30] = {0};
    put32(lh, 0x04034b50);
    put16(lh + 4, 20);
    put16(lh + 6, 8);
    put16(lh + 8, compress ? 8 : 0);
    put16(lh + 12, 0x21);  /* 1980-01-01 00:00 */
    put16(lh + 26, (uint32_t)nlen);
    st = gy_wfile_write(f, lh, 30);
    if (!st) st = gy_wfile_write(f, fname, nlen);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    sink s = {.f = f, .zbuf = zbuf};
    if (!st && compress) {
      if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        st = gy_err(GY_ELIB, "zlib failed to start");
      else s.z = &zs;
    }
    if (!st) st = put_array(&s, mats[k], &infos[k]);
    if (!st) st = sink_finish(&s);
    if (s.z) deflateEnd(&zs);
    if (!st && (s.out_bytes > 0xffffffffu || s.raw_bytes > 0xffffffffu ||
                offset > 0xffffffffu))
      st = gy_err(GY_EUNSUPPORTED, "the archive would need zip64 (over 4 GiB)");
    unsigned char dd[16];
    put32(dd, 0x08074b50);
    put32(dd + 4, s.crc);
    put32(dd + 8, (uint32_t)s.out_bytes);
    put32(dd + 12, (uint32_t)s.raw_bytes);
    if (!st) st = gy_wfile_write(f, dd, 16);
    unsigned char *c = central + cp;
    memset(c, 0, 46);
    put32(c, 0x02014b50);
    put16(c + 4, 20);
    put16(c + 6, 20);
    memcpy(c + 8, lh + 6, 8); /* flags, method, time, date */
    put32(c + 16, s.crc);
    put32(c + 20, (uint32_t)s.out_bytes);
    put32(c + 24, (uint32_t)s.raw_bytes);
    put16(c + 28, (uint32_t)nlen);
    put32(c + 38, 0644u << 16);
    put32(c + 42, (uint32_t)offset);
    memcpy(c + 46, fname, nlen);
    cp += 46 + nlen;
    offset += 30 + nlen + s.out_bytes + 16;
    free(fname);
  }
  if (!st && offset > 0xffffffffu) st = gy_err(GY_EUNSUPPORTED, "the archive would need zip64");
  if (!st) st = gy_wfile_write(f, central, cp);
  if (!st) {
    unsigned char end[22] = {0};
    put32(end, 0x06054b50);
    put16(end + 8, (uint32_t)n);
    put16(end + 10, (uint32_t)n);
    put32(end + 12, (uint32_t)cp);
    put32(end + 16, (uint32_t)offset);
    st = gy_wfile_write(f, end, 22);
  }
  free(zbuf);
  free(central);
  free(infos);
  if (st) {
    gy_wfile_abort(f);
    return st;
  }
  return gy_wfile_commit(f);
}
