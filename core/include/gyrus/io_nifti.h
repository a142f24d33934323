/* gyrus: NIfTI-1 and NIfTI-2 images (.nii, .nii.gz) through nifticlib, and the image
 * operations that turn them into data matrices.
 *
 * An image's values are a voxels x volumes matrix: rows are the nx*ny*nz voxels in file
 * order (x fastest, as nibabel's get_fdata() in Fortran order), columns the volumes
 * (nt*nu*...; 1 for a 3-D image), so a volume is contiguous. scl_slope/scl_inter are
 * applied as nibabel applies them (a slope of 0 or a non-finite slope means unscaled).
 * The header is checked against the file before the data are read: absurd dimensions,
 * data larger than the file, and unsupported datatypes (float128, ...) are errors.
 * Complex images (complex64, complex128) are read as two matrices, real and imaginary
 * parts; RGB24 images as three columns per volume (red, green, blue: 0..255, unscaled).
 * Neither is written. Header extensions are read and written as (code, bytes) pairs. Writing goes through a temporary file renamed over the target. */
#ifndef GYRUS_IO_NIFTI_H
#define GYRUS_IO_NIFTI_H

#include "mat.h"

/* NIfTI datatype codes (nifti1.h) that gyrus reads and writes (it also reads complex64 = 32,
 * rgb24 = 128 and complex128 = 1792). */
enum gy_nifti_dt {
  GY_NIFTI_UINT8 = 2,
  GY_NIFTI_INT16 = 4,
  GY_NIFTI_INT32 = 8,
  GY_NIFTI_FLOAT32 = 16,
  GY_NIFTI_FLOAT64 = 64,
  GY_NIFTI_INT8 = 256,
  GY_NIFTI_UINT16 = 512,
  GY_NIFTI_UINT32 = 768,
  GY_NIFTI_INT64 = 1024,
  GY_NIFTI_UINT64 = 1280
};

/* The header fields gyrus exposes. Affines are row-major 4 x 4 (element (r, c) at
 * [4*r + c]) mapping voxel indices (i, j, k, 1), 0-based, to world millimetres. */
typedef struct gy_nifti_header {
  int32_t version;      /* 1 or 2 */
  int32_t ndim;         /* dim[0] */
  int64_t dim[8];       /* dim[1..7]: sizes along x, y, z, t, u, v, w */
  double pixdim[8];     /* pixdim[1..3] voxel sizes, pixdim[4] the TR; pixdim[0] = qfac */
  int32_t datatype;     /* NIfTI code of the stored values */
  int32_t intent_code;
  double intent_p[3];
  double scl_slope, scl_inter;
  double cal_min, cal_max;
  double toffset;
  int32_t xyz_units, time_units;  /* NIfTI unit codes (2 = mm, 8 = s, 16 = ms) */
  int32_t qform_code, sform_code;
  double qform[16];     /* from the quaternion (a diagonal of pixdim when qform_code = 0) */
  double sform[16];     /* from srow_x/y/z */
  double affine[16];    /* nibabel's best affine: sform, else qform, else the base affine */
  int32_t slice_code, slice_dim;
  double slice_duration;
  char intent_name[24];
  char descrip[88];
  char aux_file[24];
} gy_nifti_header;

/* 1 if this build has nifticlib, 0 if NIfTI files are unsupported. */
int gy_nifti_available(void);
/* Reads the header only. */
int gy_nifti_read_header(gy_nifti_header *h, const char *path);
/* Reads header and values (scaled) into *out (empty): voxels x volumes. */
int gy_nifti_read(gy_mat *out, gy_nifti_header *h, const char *path);
/* The same with complex images: the real part into out and the imaginary part into imag
 * (both voxels x volumes, scaled as numpy scales them: slope * z + inter); imag stays
 * empty for other datatypes. An RGB24 image gives out = voxels x (3 * volumes), volume t
 * in columns 3t, 3t+1, 3t+2 (0-based): red, green, blue. gy_nifti_read is this with imag
 * NULL, which refuses complex images. */
int gy_nifti_read_parts(gy_mat *out, gy_mat *imag, gy_nifti_header *h, const char *path);

/* A header extension: its NIfTI code (e.g. 4 AFNI, 6 comment, 32 CIFTI) and its bytes,
 * trailing NUL bytes (the padding to 16 bytes) removed as nibabel removes them. */
typedef struct gy_nifti_ext {
  int32_t code;
  int64_t size;
  char *data;
} gy_nifti_ext;

/* The extensions of the file in path, *n of them in *ext (free with gy_nifti_ext_free). */
int gy_nifti_read_ext(gy_nifti_ext **ext, int64_t *n, const char *path);
void gy_nifti_ext_free(gy_nifti_ext *ext, int64_t n);

/* gy_nifti_mask of the image in path without holding the whole image: the volumes x
 * (non-zero mask voxels) matrix, voxels in nilearn's order, read a few volumes at a time.
 * mask is voxels x 1 on the image's grid; h (may be NULL) receives the header. */
int gy_nifti_read_masked(gy_mat *out, gy_nifti_header *h, const char *path,
                         const gy_mat *mask);
/* Writes X (voxels x volumes, matching h->dim) with h's geometry and text fields as the
 * given datatype (0 means float32); h->version 2 writes NIfTI-2. The sform and qform are
 * written from h->affine with codes h->sform_code and h->qform_code (a code of 0 is
 * replaced by 2, aligned, when the affine is not the identity). Integer datatypes take
 * only integral values in range. The extension picks .nii or .nii.gz. */
int gy_nifti_write(const char *path, const gy_mat *X, const gy_nifti_header *h, int datatype);
/* The same with next header extensions (each padded with zeros to a multiple of 16 bytes). */
int gy_nifti_write_ext(const char *path, const gy_mat *X, const gy_nifti_header *h, int datatype,
                       const gy_nifti_ext *ext, int64_t next);

/* Image operations; `values` is voxels x volumes, `mask`/`labels` are voxels x 1 over the
 * same grid (checked by the caller against the headers). */

/* The volumes x (non-zero mask voxels) matrix of values on an nx x ny x nz grid
 * (nx*ny*nz rows), nilearn's NiftiMasker without processing: data[mask].T, so the voxels
 * come in numpy's C order over (x, y, z), z fastest. */
int gy_nifti_mask(gy_mat *out, const gy_mat *values, const gy_mat *mask, int64_t nx,
                  int64_t ny, int64_t nz);
/* The inverse: a voxels x volumes matrix, zero outside the mask, from volumes x n. */
int gy_nifti_unmask(gy_mat *out, const gy_mat *X, const gy_mat *mask, int64_t nx, int64_t ny,
                    int64_t nz);
/* Mean over the voxels of each label (labels are integers > 0; 0 is background):
 * a volumes x nlabels matrix, labels in ascending order, written to labels_out (nlabels
 * x 1, may be NULL). nilearn's NiftiLabelsMasker with strategy "mean". */
int gy_nifti_parcellate(gy_mat *out, gy_mat *labels_out, const gy_mat *values,
                        const gy_mat *labels);

#endif
