-- wrk script for bench/load.py: requests the addresses listed in a file (one a line), in turn,
-- each thread starting at its own place; counts every answer that is not 2xx as an error; and
-- prints one line of JSON at the end for load.py to read.
--
--   wrk -t2 -c64 -d60s -s bench/load.lua http://127.0.0.1:PORT -- addresses.txt

local threads = {}
local thread_number = 0

function setup(thread)
  thread:set("number", thread_number)
  thread_number = thread_number + 1
  table.insert(threads, thread)
end

local paths = {}
local position = 0
non2xx = 0

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
  position = math.floor(number * #paths / 2) % #paths
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local not_2xx = 0
  for _, thread in ipairs(threads) do
    not_2xx = not_2xx + thread:get("non2xx")
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p99_us": %d, "non2xx": %d, '
      .. '"connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99),
    not_2xx, errors.connect, errors.read, errors.write, errors.timeout
  ))
end
