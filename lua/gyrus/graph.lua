-- gy.graph: graph metrics of connectivity matrices as the Brain Connectivity Toolbox (BCT)
-- computes them (core/src/graph*.c). Graphs are n x n matrices (gy matrices or tables of
-- rows); node metrics come back as n x 1 columns, community labels 1-based. Weighted
-- metrics take weights; distance, path_length and betweenness take lengths (gy.graph.lengths
-- turns weights into 1/W); efficiency takes weights and inverts them itself, as BCT does.
local ffi = require "ffi"
local core = require "gyrus.core"
local M = require "gyrus.mat"
local C, check, options = core.C, core.check, core.options


local G = {}

local function flag(fname, name, v)
  if type(v) ~= "boolean" then
    core.fail(fname, string.format("option '%s' must be true or false, got %s", name,
      tostring(v)), 3)
  end
  return v and 1 or 0
end

local function finite(fname, name, v)
  if type(v) ~= "number" or v ~= v or v == math.huge or v == -math.huge then
    core.fail(fname, string.format("option '%s' must be a finite number, got %s", name,
      tostring(v)), 3)
  end
  return v
end

local function result(out)
  core.account()
  return out
end

-- A node metric: one C call filling an n x 1 column.
local function node_metric(fname, cfn, W, ...)
  W = M.arg(W, fname, "W")
  local out = M.empty()
  check(cfn(out, W, ...), fname)
  return result(out)
end

local dbl = ffi.typeof("double[1]")

function G.threshold(W, opts)
  local fname = "gy.graph.threshold"
  opts = options(fname, opts, { proportional = false, absolute = false, binarize = false })
  local bin = flag(fname, "binarize", opts.binarize)
  if (opts.proportional == false) == (opts.absolute == false) then
    core.fail(fname, "give exactly one of the options 'proportional' (a proportion of "
      .. "links in [0, 1]) and 'absolute' (a weight)")
  end
  W = M.arg(W, fname, "W")
  local out = M.empty()
  if opts.proportional ~= false then
    local p = finite(fname, "proportional", opts.proportional)
    check(C.gy_graph_threshold_proportional(out, W, p), fname)
  else
    local t = finite(fname, "absolute", opts.absolute)
    check(C.gy_graph_threshold_absolute(out, W, t), fname)
  end
  if bin == 1 then
    local b = M.empty()
    check(C.gy_graph_binarize(b, out), fname)
    out:free()
    out = b
  end
  return result(out)
end

function G.lengths(W)
  local fname = "gy.graph.lengths"
  return node_metric(fname, C.gy_graph_lengths, W)
end

function G.degree(W)
  return node_metric("gy.graph.degree", C.gy_graph_degree, W)
end

function G.strength(W)
  return node_metric("gy.graph.strength", C.gy_graph_strength, W)
end

function G.clustering(W, opts)
  local fname = "gy.graph.clustering"
  opts = options(fname, opts, { binary = false })
  return node_metric(fname, C.gy_graph_clustering, W, flag(fname, "binary", opts.binary))
end

function G.triangles(W, opts)
  local fname = "gy.graph.triangles"
  opts = options(fname, opts, { weighted = false })
  return node_metric(fname, C.gy_graph_triangles, W, flag(fname, "weighted", opts.weighted))
end

function G.transitivity(W, opts)
  local fname = "gy.graph.transitivity"
  opts = options(fname, opts, { binary = false })
  local bin = flag(fname, "binary", opts.binary)
  W = M.arg(W, fname, "W")
  local t = dbl()
  check(C.gy_graph_transitivity(t, W, bin), fname)
  return t[0]
end

function G.distance(L, opts)
  local fname = "gy.graph.distance"
  opts = options(fname, opts, { binary = false })
  return node_metric(fname, C.gy_graph_distance, L, flag(fname, "binary", opts.binary))
end

