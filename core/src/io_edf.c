/* EDF/EDF+/BDF/BDF+ through EDFlib. */
#include "internal.h"
#include "gyrus/io_edf.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <edflib.h>

typedef struct {
  double onset, duration;
  char *text;
} annot;

struct gy_edf {
  struct edf_hdr_struct *hdr; /* about 160 kB (640 signal slots): kept off the stack */
  int handle;                 /* -1 once closed */
  int64_t nannot;
  annot *annots;
  char start[40];
};

void gy_edf_close(gy_edf *f) {
  if (!f) return;
  if (f->handle >= 0) edfclose_file(f->handle);
  for (int64_t k = 0; k < f->nannot; k++) free(f->annots[k].text);
  free(f->annots);
  free(f->hdr);
  free(f);
}

static void rstrip(char *s) {
  size_t n = strlen(s);
  while (n > 0 && s[n - 1] == ' ') s[--n] = 0;
}

static const char *open_error(int code) {
  switch (code) {
  case EDFLIB_MALLOC_ERROR: return "out of memory";
  case EDFLIB_NO_SUCH_FILE_OR_DIRECTORY: return "no such file";
  case EDFLIB_FILE_CONTAINS_FORMAT_ERRORS: return "not an EDF/BDF file, or its header is damaged or does not match its size";
  case EDFLIB_MAXFILES_REACHED: return "too many EDF files are open";
  case EDFLIB_FILE_READ_ERROR: return "read error";
  case EDFLIB_FILE_ALREADY_OPENED: return "the file is already open";
  case EDFLIB_FILETYPE_ERROR: return "unknown file type";
  case EDFLIB_NUMBER_OF_SIGNALS_INVALID: return "invalid number of signals";
  case EDFLIB_FILE_IS_DISCONTINUOUS: return "discontinuous EDF+D/BDF+D files are not supported";
  default: return "cannot be read";
  }
}

int gy_edf_open(gy_edf **out, const char *path) {
  if (!out) return gy_err(GY_EINVAL, "no place for the file handle");
  *out = NULL;
  if (!path || !*path) return gy_err(GY_EINVAL, "the file name is empty");
  struct stat st;
  if (stat(path, &st) != 0) return gy_err(GY_EIO, "cannot open '%s': %s", path, strerror(errno));
  if (!S_ISREG(st.st_mode)) return gy_err(GY_EIO, "'%s' is not a regular file", path);
  gy_edf *f = calloc(1, sizeof *f);
  if (!f) return gy_err(GY_ENOMEM, "out of memory");
  f->handle = -1;
  f->hdr = calloc(1, sizeof *f->hdr);
  if (!f->hdr) {
    gy_edf_close(f);
    return gy_err(GY_ENOMEM, "out of memory");
  }
  if (edfopen_file_readonly(path, f->hdr, EDFLIB_READ_ALL_ANNOTATIONS) != 0) {
    int code = f->hdr->filetype;
    gy_edf_close(f);
    return gy_err(code == EDFLIB_NO_SUCH_FILE_OR_DIRECTORY || code == EDFLIB_FILE_READ_ERROR ? GY_EIO
                  : code == EDFLIB_MALLOC_ERROR ? GY_ENOMEM : GY_EFORMAT,
                  "'%s': %s", path, open_error(code));
  }
  f->handle = f->hdr->handle;
  /* EDFlib keeps the header's space padding. */
  for (int k = 0; k < f->hdr->edfsignals && k < EDFLIB_MAXSIGNALS; k++) {
    rstrip(f->hdr->signalparam[k].label);
    rstrip(f->hdr->signalparam[k].physdimension);
  }
  int64_t na = f->hdr->annotations_in_file;
  if (na > 0) {
    f->annots = calloc((size_t)na, sizeof *f->annots);
    if (!f->annots) {
      gy_edf_close(f);
      return gy_err(GY_ENOMEM, "out of memory");
    }
    struct edf_annotation_struct a;
    for (int64_t k = 0; k < na; k++) {
      if (edf_get_annotation(f->handle, (int)k, &a) != 0) {
        gy_edf_close(f);
        return gy_err(GY_EFORMAT, "'%s': annotation %lld is damaged", path, (long long)k + 1);
      }
      a.annotation[EDFLIB_MAX_ANNOTATION_LEN] = 0;
      f->annots[k].onset = (double)a.onset / EDFLIB_TIME_DIMENSION;
      f->annots[k].duration = a.duration_l < 0 ? -1 : (double)a.duration_l / EDFLIB_TIME_DIMENSION;
      f->annots[k].text = strdup(a.annotation);
      f->nannot = k + 1;
      if (!f->annots[k].text) {
        gy_edf_close(f);
        return gy_err(GY_ENOMEM, "out of memory");
      }
    }
  }
  const struct edf_hdr_struct *h = f->hdr;
  int n = snprintf(f->start, sizeof f->start, "%04d-%02d-%02dT%02d:%02d:%02d", h->startdate_year,
                   h->startdate_month, h->startdate_day, h->starttime_hour, h->starttime_minute,
                   h->starttime_second);
  if (h->starttime_subsecond > 0 && n > 0 && n < (int)sizeof f->start)
    snprintf(f->start + n, sizeof f->start - (size_t)n, ".%07lld", (long long)h->starttime_subsecond);
  *out = f;
  return GY_OK;
}

