/* Processes of an SPMD run: MPI when built with it and launched by an MPI launcher, a run
 * of one process otherwise (see par.h). */
#include "internal.h"
#include "gyrus/par.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef GY_HAVE_MPI
#include <mpi.h>
#endif

static int rank_, size_ = 1;

#ifdef GY_HAVE_MPI
static int started; /* gy_par_init started MPI */

/* MPI_Init under a plain start would look for a launcher (and slow every start-up), so
 * only processes that one started join a world. */
static int launched(void) {
  static const char *const vars[] = { "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK",
                                      "PMI_RANK", "SLURM_PMIX_MAPPING_SERV" };
  for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
    if (getenv(vars[i])) return 1;
  return 0;
}
#endif

int gy_par_available(void) {
#ifdef GY_HAVE_MPI
  return 1;
#else
  return 0;
#endif
}

int gy_par_init(void) {
#ifdef GY_HAVE_MPI
  if (started || !launched()) return GY_OK;
  int flag = 0;
  MPI_Initialized(&flag);
  if (!flag) {
    int provided;
    /* Threads of the core never call MPI themselves. */
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
      return gy_err(GY_ELIB, "MPI could not start");
  }
  started = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
#endif
  return GY_OK;
}

int gy_par_finalize(void) {
#ifdef GY_HAVE_MPI
  int flag = 0;
  if (started) MPI_Finalized(&flag);
  if (started && !flag) MPI_Finalize();
  started = 0;
  rank_ = 0;
  size_ = 1;
#endif
  return GY_OK;
}

int gy_par_rank(void) { return rank_; }
int gy_par_size(void) { return size_; }

int gy_par_barrier(void) {
#ifdef GY_HAVE_MPI
  if (started && size_ > 1) MPI_Barrier(MPI_COMM_WORLD);
#endif
  return GY_OK;
}

void gy_par_abort(int code) {
#ifdef GY_HAVE_MPI
  if (started && size_ > 1) MPI_Abort(MPI_COMM_WORLD, code);
#endif
  (void)code;
}

static int check_root(int root, int any) {
  if (root >= size_ || (root < 0 && !any))
    return gy_err(GY_EINVAL, "root %d is not a rank of 0..%d", root, size_ - 1);
  return GY_OK;
}

int gy_par_bcast_bytes(void *buf, int64_t n, int root) {
  GY_TRY(check_root(root, 0));
  if (n < 0 || (n > 0 && !buf)) return gy_err(GY_EINVAL, "the buffer is missing");
#ifdef GY_HAVE_MPI
  if (started && size_ > 1) {
    /* MPI counts are int: large buffers go in pieces. */
    for (int64_t off = 0; off < n; off += INT_MAX / 2) {
      int64_t len = n - off < INT_MAX / 2 ? n - off : INT_MAX / 2;
      MPI_Bcast((char *)buf + off, (int)len, MPI_BYTE, root, MPI_COMM_WORLD);
    }
  }
#endif
  return GY_OK;
}

int gy_par_allgather_i64(int64_t v, int64_t *counts) {
  if (!counts) return gy_err(GY_EINVAL, "the output is missing");
#ifdef GY_HAVE_MPI
  if (started && size_ > 1) {
    MPI_Allgather(&v, 1, MPI_INT64_T, counts, 1, MPI_INT64_T, MPI_COMM_WORLD);
    return GY_OK;
  }
#endif
  counts[0] = v;
  return GY_OK;
}

int gy_par_gather_bytes(const void *send, int64_t n, const int64_t *counts, void *recv,
                        int root) {
  GY_TRY(check_root(root, 1));
  if (!counts || n < 0 || (n > 0 && !send)) return gy_err(GY_EINVAL, "a buffer is missing");
  int64_t total = 0;
  for (int r = 0; r < size_; r++) {
    if (counts[r] < 0) return gy_err(GY_EINVAL, "rank %d sends %lld bytes", r, (long long)counts[r]);
    total += counts[r];
  }
  if (counts[rank_] != n)
    return gy_err(GY_EINVAL, "rank %d sends %lld bytes but the counts say %lld", rank_,
                  (long long)n, (long long)counts[rank_]);
  int gets = root < 0 || root == rank_;
  if (gets && total > 0 && !recv) return gy_err(GY_EINVAL, "the receive buffer is missing");
#ifdef GY_HAVE_MPI
  if (started && size_ > 1) {
    if (total > INT_MAX)
      return gy_err(GY_EUNSUPPORTED, "a gather of %lld bytes exceeds MPI's 2 GB limit",
                    (long long)total);
    int *cnt = malloc(2 * (size_t)size_ * sizeof *cnt);
    if (!cnt) return gy_err(GY_ENOMEM, "out of memory");
    int *disp = cnt + size_;
    for (int r = 0, off = 0; r < size_; r++) {
      cnt[r] = (int)counts[r];
      disp[r] = off;
      off += cnt[r];
    }
    /* MPI reads a send buffer it is given as const since MPI 3. */
    if (root < 0)
      MPI_Allgatherv(send, (int)n, MPI_BYTE, recv, cnt, disp, MPI_BYTE, MPI_COMM_WORLD);
    else
      MPI_Gatherv(send, (int)n, MPI_BYTE, recv, cnt, disp, MPI_BYTE, root, MPI_COMM_WORLD);
    free(cnt);
    return GY_OK;
  }
#endif
  if (n > 0) memcpy(recv, send, (size_t)n);
  return GY_OK;
}

