/* Atlas label files: MRIcron's "index name [more]" lines. */
#include "test.h"
#include "gyrus/io_labels.h"

#include <string.h>

static void parses(void) {
  const char *t = "# AAL\n1 Precentral_L 2001\r\n\n  2\tPrecentral_R 2002\n0 Background";
  gy_labels *l = NULL;
  CHECK_OK(gy_labels_parse(&l, t, strlen(t)));
  CHECK(gy_labels_count(l) == 3);
  CHECK(gy_labels_index(l, 0) == 1 && strcmp(gy_labels_name(l, 0), "Precentral_L") == 0);
  CHECK(gy_labels_index(l, 1) == 2 && strcmp(gy_labels_name(l, 1), "Precentral_R") == 0);
  CHECK(gy_labels_index(l, 2) == 0 && strcmp(gy_labels_name(l, 2), "Background") == 0);
  CHECK(gy_labels_name(l, 3) == NULL && gy_labels_index(l, -1) == -1);
  gy_labels_free(l);
  CHECK_OK(gy_labels_parse(&l, "", 0));
  CHECK(gy_labels_count(l) == 0);
  gy_labels_free(l);
}

static void rejects(void) {
  gy_labels *l = NULL;
  const char *a = "1 A\nx B\n";
  CHECK_FAILS(gy_labels_parse(&l, a, strlen(a)), GY_EFORMAT, "line 2");
  const char *b = "1 A\n2\n";
  CHECK_FAILS(gy_labels_parse(&l, b, strlen(b)), GY_EFORMAT, "has no name");
  const char *c = "1 A\n1 B\n";
  CHECK_FAILS(gy_labels_parse(&l, c, strlen(c)), GY_EFORMAT, "given twice");
  const char *d = "99999999999 A\n";
  CHECK_FAILS(gy_labels_parse(&l, d, strlen(d)), GY_EFORMAT, "whole number");
  const char *e = "-1 A\n";
  CHECK_FAILS(gy_labels_parse(&l, e, strlen(e)), GY_EFORMAT, "line 1");
  CHECK(l == NULL);
  CHECK_FAILS(gy_labels_read(&l, "/nonexistent/aal.nii.txt"), GY_EIO, "cannot open");
}

int main(void) {
  parses();
  rejects();
  return test_summary();
}
