/* Atlas label files (see io_labels.h). */
#include "internal.h"
#include "gyrus/io_labels.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gy_labels {
  int64_t n;
  int64_t *index;
  char **name;
};

void gy_labels_free(gy_labels *l) {
  if (!l) return;
  for (int64_t k = 0; k < l->n; k++) free(l->name[k]);
  free(l->name);
  free(l->index);
  free(l);
}

int64_t gy_labels_count(const gy_labels *l) { return l ? l->n : 0; }
int64_t gy_labels_index(const gy_labels *l, int64_t k) {
  return l && k >= 0 && k < l->n ? l->index[k] : -1;
}
const char *gy_labels_name(const gy_labels *l, int64_t k) {
  return l && k >= 0 && k < l->n ? l->name[k] : NULL;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

int gy_labels_parse(gy_labels **out, const char *text, size_t n) {
  if (!out) return gy_err(GY_EINVAL, "no place for the labels");
  *out = NULL;
  if (!text && n) return gy_err(GY_EINVAL, "the text is missing");
  gy_labels *l = calloc(1, sizeof *l);
  if (!l) return gy_err(GY_ENOMEM, "out of memory");
  int64_t cap = 0, line = 0;
  int st = GY_OK;
  for (size_t p = 0; p < n && !st;) {
    size_t e = p;
    while (e < n && text[e] != '\n' && text[e] != '\r') e++;
    line++;
    size_t q = p;
    while (q < e && is_space(text[q])) q++;
    if (q < e && text[q] != '#') {
      /* the index: decimal digits, at most 2^31 - 1 */
      int64_t idx = 0;
      size_t d = q;
      while (d < e && text[d] >= '0' && text[d] <= '9' && idx <= 2147483647) idx = idx * 10 + (text[d++] - '0');
      if (d == q || idx > 2147483647 || (d < e && !is_space(text[d]))) {
        st = gy_err(GY_EFORMAT, "line %lld: the first field must be a label index "
                    "(a whole number from 0 to 2147483647)", (long long)line);
        break;
      }
      while (d < e && is_space(text[d])) d++;
      size_t s = d;
      while (d < e && !is_space(text[d])) d++;
      if (d == s) {
        st = gy_err(GY_EFORMAT, "line %lld: label %lld has no name", (long long)line, (long long)idx);
        break;
      }
      for (int64_t k = 0; k < l->n; k++)
        if (l->index[k] == idx) {
          st = gy_err(GY_EFORMAT, "line %lld: label %lld is given twice", (long long)line,
                      (long long)idx);
          break;
        }
      if (st) break;
      if (l->n == cap) {
        int64_t nc = cap ? 2 * cap : 64;
        int64_t *ni = realloc(l->index, (size_t)nc * sizeof *ni);
        if (ni) l->index = ni;
        char **nn = ni ? realloc(l->name, (size_t)nc * sizeof *nn) : NULL;
        if (nn) l->name = nn;
        if (!ni || !nn) { st = gy_err(GY_ENOMEM, "out of memory"); break; }
        cap = nc;
      }
      char *name = malloc(d - s + 1);
      if (!name) { st = gy_err(GY_ENOMEM, "out of memory"); break; }
      memcpy(name, text + s, d - s);
      name[d - s] = 0;
      l->index[l->n] = idx;
      l->name[l->n++] = name;
    }
    p = e;
    if (p < n && text[p] == '\r') p++;
    if (p < n && text[p] == '\n') p++;
  }
  if (st) {
    gy_labels_free(l);
    return st;
  }
  *out = l;
  return GY_OK;
}

int gy_labels_read(gy_labels **out, const char *path) {
  if (!out) return gy_err(GY_EINVAL, "no place for the labels");
  *out = NULL;
  if (!path) return gy_err(GY_EINVAL, "the file name is missing");
  FILE *f = fopen(path, "rb");
  if (!f) return gy_err(GY_EIO, "cannot open '%s': %s", path, strerror(errno));
  enum { MAX = 64 << 20 };
  char *buf = malloc(MAX);
  if (!buf) {
    fclose(f);
    return gy_err(GY_ENOMEM, "out of memory");
  }
  size_t n = fread(buf, 1, MAX, f);
  int more = fgetc(f) != EOF, bad = ferror(f);
  fclose(f);
  int st;
  if (bad) st = gy_err(GY_EIO, "cannot read '%s'", path);
  else if (more) st = gy_err(GY_EFORMAT, "'%s' is larger than 64 MB: not a label file", path);
  else st = gy_labels_parse(out, buf, n);
  free(buf);
  return st;
}
