/* The atomic writer: a temporary file beside the target, renamed over it at the end. */
#include "internal.h"
#include "gyrus/io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct gy_wfile {
  FILE *fp;
  char *path; /* the target */
  char *tmp;  /* the temporary file beside it */
  int failed; /* a write failed: commit must not rename */
};

int gy_dtype_size(int dtype) {
  switch (dtype) {
  case GY_DTYPE_BOOL: case GY_DTYPE_INT8: case GY_DTYPE_UINT8: return 1;
  case GY_DTYPE_INT16: case GY_DTYPE_UINT16: case GY_DTYPE_FLOAT16: return 2;
  case GY_DTYPE_INT32: case GY_DTYPE_UINT32: case GY_DTYPE_FLOAT32: return 4;
  case GY_DTYPE_INT64: case GY_DTYPE_UINT64: case GY_DTYPE_FLOAT64: return 8;
  default: return 0;
  }
}

static void wfile_free(gy_wfile *f) {
  free(f->path);
  free(f->tmp);
  free(f);
}

/* A new private file named "<path>.tmp-XXXXXX" beside path, with the mode the target has
 * (or 0644 for a new one; mkstemp would leave 0600): the first half of every atomic write,
 * the second being a rename over path. Returns the open descriptor and the name (malloc'd). */
int gy_temp_beside(const char *path, char **tmp_out, int *fd_out) {
  *tmp_out = NULL;
  *fd_out = -1;
  size_t n = strlen(path);
  char *tmp = malloc(n + 16);
  if (!tmp) return gy_err(GY_ENOMEM, "out of memory");
  snprintf(tmp, n + 16, "%s.tmp-XXXXXX", path);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    int e = errno;
    free(tmp);
    return gy_err(GY_EIO, "cannot create a file beside '%s': %s", path, strerror(e));
  }
  struct stat st;
  (void)fchmod(fd, stat(path, &st) == 0 ? (st.st_mode & 07777) : 0644);
  *tmp_out = tmp;
  *fd_out = fd;
  return GY_OK;
}

int gy_wfile_open(gy_wfile **out, const char *path) {
  if (!out) return gy_err(GY_EINVAL, "no place for the file handle");
  *out = NULL;
  if (!path || !*path) return gy_err(GY_EINVAL, "the file name is empty");
  size_t n = strlen(path);
  gy_wfile *f = calloc(1, sizeof *f);
  if (!f) return gy_err(GY_ENOMEM, "out of memory");
  f->path = malloc(n + 1);
  if (!f->path) {
    wfile_free(f);
    return gy_err(GY_ENOMEM, "out of memory");
  }
  memcpy(f->path, path, n + 1);
  int fd;
  int s = gy_temp_beside(path, &f->tmp, &fd);
  if (s) {
    wfile_free(f);
    return s;
  }
  f->fp = fdopen(fd, "wb");
  if (!f->fp) {
    int e = errno;
    close(fd);
    unlink(f->tmp);
    wfile_free(f);
    return gy_err(GY_EIO, "cannot open a file beside '%s': %s", path, strerror(e));
  }
  *out = f;
  return GY_OK;
}

int gy_wfile_write(gy_wfile *f, const void *buf, size_t n) {
  if (!f) return gy_err(GY_EINVAL, "the file is not open");
  if (f->failed) return gy_err(GY_EIO, "an earlier write to '%s' failed", f->path);
  if (n && fwrite(buf, 1, n, f->fp) != n) {
    f->failed = 1;
    return gy_err(GY_EIO, "cannot write '%s': %s", f->path, strerror(errno));
  }
  return GY_OK;
}

void gy_wfile_abort(gy_wfile *f) {
  if (!f) return;
  if (f->fp) fclose(f->fp);
  unlink(f->tmp);
  wfile_free(f);
}

int gy_wfile_commit(gy_wfile *f) {
  if (!f) return gy_err(GY_EINVAL, "the file is not open");
  if (f->failed) {
    int s = gy_err(GY_EIO, "an earlier write to '%s' failed; the file was not replaced", f->path);
    gy_wfile_abort(f);
    return s;
  }
  int e = 0;
  if (fflush(f->fp) != 0 || fsync(fileno(f->fp)) != 0) e = errno;
  if (fclose(f->fp) != 0 && !e) e = errno;
  f->fp = NULL;
  if (e) {
    int s = gy_err(GY_EIO, "cannot write '%s': %s", f->path, strerror(e));
    gy_wfile_abort(f);
    return s;
  }
  if (rename(f->tmp, f->path) != 0) {
    int s = gy_err(GY_EIO, "cannot replace '%s': %s", f->path, strerror(errno));
    gy_wfile_abort(f);
    return s;
  }
  wfile_free(f);
  return GY_OK;
}
