/* The dense matrix: allocation, views, copies. */
#define _DEFAULT_SOURCE /* madvise */
#include "internal.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GY_ALIGN 64

static atomic_llong bytes_in_use;

/* A 64-byte header in front of each block remembers its size for the byte counter and
 * keeps the data itself 64-byte aligned. */
void *gy_alloc(size_t bytes) {
  if (bytes > (size_t)INT64_MAX - 2 * GY_ALIGN) return NULL;
  size_t total = ((bytes + GY_ALIGN - 1) / GY_ALIGN + 1) * GY_ALIGN;
  unsigned char *base = aligned_alloc(GY_ALIGN, total);
  if (!base) return NULL;
  memcpy(base, &bytes, sizeof bytes);
  atomic_fetch_add(&bytes_in_use, (long long)bytes);
#ifdef MADV_HUGEPAGE
  /* On the virtual machines gyrus runs on, the first touch of a 4 KiB page costs ~10-15 us:
   * 12 s for a 20000 x 20000 correlation matrix, more than its arithmetic. Transparent huge
   * pages cut that ~20x; the hint may be refused, which is fine. */
  const long pg = sysconf(_SC_PAGESIZE);
  if (total >= ((size_t)4 << 20) && pg > 0) {
    const uintptr_t a = ((uintptr_t)base + (uintptr_t)pg - 1) & ~((uintptr_t)pg - 1);
    const uintptr_t e = ((uintptr_t)base + total) & ~((uintptr_t)pg - 1);
    if (e > a) (void)madvise((void *)a, e - a, MADV_HUGEPAGE);
  }
#endif
  return base + GY_ALIGN;
}

void gy_free(void *p) {
  if (!p) return;
  unsigned char *base = (unsigned char *)p - GY_ALIGN;
  size_t bytes;
  memcpy(&bytes, base, sizeof bytes);
  atomic_fetch_sub(&bytes_in_use, (long long)bytes);
  free(base);
}

int64_t gy_alloc_bytes(void) { return (int64_t)atomic_load(&bytes_in_use); }

int64_t gy_mat_layout(int field) {
  switch (field) {
  case 0: return (int64_t)sizeof(gy_mat);
  case 1: return (int64_t)offsetof(gy_mat, data);
  case 2: return (int64_t)offsetof(gy_mat, rows);
  case 3: return (int64_t)offsetof(gy_mat, cols);
  case 4: return (int64_t)offsetof(gy_mat, ld);
  case 5: return (int64_t)offsetof(gy_mat, owner);
  case 6: return (int64_t)offsetof(gy_mat, flags);
  case 7: return (int64_t)sizeof(gy_rng);
  default: return -1;
  }
}

int gy_check_mat(const gy_mat *m, const char *what) {
  if (!m) return gy_err(GY_EINVAL, "%s is missing", what);
  if (m->rows < 0 || m->cols < 0 || (m->rows * m->cols > 0 && !m->data))
    return gy_err(GY_EINVAL, "%s is not a valid matrix", what);
  if (m->ld < m->rows || m->ld < 1)
    return gy_err(GY_EINVAL, "%s has a column stride %lld below its %lld rows", what,
                  (long long)m->ld, (long long)m->rows);
  return GY_OK;
}

int gy_check_finite(const gy_mat *m, const char *what) {
  GY_TRY(gy_check_mat(m, what));
  for (int64_t j = 0; j < m->cols; j++)
    for (int64_t i = 0; i < m->rows; i++)
      if (!isfinite(GY_AT(m, i, j)))
        return gy_err(GY_EINVAL, "%s has a non-finite value (%g) at row %lld, column %lld",
                      what, GY_AT(m, i, j), (long long)i + 1, (long long)j + 1);
  return GY_OK;
}

int gy_check_out(const gy_mat *out, const char *what) {
  if (!out) return gy_err(GY_EINVAL, "%s is missing", what);
  if (out->data && out->owner)
    return gy_err(GY_EINVAL, "%s must be empty (it owns storage that would leak)", what);
  return GY_OK;
}

