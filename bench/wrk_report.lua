-- wrk script for bench/run.py: method, body and headers from the environment, optional per-request
-- paths, and a JSON summary at the end.
--
-- wrk loads this file once in the main Lua state (setup, done) and once in each thread's state
-- (init, request, response); values cross between them only through thread:set / thread:get.
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local headers = {}
for pair in string.gmatch(os.getenv("BENCH_HEADERS") or "", "([^\n]+)") do
  local name, value = string.match(pair, "^([^:]+):%s*(.*)$")
  if name then headers[name] = value end
end

-- BENCH_PATHS names a file with one path per line: each request takes the next one (a write that
-- may happen once per object, like a transition). Thread i of n takes paths i, i+n, i+2n, ...
local paths = {}
local paths_file = os.getenv("BENCH_PATHS")
if paths_file then
  for line in io.lines(paths_file) do
    if line ~= "" then paths[#paths + 1] = line end
  end
end

local threads = {}
local created = 0
function setup(thread)
  thread:set("thread_index", created)
  created = created + 1
  threads[#threads + 1] = thread
end

local counter = 0
local stride = 1
function init(args)
  stride = tonumber(os.getenv("BENCH_THREADS") or "1")
  math.randomseed(os.time() + (thread_index or 0))
end

-- BENCH_THINK_MS: each connection is a person who waits a random 0.5x-1.5x of this many
-- milliseconds between two requests (the time to read a page); without it, none at all.
local think = tonumber(os.getenv("BENCH_THINK_MS") or "0")
if think > 0 then
  function delay()
    return math.random(math.floor(think / 2), math.floor(think * 3 / 2))
  end
end

function request()
  if #paths > 0 then
    local index = ((thread_index or 0) + counter * stride) % #paths + 1
    counter = counter + 1
    return wrk.format(method, paths[index], headers, body)
  end
  return wrk.format(method, nil, headers, body)
end

non2xx = 0
function response(status, hdrs, resp_body)
  if status >= 300 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + (tonumber(thread:get("non2xx")) or 0)
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, ' ..
    '"p99_ms": %.2f, "errors": %d, "non2xx": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    failed))
end
