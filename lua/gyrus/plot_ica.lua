-- Figures of an ICA (the lead mounts `components` into gy.plot): one row per component
-- with its time course, its power spectrum and its spatial pattern (a scalp topography
-- from channel positions, or a brain map through a mask), drawn with gy.plot.line,
-- gy.plot.topo and gy.plot.brain in the panels of one gy.plot.figure.
local core = require "gyrus.core"
local M = require "gyrus.mat"

local PI = {}

-- Welch's power spectral density of x (a Lua array) as scipy.signal.welch's defaults:
-- Hann segments of nperseg samples with 50 % overlap, each segment's mean removed,
-- one-sided density (V^2/Hz). Segments longer than the signal shrink to it.
local function welch(x, fs, nperseg)
  local n = #x
  local L = math.min(nperseg, n)
  local step = math.max(1, math.floor(L / 2))
  local w, wss = {}, 0
  for i = 0, L - 1 do
    w[i] = 0.5 - 0.5 * math.cos(2 * math.pi * i / L) -- periodic Hann, as scipy's get_window
    wss = wss + w[i] * w[i]
  end
  local nf = math.floor(L / 2) + 1
  local psd = {}
  for k = 1, nf do psd[k] = 0 end
  local nseg, seg = 0, {}
  for s0 = 0, n - L, step do
    local mu = 0
    for i = 0, L - 1 do mu = mu + x[s0 + i + 1] end
    mu = mu / L
    for i = 0, L - 1 do seg[i] = (x[s0 + i + 1] - mu) * w[i] end
    for k = 0, nf - 1 do
      -- The DFT at bin k by a rotation recurrence (segments are short, no FFT needed).
      local c, s = math.cos(2 * math.pi * k / L), -math.sin(2 * math.pi * k / L)
      local re, im, cr, ci = 0, 0, 1, 0
      for i = 0, L - 1 do
        re, im = re + seg[i] * cr, im + seg[i] * ci
        cr, ci = cr * c - ci * s, cr * s + ci * c
      end
      psd[k + 1] = psd[k + 1] + re * re + im * im
    end
    nseg = nseg + 1
  end
  local freqs = {}
  for k = 1, nf do
    local scale = 1 / (fs * wss * nseg)
    -- One-sided: double every bin but DC and (for even L) Nyquist.
    if k > 1 and not (L % 2 == 0 and k == nf) then scale = 2 * scale end
    psd[k] = psd[k] * scale
    freqs[k] = (k - 1) * fs / L
  end
  return freqs, psd
end

local defaults = { components = false, sfreq = 1, spatial = false, pos = false, names = false,
  mask = false, bg = false, threshold = false, fmax = false, nperseg = 256, duration = false,
  file = false, size = false, title = false }

-- gy.plot.components(model, opts)
function PI.components(model, opts)
  local fname = "gy.plot.components"
  local o = core.options(fname, opts, defaults)
  if type(model) ~= "table" or not M.is(model.sources) or not M.is(model.mixing) then
    core.fail(fname, "the first argument must be an ICA model from gy.ica.fit (with sources "
      .. "and mixing)")
  end
  -- Temporal ICA (EEG/MEG): sources are time courses, mixing columns spatial patterns.
  -- Spatial ICA (fMRI, fitted on voxels x time): the other way round.
  local courses, maps = model.sources, model.mixing
  if o.spatial then courses, maps = model.mixing, model.sources end
  local T, n = courses:shape()
  local list = o.components
  if not list then
    list = {}
    for k = 1, math.min(n, 6) do list[k] = k end
  end
  if type(list) ~= "table" or #list < 1 or #list > 12 then
    core.fail(fname, "option 'components' must list 1 to 12 component numbers")
  end
  for _, k in ipairs(list) do
    if type(k) ~= "number" or k ~= math.floor(k) or k < 1 or k > n then
      core.fail(fname, string.format("component %s is outside 1..%d", tostring(k), n))
    end
  end
  local fs = o.sfreq
  if type(fs) ~= "number" or not (fs > 0) then
    core.fail(fname, "option 'sfreq' must be positive")
  end
  if type(o.nperseg) ~= "number" or o.nperseg < 2 or o.nperseg ~= math.floor(o.nperseg) then
    core.fail(fname, "option 'nperseg' must be an integer >= 2")
  end
  if o.duration and (type(o.duration) ~= "number" or not (o.duration > 0)) then
    core.fail(fname, "option 'duration' must be a positive number of seconds")
  end
  if o.fmax and (type(o.fmax) ~= "number" or not (o.fmax > 0)) then
    core.fail(fname, "option 'fmax' must be a positive frequency")
  end
  if o.pos and o.mask then core.fail(fname, "give either pos (topography) or mask (brain map)") end
  local P = require "gyrus.plot"
  local cols = (o.pos or o.mask) and 3 or 2
  local w = cols == 3 and 1500 or 1100
  local fig = P.figure({ rows = #list, cols = cols, file = o.file or nil, letters = false,
    size = o.size or { w, math.max(360, 230 * #list) } })
  local ok, err = pcall(function()
    local nshow = T
    if o.duration then nshow = math.max(2, math.min(T, math.floor(o.duration * fs))) end
    local t = {}
    for i = 1, nshow do t[i] = (i - 1) / fs end
    local unit = fs == 1 and "sample" or "s"
    for r, k in ipairs(list) do
      local col = courses:col(k)
      local x = col:values()
      local title = string.format("IC %d", k)
      if r == 1 and o.title then title = o.title .. ": " .. title end
      P.line(col:rowrange(1, nshow), { figure = fig, x = t, title = title, linewidth = 1,
        xlabel = r == #list and ("time (" .. unit .. ")") or nil })
      local freqs, psd = welch(x, fs, o.nperseg)
      local fx, db = {}, {}
      local fmax = o.fmax or fs / 2
      for i = 2, #freqs do -- DC is zero after the segment means are removed
        if freqs[i] <= fmax then
          fx[#fx + 1] = freqs[i]
          db[#db + 1] = 10 * math.log10(math.max(psd[i], 1e-300))
        end
      end
      if #fx < 2 then fx, db = { 0, fs / 2 }, { 0, 0 } end
      P.line(M.matrix(db), { figure = fig, x = fx, title = string.format("IC %d spectrum", k),
        linewidth = 1, ylabel = "dB", xlabel = r == #list and "frequency (Hz)" or nil })
      if o.pos then
        P.topo(maps:col(k), { figure = fig, pos = o.pos, names = o.names or nil,
          title = string.format("IC %d map", k) })
      elseif o.mask then
        local img = require("gyrus.image").unmask(maps:col(k):t(), o.mask)
        local thr = o.threshold
        if not thr then
          -- Show voxels beyond 2 SDs of the map (a common display cut for z-scored maps).
          local v = maps:col(k)
          thr = 2 * v:std(1):get(1, 1)
        end
        P.brain(img, { figure = fig, bg = o.bg or nil, threshold = thr,
          title = string.format("IC %d map", k), cut_coords = 6 })
      end
    end
  end)
  if not ok then
    fig:discard()
    error((tostring(err):gsub("^[^:\n]*:%d+: ", "")), 2)
  end
  return fig:close()
end

-- welch is reachable for the tests (plot_ica._welch) but not copied when the public
-- functions are mounted into gy.plot (pairs does not see the metatable).
return setmetatable(PI, { __index = { _welch = welch } })
