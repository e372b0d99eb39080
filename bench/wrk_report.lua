-- wrk script for bench/run.py: method, body and headers from the environment, optional per-request
-- paths, the marker every 2xx body must hold, and a JSON summary at the end.
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

-- BENCH_MARKER: a plain string every 2xx body must contain (the page with its rows).
local marker = os.getenv("BENCH_MARKER")
if marker == "" then marker = nil end

-- Per thread; summed in done(). A path taken a second time is a reused target.
non2xx = 0
first_bad = 0
missing = 0
reused = 0

function request()
  if #paths > 0 then
    local position = (thread_index or 0) + counter * stride
    counter = counter + 1
    if position >= #paths then reused = reused + 1 end
    return wrk.format(method, paths[position % #paths + 1], headers, body)
  end
  return wrk.format(method, nil, headers, body)
end

function response(status, hdrs, resp_body)
  if status < 200 or status >= 300 then
    non2xx = non2xx + 1
    if first_bad == 0 then first_bad = status end
  elseif marker and not string.find(resp_body or "", marker, 1, true) then
    missing = missing + 1
  end
end

function done(summary, latency, requests)
  local totals = {non2xx = 0, first_bad = 0, missing = 0, reused = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      local value = tonumber(thread:get(name)) or 0
      if name == "first_bad" then
        if totals.first_bad == 0 then totals.first_bad = value end
      else
        totals[name] = totals[name] + value
      end
    end
  end
  local seconds = summary.duration / 1e6
  local p50, p95, p99 = 0, 0, 0
  if summary.requests > 0 then
    p50 = latency:percentile(50) / 1000
    p95 = latency:percentile(95) / 1000
    p99 = latency:percentile(99) / 1000
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, ' ..
    '"p95_ms": %.2f, "p99_ms": %.2f, "non2xx": %d, "first_bad_status": %d, ' ..
    '"missing_marker": %d, "reused_targets": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d}\n',
    summary.requests, seconds, seconds > 0 and summary.requests / seconds or 0,
    p50, p95, p99, totals.non2xx, totals.first_bad, totals.missing, totals.reused,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
