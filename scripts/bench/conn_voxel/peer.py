"""numpy side of benchmark (b): the degree map of |r| >= 0.25 as a numpy user computes it
without the 20 GB n x n matrix: the rows of np.corrcoef(X.T) in blocks. The columns are
z-scored once (what corrcoef does inside), each block of 1,000 rows of R is one GEMM, and
its links are counted at once (the diagonal, r = 1, removed)."""
import numpy as np

import benchlib as b

THRESHOLD = 0.25
BLOCK = 1000

X = b.load("X")

t0 = b.now()
T, n = X.shape
Z = X - X.mean(axis=0)
norm = np.sqrt((Z * Z).sum(axis=0))
norm[norm == 0] = np.inf
Z = Z / norm
ZT = np.ascontiguousarray(Z.T)
deg = np.empty((n, 1))
for i0 in range(0, n, BLOCK):
    R = ZT[i0:i0 + BLOCK] @ Z
    deg[i0:i0 + BLOCK, 0] = np.count_nonzero(np.abs(R) >= THRESHOLD, axis=1) - 1
t = b.now() - t0
b.report(t, b.sample(deg))
