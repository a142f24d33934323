/* The library version, kept in one place with the CMake project version. */
#include "gyrus/gyrus.h"

const char *gy_version(void) { return GY_VERSION_STRING; }
