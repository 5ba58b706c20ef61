-- POST quiz submits, each to its own open attempt: lines are "path<TAB>cookie<TAB>form body".
-- A 303 to the attempt's result page is a submit the learner saw acknowledged; its id is kept.
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local report = require("report")

local requests, next_index, fallback = {}, 1, nil
-- Globals: done() reads them from each thread.
statuses, acked, exhausted = {}, {}, false
setup = report.setup

function init(args)
   local rows = report.read(args[1])
   for n, row in ipairs(rows) do
      if (n - 1) % nthreads == id - 1 then
         requests[#requests + 1] = wrk.format("POST", row[1], {
            Host = wrk.host, Cookie = row[2], ["Content-Type"] = "application/x-www-form-urlencoded"}, row[3])
      end
   end
   fallback = wrk.format("GET", "/healthz", {Host = wrk.host})
end

function request()
   local r = requests[next_index]
   if r == nil then  -- the pool of open attempts ran out: the run is marked invalid
      exhausted = true
      return fallback
   end
   next_index = next_index + 1
   return r
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if status == 303 then
      local id = string.match(headers["Location"] or headers["location"] or "", "/attempts/(%d+)/result")
      if id then acked[#acked + 1] = tonumber(id) end
   end
end

done = report.done
