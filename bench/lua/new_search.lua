-- Each request a name search not asked before (three random letters: 17,576 of them), so no
-- answer kept for an earlier request serves it (http::api::kept): what a list costs when it
-- is not kept, at the same concurrency. wrk -s bench/lua/new_search.lua; -H headers apply.
local letters = "abcdefghijklmnopqrstuvwxyz"
-- The folder of this script, so `require "threads"` finds bench/lua/threads.lua from anywhere.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
require "threads"
function init(args)
  seed_thread()
end
request = function()
  local q = ""
  for _ = 1, 3 do
    local n = math.random(1, 26)
    q = q .. letters:sub(n, n)
  end
  return wrk.format("GET", "/api/v1/students?limit=50&q=" .. q)
end
