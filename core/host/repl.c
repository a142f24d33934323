/* The read-eval-print loop, with lua.c's rules: a line is first tried as an expression
 * ("return " .. line) whose values are printed and kept in `_`, then as a statement; input
 * whose syntax error ends at '<eof>' is incomplete and continues on the next line. A
 * statement ending in ';' is never tried as an expression, so it prints nothing. A line
 * "?name" shows help. */
#include "host.h"

#include <lauxlib.h>
#include <luajit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum compiled { COMPILED, INCOMPLETE, SYNTAX_ERROR };

static int ends_at_eof(lua_State *L) {
  size_t len;
  const char *msg = lua_tolstring(L, -1, &len);
  static const char mark[] = "'<eof>'";
  size_t n = sizeof mark - 1;
  return msg && len >= n && strcmp(msg + len - n, mark) == 0;
}

static int ends_with_semicolon(const char *s) {
  size_t n = strlen(s);
  while (n > 0 && strchr(" \t\r\n", s[n - 1])) n--;
  return n > 0 && s[n - 1] == ';';
}

/* Leaves the compiled function (and sets *expr) or the syntax error message. */
static enum compiled compile(lua_State *L, const char *buf, int *expr) {
  int ret_eof = 0;
  *expr = 0;
  if (!ends_with_semicolon(buf)) {
    lua_pushliteral(L, "return ");
    lua_pushstring(L, buf);
    lua_concat(L, 2);
    size_t len;
    const char *code = lua_tolstring(L, -1, &len);
    int st = luaL_loadbuffer(L, code, len, "=stdin");
    lua_remove(L, -2);
    if (st == 0) {
      *expr = 1;
      /* Passing the values through a call keeps the line's own calls out of tail
       * position, so error("x") still says where it happened. */
      lua_pushliteral(L, "return (function(...) return ... end)(");
      lua_pushstring(L, buf);
      lua_pushliteral(L, "\n)");
      lua_concat(L, 3);
      code = lua_tolstring(L, -1, &len);
      if (luaL_loadbuffer(L, code, len, "=stdin") == 0) lua_replace(L, -3);
      else lua_pop(L, 1);
      lua_pop(L, 1);
      return COMPILED;
    }
    ret_eof = st == LUA_ERRSYNTAX && ends_at_eof(L);
    lua_pop(L, 1);
  }
  int st = luaL_loadbuffer(L, buf, strlen(buf), "=stdin");
  if (st == 0) return COMPILED;
  /* "{1," is incomplete only as an expression; report the statement's message otherwise. */
  if (st == LUA_ERRSYNTAX && (ends_at_eof(L) || ret_eof)) return INCOMPLETE;
  return SYNTAX_ERROR;
}

static char *prompt_of(lua_State *L, int first) {
  lua_getglobal(L, first ? "_PROMPT" : "_PROMPT2");
  const char *p = lua_tostring(L, -1);
  char *s = strdup(p ? p : (first ? "> " : ">> "));
  lua_pop(L, 1);
  return s;
}

static char *append_line(char *buf, const char *line) {
  size_t a = strlen(buf), b = strlen(line);
  char *p = realloc(buf, a + b + 2);
  if (!p) {
    free(buf);
    return NULL;
  }
  p[a] = '\n';
  memcpy(p + a + 1, line, b + 1);
  return p;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void print_time(double s) {
  if (s < 1e-3) printf("time: %.1f us\n", s * 1e6);
  else if (s < 1.0) printf("time: %.2f ms\n", s * 1e3);
  else printf("time: %.3f s\n", s);
  fflush(stdout);
}

static int starts_with_word(const char *s, const char *word) {
  s += strspn(s, " \t");
  size_t n = strlen(word);
  return strncmp(s, word, n) == 0 && (s[n] == ' ' || s[n] == '\t');
}

/* Runs the compiled chunk on top of the stack and prints what it returns. */
static void run(lua_State *L) {
  int base = lua_gettop(L) - 1;
  double t0 = now();
  int st = host_docall(L, 0, LUA_MULTRET);
  double t = now() - t0;
  if (st != 0) {
    /* After the terminal's "^C", start the message on a line of its own. */
    if (host_interrupted && input_is_tty()) fputs("\n", stderr);
    host_report(L, st);
  } else {
    int n = lua_gettop(L) - base;
    if (n > 0) {
      lua_pushvalue(L, base + 1);
      lua_setglobal(L, "_");
      host_report(L, host_repl_call(L, "show", n, 0));
    }
    lua_settop(L, base);
  }
  if (host_timing) print_time(t);
}

static void question(lua_State *L, const char *rest) {
  lua_pushstring(L, rest);
  host_report(L, host_repl_call(L, "question", 1, 0));
}

enum statement {
  ST_END,       /* end of input */
  ST_CHUNK,     /* a compiled chunk, or a syntax error message, is on the stack */
  ST_HELP,      /* a "?name" line */
  ST_CANCELLED, /* Ctrl-C during a continuation line */
  ST_NOMEM
};

/* Reads one complete statement; *text (malloc'd) is what was typed, for the history. */
static enum statement read_statement(lua_State *L, char **text, int *expr) {
  char *prompt = prompt_of(L, 1);
  char *buf = NULL;
  enum input_result r;
  while ((r = input_read(prompt, &buf)) == INPUT_INTERRUPT) {
  }
  free(prompt);
  *text = NULL;
  if (r == INPUT_EOF) return ST_END;
  if (buf[strspn(buf, " \t")] == '?') {
    *text = buf;
    return ST_HELP;
  }
  for (;;) {
    if (compile(L, buf, expr) != INCOMPLETE) break;
    lua_pop(L, 1);
    char *line = NULL;
    prompt = prompt_of(L, 0);
    r = input_read(prompt, &line);
    free(prompt);
    if (r == INPUT_INTERRUPT) {
      free(buf);
      return ST_CANCELLED;
    }
    if (r == INPUT_EOF) {
      /* The input ended inside a statement: the message says why it is incomplete. */
      compile(L, buf, expr);
      break;
    }
    buf = append_line(buf, line);
    free(line);
    if (!buf) return ST_NOMEM;
  }
  *text = buf;
  return ST_CHUNK;
}

int repl_run(lua_State *L) {
  int tty = input_is_tty();
  int warned_local = 0;
  const char *saved_progname = host_progname;
  host_progname = NULL;
  if (tty) {
    printf("gyrus %s (%s) -- help() for help, Ctrl-D quits\n", GY_VERSION, LUAJIT_VERSION);
    history_open();
  }
  enum statement st;
  char *text;
  int expr;
  while ((st = read_statement(L, &text, &expr)) != ST_END) {
    if (text && tty) history_add(text);
    if (st == ST_NOMEM) {
      fflush(stdout);
      fputs("out of memory\n", stderr);
    } else if (st == ST_HELP) {
      question(L, text + strspn(text, " \t") + 1);
    } else if (st == ST_CHUNK && !lua_isfunction(L, -1)) {
      host_report(L, 1);
    } else if (st == ST_CHUNK) {
      if (tty && !expr && !warned_local && starts_with_word(text, "local")) {
        fprintf(stderr, "note: a local lives only until the end of its statement at the "
                        "prompt; leave out 'local' to keep the value\n");
        warned_local = 1;
      }
      run(L);
    }
    free(text);
  }
  if (tty) history_close();
  host_progname = saved_progname;
  return 0;
}
