/* gyrus: the command line. Options follow lua.c/luajit.c; with nothing to run it starts
 * the REPL. Any error exits with status 1 after a traceback on stderr. */
#include "host.h"

#include "gyrus/par.h"

#include <lauxlib.h>
#include <luajit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
  "usage: gyrus [options] [script [args...]]\n"
  "       gyrus                              start the REPL\n"
  "       gyrus notebook in.md -o out.html   run a notebook into a report\n"
  "       gyrus plot DATA -o out.png         a quick figure of a .csv, .npy or .nii.gz\n"
  "Options:\n"
  "  -e code        run code (may be repeated)\n"
  "  -l name        name = require(name); -l g=name sets global g\n"
  "  -i             start the REPL after the script and -e code\n"
  "  -j cmd         LuaJIT command: -j off, -j on, -j flush, -jv, -jdump\n"
  "  -O[opt]        LuaJIT optimisation flags (-O3, -O-fold)\n"
  "  -v, --version  print \"gyrus " GY_VERSION "\" and exit\n"
  "  -h, --help     print this help and exit\n"
  "  --             stop handling options\n"
  "  -              run standard input as a script\n"
  "The script gets its arguments in `arg` (arg[0] is the script) and as `...`.\n"
  "In the REPL: `gy` is the gyrus library, help(f) or ?f shows help, `_` is the last\n"
  "value, timing(true) prints the time of each statement, a statement ending in ';'\n"
  "prints nothing, Ctrl-C cancels a computation or clears the line, Ctrl-D quits.\n"
  "Environment: GY_HISTORY (history file; default $XDG_STATE_HOME/gyrus/history or\n"
  "~/.gyrus_history), GY_HISTSIZE (1000), GY_LUA_DIR (where gyrus/*.lua are),\n"
  "GY_SHARE_DIR.\n";

enum { ACT_EXEC, ACT_LIB, ACT_JIT, ACT_OPT };

struct action {
  int kind;
  const char *text;
};

static int usage_error(const char *fmt, const char *what) {
  fprintf(stderr, "gyrus: ");
  fprintf(stderr, fmt, what);
  fprintf(stderr, "\n%s", usage_text);
  return 1;
}

/* arg as in lua.c: arg[0] = script, arg[1..] = its arguments, negative = the rest. */
static void create_arg(lua_State *L, char **argv, int argc, int script) {
  int base = script ? script : 0;
  lua_createtable(L, argc - base, base + 1);
  for (int i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - base);
  }
  lua_setglobal(L, "arg");
}

static int run_lib(lua_State *L, const char *spec) {
  const char *eq = strchr(spec, '=');
  const char *mod = eq ? eq + 1 : spec;
  lua_getglobal(L, "require");
  lua_pushstring(L, mod);
  int st = host_docall(L, 1, 1);
  if (st != 0) return host_report(L, st);
  if (eq) lua_pushlstring(L, spec, (size_t)(eq - spec));
  else lua_pushstring(L, spec);
  lua_insert(L, -2);
  lua_settable(L, LUA_GLOBALSINDEX);
  return 0;
}

static const char jit_lua[] =
  "local kind, cmd = ...\n"
  "local function split(s)\n"
  "  local t = {}\n"
  "  for w in s:gmatch('[^,]+') do t[#t + 1] = w end\n"
  "  return unpack(t)\n"
  "end\n"
  "if kind == 'O' then return require('jit.opt').start(split(cmd)) end\n"
  "local name, opts = cmd:match('^([^=]*)=?(.*)$')\n"
  "if name == 'on' or name == 'off' or name == 'flush' then return jit[name]() end\n"
  "return require('jit.' .. name).start(split(opts))\n";

static int run_jit(lua_State *L, const char *kind, const char *cmd) {
  int st = luaL_loadbuffer(L, jit_lua, sizeof jit_lua - 1, "=(command line)");
  if (st == 0) {
    lua_pushstring(L, kind);
    lua_pushstring(L, cmd);
    st = host_docall(L, 2, 0);
  }
  return host_report(L, st);
}

/* `gyrus notebook args...` is require("gyrus.notebook").main(args...) (likewise `gyrus plot`,
 * the quick figure of a data file); it returns nothing
 * or true on success, false or a non-zero number on failure. */