int gy_par_bcast_mat(gy_mat *m, int root) {
  GY_TRY(check_root(root, 0));
  if (!m) return gy_err(GY_EINVAL, "the matrix is missing");
  int64_t shape[2] = { 0, 0 };
  if (rank_ == root) {
    GY_TRY(gy_check_mat(m, "the matrix"));
    shape[0] = m->rows;
    shape[1] = m->cols;
  } else {
    GY_TRY(gy_check_out(m, "the matrix"));
  }
  if (size_ == 1) return GY_OK;
  GY_TRY(gy_par_bcast_bytes(shape, sizeof shape, root));
  if (rank_ == root) {
    /* Columns go one by one so a view with ld > rows needs no copy. */
    for (int64_t j = 0; j < m->cols; j++)
      GY_TRY(gy_par_bcast_bytes(m->data + j * m->ld, m->rows * (int64_t)sizeof(double), root));
    return GY_OK;
  }
  GY_TRY(gy_mat_init_uninit(m, shape[0], shape[1]));
  for (int64_t j = 0; j < m->cols; j++)
    GY_TRY(gy_par_bcast_bytes(m->data + j * m->ld, m->rows * (int64_t)sizeof(double), root));
  return GY_OK;
}

static double combine(double a, double b, int op) {
  /* NaN propagates as numpy's maximum/minimum do. */
  if (op == GY_PAR_SUM) return a + b;
  if (isnan(a) || isnan(b)) return NAN;
  return op == GY_PAR_MAX ? (a > b ? a : b) : (a < b ? a : b);
}

int gy_par_reduce_mat(gy_mat *out, const gy_mat *x, int op, int root) {
  GY_TRY(check_root(root, 1));
  GY_TRY(gy_check_out(out, "output"));
  GY_TRY(gy_check_mat(x, "the matrix"));
  if (op < GY_PAR_SUM || op > GY_PAR_MIN) return gy_err(GY_EINVAL, "unknown reduction %d", op);
  int64_t r = x->rows, c = x->cols, n = r * c;
  int gets = root < 0 || root == rank_;
  if (size_ == 1) return gy_mat_copy(out, x);
  int64_t *shapes = malloc(2 * (size_t)size_ * sizeof *shapes);
  if (!shapes) return gy_err(GY_ENOMEM, "out of memory");
  int st = gy_par_allgather_i64(r, shapes);
  if (!st) st = gy_par_allgather_i64(c, shapes + size_);
  for (int k = 0; k < size_ && !st; k++)
    if (shapes[k] != r || shapes[size_ + k] != c)
      st = gy_err(GY_EINVAL, "rank %d has a %lld x %lld matrix but rank %d a %lld x %lld one",
                  k, (long long)shapes[k], (long long)shapes[size_ + k], rank_, (long long)r,
                  (long long)c);
  /* Every rank's copy side by side, then combined in rank order on the receivers. */
  double *mine = st ? NULL : malloc((size_t)(n ? n : 1) * sizeof *mine);
  double *all = st || !gets ? NULL : malloc((size_t)(n ? n : 1) * (size_t)size_ * sizeof *all);
  if (!st && (!mine || (gets && !all))) st = gy_err(GY_ENOMEM, "out of memory");
  if (!st) {
    for (int64_t j = 0; j < c; j++) memcpy(mine + j * r, x->data + j * x->ld, (size_t)r * sizeof *mine);
    for (int k = 0; k < size_; k++) shapes[k] = n * (int64_t)sizeof(double);
    st = gy_par_gather_bytes(mine, n * (int64_t)sizeof(double), shapes, all, root);
  }
  if (!st && gets) st = gy_mat_init_uninit(out, r, c);
  if (!st && gets) {
    for (int64_t i = 0; i < n; i++) {
      double v = all[i];
      for (int k = 1; k < size_; k++) v = combine(v, all[(int64_t)k * n + i], op);
      out->data[i % r + (i / r) * out->ld] = v;
    }
  }
  free(shapes);
  free(mine);
  free(all);
  return st;
}
