-- wrk script: schedule queries by proxy. Each request asks for one proxy's delivery jobs
-- (the first page of 100, as the detector's schedule fetcher does), cycling through the
-- proxies px-1..px-N. Prints one JSON line with the latency percentiles at the end.
local token = os.getenv("HEADROOM_TOKEN")
local proxies = tonumber(os.getenv("HEADROOM_PROXIES") or "100")
-- Optional time window (RFC 3339), as the detector asks for the horizon it watches.
local window = ""
if os.getenv("HEADROOM_FROM") then
  window = "&from=" .. os.getenv("HEADROOM_FROM") .. "&to=" .. os.getenv("HEADROOM_TO")
end
local counter = 0

function setup(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
end

function request()
  offset = offset + 1
  local proxy = "px-" .. ((offset % proxies) + 1)
  return wrk.format("GET", "/api/v1/jobs?proxy=" .. proxy .. "&limit=100" .. window, { ["Authorization"] = "Bearer " .. token })
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status +
      summary.errors.timeout
  io.write(string.format(
    '{"bench": "jobs_by_proxy", "window": %s, "requests": %d, "errors": %d, "rps": %.0f, "p50_ms": %.2f, "p90_ms": %.2f, ' ..
    '"p99_ms": %.2f, "max_ms": %.2f}\n',
    window == "" and "false" or "true", summary.requests, errors, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