static int mat_alloc(gy_mat *out, int64_t rows, int64_t cols, int zero) {
  GY_TRY(gy_check_out(out, "output"));
  if (rows < 0 || cols < 0)
    return gy_err(GY_EINVAL, "negative size %lld x %lld", (long long)rows, (long long)cols);
  /* 2^40 doubles (8 TiB) is far past any machine gyrus runs on; refusing early keeps a
   * corrupt header from asking the allocator for absurd sizes. */
  if (rows > 0 && cols > (INT64_C(1) << 40) / rows)
    return gy_err(GY_ENOMEM, "%lld x %lld is too large to allocate", (long long)rows,
                  (long long)cols);
  size_t n = (size_t)rows * (size_t)cols;
  double *d = gy_alloc(n ? n * sizeof(double) : 1);
  if (!d)
    return gy_err(GY_ENOMEM, "out of memory allocating %lld x %lld (%.1f MB)", (long long)rows,
                  (long long)cols, (double)n * 8 / 1e6);
  if (zero) memset(d, 0, n * sizeof(double));
  out->data = d;
  out->rows = rows;
  out->cols = cols;
  out->ld = rows > 0 ? rows : 1;
  out->owner = 1;
  out->flags = 0;
  return GY_OK;
}

int gy_mat_init(gy_mat *out, int64_t rows, int64_t cols) { return mat_alloc(out, rows, cols, 1); }

int gy_mat_init_uninit(gy_mat *out, int64_t rows, int64_t cols) {
  return mat_alloc(out, rows, cols, 0);
}

void gy_mat_clear(gy_mat *m) {
  if (!m) return;
  if (m->owner) gy_free(m->data);
  memset(m, 0, sizeof *m);
}

int gy_mat_view(gy_mat *out, const gy_mat *src, int64_t r0, int64_t c0, int64_t nr, int64_t nc) {
  GY_TRY(gy_check_out(out, "view"));
  GY_TRY(gy_check_mat(src, "matrix"));
  if (r0 < 0 || c0 < 0 || nr < 0 || nc < 0 || r0 + nr > src->rows || c0 + nc > src->cols)
    return gy_err(GY_EINVAL,
                  "block of rows %lld..%lld and columns %lld..%lld is outside a %lld x %lld matrix",
                  (long long)r0 + 1, (long long)(r0 + nr), (long long)c0 + 1,
                  (long long)(c0 + nc), (long long)src->rows, (long long)src->cols);
  out->data = src->data ? src->data + r0 + c0 * src->ld : NULL;
  out->rows = nr;
  out->cols = nc;
  out->ld = src->ld;
  out->owner = 0;
  out->flags = 0;
  return GY_OK;
}

int gy_mat_assign(gy_mat *dst, const gy_mat *src) {
  GY_TRY(gy_check_mat(dst, "destination"));
  GY_TRY(gy_check_mat(src, "source"));
  if (dst->rows != src->rows || dst->cols != src->cols)
    return gy_err(GY_EINVAL, "shapes differ: %lld x %lld and %lld x %lld", (long long)dst->rows,
                  (long long)dst->cols, (long long)src->rows, (long long)src->cols);
  for (int64_t j = 0; j < src->cols; j++)
    memmove(dst->data + j * dst->ld, src->data + j * src->ld, (size_t)src->rows * sizeof(double));
  return GY_OK;
}

int gy_mat_copy(gy_mat *out, const gy_mat *src) {
  GY_TRY(gy_check_mat(src, "matrix"));
  GY_TRY(gy_mat_init(out, src->rows, src->cols));
  return gy_mat_assign(out, src);
}

int gy_mat_transpose(gy_mat *out, const gy_mat *src) {
  GY_TRY(gy_check_mat(src, "matrix"));
  GY_TRY(gy_mat_init(out, src->cols, src->rows));
  /* Blocked so both sides stay in cache for large matrices. */
  const int64_t B = 32;
  for (int64_t jb = 0; jb < src->cols; jb += B)
    for (int64_t ib = 0; ib < src->rows; ib += B) {
      int64_t je = jb + B < src->cols ? jb + B : src->cols;
      int64_t ie = ib + B < src->rows ? ib + B : src->rows;
      for (int64_t j = jb; j < je; j++)
        for (int64_t i = ib; i < ie; i++) GY_AT(out, j, i) = GY_AT(src, i, j);
    }
  return GY_OK;
}

void gy_mat_fill(gy_mat *m, double v) {
  if (!m || !m->data) return;
  for (int64_t j = 0; j < m->cols; j++)
    for (int64_t i = 0; i < m->rows; i++) GY_AT(m, i, j) = v;
}

int gy_mat_isfinite(const gy_mat *m) {
  if (!m || !m->data) return 1;
  for (int64_t j = 0; j < m->cols; j++)
    for (int64_t i = 0; i < m->rows; i++)
      if (!isfinite(GY_AT(m, i, j))) return 0;
  return 1;
}
