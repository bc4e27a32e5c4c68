-- One PROXY v2 header (TCP4, 198.51.100.22:35646 -> 203.0.113.7:80, no TLVs) at the start of
-- every connection. See proxy-v1-per-connection.lua for why one call returns plain HTTP.
wrk.headers["Connection"] = "close"
local calls = 0
local plain, withHeader
local V2 = "\13\10\13\10\0\13\10\81\85\73\84\10" -- signature
  .. "\33\17\0\12"                                  -- v2 PROXY, TCP over IPv4, 12 bytes
  .. "\198\51\100\22" .. "\203\0\113\7"             -- source, destination
  .. "\139\62" .. "\0\80"                           -- ports 35646, 80

-- setup runs in the main state once per thread, before that thread's request() is verified.
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

request = function()
  if not plain then
    plain = wrk.format("GET", "/")
    withHeader = V2 .. plain
  end
  calls = calls + 1
  if id == 0 and calls == 1 then
    return plain -- thread 0's first call is wrk's HTTP check, never sent
  end
  return withHeader
end
