-- ICA on real and simulated data: `gyrus scripts/ica.lua [OUTDIR] [fmri|eeg|all]`
-- (default ./figures/ica, all). It prints what it finds and writes its figures into OUTDIR.
--  (a) Spatial ICA of nitime's two BOLD runs (fmri1/fmri2.nii.gz from gy.data()): the
--      voxels are the samples, so the sources are spatial maps and the mixing columns their
--      time courses (as MELODIC / GIFT); maps over the mean image, time courses to CSV.
--  (b) A simulated 32-channel EEG with oscillatory "brain" sources, a blink source (big slow
--      frontal deflections) and a heartbeat source (QRS-like, ~72 bpm). FastICA, then
--      gy.ica.find_bads against the simulated EOG and ECG channels (MNE's correlation rule
--      with the iterated z-score at 3.0, and CTPS on heartbeat epochs), removal with
--      gy.ica.apply, and the cleaned data compared with the artifact-free ground truth.
local gy = gy or require "gyrus"
local artifact = require "gyrus.ica_artifact"
local plot_ica = require "gyrus.plot_ica"
-- Until the lead mounts them into gy.ica / gy.plot.
local find_bads = gy.ica.find_bads or artifact.find_bads
local apply = gy.ica.apply or artifact.apply
local components = gy.plot.components or plot_ica.components

local outdir = arg and arg[1] or "figures/ica"
local part = arg and arg[2] or "all"
if part ~= "all" and part ~= "fmri" and part ~= "eeg" then
  error("scripts/ica.lua: the second argument must be fmri, eeg or all, got " .. part)
end
os.execute("mkdir -p '" .. outdir:gsub("'", "'\\''") .. "'")
local t_start = gy.clock()

