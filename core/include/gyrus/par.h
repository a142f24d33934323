/* gyrus: processes of an SPMD run (MPI).
 *
 * Under mpirun/srun the host calls gy_par_init, which starts MPI; elsewhere (or in a build
 * without MPI) every function works as a run of one process: rank 0 of size 1, collectives
 * copy. Collectives must be called by every rank in the same order. Ranks are 0-based as
 * in MPI. Reductions are computed in rank order on one rank, so the same inputs always give
 * the same bits whatever the MPI library's algorithm. */
#ifndef GYRUS_PAR_H
#define GYRUS_PAR_H

#include "mat.h"

enum gy_par_op {
  GY_PAR_SUM = 0,
  GY_PAR_MAX = 1,
  GY_PAR_MIN = 2
};

/* Starts MPI when the process was launched by an MPI launcher (OMPI_COMM_WORLD_SIZE,
 * PMI_SIZE or PMIX_RANK in the environment) and MPI is built in; otherwise does nothing.
 * Safe to call again. */
int gy_par_init(void);
/* Ends MPI if gy_par_init started it. */
int gy_par_finalize(void);
/* 1 if this build has MPI, 0 otherwise. */
int gy_par_available(void);
int gy_par_rank(void);
int gy_par_size(void);
int gy_par_barrier(void);
/* Stops every rank with the exit code (MPI_Abort); without MPI it returns and the caller
 * exits. The one function of libgyrus that may end the process, by request. */
void gy_par_abort(int code);

/* buf (n bytes on every rank) receives root's bytes. */
int gy_par_bcast_bytes(void *buf, int64_t n, int root);
/* counts[r] (size entries) receives every rank's v. */
int gy_par_allgather_i64(int64_t v, int64_t *counts);
/* Concatenates every rank's n bytes of send in rank order into recv, which holds
 * sum(counts) bytes on root (counts as given by gy_par_allgather_i64 of n); root < 0 gives
 * the result to every rank. recv may be NULL on the ranks that receive nothing. */
int gy_par_gather_bytes(const void *send, int64_t n, const int64_t *counts, void *recv,
                        int root);

/* *m (filled on root, empty elsewhere) is copied to every rank (a contiguous copy). */
int gy_par_bcast_mat(gy_mat *m, int root);
/* out = the element-wise op (enum gy_par_op) over every rank's x, which have one shape;
 * root < 0: on every rank; otherwise out stays empty on the other ranks. */
int gy_par_reduce_mat(gy_mat *out, const gy_mat *x, int op, int root);

#endif
