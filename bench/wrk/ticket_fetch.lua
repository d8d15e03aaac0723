-- GET /api/v1/tickets/{id} for random ids. Usage: wrk ... -s ticket_fetch.lua URL -- TOKEN MAX_ID
local token, max_id

-- Each wrk thread has its own Lua state: give each its own random sequence.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  token = args[1]
  max_id = tonumber(args[2])
  math.randomseed(os.time() * 100 + (thread_number or 0))
end

function request()
  local path = "/api/v1/tickets/" .. math.random(1, max_id)
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
