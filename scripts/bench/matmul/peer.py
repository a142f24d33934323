"""numpy side: C = A @ B."""
import numpy as np

import benchlib as b

A, B = b.load("A"), b.load("B")
np.ones((64, 64)) @ np.ones((64, 64))  # starts the BLAS threads outside the timing
t0 = b.now()
C = A @ B
t = b.now() - t0
b.report(t, b.sample(C))