static int bad_signal(const gy_edf *f, int k) {
  return !f || k < 0 || k >= f->hdr->edfsignals;
}

int gy_edf_filetype(const gy_edf *f) { return f ? f->hdr->filetype : -1; }
int gy_edf_signals(const gy_edf *f) { return f ? f->hdr->edfsignals : 0; }
const char *gy_edf_label(const gy_edf *f, int k) {
  return bad_signal(f, k) ? NULL : f->hdr->signalparam[k].label;
}
const char *gy_edf_unit(const gy_edf *f, int k) {
  return bad_signal(f, k) ? NULL : f->hdr->signalparam[k].physdimension;
}
double gy_edf_sfreq(const gy_edf *f, int k) {
  if (bad_signal(f, k) || f->hdr->datarecord_duration <= 0) return 0;
  return (double)f->hdr->signalparam[k].smp_in_datarecord * EDFLIB_TIME_DIMENSION /
         (double)f->hdr->datarecord_duration;
}
int64_t gy_edf_samples(const gy_edf *f, int k) {
  return bad_signal(f, k) ? 0 : f->hdr->signalparam[k].smp_in_file;
}
const char *gy_edf_start(const gy_edf *f) { return f ? f->start : NULL; }
int64_t gy_edf_annotations(const gy_edf *f) { return f ? f->nannot : 0; }

int gy_edf_annotation(const gy_edf *f, int64_t k, double *onset, double *duration,
                      const char **text) {
  if (!f || k < 0 || k >= f->nannot)
    return gy_err(GY_EINVAL, "annotation %lld does not exist", (long long)k + 1);
  if (onset) *onset = f->annots[k].onset;
  if (duration) *duration = f->annots[k].duration;
  if (text) *text = f->annots[k].text;
  return GY_OK;
}

int gy_edf_read(gy_mat *out, gy_edf *f, int k) {
  GY_TRY(gy_check_out(out, "the output"));
  if (!f || f->handle < 0) return gy_err(GY_EINVAL, "the file is not open");
  if (bad_signal(f, k))
    return gy_err(GY_EINVAL, "signal %d does not exist (the file has %d)", k + 1, f->hdr->edfsignals);
  int64_t n = f->hdr->signalparam[k].smp_in_file;
  GY_TRY(gy_mat_init_uninit(out, n, 1));
  if (edfseek(f->handle, k, 0, EDFSEEK_SET) != 0) {
    gy_mat_clear(out);
    return gy_err(GY_EIO, "cannot seek in signal %d", k + 1);
  }
  const int chunk = 1 << 20;
  for (int64_t done = 0; done < n;) {
    int want = n - done < chunk ? (int)(n - done) : chunk;
    int got = edfread_physical_samples(f->handle, k, want, out->data + done);
    if (got != want) {
      gy_mat_clear(out);
      return gy_err(GY_EFORMAT, "signal %d ends early (the file is truncated)", k + 1);
    }
    done += got;
    int s = gy_check_interrupt();
    if (s) {
      gy_mat_clear(out);
      return s;
    }
  }
  return GY_OK;
}

