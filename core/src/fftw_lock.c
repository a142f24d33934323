/* The process-wide FFTW planner lock (see fftw_lock.h). */
#include "fftw_lock.h"

#include <pthread.h>

static pthread_mutex_t planner = PTHREAD_MUTEX_INITIALIZER;

void gy_fftw_lock(void) { pthread_mutex_lock(&planner); }

void gy_fftw_unlock(void) { pthread_mutex_unlock(&planner); }