function G.path_length(L, opts)
  local fname = "gy.graph.path_length"
  opts = options(fname, opts, { binary = false, include_diagonal = false,
    include_infinite = true })
  local bin = flag(fname, "binary", opts.binary)
  local diag = flag(fname, "include_diagonal", opts.include_diagonal)
  local inf = flag(fname, "include_infinite", opts.include_infinite)
  L = M.arg(L, fname, "L")
  local lambda, eff, rad, dia, ecc = dbl(), dbl(), dbl(), dbl(), M.empty()
  check(C.gy_graph_charpath(lambda, eff, ecc, rad, dia, L, bin, diag, inf), fname)
  core.account()
  return lambda[0], eff[0], ecc, rad[0], dia[0]
end

local local_modes = { original = C.GY_GRAPH_LOCAL_ORIGINAL, wang = C.GY_GRAPH_LOCAL_WANG }

function G.efficiency(W, opts)
  local fname = "gy.graph.efficiency"
  opts = options(fname, opts, { binary = false, ["local"] = false })
  local bin = flag(fname, "binary", opts.binary)
  local loc = opts["local"]
  W = M.arg(W, fname, "W")
  if loc == false then
    local e = dbl()
    check(C.gy_graph_efficiency_global(e, W, bin), fname)
    return e[0]
  end
  local mode
  if bin == 1 then
    if loc ~= true then
      core.fail(fname, "binary local efficiency has one variant: use local = true")
    end
    mode = C.GY_GRAPH_LOCAL_BINARY
  elseif loc == true then
    mode = C.GY_GRAPH_LOCAL_WANG
  else
    mode = local_modes[loc]
    if not mode then
      core.fail(fname, string.format("option 'local' must be false, true, \"original\" or "
        .. "\"wang\", got %s", tostring(loc)))
    end
  end
  local out = M.empty()
  check(C.gy_graph_efficiency_local(out, W, mode), fname)
  return result(out)
end

function G.betweenness(L, opts)
  local fname = "gy.graph.betweenness"
  opts = options(fname, opts, { binary = false, normalized = false })
  return node_metric(fname, C.gy_graph_betweenness, L, flag(fname, "binary", opts.binary),
    flag(fname, "normalized", opts.normalized))
end

function G.modularity(W, opts)
  local fname = "gy.graph.modularity"
  opts = options(fname, opts, { gamma = 1, seed = false })
  local gamma = finite(fname, "gamma", opts.gamma)
  local seed
  if opts.seed == false then
    -- No seed: continue the session stream, so a script gives the same result every run.
    seed = C.gy_rng_next(M.generator(fname, {}))
  else
    local s = opts.seed
    if type(s) ~= "number" or s < 0 or s ~= math.floor(s) or s >= 2 ^ 53 then
      core.fail(fname, "seed must be a non-negative integer, got " .. tostring(s))
    end
    seed = s
  end
  W = M.arg(W, fname, "W")
  local ci, q = M.empty(), dbl()
  check(C.gy_graph_louvain(ci, q, W, gamma, seed), fname)
  local n = tonumber(ci.rows)
  for i = 0, n - 1 do ci.data[i] = ci.data[i] + 1 end
  core.account()
  return ci, q[0]
end

function G.participation(W, ci)
  local fname = "gy.graph.participation"
  W = M.arg(W, fname, "W")
  ci = M.arg(ci, fname, "ci")
  local out = M.empty()
  check(C.gy_graph_participation(out, W, ci), fname)
  return result(out)
end

function G.voxel_maps(X, opts)
  local fname = "gy.graph.voxel_maps"
  opts = options(fname, opts, { threshold = core.REQUIRED, signed = true, triangles = true,
    memory_mb = 2048 })
  local thr = finite(fname, "threshold", opts.threshold)
  local use_abs = 1 - flag(fname, "signed", opts.signed)
  local want_tri = flag(fname, "triangles", opts.triangles) == 1
  local mb = finite(fname, "memory_mb", opts.memory_mb)
  if mb <= 0 then core.fail(fname, "option 'memory_mb' must be positive") end
  X = M.arg(X, fname, "X")
  local deg, tri, mean = M.empty(), want_tri and M.empty() or nil, M.empty()
  check(C.gy_graph_voxel_maps(deg, tri, mean, X, thr, use_abs, mb * 2 ^ 20), fname)
  core.account()
  return deg, tri or false, mean
end

return G
