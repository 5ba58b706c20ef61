-- Pages as many signed-in people, over and over: each line of the file is "path<TAB>cookie" (cookie
-- optional), a GET, or "path<TAB>cookie<TAB>form body", a POST of that form (a CSV export, say).
-- The lines are sent in turn (shared by the connections), so each line of a file goes equally often.
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local report = require("report")

local requests, next_index = {}, 1
statuses = {}  -- a global: done() reads it from each thread
setup = report.setup

function init(args)
   local rows = report.read(args[1])
   for n, row in ipairs(rows) do
      if (n - 1) % nthreads == id - 1 then
         local headers = {Host = wrk.host}
         if row[2] then headers["Cookie"] = row[2] end
         if row[3] then
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            requests[#requests + 1] = wrk.format("POST", row[1], headers, row[3])
         else
            requests[#requests + 1] = wrk.format("GET", row[1], headers)
         end
      end
   end
   next_index = math.random(#requests)
end

function request()
   local r = requests[next_index]
   next_index = next_index % #requests + 1
   return r
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

done = report.done