static int run_subcommand(lua_State *L, char **argv, int argc, int sub) {
  lua_getglobal(L, "require");
  lua_pushfstring(L, "gyrus.%s", argv[sub]);
  int st = host_docall(L, 1, 1);
  if (st == 0) {
    lua_getfield(L, -1, "main");
    lua_remove(L, -2);
    int n = argc - sub - 1;
    luaL_checkstack(L, n + 1, "too many arguments");
    for (int i = sub + 1; i < argc; i++) lua_pushstring(L, argv[i]);
    st = host_docall(L, n, 1);
  }
  if (st != 0) return host_report(L, st);
  int failed = (lua_isboolean(L, -1) && !lua_toboolean(L, -1)) ||
               (lua_isnumber(L, -1) && lua_tonumber(L, -1) != 0);
  lua_pop(L, 1);
  return failed;
}

static int run_script(lua_State *L, char **argv, int argc, int script) {
  const char *name = strcmp(argv[script], "-") == 0 ? NULL : argv[script];
  int st = luaL_loadfile(L, name);
  if (st == 0) {
    int n = argc - script - 1;
    luaL_checkstack(L, n + 1, "too many arguments to the script");
    for (int i = script + 1; i < argc; i++) lua_pushstring(L, argv[i]);
    st = host_docall(L, n, 0);
  }
  return host_report(L, st);
}

int main(int argc, char **argv) {
  struct action *acts = calloc((size_t)argc + 1, sizeof *acts);
  if (!acts) return 1;
  int nacts = 0, interactive = 0, script = 0, has_code = 0, status = 0;
  int i;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-' || strcmp(a, "-") == 0) break;
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (strcmp(a, "--version") == 0 || strcmp(a, "-v") == 0) {
      printf("gyrus %s\n", GY_VERSION);
      free(acts);
      return 0;
    }
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(usage_text, stdout);
      free(acts);
      return 0;
    }
    if (strcmp(a, "-i") == 0) {
      interactive = 1;
    } else if (a[1] == 'e' || a[1] == 'l' || a[1] == 'j') {
      const char *text = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
      if (!text) {
        free(acts);
        return usage_error("option '%s' needs an argument", a);
      }
      acts[nacts].kind = a[1] == 'e' ? ACT_EXEC : a[1] == 'l' ? ACT_LIB : ACT_JIT;
      acts[nacts++].text = text;
      if (a[1] == 'e') has_code = 1;
    } else if (a[1] == 'O') {
      acts[nacts].kind = ACT_OPT;
      acts[nacts++].text = a + 2;
    } else {
      free(acts);
      return usage_error("unknown option '%s'", a);
    }
  }
  if (i < argc) script = i;
  int repl = interactive || (!script && !has_code);

  /* Under mpirun/srun this joins the world (a no-op otherwise), before any Lua runs. */
  if (gy_par_init() != 0) {
    fprintf(stderr, "gyrus: %s\n", gy_errmsg());
    free(acts);
    return 1;
  }
  lua_State *L = host_open(argv[0], repl);
  if (!L) {
    free(acts);
    return 1;
  }
  sig_install();
  create_arg(L, argv, argc, script);

  for (int k = 0; k < nacts && status == 0; k++) {
    switch (acts[k].kind) {
    case ACT_EXEC: status = host_dostring(L, acts[k].text, "=(command line)"); break;
    case ACT_LIB: status = run_lib(L, acts[k].text); break;
    case ACT_JIT: status = run_jit(L, "j", acts[k].text); break;
    default: status = run_jit(L, "O", acts[k].text); break;
    }
  }
  if (status == 0 && script) {
    if (strcmp(argv[script], "notebook") == 0 || strcmp(argv[script], "plot") == 0)
      status = run_subcommand(L, argv, argc, script);
    else status = run_script(L, argv, argc, script);
  }
  if (status == 0 && repl) {
    input_init(L, isatty(STDIN_FILENO));
    status = repl_run(L);
    input_done();
  }
  fflush(stdout);
  /* An error on one rank of an SPMD run stops them all (the others may wait in a
   * collective); its message is already on stderr. */
  if (status && gy_par_size() > 1) gy_par_abort(1);
  host_close(L);
  gy_par_finalize();
  free(acts);
  return status ? 1 : 0;
}
