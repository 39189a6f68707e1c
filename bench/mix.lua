-- wrk script for `make loadtest`: rotates over the requests listed in the file named by the first
-- script argument (one per line: path <TAB> If-None-Match <TAB> Accept-Language; empty fields are
-- not sent), each thread starting at a different line, and tallies the responses by status.
-- An optional second argument K makes each request come from one of K client addresses per thread
-- (X-Forwarded-For 10.<thread>.<k / 256>.<k % 256>, k rotating per request; the server must trust
-- one proxy): many readers, each far below the per-client rate limit (`make bench`'s mixed load).
-- The reporter beside this script (wrk loads one script; this one loads the other).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "report.lua")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  requests_list, specs = {}, {}
  addresses = tonumber(args[2] or "0")
  for line in io.lines(args[1]) do
    local path, etag, language = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)$")
    if path and path ~= "" then
      local headers = {}
      for name, value in pairs(wrk.headers) do headers[name] = value end
      if etag ~= "" then headers["If-None-Match"] = etag end
      if language ~= "" then headers["Accept-Language"] = language end
      table.insert(requests_list, wrk.format("GET", path, headers))
      table.insert(specs, {path, headers})
    end
  end
  position = ((thread_number or 1) - 1) * 7
  statuses = {}
end

function request()
  position = position + 1
  local index = (position % #requests_list) + 1
  if addresses == 0 then
    return requests_list[index]
  end
  local k = position % addresses
  local path, headers = specs[index][1], specs[index][2]
  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", thread_number or 1, math.floor(k / 256), k % 256)
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  bench_json(summary, latency, merged_statuses(threads))
end
