-- wrk script: the RSVP flow of a person, over and over.
--
--   wrk -t2 -c50 -d30s --latency -s bench/rsvp.lua http://HOST:PORT/events/SLUG -- PREFIX
--
-- Each GET of the event page yields one filled-in form: the page's
-- csrf_token, submission_key, started and venue, with the session cookie
-- that the CSRF token belongs to. The next request (on whichever connection
-- asks first) POSTs that form, with a unique email address
-- PREFIX-t<thread>-<n>@example.org, to /events/SLUG/rsvp. A 303 (to the
-- manage page) is a completed RSVP. Forms are queued per thread rather than
-- per connection because wrk does not tell a script which connection a
-- request or response belongs to.
--
-- done() prints one line "status <code> <count>" per HTTP status seen, for
-- bench/run.py to read: 200 are form pages, 303 completed RSVPs, anything
-- else an error.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_number", #threads)
end

function init(args)
   prefix = args[1] or "bench"
   post_path = wrk.path .. "/rsvp"
   forms = {}
   sent = 0
   counts = {}
end

local function encode(value)
   return (value:gsub("[^%w%-%._~]", function(char)
      return string.format("%%%02X", string.byte(char))
   end))
end

local function field(body, name)
   return body:match('name="' .. name .. '"[^>]-value="([^"]*)"')
end

-- The form's part of the page: its fields are looked for there only, so
-- that the client (which shares the machine's CPUs with the server) does
-- not scan the whole page once per field.
local FORM_BYTES = 4096

local function form_part(body)
   local start = body:find('name="csrf_token"', 1, true)
   return start and body:sub(start - 1, start + FORM_BYTES) or ""
end

function request()
   local form = forms and table.remove(forms)
   if not form then
      return wrk.format("GET", wrk.path)
   end
   sent = sent + 1
   local email = string.format("%s-t%d-%d@example.org", prefix, thread_number, sent)
   local body = table.concat({
      "csrf_token=" .. encode(form.csrf_token),
      "submission_key=" .. encode(form.submission_key),
      "started=" .. encode(form.started),
      "website=",
      "name=" .. encode("Bench " .. sent),
      "email=" .. encode(email),
      "attendance=" .. encode(form.attendance),
      "guests=0",
   }, "&")
   return wrk.format("POST", post_path, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = form.cookie,
   }, body)
end

function response(status, headers, body)
   counts[status] = (counts[status] or 0) + 1
   if status ~= 200 then
      return
   end
   body = form_part(body)
   local cookie = (headers["Set-Cookie"] or headers["set-cookie"] or ""):match("^(session=[^;]+)")
   local form = {
      cookie = cookie,
      csrf_token = field(body, "csrf_token"),
      submission_key = field(body, "submission_key"),
      started = field(body, "started"),
      attendance = field(body, "attendance"),
   }
   if form.cookie and form.csrf_token and form.submission_key and form.started
         and form.attendance then
      table.insert(forms, form)
   else
      -- a page without the form (the event is over or full): an error
      counts[200] = counts[200] - 1
      counts["no-form"] = (counts["no-form"] or 0) + 1
   end
end

function done(summary, latency, requests)
   local totals = {}
   for _, thread in ipairs(threads) do
      for status, count in pairs(thread:get("counts") or {}) do
         totals[status] = (totals[status] or 0) + count
      end
   end
   for status, count in pairs(totals) do
      io.write(string.format("status %s %d\n", tostring(status), count))
   end
end
