#!/usr/bin/python3
"""Drives `gyrus` in a pseudo-terminal, for the tests that need a real terminal (readline,
Ctrl-C, tab completion, history). Used by tests/lua/repl_spec.lua.

usage: repl_pty.py [-t TIMEOUT] [--pipe] [--] STEP...
  The program is $GY_GYRUS (or the first step "cmd:PATH"); its environment is ours plus
  TERM=dumb and INPUTRC=/dev/null so the output is plain and readline is not customised.
  --pipe: no terminal; stdin is a pipe and stdout+stderr another, the program leads its own
  process group (so "sigint" reaches it as a Ctrl-C in a shell pipeline would).
  Steps, in order (TEXT takes backslash escapes: \\n, \\t, \\x03; REGEX is Python's):
    send:TEXT     write TEXT to the terminal (\\x03 is Ctrl-C, \\x04 Ctrl-D)
    expect:REGEX  wait until the output since the last match matches REGEX (else fail)
    sigint        send SIGINT to the program's process group
    sleep:SECS    wait
    exit:N        close input, wait for the program to exit and check its status
The whole output is printed on stdout; a failed step prints why on stderr, exit status 1.
"""
import codecs
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r")


def main(argv):
    timeout = 10.0
    use_pipe = False
    while argv and argv[0] in ("-t", "--pipe"):
        if argv[0] == "-t":
            timeout = float(argv[1])
            argv = argv[2:]
        else:
            use_pipe = True
            argv = argv[1:]
    if argv and argv[0] == "--":
        argv = argv[1:]
    prog = os.environ.get("GY_GYRUS", "gyrus")
    if argv and argv[0].startswith("cmd:"):
        prog = argv[0][4:]
        argv = argv[1:]

    env = dict(os.environ, TERM="dumb", INPUTRC="/dev/null")
    if use_pipe:
        proc = subprocess.Popen([prog], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
        pid, fd, wfd = proc.pid, proc.stdout.fileno(), proc.stdin.fileno()
    else:
        pid, fd = pty.fork()
        if pid == 0:
            os.execvpe(prog, [prog], env)
        wfd = fd

    def send_eof():
        if use_pipe:
            if not proc.stdin.closed:
                proc.stdin.close()
        else:
            os.write(fd, b"\x04")

    raw = bytearray()   # everything the program wrote
    seen = 0            # how much of the cleaned text earlier expects consumed

    def pump(wait):
        r, _, _ = select.select([fd], [], [], wait)
        if not r:
            return True
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        raw.extend(data)
        return True

    def text():
        return ANSI.sub(b"", bytes(raw)).decode("utf-8", "replace")

    def fail(msg):
        sys.stdout.write(text())
        sys.stderr.write("repl_pty: " + msg + "\n")
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        return 1

    status = None
    for step in argv:
        op, _, arg = step.partition(":")
        if op == "send":
            os.write(wfd, codecs.decode(arg, "unicode_escape").encode("utf-8"))
        elif op == "expect":
            pat = re.compile(arg)
            end = time.monotonic() + timeout
            while True:
                m = pat.search(text(), seen)
                if m:
                    seen = m.end()
                    break
                left = end - time.monotonic()
                if left <= 0:
                    return fail("timed out waiting for %r" % arg)
                if not pump(min(left, 0.2)) and not pat.search(text(), seen):
                    return fail("output ended before %r" % arg)
        elif op == "sigint":
            os.killpg(pid, signal.SIGINT)
        elif op == "sleep":
            end = time.monotonic() + float(arg)
            while time.monotonic() < end:
                pump(max(0.0, min(0.1, end - time.monotonic())))
        elif op == "exit":
            send_eof()
            end = time.monotonic() + timeout
            while time.monotonic() < end:
                done, st = os.waitpid(pid, os.WNOHANG)
                if done:
                    status = os.waitstatus_to_exitcode(st)
                    break
                pump(0.1)
            if status is None:
                return fail("the program did not exit")
            while pump(0.05):
                pass
            if status != int(arg):
                return fail("exit status %d, expected %s" % (status, arg))
        else:
            return fail("unknown step %r" % step)

    if status is None:
        send_eof()
        time.sleep(0.2)
        done, _ = os.waitpid(pid, os.WNOHANG)
        if not done:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    sys.stdout.write(text())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
