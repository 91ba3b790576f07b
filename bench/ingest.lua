-- wrk script: realistic, varied tracker events (client IP via X-Forwarded-For from a trusted proxy).
math.randomseed(42)
local agents = {
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 YaBrowser/25.8.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:144.0) Gecko/20100101 Firefox/144.0",
}
local paths = { "/", "/pricing", "/catalog/shoes", "/catalog/bags", "/product/1042", "/blog/autumn-trends", "/checkout" }
local referrers = { "", "", "https://www.google.com/", "https://yandex.ru/search/?text=x", "https://t.me/shop", "https://vk.com/" }
local tags = { "", "", "", "?utm_source=newsletter&utm_medium=email", "?utm_source=yandex&utm_medium=cpc&yclid=1" }

request = function()
  local ip = math.random(1, 223) .. "." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)
  local name = math.random() < 0.9 and "pageview" or "Signup"
  local body = '{"n":"' .. name .. '","u":"https://bench.example' .. paths[math.random(#paths)] .. tags[math.random(#tags)] ..
    '","d":"bench.example","r":"' .. referrers[math.random(#referrers)] .. '","w":' .. math.random(360, 1920) .. '}'
  return wrk.format("POST", nil, {
    ["Content-Type"] = "text/plain",
    ["User-Agent"] = agents[math.random(#agents)],
    ["X-Forwarded-For"] = ip,
  }, body)
end