local function section(title)
  print("\n== " .. title .. " " .. string.rep("=", math.max(2, 72 - #title)))
end
local function say(fmt, ...) print(string.format(fmt, ...)) end
local function out(name) return outdir .. "/" .. name end
local function wrote(path) say("  -> wrote %s", path) end

-- Pearson correlation of two columns.
local function corr(a, b)
  return gy.stats.corr(a, b):get(1, 1)
end

-- ------------------------------------------------------------------ (a) fMRI
local function fmri()
  section("a. Spatial ICA of nitime's BOLD runs")
  local dir = gy.data().nitime_dir
  local runs, mean_img = {}, nil
  for r = 1, 2 do
    runs[r] = gy.image.read(dir .. "/fmri" .. r .. ".nii.gz")
    say("fmri%d.nii.gz: %s", r, tostring(runs[r]))
  end
  -- Brain mask: voxels whose mean over both runs exceeds a fifth of the maximum mean
  -- (nitime's runs are cropped to the brain, so every voxel passes).
  local m1, m2 = runs[1].data:mean(2), runs[2].data:mean(2)
  local meanv = (m1 + m2) / 2
  local cut = 0.2 * meanv:max()
  local nvox = meanv:shape()
  local maskv = gy.zeros(nvox, 1)
  local inside = 0
  for v = 1, nvox do
    if meanv:get(v, 1) > cut then maskv:set(v, 1, 1); inside = inside + 1 end
  end
  local mask = gy.image.new(maskv, runs[1])
  mean_img = gy.image.new(meanv, runs[1])
  -- Each run: time x voxels, detrended and z-scored per voxel (as MELODIC's variance
  -- normalisation), then the runs are concatenated in time.
  local parts = {}
  for r = 1, 2 do
    local X = gy.image.mask(runs[r], mask)
    parts[r] = gy.signal.clean(X, { detrend = true, standardize = "zscore_sample" })
  end
  local T1 = parts[1]:shape()
  local T = T1 + parts[2]:shape()
  local X = gy.zeros(T, inside)
  X:rowrange(1, T1):assign(parts[1])
  X:rowrange(T1 + 1, T):assign(parts[2])
  say("%d brain voxels x %d volumes (2 runs of %d, TR %.2f s)", inside, T, T1, runs[1].tr)
  -- Spatial ICA: voxels are the samples.
  local n = 10
  local t0 = gy.clock()
  -- fun = "exp": with logcosh FastICA keeps oscillating on these 1800 nearly Gaussian
  -- voxels (no convergence in 1000 iterations); exp converges.
  local model = gy.ica.fit(X:t(), { n = n, seed = 0, max_iter = 1000, fun = "exp" })
  say("FastICA (exp), %d components: %d iterations, converged %s, %.2f s", n, model.n_iter,
    tostring(model.converged), gy.clock() - t0)
  -- Describe each map: share of voxels beyond |z| > 2, peak voxel, and how similar the
  -- component's time course is in the two runs.
  local tc = model.mixing
  print(" IC  |z|>2 voxels   peak (i,j,k)   run1-run2 r")
  local nx, ny = runs[1].shape[1], runs[1].shape[2]
  local idx = {}
  for v = 1, nvox do if maskv:get(v, 1) > 0 then idx[#idx + 1] = v end end
  for k = 1, n do
    local s = model.sources:col(k)
    local sd = s:std(1):get(1, 1)
    local big, best, bv = 0, -1, 1
    for i = 1, inside do
      local z = math.abs(s:get(i, 1)) / sd
      if z > 2 then big = big + 1 end
      if z > best then best, bv = z, idx[i] - 1 end
    end
    local r = corr(tc:col(k):rowrange(1, T1), tc:col(k):rowrange(T1 + 1, T))
    say("%3d  %5.1f %%        (%2d,%2d,%2d)     %+.2f", k, 100 * big / inside, bv % nx + 1,
      math.floor(bv / nx) % ny + 1, math.floor(bv / (nx * ny)) + 1, r)
  end
  local p = components(model, { spatial = true, mask = mask, bg = mean_img,
    sfreq = 1 / runs[1].tr, components = { 1, 2, 3, 4, 5, 6 }, nperseg = 40,
    title = "Spatial ICA (nitime BOLD)", file = out("fmri_components.png") })
  wrote(p)
  local csv = out("fmri_timecourses.csv")
  gy.write(csv, tc)
  wrote(csv)
end

-- ------------------------------------------------------------------ (b) EEG
-- A 32-channel cap on the upper hemisphere (x right, y front, z up).
local function cap()
  local pos = {}
  for ring = 0, 3 do
    local theta = ring * (math.pi / 2) / 3.2
    local m = ring == 0 and 1 or ({ 6, 10, 15 })[ring]
    for j = 1, m do
      local phi = 2 * math.pi * (j - 1) / m + ring * 0.3
      pos[#pos + 1] = { math.sin(theta) * math.cos(phi), math.sin(theta) * math.sin(phi),
        math.cos(theta) }
    end
  end
  return pos
end

-- A smooth scalp pattern centred on the unit vector c with width w.
local function pattern(pos, c, w, sign)
  local v = {}
  for i, p in ipairs(pos) do
    local d2 = (p[1] - c[1]) ^ 2 + (p[2] - c[2]) ^ 2 + (p[3] - c[3]) ^ 2
    v[i] = (sign or 1) * math.exp(-d2 / (2 * w * w))
  end
  return v
end

local function eeg()
  section("b. Simulated EEG: blink and heartbeat removal")
  local fs, dur = 250, 40
  local T, p = fs * dur, 32
  local pos = cap()
  local rng = gy.randn(T, 40, { seed = 42 })
  local u = gy.rand(200, 4, { seed = 43 })
  -- Brain sources: amplitude-modulated oscillations (delta to beta) and spiky noise.
  local nb = 14
  local S = gy.zeros(T, nb + 2)
  local freqs = { 10, 10.5, 6, 20, 3, 8, 13, 25, 4.5, 16 }
  for k = 1, nb do
    local f = freqs[k]
    local e = 0
    for t = 1, T do
      local time = (t - 1) / fs
      local v
      if f then
        -- Bursts: a log-normal envelope that drifts over about a second.
        e = 0.99 * e + 0.14 * rng:get(t, 20 + k)
        v = math.exp(e) * math.sin(2 * math.pi * f * time + k) + 0.2 * rng:get(t, k)
      else
        local g = rng:get(t, k)
        v = g * g * g / 3 -- super-Gaussian noise
      end
      S:set(t, k, v)
    end
  end
  -- Blink: ~0.4 s bumps of 8 units every 2.5-5.5 s; heartbeat: QRS-like complex at 1.2 Hz.
  local blinks, tb, bi = {}, 1.2, 1
  while tb < dur - 0.5 do
    blinks[#blinks + 1] = tb
    tb = tb + 2.5 + 3 * u:get(bi, 1)
    bi = bi + 1
  end
  local beat = 1 / 1.2
  for t = 1, T do
    local time = (t - 1) / fs
    local b = 0
    for _, c in ipairs(blinks) do
      local d = (time - c) / 0.1
      if math.abs(d) < 6 then b = b + 8 * math.exp(-0.5 * d * d) end
    end
    -- Every source has some broadband noise of its own, as real components do.
    S:set(t, nb + 1, b + 0.5 * rng:get(t, 37))
    local ph = (time + 0.3) % beat
    local h = -0.15 * math.exp(-0.5 * ((ph - 0.20) / 0.012) ^ 2)   -- Q
      + 1.6 * math.exp(-0.5 * ((ph - 0.22) / 0.010) ^ 2)           -- R
      - 0.35 * math.exp(-0.5 * ((ph - 0.245) / 0.012) ^ 2)         -- S
      + 0.25 * math.exp(-0.5 * ((ph - 0.45) / 0.05) ^ 2)           -- T wave
    S:set(t, nb + 2, h + 0.05 * rng:get(t, 38))
  end
  -- Spatial patterns: brain sources as blobs over the cap; the blink frontal (strongest on
  -- the front channels), the heartbeat a broad left-right gradient.
  local Amix = gy.zeros(p, nb + 2)
  for k = 1, nb do
    -- Centres spread over the cap on a golden-angle spiral, so no two patterns coincide.
    local a = 2.39996 * k
    local el = 0.2 + 1.0 * (k - 0.5) / nb
    local c = { math.sin(el) * math.cos(a), math.sin(el) * math.sin(a), math.cos(el) }
    local v = pattern(pos, c, 0.35 + 0.15 * u:get(k, 4), k % 2 == 0 and -1 or 1)
    for i = 1, p do Amix:set(i, k, v[i]) end
  end
  local front = pattern(pos, { 0, 1, 0 }, 0.45)
  for i = 1, p do
    Amix:set(i, nb + 1, 2 * front[i])
    Amix:set(i, nb + 2, 1.5 * pos[i][1] + 0.5)
  end
  local noise = gy.randn(T, p, { seed = 44 }) * 0.05
  local Xbrain = S:colrange(1, nb) * Amix:colrange(1, nb):t() + noise
  local X = S * Amix:t() + noise
  -- Reference channels: the EOG sees the blink, the ECG the heart, each with its own noise.
  local eog, ecg = gy.zeros(T, 1), gy.zeros(T, 1)
  for t = 1, T do
    eog:set(t, 1, S:get(t, nb + 1) + 0.3 * rng:get(t, 39))
    ecg:set(t, 1, S:get(t, nb + 2) + 0.1 * rng:get(t, 40))
  end
  say("%d channels x %d samples (%d s at %d Hz): %d brain sources, %d blinks, heartbeat "
    .. "72 bpm", p, T, dur, fs, nb, #blinks)

  local n = nb + 2
  local t0 = gy.clock()
  local model = gy.ica.fit(X, { n = n, seed = 1, max_iter = 1000 })
  say("FastICA, %d components: %d iterations, converged %s, %.2f s", n, model.n_iter,
    tostring(model.converged), gy.clock() - t0)

  local function best_match(col)
    local bk, br = 0, 0
    for k = 1, n do
      local r = math.abs(corr(model.sources:col(k), col))
      if r > br then bk, br = k, r end
    end
    return bk, br
  end
  local blink_ic, blink_r = best_match(S:col(nb + 1))
  local heart_ic, heart_r = best_match(S:col(nb + 2))
  say("ground truth: blink is IC %d (|r| = %.3f), heartbeat is IC %d (|r| = %.3f)",
    blink_ic, blink_r, heart_ic, heart_r)

  local bad_eog, sc_eog = find_bads(model, X, eog, { kind = "eog", sfreq = fs })
  local bad_ecg, sc_ecg = find_bads(model, X, ecg, { kind = "ecg", sfreq = fs })
  local function show(name, sc)
    local t = {}
    for k = 1, n do t[k] = string.format("%+.2f", sc:get(k, 1)) end
    say("%s scores (r, band-passed): %s", name, table.concat(t, " "))
  end
  show("EOG", sc_eog)
  say("EOG components (z > 3): {%s}", table.concat(bad_eog, ", "))
  show("ECG", sc_ecg)
  say("ECG components (z > 3): {%s}", table.concat(bad_ecg, ", "))
  -- MNE's default for ECG: cross-trial phase statistics on heartbeat epochs.
  local t1 = gy.clock()
  local bad_ctps, sc_ctps, n_ep = find_bads(model, X, ecg, { kind = "ecg", method = "ctps",
    sfreq = fs })
  local t = {}
  for k = 1, n do t[k] = string.format("%.2f", sc_ctps:get(k, 1)) end
  say("ECG CTPS scores (max Kuiper pk over %d heartbeat epochs, %.1f s): %s", n_ep,
    gy.clock() - t1, table.concat(t, " "))
  say("ECG components (CTPS, pk >= %.2f): {%s}", artifact.ctps_threshold(fs),
    table.concat(bad_ctps, ", "))
  local exclude, seen = {}, {}
  for _, list in ipairs({ bad_eog, bad_ecg }) do
    for _, k in ipairs(list) do
      if not seen[k] then seen[k] = true; exclude[#exclude + 1] = k end
    end
  end
  say("found blink: %s, found heartbeat: %s", tostring(seen[blink_ic] == true),
    tostring(seen[heart_ic] == true))

  local clean = apply(model, X, { exclude = exclude })
  -- Per channel, correlation with the artifact-free ground truth before and after.
  local before, after, worst_b, worst_a = 0, 0, 1, 1
  for i = 1, p do
    local rb = corr(X:col(i), Xbrain:col(i))
    local ra = corr(clean:col(i), Xbrain:col(i))
    before, after = before + rb, after + ra
    worst_b, worst_a = math.min(worst_b, rb), math.min(worst_a, ra)
  end
  say("correlation with the clean ground truth over %d channels: mean %.3f -> %.3f, "
    .. "worst %.3f -> %.3f", p, before / p, after / p, worst_b, worst_a)
  -- Residual artifact: correlation of the cleaned data's most frontal channel with the EOG.
  local fz, fy = 1, -2
  for i = 1, p do if pos[i][2] > fy then fz, fy = i, pos[i][2] end end
  say("frontal channel %d vs EOG: r = %.3f before, %.3f after", fz, corr(X:col(fz), eog),
    corr(clean:col(fz), eog))

  local show_ics = { blink_ic, heart_ic }
  for k = 1, n do
    if #show_ics >= 4 then break end
    if k ~= blink_ic and k ~= heart_ic then show_ics[#show_ics + 1] = k end
  end
  local pth = components(model, { components = show_ics, sfreq = fs, pos = pos, fmax = 45,
    duration = 10, title = "Simulated EEG", file = out("eeg_components.png") })
  wrote(pth)
  -- The frontal channel over 10 s: recorded, cleaned and ground truth.
  local ns = 10 * fs
  local Y = gy.zeros(ns, 3)
  Y:col(1):assign(X:col(fz):rowrange(1, ns))
  Y:col(2):assign(clean:col(fz):rowrange(1, ns))
  Y:col(3):assign(Xbrain:col(fz):rowrange(1, ns))
  Y = Y - Y:mean(1) -- the excluded sources' offsets stay in the cleaned data; show shapes
  local tt = {}
  for i = 1, ns do tt[i] = (i - 1) / fs end
  local pc = gy.plot.line(Y, { x = tt, labels = { "recorded", "cleaned", "ground truth" },
    xlabel = "time (s)", ylabel = "channel " .. fz, linewidth = 1,
    title = "Frontal channel before and after removing the artifact components",
    size = { 1100, 450 }, file = out("eeg_cleaning.png") })
  wrote(pc)
  return { blink = seen[blink_ic] == true, heart = seen[heart_ic] == true,
    after = after / p }
end

if part == "all" or part == "fmri" then fmri() end
if part == "all" or part == "eeg" then eeg() end
say("\ndone in %.1f s", gy.clock() - t_start)