/* The header keeps the physical range as 8 ASCII characters; the bound is rounded outwards
 * to such a number so that writer and reader scale with the same values. */
static int header_number(double v, int up, double *res) {
  for (int dec = 7; dec >= 0; dec--) {
    double p = pow(10, dec);
    double r = (up ? ceil(v * p) : floor(v * p)) / p;
    char buf[64];
    int len = snprintf(buf, sizeof buf, "%.*f", dec, r);
    if (len <= 8) {
      *res = strtod(buf, NULL);
      if ((up && *res >= v) || (!up && *res <= v)) return GY_OK;
    }
  }
  return gy_err(GY_EINVAL, "the value %g does not fit in the 8 characters of an EDF header", v);
}

static int setup_signals(int h, const gy_mat *data, int sf, const char *const *labels,
                         const char *unit, int bdf, double *ranges) {
  int dmax = bdf ? 8388607 : 32767, dmin = bdf ? -8388608 : -32768;
  for (int64_t j = 0; j < data->cols; j++) {
    double lo = INFINITY, hi = -INFINITY;
    for (int64_t i = 0; i < data->rows; i++) {
      double v = GY_AT(data, i, j);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi - lo < 1e-6 * (fabs(hi) > 1 ? fabs(hi) : 1)) { /* a flat channel: any range holds it */
      lo -= 1;
      hi += 1;
    }
    GY_TRY(header_number(lo, 0, &lo));
    GY_TRY(header_number(hi, 1, &hi));
    ranges[2 * j] = lo;
    ranges[2 * j + 1] = hi;
    char lab[32];
    if (labels && labels[j]) snprintf(lab, sizeof lab, "%s", labels[j]);
    else snprintf(lab, sizeof lab, "ch%lld", (long long)j + 1);
    int c = (int)j;
    /* EDFlib prints these by truncating digits, so 49.98965 (stored as 49.98964999...)
     * would become 49.98964; nudged away from zero, the printed text is the number itself. */
    if (edf_set_samplefrequency(h, c, sf) || edf_set_physical_maximum(h, c, hi * (1 + 1e-12)) ||
        edf_set_physical_minimum(h, c, lo * (1 + 1e-12)) || edf_set_digital_maximum(h, c, dmax) ||
        edf_set_digital_minimum(h, c, dmin) || edf_set_label(h, c, lab) ||
        edf_set_physical_dimension(h, c, unit ? unit : ""))
      return gy_err(GY_ELIB, "EDFlib refused the header of channel %lld", (long long)j + 1);
  }
  return GY_OK;
}

/* A data record holds a whole number of samples per channel, so a rate that is not a whole
 * number of Hz needs records shorter than a second: the longest one of at most 1 s, in the
 * 10 us steps EDFlib accepts (0.5 s for 0.5-Hz multiples, 0.008 s for 31.25 Hz...). */
static int record_length(double sfreq, int64_t *units, int *spr) {
  if (!(sfreq > 0) || sfreq > 1e7)
    return gy_err(GY_EINVAL, "sfreq must be positive and at most 1e7 samples per second, got %g",
                  sfreq);
  for (int64_t k = 100000; k >= 100; k--) {
    double n = sfreq * (double)k / 1e5, r = floor(n + 0.5);
    if (r >= 1 && fabs(n - r) <= 1e-9 * r) {
      *units = k;
      *spr = (int)r;
      return GY_OK;
    }
  }
  return gy_err(GY_EINVAL, "sfreq %.10g is not a whole number of samples in any EDF data record "
                "of at most 1 s (durations in steps of 10 us)", sfreq);
}

