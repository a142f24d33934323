/* NIfTI-1/2 through nifticlib (when the build links it: GY_HAVE_NIFTI), and the image
 * operations mask / unmask / parcellate, which need no library. */
#include "internal.h"
#include "gyrus/io_nifti.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ image operations */

static int check_grid(const gy_mat *values, const gy_mat *mask, const char *what) {
  GY_TRY(gy_check_mat(values, "the image"));
  GY_TRY(gy_check_mat(mask, what));
  if (mask->cols != 1 || mask->rows != values->rows)
    return gy_err(GY_EINVAL, "the %s has %lld voxels, the image %lld (different grids)", what,
                  (long long)(mask->rows * mask->cols), (long long)values->rows);
  return GY_OK;
}

static int check_dims(int64_t V, int64_t nx, int64_t ny, int64_t nz) {
  if (nx < 1 || ny < 1 || nz < 1 || nx > V || ny > V || nz > V || nx * ny > V ||
      nx * ny * nz != V)
    return gy_err(GY_EINVAL, "a %lld x %lld x %lld grid does not have %lld voxels",
                  (long long)nx, (long long)ny, (long long)nz, (long long)V);
  return GY_OK;
}

/* Voxel k of numpy's C order over (x, y, z) is file voxel i + nx*(j + ny*k'). */
#define FOR_C_ORDER(nx, ny, nz, v)                                                       \
  for (int64_t i_ = 0; i_ < (nx); i_++)                                                  \
    for (int64_t j_ = 0; j_ < (ny); j_++)                                                \
      for (int64_t k_ = 0, v = i_ + (nx) * j_; k_ < (nz); k_++, v += (nx) * (ny))

/* Column of each voxel in nilearn's order (-1 outside the mask); returns the count or -1
 * when out of memory. */
static int64_t mask_columns(int64_t **col, const gy_mat *mask, int64_t nx, int64_t ny,
                            int64_t nz) {
  int64_t V = nx * ny * nz, k = 0;
  *col = malloc((size_t)(V ? V : 1) * sizeof **col);
  if (!*col) return -1;
  int64_t *c = *col;
  FOR_C_ORDER(nx, ny, nz, v) c[v] = mask->data[v] != 0 ? k++ : -1;
  return k;
}

/* Rows t0.. of out (volumes x mask voxels) from the volumes of src (voxels x volumes): a
 * tiled transpose. Blocks of voxels in file order read each volume contiguously, and the
 * block's output columns stay in cache while they fill (a voxel-by-voxel gather strides a
 * whole volume per value). */
static int scatter_masked(gy_mat *out, int64_t t0, const gy_mat *src, const int64_t *col) {
  enum { BLOCK_VOXELS = 1024 };
  int64_t V = src->rows, T = src->cols;
  for (int64_t v0 = 0; v0 < V; v0 += BLOCK_VOXELS) {
    int64_t v1 = V - v0 < BLOCK_VOXELS ? V : v0 + BLOCK_VOXELS;
    for (int64_t t = 0; t < T; t++) {
      const double *s = src->data + t * src->ld;
      double *dst = out->data + t0 + t;
      for (int64_t v = v0; v < v1; v++)
        if (col[v] >= 0) dst[col[v] * out->ld] = s[v];
    }
    if (((v0 / BLOCK_VOXELS) & 63) == 63) GY_TRY(gy_check_interrupt());
  }
  return GY_OK;
}

static int count_mask(const gy_mat *mask) {
  for (int64_t v = 0; v < mask->rows; v++) {
    double m = mask->data[v];
    if (m != m) return gy_err(GY_EINVAL, "the mask has NaN at voxel %lld", (long long)v + 1);
  }
  return GY_OK;
}

int gy_nifti_mask(gy_mat *out, const gy_mat *values, const gy_mat *mask, int64_t nx,
                  int64_t ny, int64_t nz) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(check_grid(values, mask, "mask"));
  GY_TRY(check_dims(values->rows, nx, ny, nz));
  GY_TRY(count_mask(mask));
  int64_t *col;
  int64_t n = mask_columns(&col, mask, nx, ny, nz);
  if (n < 0) return gy_err(GY_ENOMEM, "out of memory");
  int st = gy_mat_init_uninit(out, values->cols, n);
  if (!st) st = scatter_masked(out, 0, values, col);
  free(col);
  if (st) gy_mat_clear(out);
  return st;
}

