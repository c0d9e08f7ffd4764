-- Shared by the wrk scripts (require "threads"): numbers each thread in the main Lua state
-- (setup) and seeds each thread's random numbers apart from the others' (seed_thread, called
-- from a script's init in the thread's own state). Unseeded, every thread's state draws the
-- same numbers: the threads of create_student.lua sent the same addresses, so about half
-- their POSTs were refused as duplicates (runs 1-9 of bench/results/server-scale.md).
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function seed_thread()
  math.randomseed(os.time() * 1000 + id)
end
