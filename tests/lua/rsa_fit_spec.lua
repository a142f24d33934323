-- Iterative RSA model fits (lua/gyrus/rsa_fit.lua) against scipy re-computations of
-- rsatoolbox's fit_optimize, fit_optimize_positive and fit_interpolate
-- (tests/fixtures/rsa_fit.lua, make_rsa_fit.py). Both sides stop BFGS at max|gradient|
-- <= 1e-6, so the fitted loss agrees to 1e-9 and the unit-norm weights to 1e-5 (the
-- optimum is flat to second order); bounded Brent is the same algorithm on both sides, so
-- interpolation weights agree to 1e-8.
local F = fixture("rsa_fit.lua")
local R = require "gyrus.rsa_fit"

local function cols(rows)
  local m = gy.zeros(#rows[1], #rows)
  for j, r in ipairs(rows) do for k, v in ipairs(r) do m:set(k, j, v) end end
  return m
end

local models, data, interp = cols(F.models), cols(F.data), cols(F.interp)

describe("rsa fit_optimize", function()
  it("matches scipy BFGS on the cosine family", function()
    for _, c in ipairs(F.optimize) do
      local md = R.fit_optimize(models, data, { method = c.method })
      expect_near(md.loss, c.loss, 1e-9, c.method .. " loss")
      for i = 1, 3 do expect_near(md.theta[i], c.theta[i], 1e-5, c.method .. " theta " .. i) end
      expect_near(R.fit_loss(md.theta, models, data, { method = c.method }), c.loss, 1e-9)
    end
  end)
  it("matches scipy for the non-negative (theta = phi^2) fit", function()
    for _, c in ipairs(F.positive) do
      local md = R.fit_optimize(models, data, { method = c.method, positive = true })
      expect_near(md.loss, c.loss, 1e-9, c.method .. " loss")
      for i = 1, 3 do expect_near(md.theta[i], c.theta[i], 1e-5, c.method .. " theta " .. i) end
      expect_eq(md.fitter, "fit_optimize_positive")
    end
  end)
  it("takes lists of RDM objects and names, and predicts", function()
    local list = {}
    for i = 1, 3 do list[i] = gy.matrix({ F.models[i] }):t() end
    local md = R.fit_optimize(list, data, { method = "corr", names = { "a", "b", "c" } })
    expect_eq(md.names[2], "b")
    local p = md:predict()
    expect_eq(select(1, p:shape()), #F.models[1])
    expect_true(tostring(md):find("fit_optimize") ~= nil)
    -- a single data RDM as a vector
    local one = R.fit_optimize(models, gy.matrix({ F.data[1] }):t(), { method = "cosine" })
    expect_true(one.loss < -0.9)
    -- rank methods run (finite differences), as in rsatoolbox they barely move
    local s = R.fit_optimize(models, data, { method = "spearman", starts = 2, seed = 3 })
    expect_true(s.loss < 0)
  end)
end)

describe("rsa fit_interpolate", function()
  it("matches scipy's bounded minimize_scalar", function()
    for _, c in ipairs(F.interpolate) do
      local md = R.fit_interpolate(models, interp, { method = c.method })
      expect_near(md.loss, c.loss, 1e-9, c.method .. " loss")
      for i = 1, 3 do expect_near(md.theta[i], c.theta[i], 1e-8, c.method .. " theta " .. i) end
      expect_eq(md.type, "interpolate")
    end
  end)
end)

describe("rsa fit errors", function()
  it("rejects bad input with clear messages", function()
    expect_error(function() R.fit_optimize(models, data, { method = "euclid" }) end,
      "unknown method")
    expect_error(function() R.fit_optimize(models, data, { tol = 0 }) end, "tol")
    expect_error(function() R.fit_optimize(models, data, { ridge = -1 }) end, "ridge")
    expect_error(function() R.fit_optimize(models, data, { bogus = 1 }) end, "bogus")
    expect_error(function() R.fit_optimize(models, gy.zeros(5, 2)) end, "entries")
    expect_error(function() R.fit_interpolate(gy.matrix({ F.models[1] }):t(), interp) end,
      "at least 2")
    expect_error(function() R.fit_optimize(42, data) end, "models must be")
  end)
end)
