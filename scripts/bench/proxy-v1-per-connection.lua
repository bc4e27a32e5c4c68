-- One PROXY v1 header at the start of every connection (Connection: close = one request each).
-- wrk parses thread 0's first request() result to check it is HTTP, and never sends that one;
-- so exactly that call returns the plain request and every sent request carries the header.
wrk.headers["Connection"] = "close"
local calls = 0
local plain, withHeader

-- setup runs in the main state once per thread, before that thread's request() is verified.
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

request = function()
  if not plain then
    plain = wrk.format("GET", "/")
    withHeader = "PROXY TCP4 198.51.100.22 203.0.113.7 35646 80\r\n" .. plain
  end
  calls = calls + 1
  if id == 0 and calls == 1 then
    return plain -- thread 0's first call is wrk's HTTP check, never sent
  end
  return withHeader
end
