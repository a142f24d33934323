"""Benchmark inputs: standard normal matrices written once, read by every side.

    /usr/bin/python3 gen.py DIR NAME=ROWSxCOLS:SEED ...

writes DIR/NAME.f64 (raw little-endian float64, column-major: gyrus's own layout, so the
gyrus side reads each column with one read) and DIR/NAME.shape ("ROWS COLS").
"""
import sys

import numpy as np


def main(argv):
    if len(argv) < 2:
        sys.exit("usage: gen.py DIR NAME=ROWSxCOLS:SEED ...")
    out = argv[0]
    for spec in argv[1:]:
        name, rest = spec.split("=", 1)
        shape, _, seed = rest.partition(":")
        rows, cols = (int(v) for v in shape.lower().split("x"))
        rng = np.random.default_rng(int(seed or 0))
        x = rng.standard_normal((rows, cols))
        # x.T in C order is x in column-major order.
        x.T.astype("<f8").tofile(f"{out}/{name}.f64")
        with open(f"{out}/{name}.shape", "w") as f:
            f.write(f"{rows} {cols}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