int gy_nifti_unmask(gy_mat *out, const gy_mat *X, const gy_mat *mask, int64_t nx, int64_t ny,
                    int64_t nz) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_check_mat(X, "the data"));
  GY_TRY(gy_check_mat(mask, "the mask"));
  if (mask->cols != 1) return gy_err(GY_EINVAL, "the mask must be one column of voxels");
  int64_t V = mask->rows, n = 0;
  GY_TRY(check_dims(V, nx, ny, nz));
  for (int64_t v = 0; v < V; v++) n += mask->data[v] != 0 && mask->data[v] == mask->data[v];
  if (X->cols != n)
    return gy_err(GY_EINVAL, "the data have %lld columns but the mask has %lld voxels",
                  (long long)X->cols, (long long)n);
  GY_TRY(gy_mat_init(out, V, X->rows));
  int64_t k = 0;
  FOR_C_ORDER(nx, ny, nz, v) {
    if (mask->data[v] == 0 || mask->data[v] != mask->data[v]) continue;
    for (int64_t t = 0; t < X->rows; t++) GY_AT(out, v, t) = GY_AT(X, t, k);
    k++;
  }
  return GY_OK;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int gy_nifti_parcellate(gy_mat *out, gy_mat *labels_out, const gy_mat *values,
                        const gy_mat *labels) {
  GY_TRY(gy_check_out(out, "output"));
  if (labels_out) GY_TRY(gy_check_out(labels_out, "labels output"));
  GY_TRY(check_grid(values, labels, "atlas"));
  int64_t V = values->rows, T = values->cols, n = 0;
  double *sorted = malloc((size_t)(V ? V : 1) * sizeof *sorted);
  if (!sorted) return gy_err(GY_ENOMEM, "out of memory");
  for (int64_t v = 0; v < V; v++) {
    double l = labels->data[v];
    if (!isfinite(l) || l != floor(l) || l < 0) {
      free(sorted);
      return gy_err(GY_EINVAL, "the atlas value %g at voxel %lld is not a label (an integer >= 0)",
                    l, (long long)v + 1);
    }
    if (l > 0) sorted[n++] = l;
  }
  qsort(sorted, (size_t)n, sizeof *sorted, cmp_double);
  int64_t L = 0;
  for (int64_t k = 0; k < n; k++)
    if (k == 0 || sorted[k] != sorted[L - 1]) sorted[L++] = sorted[k];
  int64_t *index = malloc((size_t)(V ? V : 1) * sizeof *index);
  double *count = calloc((size_t)(L ? L : 1), sizeof *count);
  int st = (!index || !count) ? gy_err(GY_ENOMEM, "out of memory") : GY_OK;
  if (!st) st = gy_mat_init(out, T, L);
  if (!st && labels_out) st = gy_mat_init(labels_out, L, 1);
  if (!st) {
    for (int64_t v = 0; v < V; v++) {
      double l = labels->data[v];
      index[v] = -1;
      if (l > 0) {
        int64_t lo = 0, hi = L - 1;
        while (lo < hi) {
          int64_t mid = (lo + hi) / 2;
          if (sorted[mid] < l) lo = mid + 1; else hi = mid;
        }
        index[v] = lo;
        count[lo] += 1;
      }
    }
    for (int64_t t = 0; t < T && !st; t++) {
      double *dst = out->data + t;
      for (int64_t v = 0; v < V; v++)
        if (index[v] >= 0) dst[index[v] * out->ld] += GY_AT(values, v, t);
      if ((t & 63) == 63) st = gy_check_interrupt();
    }
    for (int64_t l = 0; l < L && !st; l++)
      for (int64_t t = 0; t < T; t++) GY_AT(out, t, l) /= count[l];
    if (!st && labels_out) memcpy(labels_out->data, sorted, (size_t)L * sizeof(double));
  }
  free(sorted);
  free(index);
  free(count);
  if (st) {
    gy_mat_clear(out);
    if (labels_out) gy_mat_clear(labels_out);
  }
  return st;
}

/* ------------------------------------------------------------------ files */

#ifndef GY_HAVE_NIFTI

int gy_nifti_available(void) { return 0; }

static int no_nifti(void) {
  return gy_err(GY_EUNSUPPORTED, "this build of gyrus has no NIfTI support (it needs nifticlib: "
                "apt-get install libnifti2-dev, then rebuild)");
}

int gy_nifti_read_header(gy_nifti_header *h, const char *path) { return no_nifti(); }
int gy_nifti_read(gy_mat *out, gy_nifti_header *h, const char *path) { return no_nifti(); }
int gy_nifti_read_masked(gy_mat *out, gy_nifti_header *h, const char *path,
                         const gy_mat *mask) { return no_nifti(); }
int gy_nifti_write(const char *path, const gy_mat *X, const gy_nifti_header *h, int datatype) {
  return no_nifti();
}
int gy_nifti_read_parts(gy_mat *out, gy_mat *imag, gy_nifti_header *h, const char *path) {
  return no_nifti();
}
int gy_nifti_read_ext(gy_nifti_ext **ext, int64_t *n, const char *path) { return no_nifti(); }
void gy_nifti_ext_free(gy_nifti_ext *ext, int64_t n) {
  (void)ext;
  (void)n;
}
int gy_nifti_write_ext(const char *path, const gy_mat *X, const gy_nifti_header *h, int datatype,
                       const gy_nifti_ext *ext, int64_t next) {
  return no_nifti();
}

#else

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nifti2_io.h>
#include <zlib.h>

#include "gyrus/io.h"

static const int64_t MAX_VOXELS = INT64_C(1) << 40;
enum { ZBLOCK = 1 << 16 };

int gy_nifti_available(void) { return 1; }

/* nifticlib reports through stderr under a global debug level; 0 keeps it quiet for all
 * but its hard errors, which gyrus detects and reports itself. */
