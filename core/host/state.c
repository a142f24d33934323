/* The Lua state of the host: where the Lua API is found, the globals the host defines,
 * and running code with a traceback and Ctrl-C armed. */
#include "host.h"

#include "gyrus/par.h"

#include <lauxlib.h>
#include <lualib.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int host_timing;
int host_interrupted;
const char *host_progname = "gyrus";

/* Registry reference of the Lua helper that calls gyrus.repl functions. */
static int repl_ref = LUA_NOREF;

static int exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

/* Error objects need not be strings: __tostring decides, as print would. */
static int msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      msg = lua_tostring(L, -1);
    else
      msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

int host_docall(lua_State *L, int narg, int nres) {
  int base = lua_gettop(L) - narg;
  lua_pushcfunction(L, msghandler);
  lua_insert(L, base);
  sig_arm(L);
  int status = lua_pcall(L, narg, nres, base);
  host_interrupted = sig_disarm(L);
  lua_remove(L, base);
  return status;
}

int host_report(lua_State *L, int status) {
  if (status == 0) return 0;
  const char *msg = lua_tostring(L, -1);
  if (msg == NULL) msg = "(error object is not a string)";
  fflush(stdout);
  if (host_progname) fprintf(stderr, "%s: ", host_progname);
  /* Which process of an SPMD run failed. */
  if (gy_par_size() > 1) fprintf(stderr, "rank %d: ", gy_par_rank());
  fprintf(stderr, "%s\n", msg);
  fflush(stderr);
  lua_pop(L, 1);
  return status;
}

int host_dostring(lua_State *L, const char *code, const char *name) {
  int status = luaL_loadbuffer(L, code, strlen(code), name);
  if (status == 0) status = host_docall(L, 0, 0);
  return host_report(L, status);
}

int host_repl_call(lua_State *L, const char *fname, int nargs, int nres) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, repl_ref);
  lua_pushstring(L, fname);
  lua_insert(L, -nargs - 2);
  lua_insert(L, -nargs - 2);
  return host_docall(L, nargs + 1, nres);
}

/* timing([on]) -> whether the REPL now prints the wall time of each statement; no
 * argument toggles. */
static int l_timing(lua_State *L) {
  host_timing = lua_isnoneornil(L, 1) ? !host_timing : lua_toboolean(L, 1);
  lua_pushboolean(L, host_timing);
  return 1;
}

/* Runs with (lua_dir, share_dir, version, interactive) and returns the repl helper. */
static const char setup_lua[] =
  "local dir, share, version, interactive = ...\n"
  "package.path = dir .. '/?.lua;' .. dir .. '/?/init.lua;' .. package.path\n"
  "package.loaded['gyrus.host'] = { lua_dir = dir, share_dir = share, version = version,\n"
  "  interactive = interactive }\n"
  /* os.exit closes the state by default so finalizers free C memory. */
  "local exit = os.exit\n"
  "os.exit = function(code, close)\n"
  "  if close == nil then close = true end\n"
  "  return exit(code, close)\n"
  "end\n"
  "local require, pcall, print, error = require, pcall, print, error\n"
  "return function(name, ...)\n"
  "  local ok, R = pcall(require, 'gyrus.repl')\n"
  "  if not ok then\n"
  "    if name == 'show' then return print(...) end\n"
  "    error(R, 0)\n"
  "  end\n"
  "  return R[name](...)\n"
  "end\n";

/* help prints and returns nothing at the prompt (gy.help also returns the text, which the
 * REPL would print a second time); help(x, true) returns the text quietly. */
static const char globals_lua[] =
  "gy = require 'gyrus'\n"
  "local ghelp = gy.help\n"
  "help = function(x, quiet)\n"
  "  local text = ghelp(x, quiet)\n"
  "  if quiet then return text end\n"
  "end\n";

lua_State *host_open(const char *argv0, int interactive) {
  (void)argv0;
  lua_State *L = luaL_newstate();
  if (L == NULL) {
    fprintf(stderr, "gyrus: cannot create the Lua state (out of memory)\n");
    return NULL;
  }
  lua_gc(L, LUA_GCSTOP, 0);
  luaL_openlibs(L);
  lua_gc(L, LUA_GCRESTART, 0);

  const char *dir = getenv("GY_LUA_DIR");
  const char *share = getenv("GY_SHARE_DIR");
  int from_source = 0;
  if (dir == NULL || dir[0] == '\0') {
    from_source = exists(GY_SOURCE_LUA_DIR "/gyrus/init.lua");
    dir = from_source ? GY_SOURCE_LUA_DIR : GY_INSTALL_LUA_DIR;
  }
  if (share == NULL || share[0] == '\0')
    share = from_source ? GY_SOURCE_SHARE_DIR : GY_INSTALL_SHARE_DIR;

  lua_pushcfunction(L, l_timing);
  lua_setglobal(L, "timing");

  int status = luaL_loadbuffer(L, setup_lua, sizeof setup_lua - 1, "=gyrus.host");
  if (status == 0) {
    lua_pushstring(L, dir);
    lua_pushstring(L, share);
    lua_pushstring(L, GY_VERSION);
    lua_pushboolean(L, interactive);
    status = host_docall(L, 4, 1);
  }
  if (status == 0) {
    repl_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    status = luaL_loadbuffer(L, globals_lua, sizeof globals_lua - 1, "=gyrus.host");
    if (status == 0) status = host_docall(L, 0, 0);
  }
  if (status != 0) {
    fprintf(stderr, "gyrus: cannot load the gyrus Lua library from %s:\n%s\n", dir,
            lua_tostring(L, -1) ? lua_tostring(L, -1) : "(no message)");
    lua_close(L);
    return NULL;
  }
  return L;
}

void host_close(lua_State *L) {
  if (L == NULL) return;
  luaL_unref(L, LUA_REGISTRYINDEX, repl_ref);
  repl_ref = LUA_NOREF;
  lua_close(L);
}
