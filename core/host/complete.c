/* Tab completion. The candidates come from gyrus.repl.complete (Lua knows globals, table
 * fields, __index chains and the method tables of FFI objects, which C cannot see);
 * inside a string literal readline completes file names instead. */
#include "host.h"

#include <readline/readline.h>

#include <stdlib.h>
#include <string.h>

static lua_State *CL;

/* '.' and ':' are not breaks, so "gy.rsa.rd" and "m:sh" reach the completer whole. */
static char word_breaks[] = " \t\n\"\\'`@$><=;|&{(,[+-*/%^~#)}]";
/* Inside a string a file name is completed from the quote on, '/' and '-' included. */
static char quote_breaks[] = "\"'";

static char *choose_breaks(void) {
  char q = 0;
  for (int i = 0; i < rl_point && rl_line_buffer[i]; i++) {
    char c = rl_line_buffer[i];
    if (q) {
      if (c == '\\' && rl_line_buffer[i + 1]) i++;
      else if (c == q) q = 0;
    } else if (c == '"' || c == '\'') {
      q = c;
    }
  }
  return q ? quote_breaks : word_breaks;
}

static char *dup_prefix(const char *s, size_t n) {
  char *p = malloc(n + 1);
  if (p) {
    memcpy(p, s, n);
    p[n] = '\0';
  }
  return p;
}

/* Frees m[first..] up to the first NULL, then m itself. */
static char **drop(char **m, size_t first) {
  for (size_t i = first; m[i]; i++) free(m[i]);
  free(m);
  return NULL;
}

/* readline's format: [0] = the longest common prefix, then the candidates, then NULL. */
static char **matches_from_lua(lua_State *L, int idx) {
  size_t n = lua_objlen(L, idx);
  if (n == 0) return NULL;
  char **m = calloc(n + 2, sizeof *m);
  if (!m) return NULL;
  size_t common = 0;
  for (size_t i = 1; i <= n; i++) {
    lua_rawgeti(L, idx, (int)i);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    m[i] = s ? dup_prefix(s, len) : NULL;
    lua_pop(L, 1);
    if (!m[i]) return drop(m, 1);
    if (i == 1) {
      common = len;
    } else {
      size_t k = 0;
      while (k < common && m[i][k] == m[1][k]) k++;
      common = k;
    }
  }
  if (n == 1) {
    m[0] = m[1];
    m[1] = NULL;
  } else {
    m[0] = dup_prefix(m[1], common);
    if (!m[0]) return drop(m, 1);
  }
  return m;
}

static char **attempt(const char *text, int start, int end) {
  (void)start;
  (void)end;
  /* Inside quotes: file names, readline's default. */
  if (rl_completion_quote_character) return NULL;
  rl_attempted_completion_over = 1;
  rl_completion_suppress_append = 1;
  lua_State *L = CL;
  int top = lua_gettop(L);
  lua_pushstring(L, text);
  char **m = NULL;
  if (host_repl_call(L, "complete", 1, 1) == 0 && lua_istable(L, -1))
    m = matches_from_lua(L, lua_gettop(L));
  lua_settop(L, top);
  return m;
}

void complete_init(lua_State *L) {
  CL = L;
  rl_attempted_completion_function = attempt;
  rl_completer_word_break_characters = word_breaks;
  rl_completion_word_break_hook = choose_breaks;
  rl_completer_quote_characters = "\"'";
  rl_completion_append_character = '\0';
}
