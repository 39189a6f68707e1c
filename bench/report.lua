-- wrk reporter for bench/: prints a run's results as one JSON line (latencies in microseconds).
-- Run alone it defines only done(), so wrk keeps sending its static, pre-built request at full
-- speed. bench/mix.lua and bench/search.lua load it (`dofile`) for bench_json() and
-- merged_statuses() and define their own done(): the line's format lives here only.

-- One BENCH_JSON line; `extra` (optional) is more members, each starting with a comma.
function bench_json(summary, latency, extra)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,' ..
    '"p50":%d,"p75":%d,"p90":%d,"p99":%d,"p999":%d}%s}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), extra or ""))
end

-- The threads' `statuses` tables (status → count, kept by each thread's response()) added up, as
-- a JSON member: ,"statuses":{"200":n,...}
function merged_statuses(threads)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      merged[status] = (merged[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(merged) do
    table.insert(parts, string.format('"%d":%d', status, count))
  end
  return ',"statuses":{' .. table.concat(parts, ",") .. "}"
end

done = function(summary, latency, requests)
  bench_json(summary, latency)
end
