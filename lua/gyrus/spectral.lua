-- gy.conn.spectral: spectral connectivity of EEG/MEG epochs as mne-connectivity's
-- spectral_connectivity_epochs (core/src/spectral_*.c). Epochs are a Lua list of
-- (times x channels) matrices; connections are the lower-triangle pairs (seed i > target j,
-- numpy's tril_indices(n, -1) order), one row each, one column per frequency or band.
local ffi = require "ffi"
local core = require "gyrus.core"
local M = require "gyrus.mat"
local C, check, options = core.C, core.check, core.options


local spectral = {}

local FN = "gy.conn.spectral"

local method_codes = {
  coh = C.GY_SPECTRAL_COH, cohy = C.GY_SPECTRAL_COHY, imcoh = C.GY_SPECTRAL_IMCOH,
  plv = C.GY_SPECTRAL_PLV, ciplv = C.GY_SPECTRAL_CIPLV, ppc = C.GY_SPECTRAL_PPC,
  pli = C.GY_SPECTRAL_PLI, pli2_unbiased = C.GY_SPECTRAL_PLI2_UNBIASED,
  dpli = C.GY_SPECTRAL_DPLI, wpli = C.GY_SPECTRAL_WPLI,
  wpli2_debiased = C.GY_SPECTRAL_WPLI2_DEBIASED,
}
local modes = { multitaper = C.GY_SPECTRAL_MULTITAPER, fourier = C.GY_SPECTRAL_FOURIER }

local function names_of(tbl)
  local names = {}
  for k in pairs(tbl) do names[#names + 1] = string.format("%q", k) end
  table.sort(names)
  return table.concat(names, ", ")
end

local function flag(name, v)
  if type(v) ~= "boolean" then
    core.fail(FN, string.format("option '%s' must be true or false, got %s", name, tostring(v)), 3)
  end
  return v and 1 or 0
end

-- A number or a list of numbers (bands) as a Lua list.
local function bands(name, v)
  if type(v) == "number" then return { v } end
  if type(v) == "table" and #v > 0 then
    for i = 1, #v do
      if type(v[i]) ~= "number" then
        core.fail(FN, string.format("option '%s' must be a number or a list of numbers", name), 3)
      end
    end
    return v
  end
  core.fail(FN, string.format("option '%s' must be a number or a list of numbers, got %s", name,
    tostring(v)), 3)
end

-- Epochs (a list of times x channels matrices, or one matrix = one epoch) into one
-- times x (channels*epochs) matrix, epoch-major, as the C kernel takes them.
local function stack(epochs)
  local list
  if M.is(epochs) or (type(epochs) == "table" and type(epochs[1]) == "table"
      and type(epochs[1][1]) == "number") then
    list = { M.arg(epochs, FN, "epochs") }
  elseif type(epochs) == "table" and epochs[1] ~= nil then
    list = {}
    for i = 1, #epochs do list[i] = M.arg(epochs[i], FN, string.format("epoch %d", i)) end
  else
    core.fail(FN, "epochs must be a list of (times x channels) matrices, got " .. type(epochs), 3)
  end
  local n, ns = tonumber(list[1].rows), tonumber(list[1].cols)
  for i, e in ipairs(list) do
    if tonumber(e.rows) ~= n or tonumber(e.cols) ~= ns then
      core.fail(FN, string.format("epoch %d is %dx%d but epoch 1 is %dx%d", i, tonumber(e.rows),
        tonumber(e.cols), n, ns), 3)
    end
  end
  local X = M.new(n, ns * #list, FN)
  local bytes = n * ffi.sizeof("double")
  for i, e in ipairs(list) do
    for j = 0, ns - 1 do
      ffi.copy(X.data + ((i - 1) * ns + j) * X.ld, e.data + j * e.ld, bytes)
    end
  end
  return X, n, ns, #list
end

-- Columns [c0, c0 + nc) of m as a new matrix.
local spectral_cwt

local function columns(m, c0, nc)
  local v, out = M.empty(), M.empty()
  check(C.gy_mat_view(v, m, 0, c0, m.rows, nc), FN)
  check(C.gy_mat_copy(out, v), FN)
  return out
end

local function pairs_of(res, ns)
  for i = 2, ns do
    for j = 1, i - 1 do
      res.seeds[#res.seeds + 1], res.targets[#res.targets + 1] = i, j
    end
  end
end

-- Takes over the C storage of outs[i] as a GC-owned matrix.
local function adopt(outs, i)
  local m = M.empty()
  m.data, m.rows, m.cols, m.ld, m.owner = outs[i].data, outs[i].rows, outs[i].cols, outs[i].ld,
    outs[i].owner
  outs[i].owner = 0
  return m
end

-- mode = "cwt_morlet": one n_pairs x n_times matrix per kept frequency.
spectral_cwt = function(o, X, ns, ne, codes, mlist, fmin, fmax, faverage)
  if faverage == 1 then core.fail(FN, "faverage is not implemented for mode \"cwt_morlet\"", 3) end
  local cf = o.cwt_freqs
  if type(cf) == "number" then cf = { cf } end
  if type(cf) ~= "table" or #cf == 0 then
    core.fail(FN, "mode \"cwt_morlet\" needs cwt_freqs (a list of frequencies in Hz)", 3)
  end
  local nc = o.cwt_n_cycles
  if type(nc) == "number" then
    local t = {}
    for i = 1, #cf do t[i] = nc end
    nc = t
  end
  if type(nc) ~= "table" or #nc ~= #cf then
    core.fail(FN, "cwt_n_cycles must be a number or a list as long as cwt_freqs", 3)
  end
  local freqs, cycles = {}, {}
  for i = 1, #cf do
    if type(cf[i]) ~= "number" or type(nc[i]) ~= "number" then
      core.fail(FN, "cwt_freqs and cwt_n_cycles must hold numbers", 3)
    end
    if cf[i] > o.sfreq / 2 then
      core.fail(FN, "entries in cwt_freqs cannot be larger than Nyquist (sfreq / 2)", 3)
    end
    for b = 1, #fmin do
      if cf[i] >= fmin[b] and cf[i] <= fmax[b] then
        freqs[#freqs + 1], cycles[#cycles + 1] = cf[i], nc[i]
        break
      end
    end
  end
  if #freqs == 0 then core.fail(FN, "there are no cwt_freqs between fmin and fmax", 3) end
  local outs = ffi.new("gy_mat[?]", #mlist)
  local st = C.gy_spectral_conn_cwt(outs, X, ns, o.sfreq, codes, #mlist,
    ffi.new("double[?]", #freqs, freqs), ffi.new("double[?]", #freqs, cycles), #freqs)
  if st ~= 0 then
    for i = 0, #mlist - 1 do C.gy_mat_clear(outs[i]) end
  end
  check(st, FN)
  core.account()
  local n = tonumber(X.rows)
  local rows = {}
  for i, f in ipairs(freqs) do rows[i] = { f } end
  local res = { freqs = M.arg(rows, FN), n_signals = ns, n_epochs = ne, seeds = {}, targets = {}, methods = mlist }
  pairs_of(res, ns)
  for i, name in ipairs(mlist) do
    local m = adopt(outs, i - 1)
    local function split(off)
      local t = {}
      for f = 1, #freqs do t[f] = columns(m, off + (f - 1) * n, n) end
      return t
    end
    if name == "cohy" then
      res[name] = { re = split(0), im = split(#freqs * n) }
    else
      res[name] = split(0)
    end
  end
  if #mlist == 1 then res.con = res[mlist[1]] end
  return res
end

function spectral.spectral(epochs, opts)
  local o = options(FN, opts, { method = "coh", sfreq = core.REQUIRED, fmin = false,
    fmax = math.huge, mode = "multitaper", mt_bandwidth = false, mt_adaptive = false,
    mt_low_bias = true, faverage = false, cwt_freqs = false, cwt_n_cycles = 7 })
  if type(o.sfreq) ~= "number" or not (o.sfreq > 0) or o.sfreq == math.huge then
    core.fail(FN, "option 'sfreq' must be a positive number, got " .. tostring(o.sfreq), 2)
  end
  local mode = modes[o.mode]
  if mode == nil and o.mode ~= "cwt_morlet" then
    core.fail(FN, "option 'mode' must be one of " .. names_of(modes) .. ", got " .. tostring(o.mode), 2)
  end
  if flag("mt_adaptive", o.mt_adaptive) == 1 then
    core.fail(FN, "mt_adaptive = true is not implemented yet", 2)
  end
  local low_bias, faverage = flag("mt_low_bias", o.mt_low_bias), flag("faverage", o.faverage)
  local mlist = type(o.method) == "table" and o.method or { o.method }
  if #mlist == 0 then core.fail(FN, "option 'method' is an empty list", 2) end
  local codes = ffi.new("int[?]", #mlist)
  for i, name in ipairs(mlist) do
    local c = method_codes[name]
    if c == nil then
      core.fail(FN, "unknown method " .. tostring(name) .. " (methods: " .. names_of(method_codes) .. ")", 2)
    end
    codes[i - 1] = c
  end
  local bw = 0
  if o.mt_bandwidth then
    if type(o.mt_bandwidth) ~= "number" or not (o.mt_bandwidth > 0) then
      core.fail(FN, "option 'mt_bandwidth' must be a positive number, got " .. tostring(o.mt_bandwidth), 2)
    end
    bw = o.mt_bandwidth
  end

  local X, n, ns, ne = stack(epochs)
  local five = 5 * o.sfreq / n
  local fmin = o.fmin and bands("fmin", o.fmin) or { five }
  local fmax = bands("fmax", o.fmax)
  if #fmax == 1 and #fmin > 1 then
    local t = {}
    for i = 1, #fmin do t[i] = fmax[1] end
    fmax = t
  end
  if #fmin ~= #fmax then
    core.fail(FN, string.format("fmin has %d bands but fmax has %d", #fmin, #fmax), 2)
  end
  for i = 1, #fmin do
    if fmin[i] < five then
      io.stderr:write(FN, string.format(": warning: fmin = %g Hz is below 5 cycles (%g Hz) of the %g s epochs\n",
        fmin[i], five, n / o.sfreq))
    end
  end
  if o.mode == "cwt_morlet" then
    return spectral_cwt(o, X, ns, ne, codes, mlist, fmin, fmax, faverage)
  end
  local cfmin, cfmax = ffi.new("double[?]", #fmin, fmin), ffi.new("double[?]", #fmax, fmax)

  local outs = ffi.new("gy_mat[?]", #mlist)
  local freqs = M.empty()
  local st = C.gy_spectral_conn(outs, freqs, X, ns, o.sfreq, mode, codes, #mlist, cfmin, cfmax,
    #fmin, faverage, bw, low_bias)
  if st ~= 0 then
    for i = 0, #mlist - 1 do C.gy_mat_clear(outs[i]) end
  end
  check(st, FN)
  core.account()

  local res = { freqs = freqs, n_signals = ns, n_epochs = ne, seeds = {}, targets = {},
    methods = mlist }
  if faverage == 1 then res.bands = { fmin = fmin, fmax = fmax } end
  pairs_of(res, ns)
  for i, name in ipairs(mlist) do
    local m = adopt(outs, i - 1)
    if name == "cohy" then
      local nc = tonumber(m.cols) / 2
      res[name] = { re = columns(m, 0, nc), im = columns(m, nc, nc) }
    else
      res[name] = m
    end
  end
  if #mlist == 1 then res.con = res[mlist[1]] end
  return res
end

-- MNE's dpss_windows(n, half_nbw, kmax, sym=, low_bias=): tapers (n x k, one per column)
-- and concentration ratios (k x 1).
function spectral.dpss(n, half_nbw, opts)
  local fn = "gy.conn.dpss"
  local o = options(fn, opts, { kmax = false, sym = true, low_bias = true })
  if type(n) ~= "number" or n ~= math.floor(n) then core.fail(fn, "n must be an integer", 2) end
  if type(half_nbw) ~= "number" then core.fail(fn, "half_nbw must be a number", 2) end
  local kmax = o.kmax or math.floor(2 * half_nbw)
  local tapers, ratios = M.empty(), M.empty()
  check(C.gy_spectral_dpss(tapers, ratios, n, half_nbw, kmax, o.sym and 1 or 0,
    o.low_bias and 1 or 0), fn)
  return tapers, ratios
end

return spectral
