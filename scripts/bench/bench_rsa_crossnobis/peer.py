"""numpy side: rsatoolbox's calc_rdm_crossnobis (rdm/calc.py) re-computed: noise defaults to
np.eye(P); for each fold, per-condition means of the test fold and of all other folds
(data/computations.average_dataset_by), kernel = train @ noise @ test.T, distances
diag + diag' - K - K' over P, averaged over folds."""
import numpy as np

import benchlib as b


def average_by(x, desc):
    values = np.unique(desc)
    return np.stack([np.mean(x[desc == v], axis=0) for v in values])


def crossnobis(x, cond, runs, noise=None):
    if noise is None:
        noise = np.eye(x.shape[1])
    rdms = []
    for fold in np.unique(runs):
        test, train = runs == fold, runs != fold
        a = average_by(x[train], cond[train])
        t = average_by(x[test], cond[test])
        k = a @ noise @ t.T
        rdm = np.expand_dims(np.diag(k), 0) + np.expand_dims(np.diag(k), 1) - k - k.T
        rdms.append(rdm[np.triu_indices(rdm.shape[0], 1)] / a.shape[1])
    rdms = np.array(rdms)
    return np.einsum("ij->j", rdms) / rdms.shape[0]


X = b.load("X")
r = np.arange(X.shape[0])
cond, runs = r % 92, r // 92
crossnobis(np.random.default_rng(1).standard_normal((8, 30)), np.array([1, 2] * 4),
           np.array([1, 1, 2, 2, 3, 3, 4, 4]))
t0 = b.now()
v = crossnobis(X, cond, runs)
t = b.now() - t0
b.report(t, b.sample(v.reshape(-1, 1)))
