/* gy_par in a process that no MPI launcher started: rank 0 of 1, collectives copy, the
 * argument checks, and no leak on any path (the Sanitize build runs this). */
#include "test.h"

#include "gyrus/par.h"

#include <stdint.h>
#include <stdlib.h>

int main(void) {
  /* ctest is no launcher: init must not start MPI (nor fail) */
  unsetenv("OMPI_COMM_WORLD_SIZE");
  unsetenv("PMI_SIZE");
  unsetenv("PMIX_RANK");
  CHECK_OK(gy_par_init());
  CHECK_OK(gy_par_init());
  CHECK(gy_par_rank() == 0);
  CHECK(gy_par_size() == 1);
  CHECK(gy_par_available() == 0 || gy_par_available() == 1);
  CHECK_OK(gy_par_barrier());
  gy_par_abort(3); /* returns without MPI world */

  char buf[4] = "abc";
  CHECK_OK(gy_par_bcast_bytes(buf, 3, 0));
  CHECK(memcmp(buf, "abc", 3) == 0);
  CHECK_FAILS(gy_par_bcast_bytes(buf, 3, 1), GY_EINVAL, "root 1");
  CHECK_FAILS(gy_par_bcast_bytes(NULL, 3, 0), GY_EINVAL, "missing");

  int64_t counts[1];
  CHECK_OK(gy_par_allgather_i64(5, counts));
  CHECK(counts[0] == 5);
  char recv[5] = {0};
  CHECK_OK(gy_par_gather_bytes("hello", 5, counts, recv, 0));
  CHECK(memcmp(recv, "hello", 5) == 0);
  CHECK_OK(gy_par_gather_bytes("HELLO", 5, counts, recv, -1));
  CHECK(memcmp(recv, "HELLO", 5) == 0);
  CHECK_FAILS(gy_par_gather_bytes("hi", 2, counts, recv, 0), GY_EINVAL, "counts say 5");
  CHECK_FAILS(gy_par_gather_bytes("hello", 5, counts, NULL, 0), GY_EINVAL, "receive buffer");

  /* matrices: a strided view in, a contiguous copy out */
  gy_mat A = {0}, V = {0}, out = {0};
  CHECK_OK(gy_mat_init(&A, 3, 2));
  for (int i = 0; i < 6; i++) A.data[i] = i + 0.5;
  CHECK_OK(gy_mat_view(&V, &A, 1, 0, 2, 2));
  CHECK_OK(gy_par_reduce_mat(&out, &V, GY_PAR_MAX, 0));
  CHECK(out.rows == 2 && out.cols == 2);
  CHECK(out.data[0] == 1.5 && out.data[1 + out.ld] == 5.5);
  CHECK_FAILS(gy_par_reduce_mat(&out, &V, GY_PAR_SUM, -1), GY_EINVAL, "output");
  gy_mat_clear(&out);
  CHECK_FAILS(gy_par_reduce_mat(&out, &V, 7, -1), GY_EINVAL, "unknown reduction");
  CHECK_OK(gy_par_reduce_mat(&out, &V, GY_PAR_SUM, -1));
  CHECK(out.data[out.ld] == 4.5);
  gy_mat_clear(&out);
  CHECK_OK(gy_par_bcast_mat(&A, 0));
  CHECK(A.rows == 3 && A.data[5] == 5.5);
  CHECK_FAILS(gy_par_bcast_mat(&A, 2), GY_EINVAL, "root 2");

  gy_mat_clear(&V);
  gy_mat_clear(&A);
  CHECK_OK(gy_par_finalize());
  return test_summary();
}
