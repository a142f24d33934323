/* The library version, kept in one place with the CMake project version. */
#include "gyrus/gyrus.h"

#include <time.h>

const char *gy_version(void) { return GY_VERSION_STRING; }

double gy_clock(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