int gy_edf_write(const char *path, const gy_mat *data, double sfreq, const char *const *labels,
                 const char *unit, int bdf) {
  if (!path || !*path) return gy_err(GY_EINVAL, "the file name is empty");
  GY_TRY(gy_check_mat(data, "data"));
  GY_TRY(gy_check_finite(data, "data"));
  if (data->rows < 1 || data->cols < 1) return gy_err(GY_EINVAL, "data has no samples or no channels");
  if (data->cols > EDFLIB_MAXSIGNALS - 1)
    return gy_err(GY_EINVAL, "EDF files hold at most %d channels, data has %lld", EDFLIB_MAXSIGNALS - 1,
                  (long long)data->cols);
  int64_t units = 0;
  int sf = 0;
  GY_TRY(record_length(sfreq, &units, &sf));
  if ((double)sf * (double)data->cols * (bdf ? 3 : 2) > 10e6)
    return gy_err(GY_EINVAL, "one data record (%d samples x %lld channels) exceeds EDFlib's "
                  "10 MB data record", sf, (long long)data->cols);
  /* The library opens the file itself: it fills a temporary file that replaces path at the end. */
  char *tmp;
  int fd;
  GY_TRY(gy_temp_beside(path, &tmp, &fd));
  close(fd);
  int h = edfopen_file_writeonly(tmp, bdf ? EDFLIB_FILETYPE_BDFPLUS : EDFLIB_FILETYPE_EDFPLUS,
                                 (int)data->cols);
  if (h < 0) {
    unlink(tmp);
    free(tmp);
    return gy_err(GY_EIO, "cannot create '%s' (EDFlib error %d)", path, h);
  }
  if (units != 100000 && edf_set_datarecord_duration(h, (int)units) != 0) {
    edfclose_file(h);
    unlink(tmp);
    free(tmp);
    return gy_err(GY_ELIB, "EDFlib refused a data record of %g s", (double)units * 1e-5);
  }
  double *ranges = malloc((size_t)data->cols * 2 * sizeof *ranges);
  int s = ranges ? setup_signals(h, data, sf, labels, unit, bdf, ranges)
                 : gy_err(GY_ENOMEM, "out of memory");
  /* EDFlib's physical writer truncates towards zero; rounding here halves the error. */
  int *buf = s ? NULL : malloc((size_t)sf * (size_t)data->cols * sizeof *buf);
  if (!s && !buf) s = gy_err(GY_ENOMEM, "out of memory");
  int64_t nrec = (data->rows + sf - 1) / sf;
  double dmax = bdf ? 8388607 : 32767, dmin = bdf ? -8388608 : -32768;
  for (int64_t r = 0; r < nrec && !s; r++) {
    for (int64_t j = 0; j < data->cols; j++) {
      double lo = ranges[2 * j], hi = ranges[2 * j + 1];
      double scale = (dmax - dmin) / (hi - lo);
      for (int i = 0; i < sf; i++) {
        int64_t t = r * sf + i;
        double d = floor((GY_AT(data, t < data->rows ? t : data->rows - 1, j) - lo) * scale + dmin + 0.5);
        buf[j * sf + i] = (int)(d < dmin ? dmin : d > dmax ? dmax : d);
      }
    }
    if (edf_blockwrite_digital_samples(h, buf) != 0) s = gy_err(GY_EIO, "cannot write '%s'", path);
    if (!s && (r & 63) == 63) s = gy_check_interrupt();
  }
  free(buf);
  free(ranges);
  if (edfclose_file(h) != 0 && !s) s = gy_err(GY_EIO, "cannot write '%s'", path);
  if (!s && rename(tmp, path) != 0) s = gy_err(GY_EIO, "cannot replace '%s': %s", path, strerror(errno));
  if (s) unlink(tmp);
  free(tmp);
  return s;
}
