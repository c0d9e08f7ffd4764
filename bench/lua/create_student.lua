-- wrk: POST a new student each request, with an address unique to the thread and the count.
-- SCHOOL and PROGRAM come from the environment (bench/server.sh).
local school, program = os.getenv("SCHOOL"), os.getenv("PROGRAM")
local n = 0
-- The folder of this script, so `require "threads"` finds bench/lua/threads.lua from anywhere.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
require "threads"
local tag = ""
function init(args)
  seed_thread()
  tag = tostring(id) .. "x" .. tostring(math.random(1, 1e9))
end
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
request = function()
  n = n + 1
  wrk.body = string.format(
    '{"school_id":"%s","program_id":"%s","first_name":"Bench","last_name":"Created","email":"c%s-%d@bench.practicum.test"}',
    school, program, tag, n)
  return wrk.format()
end
