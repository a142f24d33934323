/* FFTW's planner (fftw_plan_*, fftw_destroy_plan) keeps global state and is not
 * thread-safe; only fftw_execute is. Every plan made or destroyed in libgyrus goes through
 * this one process-wide lock so gy.par threads (and host programs' threads) can run
 * spectral code at once. (fftw_make_planner_thread_safe would do the same but lives in
 * libfftw3_threads, which libgyrus does not link.) */
#ifndef GYRUS_FFTW_LOCK_H
#define GYRUS_FFTW_LOCK_H

void gy_fftw_lock(void);
void gy_fftw_unlock(void);

#endif
