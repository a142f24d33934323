/* The history file: $GY_HISTORY, else $XDG_STATE_HOME/gyrus/history, else ~/.gyrus_history
 * (GY_HISTORY set but empty: no file). Each statement is appended as it is accepted, so a
 * crash loses nothing and parallel sessions do not overwrite each other. Entries are
 * written after a "#<time>" line, which lets a statement of several lines come back as
 * one entry. The list keeps GY_HISTSIZE (1000) entries; the file is cut at exit to twice
 * that many lines (readline counts lines, and most entries are a time plus one line). */
#include "host.h"

#include <readline/history.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *path;
static int limit = 1000;

static char *join(const char *a, const char *b) {
  size_t na = strlen(a), nb = strlen(b);
  char *p = malloc(na + nb + 1);
  if (p) {
    memcpy(p, a, na);
    memcpy(p + na, b, nb + 1);
  }
  return p;
}

static char *find_path(void) {
  const char *env = getenv("GY_HISTORY");
  if (env) return env[0] ? strdup(env) : NULL;
  env = getenv("XDG_STATE_HOME");
  if (env && env[0] == '/') {
    char *dir = join(env, "/gyrus");
    if (!dir) return NULL;
    mkdir(dir, 0700); /* may exist; a failure shows when the file cannot be opened */
    char *p = join(dir, "/history");
    free(dir);
    return p;
  }
  env = getenv("HOME");
  if (env && env[0]) return join(env, "/.gyrus_history");
  return NULL;
}

void history_open(void) {
  const char *size = getenv("GY_HISTSIZE");
  if (size && atoi(size) > 0) limit = atoi(size);
  using_history();
  stifle_history(limit);
  history_comment_char = '#';
  history_write_timestamps = 1;
  history_multiline_entries = 1;
  path = find_path();
  if (!path) return;
  /* append_history needs an existing file; history is private. */
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (fd < 0) {
    fprintf(stderr, "gyrus: history file %s cannot be written; history is not saved\n", path);
    free(path);
    path = NULL;
    return;
  }
  close(fd);
  read_history(path);
}

void history_add(const char *stmt) {
  if (stmt[strspn(stmt, " \t\r\n")] == '\0') return;
  HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
  if (last && last->line && strcmp(last->line, stmt) == 0) return;
  add_history(stmt);
  if (path) append_history(1, path);
}

void history_close(void) {
  if (path) history_truncate_file(path, 2 * limit);
  clear_history();
  free(path);
  path = NULL;
}
