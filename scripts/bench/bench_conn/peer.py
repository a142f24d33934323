"""numpy/scipy/sklearn side of benchmark (a): nilearn's ConnectivityMeasure formulas
(nilearn/connectome/connectivity_matrices.py) re-computed, as a nilearn user would run
ConnectivityMeasure(kind="correlation"), (kind="partial correlation") and
(kind="tangent", vectorize=True) with the default LedoitWolf(store_precision=False)."""
import numpy as np
from scipy import linalg
from sklearn.covariance import LedoitWolf

import benchlib as b

T_SUB = 1200


def standardize(x):
    x = x - x.mean(axis=0)
    std = x.std(axis=0, ddof=1)
    std[std < np.finfo(np.float64).eps] = 1.0
    return x / std


def cov_to_corr(c):
    d = np.atleast_2d(1.0 / np.sqrt(np.diag(c)))
    r = c * d * d.T
    np.fill_diagonal(r, 1.0)
    return r


def prec_to_partial(p):
    r = -cov_to_corr(p)
    np.fill_diagonal(r, 1.0)
    return r


def form_symmetric(f, vals, vecs):
    return vecs.dot(np.diag(f(vals))).dot(vecs.T)


def map_eigenvalues(f, m):
    vals, vecs = linalg.eigh(m)
    return form_symmetric(f, vals, vecs)


def geometric_mean(matrices, max_iter=30, tol=1e-7):
    matrices = np.array(matrices)
    gmean = np.mean(matrices, axis=0)
    norm_old, step = np.inf, 1.0
    for _ in range(max_iter):
        vals_gmean, vecs_gmean = linalg.eigh(gmean)
        gmean_inv_sqrt = form_symmetric(np.sqrt, 1.0 / vals_gmean, vecs_gmean)
        whitened = [gmean_inv_sqrt.dot(m).dot(gmean_inv_sqrt) for m in matrices]
        logs = [map_eigenvalues(np.log, w) for w in whitened]
        logs_mean = np.mean(logs, axis=0)
        norm = np.linalg.norm(logs_mean)
        vals_log, vecs_log = linalg.eigh(logs_mean)
        gmean_sqrt = form_symmetric(np.sqrt, vals_gmean, vecs_gmean)
        gmean = gmean_sqrt.dot(form_symmetric(np.exp, vals_log * step, vecs_log)).dot(gmean_sqrt)
        if norm < norm_old:
            norm_old = norm
        elif norm > norm_old:
            step = step / 2.0
            norm = norm_old
        if norm / gmean.size < tol:
            break
    return gmean


def sym_matrix_to_vec(sym):
    scaling = np.ones(sym.shape[-2:])
    np.fill_diagonal(scaling, np.sqrt(2.0))
    mask = np.tril(np.ones(sym.shape[-2:])).astype(bool)
    return sym[..., mask] / scaling[mask]


X = b.load("X")
subjects = [X[s * T_SUB:(s + 1) * T_SUB] for s in range(X.shape[0] // T_SUB)]
LedoitWolf(store_precision=False).fit(np.random.default_rng(1).standard_normal((50, 20)))

t0 = b.now()
R = [cov_to_corr(LedoitWolf(store_precision=False).fit(standardize(x)).covariance_)
     for x in subjects]
P = [prec_to_partial(linalg.inv(LedoitWolf(store_precision=False).fit(x).covariance_))
     for x in subjects]
covs = [LedoitWolf(store_precision=False).fit(x).covariance_ for x in subjects]
mean = geometric_mean(covs, max_iter=30, tol=1e-7)
W = map_eigenvalues(lambda v: 1.0 / np.sqrt(v), mean)
T = sym_matrix_to_vec(np.array([map_eigenvalues(np.log, W.dot(c).dot(W)) for c in covs]))
t = b.now() - t0
b.report(t, sum(b.sample(r) for r in R) + sum(b.sample(p) for p in P) + b.sample(T))
