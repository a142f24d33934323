-- Help texts of lua/gyrus/ica_group.lua (gy.ica.group, dual_regression, sort, icasso).
-- Format: a signature line, one paragraph, options with defaults, and an "Example:" whose
-- indented lines tests/lua/help_spec.lua runs.
return {
["gy.ica.group"] = [[
gy.ica.group(subjects, opts) -> result
Group ICA of a list of subjects (each time x voxels, the same voxels), as GIFT. Spatial
ICA (spatial = true, voxels are the samples): each subject's time points are centred over
the voxels and reduced by PCA to n_subject dimensions (pcasig_i = D_i white_i', white_i =
L^-1/2 E', dewhite_i = E L^1/2 from the eigendecomposition of the time x time or the voxel
Gram matrix, whichever is smaller, covariance divided by voxels - 1); the pcasig of all
subjects are concatenated side by side and reduced again to n; ICA (method) runs on the
group data (voxels x n) and gives the group maps (n x voxels, = W pcasig2'). Back-
reconstruction: back = "gica3" (GIFT's GICA3: maps_i = W white2_i pcasig_i', tc_i =
dewhite_i pinv(white2_i) pinv(W)), "gica1" (GIFT's "GICA": maps_i = W pinv(dewhite2_i)
pcasig_i', tc_i = dewhite_i dewhite2_i pinv(W)) or "dual_regression" (see
gy.ica.dual_regression). One subject uses a single reduction to n. Temporal ICA (spatial =
false): the subjects are stacked in time, each voxel centred, the voxel dimension reduced
once to n, and the sources are the time courses (split per subject); subject maps regress
each subject's data on its time courses. With sort = true the components are ordered by
explained variance (gy.ica.sort over the group maps and all subjects' time courses) and
signed so every group map has positive skew. The result holds maps (n x voxels),
time_courses and subject_maps (one per subject), unmixing (W, n x n) and mixing
(pinv(W)), explained_variance and order (with sort), eigenvalues (of the last
reduction), n, n_subject, n_iter and converged (of the ICA).
Options: n (required, number of components); n_subject = 0 (min(shortest subject,
max(n, ceil(1.5 n))); GIFT's batch default is 45 for 30 components); spatial = true;
method = "fastica" (any gy.ica.fit method); back = "gica3" | "gica1" | "dual_regression"
(GIFT's default is GICA = "gica1"); des_norm = false (dual regression only); seed = 0;
fun = "logcosh"; max_iter = "auto"; tol = 1e-4 (passed to gy.ica.fit); sort = true.
Example:
  local subjects = {}
  local maps = gy.randn(3, 200, { seed = 1 }):pow(3)
  for s = 1, 3 do
    subjects[s] = gy.randn(30, 3, { seed = s + 1 }) * maps + gy.randn(30, 200, { seed = s + 9 }) * 0.1
  end
  local r = gy.ica.group(subjects, { n = 3, n_subject = 5 })
  print(r.maps:shape(), #r.time_courses)
]],

["gy.ica.dual_regression"] = [[
gy.ica.dual_regression(Y_or_list, maps [, opts]) -> { time_courses, maps }
Dual regression (Beckmann et al. 2009; GIFT's icatb_dual_regress, FSL dual_regression) of
a subject Y (time x voxels) on group maps (n x voxels). Stage 1, spatial regression:
time_courses = (pinv(Mc') Yr')' with Mc each map centred over voxels and Yr each time point
centred over voxels (time x n, the means over time are kept). Stage 2, temporal regression:
maps = pinv(Tc) Yc with Tc the time courses centred over time (and divided by their
standard deviation, ddof 1, with des_norm = true, as FSL's --des_norm) and Yc each voxel
centred over time (n x voxels). A list of subjects gives lists of time courses and maps.
Options: des_norm = false.
Example:
  local maps = gy.randn(2, 100, { seed = 1 })
  local Y = gy.randn(20, 2, { seed = 2 }) * maps
  local r = gy.ica.dual_regression(Y, maps)
  print(r.time_courses:shape(), r.maps:shape())
]],

["gy.ica.sort"] = [[
gy.ica.sort(maps, time_courses [, opts]) -> { maps, time_courses, order, sign, explained_variance }
Orders components by explained variance and makes their maps positively skewed (GIFT's
convention). Component k of maps (n x voxels) and time_courses (time x n, or a list of
such, e.g. one per subject, whose rows are pooled) explains the share
||tc_k||^2 ||map_k||^2 / sum_j ||tc_j||^2 ||map_j||^2 of the summed energy of the rank-one
back-projections; components are sorted by decreasing share (ties keep their order), and
a map whose skewness over voxels is negative is negated together with its time courses.
order holds the original (1-based) index of each sorted component, sign the +1/-1 applied
(after sorting), explained_variance (n x 1) the sorted shares.
Options: none.
Example:
  local maps = gy.matrix({ { 1, 0, 0, 5 }, { -3, -3, 0, 1 } })
  local s = gy.ica.sort(maps, gy.randn(10, 2, { seed = 1 }))
  print(s.order[1], s.sign[1])
]],

["gy.ica.icasso"] = [[
gy.ica.icasso(X, opts) -> result
ICASSO stability analysis (Himberg, Hyvarinen & Esposito 2004) of ICA on X (samples x
channels). runs fits of gy.ica.fit with different initial unmixing (seed + r - 1) and, with
bootstrap = true, each on its own bootstrap resample of the samples (re-whitened, Icasso's
'both' mode); every estimate is applied to the original centred data and the estimates
are compared by S = |corr| between all of them. Average-linkage agglomerative clustering
of 1 - S (UPGMA, as scipy's linkage(method="average") cut by fcluster(maxclust)) groups
them into clusters; each cluster's quality index is Iq = mean intra-cluster similarity -
mean extra-cluster similarity (a single-member cluster counts intra-similarity 1) and its
centrotype is the member with the largest summed similarity to its cluster. Clusters are
reported by decreasing Iq: iq, size and centrotype (1-based estimate index) per cluster;
labels, run and component per estimate; sources (samples x clusters) and unmixing
(clusters x channels) of the centrotypes; similarity (S), heights (sorted merge
distances), converged (number of runs that converged). Iq close to 1 marks a component
found in every run; GIFT treats Iq >= 0.7 as stable.
Options: n (required, components per run); runs = 10; bootstrap = true; seed = 0;
clusters = n; method = "fastica"; fun = "logcosh"; max_iter = "auto"; tol = 1e-4.
Example:
  local S = gy.randn(500, 2, { seed = 1 }):pow(3)
  local X = S * gy.matrix({ { 1, 0.5 }, { 0.3, 1 } })
  local r = gy.ica.icasso(X, { n = 2, runs = 4 })
  print(r.iq[1], r.iq[2])
]],
}
