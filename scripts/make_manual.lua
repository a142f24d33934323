-- Writes the reference manual and the man page from the help texts:
--   gyrus scripts/make_manual.lua OUTDIR [GYRUS]
-- OUTDIR/manual.md and OUTDIR/gyrus.1; GYRUS (the gyrus binary) supplies the usage text of
-- `gyrus --help`. SOURCE_DATE_EPOCH, when set, dates the man page (reproducible builds).
local outdir = arg[1] or "."
local binary = arg[2]
local manual = require "gyrus.manual"

local usage
if binary then
  local p = assert(io.popen(string.format("'%s' --help", binary:gsub("'", "'\\''"))))
  usage = p:read("*a")
  p:close()
end
local epoch = tonumber(os.getenv("SOURCE_DATE_EPOCH") or "")
local date = os.date("!%Y-%m-%d", epoch or os.time())

local function write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end
write(outdir .. "/manual.md", manual.markdown(usage))
write(outdir .. "/gyrus.1", manual.man(usage, date))