static void quiet(void) {
  static int done;
  if (!done) {
    nifti_set_debug_level(0);
    done = 1;
  }
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int dt_supported(int dt) {
  switch (dt) {
  case DT_UINT8: case DT_INT16: case DT_INT32: case DT_FLOAT32: case DT_FLOAT64:
  case DT_INT8: case DT_UINT16: case DT_UINT32: case DT_INT64: case DT_UINT64: return 1;
  default: return 0;
  }
}

/* Values per voxel of the datatypes read but not written: complex (real, imaginary) and
 * RGB24 (red, green, blue); 0 for a datatype gyrus does not read. */
static int dt_parts(int dt) {
  if (dt_supported(dt)) return 1;
  if (dt == DT_COMPLEX64 || dt == DT_COMPLEX128) return 2;
  if (dt == DT_RGB24) return 3;
  return 0;
}

static void mat_rowmajor(double out[16], const nifti_dmat44 *m) {
  for (int r = 0; r < 4; r++)
    for (int c = 0; c < 4; c++) out[4 * r + c] = m->m[r][c];
}

/* The qform as nibabel computes it (Nifti1Header.get_qform): nifticlib renormalises the
 * quaternion when 1 - (b^2 + c^2 + d^2) < 1e-7 where nibabel keeps sqrt of it, which moves
 * off-diagonal elements by up to ~1e-5 on real files (nibabel's example4d.nii.gz). */
static void qform_like_nibabel(double q[16], const nifti_image *nim) {
  double x = nim->quatern_b, y = nim->quatern_c, z = nim->quatern_d;
  double w2 = 1.0 - (x * x + y * y + z * z);
  double w = w2 > 0 ? sqrt(w2) : 0;
  double n = w * w + x * x + y * y + z * z;
  double R[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  if (n > 1e-300) {
    double s = 2.0 / n, X = x * s, Y = y * s, Z = z * s;
    double wX = w * X, wY = w * Y, wZ = w * Z, xX = x * X, xY = x * Y, xZ = x * Z;
    double yY = y * Y, yZ = y * Z, zZ = z * Z;
    double M[3][3] = {{1.0 - (yY + zZ), xY - wZ, xZ + wY},
                      {xY + wZ, 1.0 - (xX + zZ), yZ - wX},
                      {xZ - wY, yZ + wX, 1.0 - (xX + yY)}};
    memcpy(R, M, sizeof R);
  }
  double vox[3] = {nim->pixdim[1], nim->pixdim[2], nim->pixdim[3] * (nim->qfac < 0 ? -1 : 1)};
  for (int r = 0; r < 3; r++)
    for (int c = 0; c < 3; c++) q[4 * r + c] = R[r][c] * vox[c];
  q[3] = nim->qoffset_x;
  q[7] = nim->qoffset_y;
  q[11] = nim->qoffset_z;
  q[12] = q[13] = q[14] = 0;
  q[15] = 1;
}

static void fill_header(gy_nifti_header *h, const nifti_image *nim, int version) {
  memset(h, 0, sizeof *h);
  h->version = version;
  h->ndim = (int32_t)nim->dim[0];
  for (int d = 0; d < 8; d++) {
    h->dim[d] = nim->dim[d];
    h->pixdim[d] = nim->pixdim[d];
  }
  h->dim[0] = nim->dim[0];
  h->pixdim[0] = nim->qfac;
  h->datatype = nim->datatype;
  h->intent_code = nim->intent_code;
  h->intent_p[0] = nim->intent_p1;
  h->intent_p[1] = nim->intent_p2;
  h->intent_p[2] = nim->intent_p3;
  h->scl_slope = nim->scl_slope;
  h->scl_inter = nim->scl_inter;
  h->cal_min = nim->cal_min;
  h->cal_max = nim->cal_max;
  h->toffset = nim->toffset;
  h->xyz_units = nim->xyz_units;
  h->time_units = nim->time_units;
  h->qform_code = nim->qform_code;
  h->sform_code = nim->sform_code;
  h->slice_code = nim->slice_code;
  h->slice_dim = nim->slice_dim;
  h->slice_duration = nim->slice_duration;
  mat_rowmajor(h->qform, &nim->qto_xyz);
  if (nim->qform_code > 0) qform_like_nibabel(h->qform, nim);
  mat_rowmajor(h->sform, &nim->sto_xyz);
  /* nifticlib leaves the whole sform zero when sform_code is 0; nibabel's get_sform()
   * gives the (zero) srows with the homogeneous row. */
  h->sform[12] = h->sform[13] = h->sform[14] = 0;
  h->sform[15] = 1;
  if (nim->sform_code > 0) {
    memcpy(h->affine, h->sform, sizeof h->affine);
  } else if (nim->qform_code > 0) {
    memcpy(h->affine, h->qform, sizeof h->affine);
  } else {
    /* nibabel's base affine: voxel sizes, x flipped (radiological), centred. */
    double dx = nim->dx, dy = nim->dy, dz = nim->dz;
    int64_t nx = nim->nx, ny = nim->ny, nz = nim->dim[0] >= 3 ? nim->nz : 1;
    if (nim->dim[0] < 2) { ny = 1; dy = 1; }
    if (nim->dim[0] < 3) dz = 1;
    memset(h->affine, 0, sizeof h->affine);
    h->affine[0] = -dx;
    h->affine[3] = (double)(nx - 1) / 2 * dx;
    h->affine[5] = dy;
    h->affine[7] = -(double)(ny - 1) / 2 * dy;
    h->affine[10] = dz;
    h->affine[11] = -(double)(nz - 1) / 2 * dz;
    h->affine[15] = 1;
  }
  snprintf(h->intent_name, sizeof h->intent_name, "%.16s", nim->intent_name);
  snprintf(h->descrip, sizeof h->descrip, "%.80s", nim->descrip);
  snprintf(h->aux_file, sizeof h->aux_file, "%.23s", nim->aux_file);
}

/* The header, checked against the file. */
static int open_header(nifti_image **out, int *version, const char *path) {
  quiet();
  *out = NULL;
  if (!path) return gy_err(GY_EINVAL, "the file name is missing");
  struct stat st;
  if (stat(path, &st) != 0) return gy_err(GY_EIO, "cannot open '%s': %s", path, strerror(errno));
  if (!S_ISREG(st.st_mode)) return gy_err(GY_EIO, "'%s' is not a regular file", path);
  if (!ends_with(path, ".nii") && !ends_with(path, ".nii.gz"))
    return gy_err(GY_EINVAL, "'%s' is not a .nii or .nii.gz file", path);
  if (!ends_with(path, ".gz") && st.st_size < 348)
    return gy_err(GY_EFORMAT, "'%s' is too short for a NIfTI header", path);
  /* The raw header tells the version (nifti_image does not) and rejects ANALYZE 7.5,
   * which nifticlib would otherwise accept in place of a bad NIfTI magic. */
  int nver = -1;
  void *raw = nifti_read_header(path, &nver, 1);
  if (!raw) return gy_err(GY_EFORMAT, "'%s' is not a valid NIfTI-1/2 file (unreadable header)",
                          path);
  if (nver != 1 && nver != 2) {
    free(raw);
    return gy_err(GY_EFORMAT, "'%s' is not a valid NIfTI-1/2 file (bad magic)", path);
  }
  /* nifti_image_read trusts dim[0] when it converts the header (a damaged dim[0] made it
   * write past its stack: found by tests/fuzz/fuzz_nifti.c), so the raw dimensions are
   * checked here first. */
  int64_t rdim0 = nver == 1 ? ((nifti_1_header *)raw)->dim[0] : ((nifti_2_header *)raw)->dim[0];
  int rsize = nver == 1 ? ((nifti_1_header *)raw)->sizeof_hdr : ((nifti_2_header *)raw)->sizeof_hdr;
  if (rsize != (nver == 1 ? 348 : 540)) { /* stored in the other byte order */
    if (nver == 1) {
      int16_t v = (int16_t)rdim0;
      nifti_swap_2bytes(1, &v);
      rdim0 = v;
    } else {
      nifti_swap_8bytes(1, &rdim0);
    }
  }
  free(raw);
  if (rdim0 < 1 || rdim0 > 7)
    return gy_err(GY_EFORMAT, "'%s' has invalid dimensions (dim[0] = %lld)", path,
                  (long long)rdim0);
  nifti_image *nim = nifti_image_read(path, 0);
  if (!nim) return gy_err(GY_EFORMAT, "'%s' is not a valid NIfTI-1/2 file", path);
  *version = nver;
  int64_t nvox = 1;
  int bad = nim->dim[0] < 1 || nim->dim[0] > 7;
  for (int d = 1; !bad && d <= nim->dim[0]; d++) {
    if (nim->dim[d] < 1) bad = 1;
    else if (nvox > MAX_VOXELS / nim->dim[d]) bad = 2;
    else nvox *= nim->dim[d];
  }
  int status = GY_OK;
  if (bad == 1) {
    status = gy_err(GY_EFORMAT, "'%s' has invalid dimensions (dim[0] = %lld)", path,
                    (long long)nim->dim[0]);
  } else if (bad == 2) {
    status = gy_err(GY_EFORMAT, "'%s' claims absurd dimensions (more than 2^40 voxels)", path);
  } else if (!dt_parts(nim->datatype)) {
    status = gy_err(GY_EUNSUPPORTED, "'%s' holds datatype %d (%s), which gyrus does not read",
                    path, nim->datatype, nifti_datatype_string(nim->datatype));
  } else {
    uint64_t bytes = (uint64_t)nvox * (uint64_t)nim->nbyper;
    uint64_t size = (uint64_t)st.st_size;
    if (ends_with(path, ".gz")) {
      /* Deflate expands at most ~1032:1, so a larger claim cannot be true. */
      if (bytes / 1032 > size)
        status = gy_err(GY_EFORMAT, "'%s' claims %llu bytes of data but is only %llu bytes "
                        "compressed", path, (unsigned long long)bytes, (unsigned long long)size);
    } else if (nim->iname_offset < 0 || (uint64_t)nim->iname_offset > size ||
               bytes > size - (uint64_t)nim->iname_offset) {
      status = gy_err(GY_EFORMAT, "'%s' is truncated: the header describes %llu bytes of data "
                      "from offset %lld, the file has %llu bytes", path, (unsigned long long)bytes,
                      (long long)nim->iname_offset, (unsigned long long)size);
    }
  }
  if (status) {
    nifti_image_free(nim);
    return status;
  }
  *out = nim;
  return GY_OK;
}

int gy_nifti_read_header(gy_nifti_header *h, const char *path) {
  if (!h) return gy_err(GY_EINVAL, "no place for the header");
  nifti_image *nim;
  int version;
  GY_TRY(open_header(&nim, &version, path));
  fill_header(h, nim, version);
  nifti_image_free(nim);
  return GY_OK;
}

static void swap_bytes(unsigned char *p, int64_t n, int size) {
  for (int64_t k = 0; k < n; k++, p += size)
    for (int a = 0, b = size - 1; a < b; a++, b--) {
      unsigned char t = p[a];
      p[a] = p[b];
      p[b] = t;
    }
}

static void decode(double *out, const unsigned char *p, int64_t n, int dt) {
  for (int64_t k = 0; k < n; k++) {
    switch (dt) {
    case DT_UINT8: out[k] = p[k]; break;
    case DT_INT8: { int8_t v; memcpy(&v, p + k, 1); out[k] = v; } break;
    case DT_INT16: { int16_t v; memcpy(&v, p + 2 * k, 2); out[k] = v; } break;
    case DT_UINT16: { uint16_t v; memcpy(&v, p + 2 * k, 2); out[k] = v; } break;
    case DT_INT32: { int32_t v; memcpy(&v, p + 4 * k, 4); out[k] = v; } break;
    case DT_UINT32: { uint32_t v; memcpy(&v, p + 4 * k, 4); out[k] = v; } break;
    case DT_INT64: { int64_t v; memcpy(&v, p + 8 * k, 8); out[k] = (double)v; } break;
    case DT_UINT64: { uint64_t v; memcpy(&v, p + 8 * k, 8); out[k] = (double)v; } break;
    case DT_FLOAT32: { float v; memcpy(&v, p + 4 * k, 4); out[k] = v; } break;
    case DT_COMPLEX64: {
      float v[2];
      memcpy(v, p + 8 * k, 8);
      out[2 * k] = v[0];
      out[2 * k + 1] = v[1];
    } break;
    case DT_COMPLEX128: memcpy(out + 2 * k, p + 16 * k, 16); break;
    case DT_RGB24: for (int c = 0; c < 3; c++) out[3 * k + c] = p[3 * k + c]; break;
    default: memcpy(out + k, p + 8 * k, 8); break;
    }
  }
}

/* The data are read here rather than by nifti_image_load, which keeps a second copy of
 * the whole image and silently turns NaN and Inf in float images into 0 (nibabel keeps
 * them). zlib's gzread reads .nii.gz and, transparently, plain .nii. A reader streams the
 * values in file order, so a masked read never holds the whole image. */
typedef struct reader {
  nifti_image *nim;
  int version, size, dt, swap, scale, parts;
  double slope, inter;
  int64_t V, T, done;
  gzFile gz;
  unsigned char *raw;
  const char *path;
} reader;

static void reader_close(reader *r) {
  if (r->gz) gzclose(r->gz);
  free(r->raw);
  if (r->nim) nifti_image_free(r->nim);
  memset(r, 0, sizeof *r);
}

static int reader_open(reader *r, const char *path) {
  memset(r, 0, sizeof *r);
  GY_TRY(open_header(&r->nim, &r->version, path));
  nifti_image *nim = r->nim;
  r->path = path;
  r->V = r->T = 1;
  for (int d = 1; d <= nim->dim[0]; d++) {
    if (d <= 3) r->V *= nim->dim[d];
    else r->T *= nim->dim[d];
  }
  r->size = nim->nbyper;
  r->dt = nim->datatype;
  r->parts = dt_parts(r->dt);
  int nbyper = 0, swapsize = 0;
  nifti_datatype_sizes(r->dt, &nbyper, &swapsize);
  /* complex values swap each of their two floats; RGB bytes never swap */
  r->swap = swapsize > 1 && nim->byteorder != nifti_short_order() ? swapsize : 0;
  r->slope = nim->scl_slope;
  r->inter = nim->scl_inter;
  /* nibabel applies no scaling to RGB (a record array) */
  r->scale = isfinite(r->slope) && r->slope != 0 && r->dt != DT_RGB24;
  if (!isfinite(r->inter)) r->inter = 0;
  if (r->scale && r->slope == 1 && r->inter == 0) r->scale = 0;
  r->raw = malloc(ZBLOCK);
  r->gz = gzopen(path, "rb");
  int st = GY_OK;
  if (!r->raw || !r->gz) st = gy_err(r->raw ? GY_EIO : GY_ENOMEM, "cannot read '%s'", path);
  if (!st) {
    gzbuffer(r->gz, 1 << 18);
    if (gzseek(r->gz, (z_off_t)nim->iname_offset, SEEK_SET) != (z_off_t)nim->iname_offset)
      st = gy_err(GY_EFORMAT, "'%s' is truncated before its data", path);
  }
  if (st) reader_close(r);
  return st;
}

/* The next n voxel values, scaled, into dst: parts doubles per voxel, interleaved (complex
 * real part then imaginary part; RGB red, green, blue). */
static int reader_next(reader *r, double *dst, int64_t n) {
  int64_t per = ZBLOCK / r->size, total = r->V * r->T;
  for (int64_t got_n = 0; got_n < n;) {
    int64_t k = n - got_n < per ? n - got_n : per;
    int got = gzread(r->gz, r->raw, (unsigned)(k * r->size));
    if (got != (int)(k * r->size)) {
      int zerr = 0;
      const char *msg = gzerror(r->gz, &zerr);
      return zerr < 0 && zerr != Z_BUF_ERROR
                 ? gy_err(GY_EFORMAT, "'%s' is corrupt (%s)", r->path, msg)
                 : gy_err(GY_EFORMAT, "'%s' is truncated: its data end after %lld of %lld values",
                          r->path, (long long)(r->done + (got > 0 ? got / r->size : 0)),
                          (long long)total);
    }
    if (r->swap) swap_bytes(r->raw, k * r->size / r->swap, r->swap);
    double *d = dst + got_n * r->parts;
    decode(d, r->raw, k, r->dt);
    if (r->scale && r->parts == 1)
      for (int64_t q = 0; q < k; q++) d[q] = d[q] * r->slope + r->inter;
    if (r->scale && r->parts == 2) /* numpy: slope * z + inter, inter real */
      for (int64_t q = 0; q < k; q++) {
        d[2 * q] = d[2 * q] * r->slope + r->inter;
        d[2 * q + 1] *= r->slope;
      }
    got_n += k;
    r->done += k;
    GY_TRY(gy_check_interrupt());
  }
  return GY_OK;
}

int gy_nifti_read(gy_mat *out, gy_nifti_header *h, const char *path) {
  return gy_nifti_read_parts(out, NULL, h, path);
}

int gy_nifti_read_parts(gy_mat *out, gy_mat *imag, gy_nifti_header *h, const char *path) {
  GY_TRY(gy_check_out(out, "output"));
  if (imag) GY_TRY(gy_check_out(imag, "imaginary output"));
  reader r;
  GY_TRY(reader_open(&r, path));
  if (r.parts == 2 && !imag) {
    int st = gy_err(GY_EUNSUPPORTED, "'%s' holds complex values (%s): read them with their "
                    "imaginary part (gy.read gives img.data and img.imag)", path,
                    nifti_datatype_string(r.dt));
    reader_close(&r);
    return st;
  }
  gy_mat m = {0}, im = {0};
  double *vol = NULL;
  /* RGB volumes become 3 columns each (red, green, blue) */
  int st = gy_mat_init_uninit(&m, r.V, r.parts == 3 ? 3 * r.T : r.T);
  if (!st && r.parts == 2) st = gy_mat_init_uninit(&im, r.V, r.T);
  if (!st && r.parts > 1 && !(vol = malloc((size_t)(r.V ? r.V : 1) * (size_t)r.parts * sizeof *vol)))
    st = gy_err(GY_ENOMEM, "out of memory");
  if (!st && r.parts == 1) st = reader_next(&r, m.data, r.V * r.T);
  for (int64_t t = 0; t < r.T && !st && r.parts > 1; t++) {
    st = reader_next(&r, vol, r.V);
    for (int64_t v = 0; v < r.V && !st; v++) {
      if (r.parts == 2) {
        GY_AT(&m, v, t) = vol[2 * v];
        GY_AT(&im, v, t) = vol[2 * v + 1];
      } else {
        for (int c = 0; c < 3; c++) GY_AT(&m, v, 3 * t + c) = vol[3 * v + c];
      }
    }
  }
  free(vol);
  if (!st && h) fill_header(h, r.nim, r.version);
  reader_close(&r);
  if (st) {
    gy_mat_clear(&m);
    gy_mat_clear(&im);
    return st;
  }
  *out = m;
  if (imag) *imag = im;
  return GY_OK;
}

int gy_nifti_read_ext(gy_nifti_ext **ext, int64_t *n, const char *path) {
  if (!ext || !n) return gy_err(GY_EINVAL, "no place for the extensions");
  *ext = NULL;
  *n = 0;
  nifti_image *nim;
  int version;
  GY_TRY(open_header(&nim, &version, path));
  int64_t k = nim->num_ext > 0 && nim->ext_list ? nim->num_ext : 0;
  gy_nifti_ext *e = calloc((size_t)(k ? k : 1), sizeof *e);
  int st = e ? GY_OK : gy_err(GY_ENOMEM, "out of memory");
  for (int64_t q = 0; q < k && !st; q++) {
    const nifti1_extension *x = &nim->ext_list[q];
    /* esize counts the 8 bytes of esize and ecode */
    int64_t size = x->esize > 8 && x->edata ? x->esize - 8 : 0;
    /* the padding goes, as nibabel strips trailing NULs */
    while (size > 0 && x->edata[size - 1] == 0) size--;
    e[q].code = x->ecode;
    e[q].size = size;
    e[q].data = malloc((size_t)(size ? size : 1));
    if (!e[q].data) st = gy_err(GY_ENOMEM, "out of memory");
    else if (size) memcpy(e[q].data, x->edata, (size_t)size);
  }
  nifti_image_free(nim);
  if (st) {
    gy_nifti_ext_free(e, k);
    return st;
  }
  *ext = e;
  *n = k;
  return GY_OK;
}

void gy_nifti_ext_free(gy_nifti_ext *ext, int64_t n) {
  if (!ext) return;
  for (int64_t q = 0; q < n; q++) free(ext[q].data);
  free(ext);
}

int gy_nifti_read_masked(gy_mat *out, gy_nifti_header *h, const char *path,
                         const gy_mat *mask) {
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_check_mat(mask, "the mask"));
  reader r;
  GY_TRY(reader_open(&r, path));
  if (r.parts > 1) {
    int st = gy_err(GY_EUNSUPPORTED, "'%s' holds %s values, which cannot be masked while "
                    "reading (read the image, then mask img.data)", path,
                    nifti_datatype_string(r.dt));
    reader_close(&r);
    return st;
  }
  int64_t nx = r.nim->dim[1], ny = r.nim->dim[0] >= 2 ? r.nim->dim[2] : 1,
          nz = r.nim->dim[0] >= 3 ? r.nim->dim[3] : 1;
  int st = GY_OK;
  if (mask->cols != 1 || mask->rows != r.V)
    st = gy_err(GY_EINVAL, "the mask has %lld x %lld values but the image has %lld voxels per "
                "volume", (long long)mask->rows, (long long)mask->cols, (long long)r.V);
  if (!st) st = count_mask(mask);
  int64_t *col = NULL, n = 0;
  if (!st && (n = mask_columns(&col, mask, nx, ny, nz)) < 0) st = gy_err(GY_ENOMEM, "out of memory");
  /* A few volumes at a time (about 32 MB): the peak is the result plus this buffer. */
  int64_t per = r.V > 0 ? (int64_t)(((size_t)32 << 20) / 8 / (size_t)r.V) : 1;
  if (per < 1) per = 1;
  if (per > r.T) per = r.T;
  gy_mat buf = {0};
  if (!st) st = gy_mat_init_uninit(out, r.T, n);
  if (!st) st = gy_mat_init_uninit(&buf, r.V, per);
  for (int64_t t0 = 0; t0 < r.T && !st; t0 += per) {
    gy_mat chunk = buf;
    chunk.owner = 0;
    chunk.cols = r.T - t0 < per ? r.T - t0 : per;
    st = reader_next(&r, chunk.data, r.V * chunk.cols);
    if (!st) st = scatter_masked(out, t0, &chunk, col);
  }
  if (!st && h) fill_header(h, r.nim, r.version);
  reader_close(&r);
  gy_mat_clear(&buf);
  free(col);
  if (st) gy_mat_clear(out);
  return st;
}

/* One value into a datatype; integer types take only integral values in range. */
static int store(void *data, int dt, int64_t k, double v) {
  if (dt == DT_FLOAT32) { ((float *)data)[k] = (float)v; return GY_OK; }
  if (dt == DT_FLOAT64) { ((double *)data)[k] = v; return GY_OK; }
  double lo, hi;
  switch (dt) {
  case DT_UINT8: lo = 0; hi = 255; break;
  case DT_INT8: lo = -128; hi = 127; break;
  case DT_INT16: lo = -32768; hi = 32767; break;
  case DT_UINT16: lo = 0; hi = 65535; break;
  case DT_INT32: lo = -2147483648.0; hi = 2147483647.0; break;
  case DT_UINT32: lo = 0; hi = 4294967295.0; break;
  case DT_INT64: lo = -9223372036854775808.0; hi = 9223372036854774784.0; break;
  default: lo = 0; hi = 18446744073709549568.0; break;
  }
  if (!(v == floor(v)) || v < lo || v > hi)
    return gy_err(GY_EINVAL, "the value %.17g at element %lld does not fit datatype %s "
                  "(write float32 or float64 instead)", v, (long long)k + 1,
                  nifti_datatype_string(dt));
  switch (dt) {
  case DT_UINT8: ((uint8_t *)data)[k] = (uint8_t)v; break;
  case DT_INT8: ((int8_t *)data)[k] = (int8_t)v; break;
  case DT_INT16: ((int16_t *)data)[k] = (int16_t)v; break;
  case DT_UINT16: ((uint16_t *)data)[k] = (uint16_t)v; break;
  case DT_INT32: ((int32_t *)data)[k] = (int32_t)v; break;
  case DT_UINT32: ((uint32_t *)data)[k] = (uint32_t)v; break;
  case DT_INT64: ((int64_t *)data)[k] = (int64_t)v; break;
  default: ((uint64_t *)data)[k] = (uint64_t)v; break;
  }
  return GY_OK;
}

static int nim_size(int dt) {
  int nbyper = 0, swapsize = 0;
  nifti_datatype_sizes(dt, &nbyper, &swapsize);
  return nbyper;
}

static int is_identity(const double a[16]) {
  for (int k = 0; k < 16; k++)
    if (a[k] != (k % 5 == 0 ? 1.0 : 0.0)) return 0;
  return 1;
}

/* nifti_image_write returns nothing (and in nifticlib 3.0.1 writes no header for
 * NIfTI-2), so nifticlib only encodes the header; gyrus writes header and data itself
 * through the atomic writer, gzip-compressing for .nii.gz. */
typedef struct out_stream {
  gy_wfile *f;
  z_stream *z;
  unsigned char *buf;
} out_stream;


static int out_put(out_stream *o, const void *data, size_t n, int flush) {
  if (!o->z) return gy_wfile_write(o->f, data, n);
  o->z->next_in = (unsigned char *)data;
  o->z->avail_in = (uInt)n;
  int r;
  do {
    o->z->next_out = o->buf;
    o->z->avail_out = ZBLOCK;
    r = deflate(o->z, flush ? Z_FINISH : Z_NO_FLUSH);
    if (r == Z_STREAM_ERROR) return gy_err(GY_ELIB, "zlib failed to compress");
    GY_TRY(gy_wfile_write(o->f, o->buf, ZBLOCK - o->z->avail_out));
  } while (o->z->avail_in > 0 || (flush && r != Z_STREAM_END));
  return GY_OK;
}

int gy_nifti_write(const char *path, const gy_mat *X, const gy_nifti_header *h, int datatype) {
  return gy_nifti_write_ext(path, X, h, datatype, NULL, 0);
}

int gy_nifti_write_ext(const char *path, const gy_mat *X, const gy_nifti_header *h, int datatype,
                       const gy_nifti_ext *ext, int64_t next) {
  quiet();
  if (next < 0 || (next > 0 && !ext)) return gy_err(GY_EINVAL, "the extensions are missing");
  /* Each extension is padded to a multiple of 16 bytes, as nibabel writes them. */
  int64_t extbytes = 0;
  for (int64_t q = 0; q < next; q++) {
    if (ext[q].size < 0 || ext[q].size > (INT64_C(1) << 30) || (ext[q].size > 0 && !ext[q].data))
      return gy_err(GY_EINVAL, "extension %lld has no data or more than 1 GB", (long long)q + 1);
    extbytes += (ext[q].size + 8 + 15) / 16 * 16;
    if (extbytes > INT32_MAX - 1024) return gy_err(GY_EINVAL, "the extensions are too large");
  }
  GY_TRY(gy_check_mat(X, "the image data"));
  if (!path || !h) return gy_err(GY_EINVAL, "the file name or header is missing");
  int gz = ends_with(path, ".nii.gz");
  if (!gz && !ends_with(path, ".nii"))
    return gy_err(GY_EINVAL, "'%s' must end in .nii or .nii.gz", path);
  int dt = datatype ? datatype : DT_FLOAT32;
  if (!dt_supported(dt)) return gy_err(GY_EINVAL, "datatype %d cannot be written", datatype);
  if (h->ndim < 1 || h->ndim > 7) return gy_err(GY_EINVAL, "the image needs 1 to 7 dimensions");
  int64_t dims[8] = {h->ndim, 1, 1, 1, 1, 1, 1, 1}, V = 1, T = 1;
  for (int d = 1; d <= h->ndim; d++) {
    if (h->dim[d] < 1 || h->dim[d] > MAX_VOXELS)
      return gy_err(GY_EINVAL, "dimension %d of the image is %lld", d, (long long)h->dim[d]);
    dims[d] = h->dim[d];
    if (d <= 3) V *= h->dim[d]; else T *= h->dim[d];
    if (V > MAX_VOXELS || T > MAX_VOXELS || (T > 0 && V > MAX_VOXELS / T))
      return gy_err(GY_EINVAL, "the image is too large");
  }
  if (X->rows != V || X->cols != T)
    return gy_err(GY_EINVAL, "the data are %lld x %lld but the header describes %lld voxels x "
                  "%lld volumes", (long long)X->rows, (long long)X->cols, (long long)V,
                  (long long)T);
  int version2 = h->version == 2;
  for (int d = 1; d <= h->ndim; d++)
    if (dims[d] > 32767) version2 = 1; /* NIfTI-1 dims are 16-bit */
  nifti_image *nim = nifti_make_new_nim(dims, dt, 0);
  if (!nim) return gy_err(GY_ENOMEM, "nifticlib could not describe a %lld x %lld image",
                          (long long)V, (long long)T);
  for (int d = 1; d <= 7; d++) {
    double p = h->pixdim[d] > 0 && isfinite(h->pixdim[d]) ? h->pixdim[d] : 1;
    nim->pixdim[d] = p;
  }
  nim->dx = nim->pixdim[1]; nim->dy = nim->pixdim[2]; nim->dz = nim->pixdim[3];
  nim->dt = nim->pixdim[4]; nim->du = nim->pixdim[5]; nim->dv = nim->pixdim[6];
  nim->dw = nim->pixdim[7];
  nim->intent_code = h->intent_code;
  nim->intent_p1 = h->intent_p[0];
  nim->intent_p2 = h->intent_p[1];
  nim->intent_p3 = h->intent_p[2];
  nim->cal_min = h->cal_min;
  nim->cal_max = h->cal_max;
  nim->toffset = h->toffset;
  nim->xyz_units = h->xyz_units ? h->xyz_units : NIFTI_UNITS_MM;
  nim->time_units = h->time_units ? h->time_units : (T > 1 ? NIFTI_UNITS_SEC : 0);
  nim->slice_code = h->slice_code;
  nim->slice_dim = h->slice_dim;
  nim->slice_duration = h->slice_duration;
  nim->scl_slope = 1;
  nim->scl_inter = 0;
  snprintf(nim->intent_name, sizeof nim->intent_name, "%.15s", h->intent_name);
  snprintf(nim->descrip, sizeof nim->descrip, "%.79s", h->descrip);
  snprintf(nim->aux_file, sizeof nim->aux_file, "%.23s", h->aux_file);
  nifti_dmat44 A;
  for (int r = 0; r < 4; r++)
    for (int c = 0; c < 4; c++) A.m[r][c] = h->affine[4 * r + c];
  int plain = is_identity(h->affine);
  nim->sform_code = h->sform_code ? h->sform_code : (plain ? 0 : NIFTI_XFORM_ALIGNED_ANAT);
  nim->qform_code = h->qform_code ? h->qform_code : (plain ? 0 : NIFTI_XFORM_ALIGNED_ANAT);
  nim->sto_xyz = A;
  double dx, dy, dz;
  nifti_dmat44_to_quatern(A, &nim->quatern_b, &nim->quatern_c, &nim->quatern_d, &nim->qoffset_x,
                          &nim->qoffset_y, &nim->qoffset_z, &dx, &dy, &dz, &nim->qfac);
  nim->qto_xyz = A;
  if (!plain) { /* voxel sizes follow the affine, as nibabel writes them */
    nim->pixdim[1] = nim->dx = dx;
    nim->pixdim[2] = nim->dy = dy;
    nim->pixdim[3] = nim->dz = dz;
  }
  /* The header as nifticlib encodes it, then a 4-byte empty extension flag. */
  union { nifti_1_header h1; nifti_2_header h2; } hdr;
  size_t hsize;
  int64_t offset;
  int st = GY_OK;
  memset(&hdr, 0, sizeof hdr);
  if (version2) {
    nim->nifti_type = NIFTI_FTYPE_NIFTI2_1;
    if (nifti_convert_nim2n2hdr(nim, &hdr.h2) != 0) st = gy_err(GY_ELIB, "nifticlib failed to encode the header");
    memcpy(hdr.h2.magic, "n+2\0\r\n\032\n", 8);
    hdr.h2.vox_offset = offset = 544 + extbytes;
    hsize = sizeof hdr.h2;
  } else {
    nim->nifti_type = NIFTI_FTYPE_NIFTI1_1;
    if (nifti_convert_nim2n1hdr(nim, &hdr.h1) != 0) st = gy_err(GY_ELIB, "nifticlib failed to encode the header");
    memcpy(hdr.h1.magic, "n+1\0", 4);
    hdr.h1.vox_offset = (float)(offset = 352 + extbytes);
    hsize = sizeof hdr.h1;
  }
  nifti_image_free(nim);
  if (st) return st;
  if (hsize + 4 + (size_t)extbytes != (size_t)offset) return gy_err(GY_ELIB, "unexpected NIfTI header size %zu", hsize);
  gy_wfile *f;
  GY_TRY(gy_wfile_open(&f, path));
  out_stream o = {.f = f};
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  int size = nim_size(dt);
  unsigned char *buf = malloc(ZBLOCK);
  o.buf = malloc(ZBLOCK);
  if (!buf || !o.buf) st = gy_err(GY_ENOMEM, "out of memory");
  /* Level 1, as nibabel compresses: large images are written often, read rarely. */
  if (!st && gz) {
    if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      st = gy_err(GY_ELIB, "zlib failed to start");
    else o.z = &zs;
  }
  unsigned char flag[4] = {next > 0, 0, 0, 0};
  if (!st) st = out_put(&o, &hdr, hsize, 0);
  if (!st) st = out_put(&o, flag, 4, 0);
  for (int64_t q = 0; q < next && !st; q++) {
    int32_t head[2] = {(int32_t)((ext[q].size + 8 + 15) / 16 * 16), ext[q].code};
    static const unsigned char zeros[16];
    st = out_put(&o, head, 8, 0);
    if (!st && ext[q].size) st = out_put(&o, ext[q].data, (size_t)ext[q].size, 0);
    if (!st) st = out_put(&o, zeros, (size_t)(head[0] - 8 - ext[q].size), 0);
  }
  int64_t per = ZBLOCK / size, fill = 0;
  for (int64_t t = 0; t < T && !st; t++) {
    for (int64_t v = 0; v < V && !st; v++) {
      st = store(buf, dt, fill, GY_AT(X, v, t));
      if (st) {
        gy_err(GY_EINVAL, "the value %.17g at voxel %lld, volume %lld does not fit datatype %s "
               "(write float32 or float64 instead)", GY_AT(X, v, t), (long long)v + 1,
               (long long)t + 1, nifti_datatype_string(dt));
        break;
      }
      if (++fill == per) {
        st = out_put(&o, buf, (size_t)(fill * size), 0);
        fill = 0;
      }
    }
    if (!st && (t & 15) == 15) st = gy_check_interrupt();
  }
  if (!st) st = out_put(&o, buf, (size_t)(fill * size), 1);
  if (o.z) deflateEnd(&zs);
  free(buf);
  free(o.buf);
  if (st) {
    gy_wfile_abort(f);
    return st;
  }
  return gy_wfile_commit(f);
}

#endif
