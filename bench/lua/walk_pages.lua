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
response = function(status, headers, body)
  cursor = body:match('"next_cursor":"([^"]+)"')
end
