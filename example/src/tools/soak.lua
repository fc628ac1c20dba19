-- wrk script for `npm run example:soak` (soak.ts writes the codes file and reads the last line).
-- Mix per 100 requests: 60 lookups of real codes, 10 first pages of a prefix search, 5 later
-- pages (cursor), 10 malformed codes (400), 12 unknown codes (404), 3 NDJSON exports of prefix
-- 100 (streamed, chunked, 100 kB). No HEAD: wrk's parser waits for the body a HEAD response's
-- Content-Length announces (wg/wrk#198), so soak.ts sends those itself. Each thread counts
-- status classes in `response`; `done` adds up every thread's counts and prints one
-- `SOAK_RESULT {json}` line.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local known, unknown = {}, {}
local malformed = { "abc", "123", "12345678", "100-0001", "%zz", "%", "%EF%BC%91000001", "" }

function init(args)
  for line in io.lines(args[1]) do
    local kind, code = line:match("^(%a) (%d+)$")
    if kind == "K" then table.insert(known, code) elseif kind == "U" then table.insert(unknown, code) end
  end
  -- The same mix on every run; each thread (its own Lua state) its own sequence.
  math.randomseed(tonumber(args[2]) * 1000 + id)
  s1, s2, s3, s4, s5 = 0, 0, 0, 0, 0
end

local function pick(list)
  return list[math.random(#list)]
end

function request()
  local roll = math.random(100)
  if roll <= 60 then
    return wrk.format("GET", "/api/postal_code?code=" .. pick(known))
  elseif roll <= 70 then
    return wrk.format("GET", "/api/postal_codes?prefix=" .. pick(known):sub(1, 3) .. "&limit=20")
  elseif roll <= 75 then
    local code = pick(known)
    return wrk.format("GET", "/api/postal_codes?prefix=" .. code:sub(1, 2) .. "&limit=50&cursor=" .. code)
  elseif roll <= 85 then
    return wrk.format("GET", "/api/postal_code?code=" .. pick(malformed))
  elseif roll <= 97 then
    return wrk.format("GET", "/api/postal_code?code=" .. pick(unknown))
  else
    return wrk.format("GET", "/api/postal_codes/export?prefix=100")
  end
end

function response(status, headers, body)
  if status < 200 then s1 = s1 + 1
  elseif status < 300 then s2 = s2 + 1
  elseif status < 400 then s3 = s3 + 1
  elseif status < 500 then s4 = s4 + 1
  else s5 = s5 + 1 end
end

function done(summary, latency, requests)
  local c = { s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0 }
  for _, thread in ipairs(threads) do
    for key in pairs(c) do c[key] = c[key] + (thread:get(key) or 0) end
  end
  local e = summary.errors
  io.write(string.format(
    'SOAK_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d},' ..
      '"status":{"1xx":%d,"2xx":%d,"3xx":%d,"4xx":%d,"5xx":%d},' ..
      '"latencyUs":{"p50":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.timeout, e.status,
    c.s1, c.s2, c.s3, c.s4, c.s5,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(99)), math.floor(latency.max)))
end
