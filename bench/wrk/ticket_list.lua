-- GET /api/v1/tickets with the filters of the inbox views (first page of 50), rotating among them.
-- Usage: wrk ... -s ticket_list.lua URL -- TOKEN MAX_CLIENT_ID
local token, max_client
local views = {
  "/api/v1/tickets?status=new,open&limit=50",                     -- All open
  "/api/v1/tickets?assignee_id=none&status=new&limit=50",         -- Unassigned
  "/api/v1/tickets?assignee_id=2&status=open,waiting_on_client&limit=50",  -- Mine
  "/api/v1/tickets?status=waiting_on_client&limit=50",            -- Waiting on client
  "/api/v1/tickets?channel=phone&sort=newest&limit=50",
  "/api/v1/tickets?tag=printer&limit=50",
}

-- Each wrk thread has its own Lua state: give each its own random sequence.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  token = args[1]
  max_client = tonumber(args[2])
  math.randomseed(os.time() * 100 + (thread_number or 0))
end

function request()
  local path
  if math.random(1, 4) == 1 then
    path = "/api/v1/tickets?client_id=" .. math.random(1, max_client) .. "&limit=50"
  else
    path = views[math.random(1, #views)]
  end
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
