-- Each request a name search for someone who is there: a seeded surname with its number
-- ("kowalski17", bench_seed.rs names students so, about ten share each), asked at a page
-- size drawn from 40 to 60 so that the same request (path and query) is seldom asked twice
-- and no answer kept for an earlier one serves it (http::api::kept). What typing a name into
-- the search box costs, where new_search.lua's random letters mostly match nobody.
-- wrk -s bench/lua/new_name_search.lua http://host/api/v1/students; -H headers apply.
local surnames = { "abara", "becker", "costa", "dubois", "eriksen", "fischer", "garcia",
  "haddad", "ivanova", "jensen", "kowalski", "lopez", "muller", "nakamura", "obrien",
  "petrov", "quinn", "rossi", "santos", "tanaka" }
-- The folder of this script, so `require "threads"` finds bench/lua/threads.lua from anywhere.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
require "threads"
function init(args)
  seed_thread()
end
request = function()
  local q = surnames[math.random(1, #surnames)] .. math.random(0, 96)
  return wrk.format("GET", "/api/v1/students?limit=" .. math.random(40, 60) .. "&q=" .. q)
end
