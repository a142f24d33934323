-- gyrus side: Picard-O on the ica_fastica problem (see bench.conf).
ICA_OPTS = { method = "picard", precon = tonumber(os.getenv("GY_PICARD_PRECON") or 2),
  tol = tonumber(os.getenv("GY_PICARD_TOL") or 1e-7) }
ICA_NO_CHECK = true
dofile(os.getenv("GY_BENCH_HOME") .. "/ica_fastica/gyrus.lua")
