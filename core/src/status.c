/* Status codes, the per-thread message, the interrupt flag and progress counters. */
#include "gyrus/status.h"
#include "internal.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>

static _Thread_local char errbuf[1024];
/* The one documented process-wide global: set from a signal handler, read by kernels. */
static volatile sig_atomic_t interrupt_flag;
static _Thread_local int64_t progress_done, progress_total;

const char *gy_errmsg(void) { return errbuf; }

void gy_errclear(void) { errbuf[0] = '\0'; }

const char *gy_strerror(int status) {
  switch (status) {
  case GY_OK: return "GY_OK";
  case GY_EINVAL: return "GY_EINVAL";
  case GY_ENOMEM: return "GY_ENOMEM";
  case GY_ESINGULAR: return "GY_ESINGULAR";
  case GY_ENOCONV: return "GY_ENOCONV";
  case GY_EIO: return "GY_EIO";
  case GY_EFORMAT: return "GY_EFORMAT";
  case GY_EINTR: return "GY_EINTR";
  case GY_ELIB: return "GY_ELIB";
  case GY_EUNSUPPORTED: return "GY_EUNSUPPORTED";
  default: return "GY_E?";
  }
}

int gy_err(int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(errbuf, sizeof errbuf, fmt, ap);
  va_end(ap);
  return status;
}

void gy_interrupt(int on) { interrupt_flag = on ? 1 : 0; }

int gy_interrupted(void) { return interrupt_flag != 0; }

int gy_check_interrupt(void) {
  if (interrupt_flag) return gy_err(GY_EINTR, "interrupted");
  return GY_OK;
}

void gy_progress_get(int64_t *done, int64_t *total) {
  if (done) *done = progress_done;
  if (total) *total = progress_total;
}

void gy_progress_set(int64_t done, int64_t total) {
  progress_done = done;
  progress_total = total;
}
