-- Rank 1 raises while rank 0 waits in a collective: the host must stop both ranks with
-- rank 1's message (checked by expect_abort.cmake), never hang.
local par = require "gyrus.par"
if par.rank() == 1 then error("boom on rank 1") end
par.barrier()
par.bcast(1)
print("rank " .. par.rank() .. " was not stopped")
