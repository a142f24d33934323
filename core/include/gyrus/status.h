/* gyrus: status codes, the thread-local error message, interrupts and progress.
 *
 * Every fallible function of libgyrus returns an int status (GY_OK = 0) and, on failure,
 * leaves a message for gy_errmsg(). Nothing in libgyrus exits, aborts, prints or longjmps.
 * The declarations below are macro-free so lua/gyrus/cdef.lua can mirror them (a test
 * checks that it does). */
#ifndef GYRUS_STATUS_H
#define GYRUS_STATUS_H

#include <stdint.h>
#include <stddef.h>

enum gy_status {
  GY_OK = 0,
  GY_EINVAL = 1,      /* an argument is out of its domain (shape, option, NaN) */
  GY_ENOMEM = 2,      /* an allocation failed or would exceed a limit */
  GY_ESINGULAR = 3,   /* a matrix is singular or not positive definite */
  GY_ENOCONV = 4,     /* an iteration did not converge */
  GY_EIO = 5,         /* a file could not be read or written */
  GY_EFORMAT = 6,     /* a file is corrupt or not of the format it claims */
  GY_EINTR = 7,       /* interrupted by the user (Ctrl-C) */
  GY_ELIB = 8,        /* a library below gyrus (LAPACK, FFTW, PLplot) reported an error */
  GY_EUNSUPPORTED = 9 /* valid input that this build cannot handle */
};

/* The message of the last failure on this thread ("" if none). */
const char *gy_errmsg(void);
/* The name of a status code ("GY_EINVAL"). */
const char *gy_strerror(int status);
/* Clears the message of this thread. */
void gy_errclear(void);

/* Ctrl-C: the host's signal handler calls gy_interrupt(1); long loops poll
 * gy_interrupted() and return GY_EINTR; the caller clears the flag with gy_interrupt(0).
 * The flag is the one documented process-wide global of libgyrus. */
void gy_interrupt(int on);
int gy_interrupted(void);

/* Progress of the current long computation on this thread: done out of total units,
 * polled by the host (never a callback). total = 0 means nothing is running. */
void gy_progress_get(int64_t *done, int64_t *total);

#endif
