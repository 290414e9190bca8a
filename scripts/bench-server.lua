-- wrk script for scripts/bench-server.sh: posts request bodies from BODIES_FILE
-- (one JSON body a line) to BENCH_PATH in turn, and prints one RESULT line.
local path = os.getenv("BENCH_PATH") or "/v1/triage"
local file = os.getenv("BODIES_FILE")
local bodies = {}
for line in io.lines(file) do
  if #line > 0 then bodies[#bodies + 1] = line end
end
local i = 0
local headers = { ["Content-Type"] = "application/json" }

function init(args)
  -- Start each thread at a different place in the corpus.
  i = math.random(#bodies) - 1
end

function request()
  i = i % #bodies + 1
  return wrk.format("POST", path, headers, bodies[i])
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT rps=%.0f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f requests=%d errors=%d non2xx=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, summary.requests, errors, e.status))
end
