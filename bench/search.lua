-- wrk script for `make bench`: uncached searches with random words from the seeded vocabulary.
--
-- Arguments (after `--`): words file, mode, seed [, pause ms].
--   words file: one "locale <TAB> word" per line (words already URL-safe), written by bench/vocabulary.py
--   mode "v1":     /api/v1/search/?q=<words>&locale=<locale>
--   mode "v2":     /api/v2/pages/?search=<words>&search_operator=or&type=cms.FAQPage&locale=<locale>
--   mode "attack": /api/v1/search/ from one client (the X-Forwarded-For header wrk is given), mixing
--                  vocabulary words, non-words and random Accept-Language values, and waiting
--                  <pause> ms before each request on each connection (its share of the load).
--
-- Invariants: each request searches one locale and one or two words of that locale. Each thread
-- draws from its own generator seeded with seed * 1000 + thread number, and v1 and v2 draw the same
-- numbers per request, so both runs send the same word sequence per thread (the slower one a
-- shorter prefix of it). The report counts statuses and 200s with zero results.
-- The reporter beside this script (wrk loads one script; this one loads the other).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "report.lua")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  mode = args[2]
  math.randomseed(tonumber(args[3]) * 1000 + (thread_number or 1))
  words, locales = {}, {}
  for line in io.lines(args[1]) do
    local locale, word = line:match("^([^\t]+)\t([^\t]+)$")
    if locale then
      if not words[locale] then
        words[locale] = {}
        table.insert(locales, locale)
      end
      table.insert(words[locale], word)
    end
  end
  table.sort(locales)
  local pause = tonumber(args[4] or "0")
  if pause > 0 then
    -- wrk asks for delay() only when the script defines it: the v1 and v2 runs send at full speed.
    delay = function() return pause end
  end
  statuses, empty = {}, 0
end

local function pick(list)
  return list[math.random(#list)]
end

local function phrase(locale)
  local text = pick(words[locale])
  if math.random(2) == 2 then
    text = text .. "+" .. pick(words[locale])
  end
  return text
end

local function letters(count)
  local chars = {}
  for i = 1, count do
    chars[i] = string.char(96 + math.random(26))
  end
  return table.concat(chars)
end

local function attack_request(locale)
  local roll = math.random(3)
  local text = roll == 1 and letters(math.random(3, 12)) or phrase(locale)
  if roll == 3 then
    text = text .. "+" .. letters(math.random(3, 8))
  end
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Accept-Language"] = string.format(
    "%s-%s;q=0.%d, %s;q=0.%d", letters(2), letters(2):upper(), math.random(9), locale, math.random(9))
  local path = "/api/v1/search/?q=" .. text
  if math.random(2) == 2 then
    path = path .. "&locale=" .. locale
  end
  return wrk.format("GET", path, headers)
end

function request()
  local locale = pick(locales)
  if mode == "attack" then
    return attack_request(locale)
  end
  local text = phrase(locale)
  if mode == "v2" then
    return wrk.format("GET", "/api/v2/pages/?search=" .. text ..
      "&search_operator=or&type=cms.FAQPage&locale=" .. locale)
  end
  return wrk.format("GET", "/api/v1/search/?q=" .. text .. "&locale=" .. locale)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 200 then
    local pattern = mode == "v2" and '"total_count":%s*0%s*[,}]' or '"count":%s*0%s*[,}]'
    if body:find(pattern) then
      empty = empty + 1
    end
  end
end

done = function(summary, latency, requests)
  local zero = 0
  for _, thread in ipairs(threads) do
    zero = zero + (thread:get("empty") or 0)
  end
  bench_json(summary, latency, merged_statuses(threads) .. string.format(',"zero_results":%d', zero))
end
