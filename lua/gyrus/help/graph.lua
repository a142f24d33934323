-- Help texts of gy.graph (lua/gyrus/graph.lua): graph metrics as the Brain Connectivity
-- Toolbox (BCT) computes them. Format: a signature line, one paragraph, options with
-- defaults, and an "Example:" whose indented lines tests/lua/help_spec.lua runs.
return {
["gy.graph.threshold"] = [[
gy.graph.threshold(W, {proportional = p | absolute = thr, binarize = false}) -> matrix
Thresholds a connectivity matrix as BCT's threshold_proportional / threshold_absolute. The
diagonal becomes 0. proportional keeps the round((n^2 - n) p / ud) strongest links by signed
value, where ud = 2 when W is symmetric (max |W - W'| < 1e-10: one triangle is ranked, then
mirrored) and 1 otherwise; the proportion is of all possible links, not of existing ones, so
re-thresholding a 25 % graph at 50 % changes nothing. Rounding is half up (MATLAB round) and
equal weights are ranked in MATLAB's stable column-major order, so results match MATLAB BCT
exactly (bctpy's quicksort may break ties differently). absolute sets W(i,j) < thr to 0.
Options: proportional (in [0, 1]) or absolute (a weight), exactly one; binarize = false
(true returns 1 for every kept link).
Example:
  local W = gy.matrix({{0, .9, .2}, {.9, 0, .5}, {.2, .5, 0}})
  print(gy.graph.threshold(W, {proportional = 0.5}))   -- keeps .9 and .5
]],
["gy.graph.lengths"] = [[
gy.graph.lengths(W) -> matrix
Connection lengths L = 1/W on the non-zero entries (BCT weight_conversion(W, 'lengths')):
strong links are short. distance, path_length and betweenness take lengths, as BCT's
distance_wei, charpath and betweenness_wei do.
Example:
  local L = gy.graph.lengths({{0, 0.5}, {0.5, 0}})   -- off-diagonal 2
]],
["gy.graph.degree"] = [[
gy.graph.degree(W) -> n x 1 matrix
Degree k_i = number of non-zero entries in column i (BCT degrees_und; for a directed matrix
this is the in-degree). The diagonal counts if it is non-zero, as in BCT; threshold() zeroes it.
Example:
  print(gy.graph.degree({{0, 1, 1}, {1, 0, 0}, {1, 0, 0}}))   -- 2, 1, 1
]],
["gy.graph.strength"] = [[
gy.graph.strength(W) -> n x 1 matrix
Strength s_i = sum_j W(j, i), the column sums (BCT strengths_und).
Example:
  print(gy.graph.strength({{0, .5, .2}, {.5, 0, 0}, {.2, 0, 0}}))   -- .7, .5, .2
]],
["gy.graph.clustering"] = [[
gy.graph.clustering(W, {binary = false}) -> n x 1 matrix
Clustering coefficient of an undirected graph. Weighted (Onnela et al. 2005, BCT
clustering_coef_wu): C_i = [(W^(1/3))^3]_ii / (k_i (k_i - 1)), with the element-wise signed
cube root (as bctpy) and k_i the degree; nodes in no triangle get 0. Binary (clustering_coef_bu):
C_i = [A^3]_ii / (k_i (k_i - 1)), A = (W != 0). Weights are meant to lie in [0, 1]. The diagonal
is ignored. Computed with one dense matrix product (BLAS).
Options: binary = false.
Example:
  local W = gy.matrix({{0, 1, .25}, {1, 0, .5}, {.25, .5, 0}})
  print(gy.graph.clustering(W))   -- .5 each: the geometric mean of the triangle's weights
]],
["gy.graph.triangles"] = [[
gy.graph.triangles(W, {weighted = false}) -> n x 1 matrix
Number of triangles (3-cycles) through each node, t_i = [A^3]_ii / 2 with A = (W != 0): the
voxel-wise "participation in cycles of length 3" feature of Dey, Rao & Shah (2012) and the
numerator of binary clustering. weighted = true gives BCT's weighted cycles
[(W^(1/3))^3]_ii / 2 instead. The graph must be undirected; the diagonal is ignored.
Options: weighted = false.
Example:
  print(gy.graph.triangles(gy.ones(4, 4) - gy.eye(4)))   -- 3 triangles through each node of K4
]],
["gy.graph.transitivity"] = [[
gy.graph.transitivity(W, {binary = false}) -> number
Transitivity of an undirected graph: binary (BCT transitivity_bu, networkx transitivity)
trace(A^3) / sum_i k_i (k_i - 1); weighted (transitivity_wu) sum_i [(W^(1/3))^3]_ii /
sum_i k_i (k_i - 1). Returns 0 when no node has two neighbours (BCT gives NaN).
Options: binary = false.
Example:
  print(gy.graph.transitivity(gy.ones(4, 4) - gy.eye(4), {binary = true}))   -- 1
]],
["gy.graph.distance"] = [[
gy.graph.distance(L, {binary = false}) -> n x n matrix
Shortest path lengths D(i, j) on the length matrix L (BCT distance_wei; Dijkstra), or numbers
of links with binary = true (distance_bin; breadth-first). Unreachable pairs are Inf, the
diagonal 0. L is a length matrix: convert weights with gy.graph.lengths(W). Lengths must be
non-negative.
Options: binary = false.
Example:
  local D = gy.graph.distance({{0, 1, 0}, {1, 0, 2}, {0, 2, 0}})   -- D(1, 3) = 3
]],
["gy.graph.path_length"] = [[
gy.graph.path_length(L, opts) -> lambda, efficiency, eccentricity, radius, diameter
Characteristic path length as BCT charpath, from the shortest paths on the length matrix L
(gy.graph.lengths(W) converts weights): lambda = mean of d_ij over the pairs i != j, efficiency
= mean of 1/d_ij, eccentricity_i = max_j d_ij (n x 1), radius = min and diameter = max of the
eccentricities. As in BCT, infinite distances are included by default, so lambda is Inf for a
disconnected graph; include_infinite = false leaves them out.
Options: binary = false (every link has length 1), include_diagonal = false,
include_infinite = true.
Example:
  local lambda = gy.graph.path_length({{0, 1, 0}, {1, 0, 1}, {0, 1, 0}})   -- 4/3
]],
["gy.graph.efficiency"] = [[
gy.graph.efficiency(W, {binary = false, local = false}) -> number or n x 1 matrix
Global efficiency E = sum_{i != j} 1/d_ij / (n^2 - n) (Latora & Marchiori 2001; BCT
efficiency_wei / efficiency_bin). Unlike the path functions it takes WEIGHTS and computes
distances on the lengths 1/W itself, as BCT does. With local, the local efficiency of each node
(the efficiency among its neighbours): local = "original" is Rubinov & Sporns (2010), BCT
efficiency_wei(W, 1) and bctpy's local=True; local = "wang" or true is Wang et al. (2016), BCT
efficiency_wei(W, 2), recommended by BCT; with binary = true, local = true is efficiency_bin(A, 1).
Weights must be non-negative, ideally in [0, 1].
Options: binary = false, local = false | true | "original" | "wang".
Example:
  local K4 = gy.ones(4, 4) - gy.eye(4)
  print(gy.graph.efficiency(K4), gy.graph.efficiency(K4, {["local"] = "original"}))
]],
["gy.graph.betweenness"] = [[
gy.graph.betweenness(L, {binary = false, normalized = false}) -> n x 1 matrix
Node betweenness centrality (Brandes 2001; BCT betweenness_wei on the length matrix L, or
betweenness_bin with binary = true): the number of shortest paths between other nodes that pass
through the node, split equally among equal-length paths (compared exactly). As in BCT each
unordered pair is counted in both directions (networkx halves it); normalized = true divides by
(n - 1)(n - 2), which equals networkx's normalised value. L holds lengths: use
gy.graph.lengths(W) for weights.
Options: binary = false, normalized = false.
Example:
  local star = gy.matrix({{0, 1, 1, 1}, {1, 0, 0, 0}, {1, 0, 0, 0}, {1, 0, 0, 0}})
  print(gy.graph.betweenness(star))   -- 6 for the hub
]],
["gy.graph.modularity"] = [[
gy.graph.modularity(W, {gamma = 1, seed = session}) -> communities (n x 1, 1-based), Q
Louvain community detection (Blondel et al. 2008) as BCT community_louvain with the modularity
null model B = W - gamma s s' / sum(W), s the strengths: nodes are visited in a random order and
move to the neighbouring module with the largest gain (> 1e-10), modules are merged into nodes,
and this repeats while Q grows. Q = sum_ij [c_i = c_j] B_ij / sum(W). The visiting order comes
from gyrus's xoshiro256** generator, so a seed gives the same partition on every machine (but
not MATLAB's or numpy's partition: their generators differ). Labels are numbered in order of
first appearance. W must be symmetric and non-negative. Memory: three n x n matrices.
Options: gamma = 1 (resolution; larger gives smaller modules), seed = the session stream
(gy.seed) when not given.
Example:
  local W = gy.matrix({{0, 1, 1, 0, 0, 0}, {1, 0, 1, 0, 0, 0}, {1, 1, 0, .1, 0, 0},
                       {0, 0, .1, 0, 1, 1}, {0, 0, 0, 1, 0, 1}, {0, 0, 0, 1, 1, 0}})
  local ci, Q = gy.graph.modularity(W, {seed = 1})   -- ci = 1,1,1,2,2,2
]],
["gy.graph.participation"] = [[
gy.graph.participation(W, ci) -> n x 1 matrix
Participation coefficient (Guimera & Amaral 2005; BCT participation_coef):
P_i = 1 - sum_m (k_im / k_i)^2, with k_i the row sum of W (diagonal included, as BCT) and k_im
the part of it going to nodes of module m. ci holds one integer label per node (a table or a
matrix, e.g. the communities from gy.graph.modularity). Nodes with k_i = 0 get 0.
Example:
  print(gy.graph.participation(gy.ones(3, 3), {1, 1, 2}))   -- 0.4444 each (BCT's test)
]],
["gy.graph.voxel_maps"] = [[
gy.graph.voxel_maps(X, {threshold = thr, signed = true, triangles = true, memory_mb = 2048})
  -> degree, triangles, mean_r (each voxels x 1)
Voxel-wise maps of the correlation graph of whole-brain data X (time x voxels, e.g. 200 x 50,000)
without ever holding the voxels x voxels matrix: Pearson correlations are computed tile by tile
(one BLAS product of the centred, unit-norm columns per tile) and reduced on the fly. Voxels
i != j are linked when r_ij >= threshold (|r_ij| >= threshold with signed = false). degree_i is
the number of links, triangles_i the number of 3-cycles through voxel i (t_i = [A^3]_ii / 2, the
ADHD-200 "participation in cycles of length 3" map of Dey, Rao & Shah 2012), mean_r_i the mean
of r_ij over j != i. Triangles keep the links as adjacency lists (4 bytes per link end) and
intersect them, O(sum k_i^2); triangles = false skips this (and the second pass over the tiles)
and returns false in its place. A constant voxel correlates with nothing (r = 0). memory_mb
bounds the memory used (data copy, tile, lists); too small a budget is an error that says how
much is needed.
Options: threshold (required), signed = true, triangles = true, memory_mb = 2048.
Example:
  local X = gy.randn(100, 300, {seed = 1})
  local degree, triangles, mean_r = gy.graph.voxel_maps(X, {threshold = 0.2})
]],
}
