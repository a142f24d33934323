/* gyrus: EDF, EDF+, BDF and BDF+ recordings (through EDFlib).
 *
 * Signals come out in physical units: phys = phys_min + (dig - dig_min) *
 * (phys_max - phys_min) / (dig_max - dig_min). Annotation signals of EDF+/BDF+ are not
 * signals here; their annotations are listed separately (onset and duration in seconds). */
#ifndef GYRUS_IO_EDF_H
#define GYRUS_IO_EDF_H

#include "mat.h"
#include "status.h"

typedef struct gy_edf gy_edf;

/* Opens a recording and reads its header and annotations. */
int gy_edf_open(gy_edf **out, const char *path);
void gy_edf_close(gy_edf *f);
/* 0 EDF, 1 EDF+, 2 BDF, 3 BDF+. */
int gy_edf_filetype(const gy_edf *f);
/* Number of (non-annotation) signals. */
int gy_edf_signals(const gy_edf *f);
const char *gy_edf_label(const gy_edf *f, int k);
const char *gy_edf_unit(const gy_edf *f, int k);
/* Samples per second of signal k: samples per data record / record duration (a record
 * need not last 1 s: 256 samples in 1.024 s are 250 Hz). */
double gy_edf_sfreq(const gy_edf *f, int k);
int64_t gy_edf_samples(const gy_edf *f, int k);
/* Start of the recording as "YYYY-MM-DDTHH:MM:SS" (with fractional seconds when EDF+ gives them). */
const char *gy_edf_start(const gy_edf *f);
/* Reads signal k (0-based) in physical units into out, a samples x 1 column. */
int gy_edf_read(gy_mat *out, gy_edf *f, int k);
int64_t gy_edf_annotations(const gy_edf *f);
/* Annotation k: onset and duration in seconds (duration -1 when absent) and its text (UTF-8),
 * valid until gy_edf_close. */
int gy_edf_annotation(const gy_edf *f, int64_t k, double *onset, double *duration,
                      const char **text);
/* Writes data (samples x channels, physical units) as an EDF+ (bdf = 0, 16 bits) or BDF+
 * (bdf = 1, 24 bits) file, atomically. sfreq must fill a data record of at most 1 s with a
 * whole number of samples (the longest such record is chosen, in steps of 10 us: 1 s for
 * whole rates, 0.5 s for 0.5 Hz steps; an error otherwise); each channel's physical range is its minimum and maximum, so the round trip
 * error is at most half of (max - min) / (2^16 - 1) or (2^24 - 1). A last partial record is
 * padded with the channel's last value. labels may be NULL (then "ch1", ...); unit may
 * be NULL (then no unit). */
int gy_edf_write(const char *path, const gy_mat *data, double sfreq, const char *const *labels,
                 const char *unit, int bdf);

#endif
