/* Status codes, messages and the interrupt flag. */
#include "test.h"

int main(void) {
  gy_errclear();
  CHECK(gy_errmsg()[0] == '\0');
  CHECK(strcmp(gy_strerror(GY_ESINGULAR), "GY_ESINGULAR") == 0);
  CHECK(strcmp(gy_strerror(1234), "GY_E?") == 0);
  CHECK_FAILS(gy_mat_init(&(gy_mat){0}, -3, 1), GY_EINVAL, "negative size -3 x 1");
  CHECK(!gy_interrupted());
  gy_interrupt(1);
  CHECK(gy_interrupted());
  gy_interrupt(0);
  CHECK(!gy_interrupted());
  int64_t done = -1, total = -1;
  gy_progress_get(&done, &total);
  CHECK(done == 0 && total == 0);
  CHECK(strlen(gy_version()) > 0);
  return test_summary();
}
