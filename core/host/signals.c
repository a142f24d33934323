/* Ctrl-C. While Lua code runs, the handler raises libgyrus's interrupt flag (C kernels poll
 * it and return GY_EINTR; core.check turns that into an error) and sets a hook that raises
 * "interrupted" at the next interpreted instruction, as lua.c does. Compiled traces that
 * never call gyrus check neither, so presses that go unanswered escalate: the second says
 * so, the third ends the process. While input is read the handler only counts presses;
 * the reader polls them. */
#include "host.h"

#include <gyrus/status.h>
#include <lauxlib.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static lua_State *volatile armed;
static volatile sig_atomic_t presses;      /* since the last sig_clear / sig_arm */
static volatile sig_atomic_t hook_pending; /* set by the handler, cleared when the hook fires */
static volatile sig_atomic_t unanswered;   /* presses in a row that nothing has acted on */
static volatile sig_atomic_t winch;

static void stop_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  hook_pending = 0;
  unanswered = 0;
  lua_sethook(L, NULL, 0, 0);
  luaL_error(L, "interrupted");
}

static void say(const char *s) {
  ssize_t r = write(STDERR_FILENO, s, strlen(s));
  (void)r;
}

static void on_sigint(int sig) {
  int saved = errno;
  lua_State *L = armed;
  presses++;
  if (L) {
    /* core.check clears the flag and the hook clears hook_pending when they act. */
    if (hook_pending || gy_interrupted()) unanswered++;
    else unanswered = 1;
    gy_interrupt(1);
    hook_pending = 1;
    lua_sethook(L, stop_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
    if (unanswered == 2) {
      say("\ngyrus: the computation does not respond; Ctrl-C once more quits gyrus\n");
    } else if (unanswered >= 3) {
      signal(sig, SIG_DFL);
      raise(sig);
    }
  }
  errno = saved;
}

static void on_sigwinch(int sig) {
  (void)sig;
  winch = 1;
}

void sig_install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  /* Plain reads of piped input restart; select() in the terminal reader never does, which
   * is how it notices a press. */
  sa.sa_flags = SA_RESTART;
  /* A SIGINT ignored on entry (a background job of a shell) stays ignored, as in CPython. */
  struct sigaction old;
  if (sigaction(SIGINT, NULL, &old) == 0 && old.sa_handler != SIG_IGN) {
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
  }
  sa.sa_handler = on_sigwinch;
  sigaction(SIGWINCH, &sa, NULL);
}

void sig_arm(lua_State *L) {
  gy_interrupt(0);
  presses = 0;
  unanswered = 0;
  hook_pending = 0;
  armed = L;
}

int sig_disarm(lua_State *L) {
  armed = NULL;
  lua_sethook(L, NULL, 0, 0);
  int pressed = presses != 0;
  hook_pending = 0;
  unanswered = 0;
  presses = 0;
  gy_interrupt(0);
  return pressed;
}

int sig_pending(void) { return presses != 0; }

void sig_clear(void) {
  presses = 0;
  gy_interrupt(0);
}

int sig_take_winch(void) {
  int w = winch;
  winch = 0;
  return w;
}
