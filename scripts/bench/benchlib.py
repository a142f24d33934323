"""Peer side of a gyrus benchmark (numpy/scipy): loads the shared inputs, times the kernel,
prints `time SECONDS` and `check VALUE` for scripts/bench/run.sh.

Inputs come back as C-ordered arrays, the layout numpy users hold (what np.load gives);
the conversion from the column-major file happens before any timing.
"""
import os
import sys
import time

import numpy as np

DIR = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("GY_BENCH_DIR", ".")


def load(name):
    with open(os.path.join(DIR, name + ".shape")) as f:
        rows, cols = (int(v) for v in f.read().split())
    x = np.fromfile(os.path.join(DIR, name + ".f64"), dtype="<f8", count=rows * cols)
    return np.ascontiguousarray(x.reshape(cols, rows).T)


now = time.perf_counter


def sample(m):
    """The same handful of entries every side sums: a cheap proof they computed alike."""
    m = np.atleast_2d(m)
    rows, cols = m.shape
    s = float(m[rows - 1, cols - 1])
    for k in range(10):
        s += float(m[(k * 7919) % rows, (k * 104729) % cols])
    return s


def report(seconds, check=None):
    print(f"time {seconds:.6f}")
    if check is not None:
        print(f"check {check:.17g}")
    import resource
    print(f"peak_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
    sys.stdout.flush()
