-- wrk: POST a new student each request, with an address unique to the thread and the count.
-- SCHOOL and PROGRAM come from the environment (bench/server.sh).
local school, program = os.getenv("SCHOOL"), os.getenv("PROGRAM")
local n = 0
-- Each thread its own tag: unseeded, every thread's Lua state drew the same number, so the
-- threads sent the same addresses and about half the POSTs were refused as duplicates (runs
-- 1-9 count those refusals in their requests/s).
local counter = 0
local tag = ""
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  math.randomseed(os.time() * 1000 + id)
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
