/* The matrix type: allocation, alignment, views, copies, errors, byte accounting. */
#include "test.h"

#include <stdint.h>

int main(void) {
  int64_t before = gy_alloc_bytes();
  gy_mat a = {0};
  CHECK_OK(gy_mat_init(&a, 5, 7));
  CHECK(a.rows == 5 && a.cols == 7 && a.ld == 5 && a.owner == 1);
  CHECK(((uintptr_t)a.data % 64) == 0);
  CHECK(gy_alloc_bytes() - before == 5 * 7 * 8);
  for (int64_t j = 0; j < 7; j++)
    for (int64_t i = 0; i < 5; i++) a.data[i + j * 5] = 10.0 * (double)i + (double)j;

  /* A view shares storage and keeps the parent's stride. */
  gy_mat v = {0};
  CHECK_OK(gy_mat_view(&v, &a, 1, 2, 3, 4));
  CHECK(v.rows == 3 && v.cols == 4 && v.ld == 5 && v.owner == 0);
  CHECK(v.data[0] == 12.0 && v.data[2 + 3 * v.ld] == 35.0);
  v.data[0] = -1;
  CHECK(a.data[1 + 2 * 5] == -1);
  CHECK_FAILS(gy_mat_view(&(gy_mat){0}, &a, 3, 0, 3, 1), GY_EINVAL, "outside a 5 x 7");

  /* A copy of a view is contiguous and independent. */
  gy_mat c = {0};
  CHECK_OK(gy_mat_copy(&c, &v));
  CHECK(c.ld == 3 && c.data[1 + 3 * 3] == 25.0);
  c.data[0] = 99;
  CHECK(a.data[1 + 2 * 5] == -1);

  gy_mat t = {0};
  CHECK_OK(gy_mat_transpose(&t, &a));
  CHECK(t.rows == 7 && t.cols == 5 && t.data[6 + 4 * 7] == 46.0);

  /* A big transpose exercises the blocked loops' edges. */
  gy_mat big = {0}, bt = {0};
  CHECK_OK(gy_mat_init(&big, 70, 45));
  for (int64_t k = 0; k < 70 * 45; k++) big.data[k] = (double)k;
  CHECK_OK(gy_mat_transpose(&bt, &big));
  int ok = 1;
  for (int64_t j = 0; j < 45; j++)
    for (int64_t i = 0; i < 70; i++) ok &= bt.data[j + i * 45] == big.data[i + j * 70];
  CHECK(ok);

  /* Outputs that own storage are refused rather than leaked. */
  CHECK_FAILS(gy_mat_init(&a, 2, 2), GY_EINVAL, "must be empty");
  CHECK_FAILS(gy_mat_init(&(gy_mat){0}, -1, 2), GY_EINVAL, "negative size");
  CHECK_FAILS(gy_mat_init(&(gy_mat){0}, INT64_C(1) << 30, INT64_C(1) << 20), GY_ENOMEM,
              "too large");

  /* Uninitialised storage: same shape and accounting, and big blocks (huge-page hint)
   * are as usable as small ones. */
  gy_mat u = {0};
  CHECK_OK(gy_mat_init_uninit(&u, 1000, 1000));
  CHECK(u.rows == 1000 && u.ld == 1000 && u.owner == 1 && ((uintptr_t)u.data % 64) == 0);
  gy_mat_fill(&u, 3.0);
  CHECK(u.data[999999] == 3.0);
  gy_mat_clear(&u);
  CHECK_FAILS(gy_mat_init_uninit(&(gy_mat){0}, INT64_C(1) << 30, INT64_C(1) << 20), GY_ENOMEM,
              "too large");

  gy_mat z = {0};
  CHECK_OK(gy_mat_init(&z, 0, 3));
  CHECK(z.rows == 0 && z.cols == 3);
  gy_mat_clear(&z);

  gy_mat_fill(&c, 2.5);
  CHECK(c.data[11] == 2.5 && gy_mat_isfinite(&c));
  c.data[4] = NAN;
  CHECK(!gy_mat_isfinite(&c));

  gy_mat_clear(&a);
  gy_mat_clear(&c);
  gy_mat_clear(&t);
  gy_mat_clear(&big);
  gy_mat_clear(&bt);
  gy_mat_clear(&v); /* a view: clearing frees nothing */
  CHECK(gy_alloc_bytes() == before);
  CHECK(gy_mat_layout(0) == (int64_t)sizeof(gy_mat));
  return test_summary();
}
