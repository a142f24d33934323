"""numpy side: R = numpy.corrcoef(X, rowvar=False), variables in columns."""
import numpy as np

import benchlib as b

X = b.load("X")
np.corrcoef(np.random.default_rng(1).standard_normal((50, 20)), rowvar=False)
t0 = b.now()
R = np.corrcoef(X, rowvar=False)
t = b.now() - t0
b.report(t, b.sample(R))
