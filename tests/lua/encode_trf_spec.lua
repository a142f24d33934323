-- gy.encode.trf / gy.encode.haufe against a numpy re-derivation of mTRF-Toolbox's normal
-- equations (tests/fixtures/make_encode_trf.py, which also checks the reference note's
-- mTRFpy / MATLAB values of section 8.3).
local F = fixture("encode_trf.lua")
local T = require "gyrus.encode_trf"
local TOL = 1e-10

local function pick(list, idx)
  local out = {}
  for i, s in ipairs(idx) do out[i] = list[s] end
  return out
end

describe("gy.encode.trf", function()
  for ci, c in ipairs(F.cases) do
    it(string.format("case %d: %s, direction %d, %d trial(s)", ci, c.method, c.direction,
      #c.trials), function()
      local stim = pick(c.two == 1 and F.inputs.stim2 or F.inputs.stim, c.trials)
      local resp = pick(F.inputs.resp, c.trials)
      local m = T.trf(#stim == 1 and stim[1] or stim, #resp == 1 and resp[1] or resp,
        { fs = 100, tmin = c.tmin, tmax = c.tmax, lambda = c.lambda, method = c.method,
          direction = c.direction })
      expect_near(m.lags, c.lags, 0, "lags")
      expect_near(m.weights, c.W, TOL, "weights")
      expect_near(m.b, c.b, TOL, "bias")
      local x = c.direction == 1 and stim[1] or resp[1]
      expect_near(m:predict(x), c.pred, TOL, "prediction")
      local A = T.haufe(m, x)
      expect_near(A, c.haufe, 1e-8, "haufe")
      -- w[k] is features x lags for output k
      local p = c.two == 1 and c.direction == 1 and 2 or (c.direction == 1 and 1 or 2)
      expect_eq(m.w[1].rows, p)
      expect_near(m.w[1]:get(p, #c.lags), c.W[#c.lags * p][1], TOL)
      expect_near(m.t[1], c.lags[1] / 100, 1e-15)
    end)
  end

  it("a smoother laplacian TRF than ridge at a large lambda", function()
    local stim, resp = F.inputs.stim[1], F.inputs.resp[1]
    local function roughness(w)
      local s, e = 0, w:get(1, 1) ^ 2
      for l = 2, tonumber(w.cols) do
        s, e = s + (w:get(1, l) - w:get(1, l - 1)) ^ 2, e + w:get(1, l) ^ 2
      end
      return s / e
    end
    local o = { fs = 100, tmin = 0, tmax = 0.1, lambda = 1e4 }
    local r = T.trf(stim, resp, o)
    o.method = "laplacian"
    local l = T.trf(stim, resp, o)
    assert(roughness(l.w[1]) < roughness(r.w[1]))
  end)

  it("bad input", function()
    local stim, resp = F.inputs.stim[1], F.inputs.resp[1]
    local o = { fs = 100, tmin = 0, tmax = 0.02, lambda = 1 }
    expect_error(function() T.trf(stim, { { 1, 2 }, { 3, 4 } }, o) end, "samples")
    expect_error(function() T.trf(stim, resp, { fs = 100, tmin = 0, tmax = 0.02 }) end, "lambda")
    expect_error(function() T.trf(stim, resp, { fs = 100, tmin = 0, tmax = 0.02, lambda = 1,
      method = "lasso" }) end, "unknown method")
    expect_error(function() T.trf(stim, resp, { fs = 100, tmin = 0, tmax = 0.02, lambda = 1,
      direction = 2 }) end, "direction")
    local bad = gy.matrix(stim)
    bad:set(3, 1, 0 / 0)
    expect_error(function() T.trf(bad, resp, o) end, "non%-finite")
    -- two identical inputs and no penalty: singular
    local dup = gy.zeros(40, 2)
    for i = 1, 40 do dup:set(i, 1, stim[i][1]); dup:set(i, 2, stim[i][1]) end
    expect_error(function() T.trf(dup, resp, { fs = 100, tmin = 0, tmax = 0, lambda = 0 }) end,
      "singular")
    local m = T.trf(stim, resp, o)
    expect_error(function() m:predict(resp) end, "channels")
  end)
end)

-- Real data: nitime's event-related fMRI (TR 2 s, 6 event types): a forward TRF from the
-- event indicators to the BOLD series recovers a haemodynamic shape (peak 4-8 s).
describe("gy.encode.trf on real data (nitime event_related_fmri.csv)", function()
  it("an HRF-shaped TRF", function()
    local ok, paths = pcall(gy.data)
    if not ok then return end
    local t = gy.read(paths.nitime_dir .. "/event_related_fmri.csv").data
    local bold, ev = t:col(1):values(), t:col(2):values()
    local n = #bold
    local stim, y = gy.zeros(n, 6), gy.zeros(n, 1)
    for i = 1, n do
      if ev[i] > 0 then stim:set(i, ev[i], 1) end
      y:set(i, 1, bold[i])
    end
    local m = T.trf(stim, y, { fs = 0.5, tmin = 0, tmax = 16, lambda = 1, method = "laplacian" })
    expect_eq(#m.t, 9)
    local w, peak = m.w[1], 1
    for l = 2, 9 do if w:get(1, l) > w:get(1, peak) then peak = l end end
    assert(m.t[peak] >= 4 and m.t[peak] <= 8, "peak at " .. m.t[peak] .. " s")
    local p = m:predict(stim)
    local my, mp, sxy, sxx, syy = 0, 0, 0, 0, 0
    for i = 1, n do my = my + bold[i] / n; mp = mp + p:get(i, 1) / n end
    for i = 1, n do
      local a, b = bold[i] - my, p:get(i, 1) - mp
      sxy, sxx, syy = sxy + a * b, sxx + a * a, syy + b * b
    end
    assert(sxy / math.sqrt(sxx * syy) > 0.4)
  end)
end)

describe("gy.encode.haufe with trials", function()
  it("a list of trials equals the stacked lagged design", function()
    local st, rs = F.inputs.stim, F.inputs.resp
    local m = T.trf({ st[1], st[2] }, { rs[1], rs[2] }, { fs = 100, tmin = 0, tmax = 0.02,
      lambda = 0.5, direction = -1 })
    local A = T.haufe(m, { rs[1], rs[2] })
    -- the same by hand: lag each trial, stack, then the matrix form
    local E = require "gyrus.encode"
    local L1, L2 = E.delay(rs[1], m.lags), E.delay(rs[2], m.lags)
    local rows = {}
    for _, L in ipairs { L1, L2 } do
      for i = 1, tonumber(L.rows) do
        local r = {}
        for j = 1, tonumber(L.cols) do r[j] = L:get(i, j) end
        rows[#rows + 1] = r
      end
    end
    expect_near(A, T.haufe(gy.matrix(rows), m.weights), 1e-12)
  end)
end)
