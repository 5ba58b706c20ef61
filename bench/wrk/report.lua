-- Shared by the bench's wrk scripts: count statuses per thread, print one JSON line at the end.
local report = {}

local function encode(value)
   local kind = type(value)
   if kind == "table" then
      local parts, is_list = {}, #value > 0 or next(value) == nil
      if is_list then
         for _, item in ipairs(value) do parts[#parts + 1] = encode(item) end
         return "[" .. table.concat(parts, ",") .. "]"
      end
      for key, item in pairs(value) do parts[#parts + 1] = string.format("%q:%s", tostring(key), encode(item)) end
      return "{" .. table.concat(parts, ",") .. "}"
   elseif kind == "string" then
      return string.format("%q", value)
   elseif kind == "boolean" then
      return tostring(value)
   end
   return string.format("%.17g", value)
end

-- Lines of a file split on tabs: the requests this run sends.
function report.read(path)
   local rows = {}
   for line in io.lines(path) do
      local fields = {}
      for field in string.gmatch(line, "[^\t]+") do fields[#fields + 1] = field end
      rows[#rows + 1] = fields
   end
   return rows
end

local threads = {}
function report.setup(thread)
   thread:set("id", #threads + 1)
   thread:set("nthreads", 0)
   threads[#threads + 1] = thread
   for _, t in ipairs(threads) do t:set("nthreads", #threads) end
end

function report.done(summary, latency, requests, extra)
   local statuses, acked, exhausted = {}, {}, false
   for _, thread in ipairs(threads) do
      for code, n in pairs(thread:get("statuses") or {}) do statuses[tostring(code)] = (statuses[tostring(code)] or 0) + n end
      for _, id in ipairs(thread:get("acked") or {}) do acked[#acked + 1] = id end
      exhausted = exhausted or thread:get("exhausted") or false
   end
   local e = summary.errors
   local result = {
      requests = summary.requests, duration_us = summary.duration, bytes = summary.bytes,
      errors = {connect = e.connect, read = e.read, write = e.write, status = e.status, timeout = e.timeout},
      statuses = statuses, exhausted = exhausted,
      latency_us = {mean = latency.mean, max = latency.max, p50 = latency:percentile(50),
                    p90 = latency:percentile(90), p95 = latency:percentile(95), p99 = latency:percentile(99)},
   }
   if #acked > 0 then result.acked = acked end
   io.write("BENCHJSON " .. encode(result) .. "\n")
end

return report
