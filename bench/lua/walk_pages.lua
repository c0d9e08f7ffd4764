-- Walks a list page after page, each page asked with a size drawn from 40 to 60, so that the
-- same page (path and query) is almost never asked twice and no answer kept for an earlier
-- request serves it (http::api::kept): what a full page costs when it is not kept. Each
-- thread follows the next_cursor of the answers it reads and starts over at the end.
-- wrk -s bench/lua/walk_pages.lua http://host/api/v1/students; -H headers apply.
-- The folder of this script, so `require "threads"` finds bench/lua/threads.lua from anywhere.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
require "threads"
local cursor = nil
function init(args)
  seed_thread()
end
request = function()
  local path = wrk.path .. "?limit=" .. math.random(40, 60)
  if cursor then
    path = path .. "&cursor=" .. cursor
  end
  return wrk.format("GET", path)
end
-- The cursor is the answer's last field: matching only the tail keeps the generator's own cost
-- small. A pattern over the whole 20-60 KiB body took more than half of the machine's two
-- cores (perf, run 14), so earlier rounds measured wrk's Lua, not the server.
response = function(status, headers, body)
  cursor = body:sub(-200):match('"next_cursor":"([^"]+)"')
end
