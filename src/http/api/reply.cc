#include "http/api/reply.h"

#include <httplib.h>

#include <charconv>
#include <limits>

#include "app/ports/store.h"
#include "core/identity.h"
#include "http/common/problem.h"

namespace rapport::http::api {
namespace {

bool IsMoney(const nlohmann::json& v) { return v.is_object() && v.contains("amount_minor"); }

void StripMoney(nlohmann::json& v) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end();) {
      if (IsMoney(*it)) {
        it = v.erase(it);
      } else {
        StripMoney(*it);
        ++it;
      }
    }
  } else if (v.is_array()) {
    for (auto& item : v) StripMoney(item);
  }
}

}  // namespace

std::optional<std::int64_t> ParsePositiveId(std::string_view text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value <= 0) return std::nullopt;
  return value;
}

void HideMoneyFrom(const Actor& actor, nlohmann::json& body) {
  if (!CanSeeMoney(actor)) StripMoney(body);
}

void SendJson(RequestContext& ctx, int http_status, nlohmann::json body) {
  if (ctx.actor) HideMoneyFrom(*ctx.actor, body);
  ctx.res.status = http_status;
  ctx.res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

bool SendIfError(RequestContext& ctx, const Status& status) {
  if (status.ok()) return false;
  SendStatus(ctx.res, status);
  return true;
}

Result<std::int64_t> PathId(const RequestContext& ctx, const std::string& name) {
  auto it = ctx.path_params.find(name);
  const std::string text = it == ctx.path_params.end() ? "" : it->second;
  auto id = ParsePositiveId(text);
  if (!id) {
    return Status::FieldError(name, "must be a positive integer id (up to 9223372036854775807), not \"" +
                                        text.substr(0, 40) + "\"");
  }
  return *id;
}

QueryParams::QueryParams(const RequestContext& ctx) : ctx_(ctx) {}

std::optional<std::string> QueryParams::String(const std::string& name) {
  known_.insert(name);
  if (!ctx_.req.has_param(name)) return std::nullopt;
  if (ctx_.req.get_param_value_count(name) > 1) {
    Error(name, "is given more than once; give it once");
    return std::nullopt;
  }
  return ctx_.req.get_param_value(name);
}

std::optional<std::int64_t> QueryParams::Id(const std::string& name) {
  auto text = String(name);
  if (!text) return std::nullopt;
  auto id = ParsePositiveId(*text);
  if (!id) Error(name, "must be a positive integer id");
  return id;
}

std::optional<Instant> QueryParams::Time(const std::string& name) {
  auto text = String(name);
  if (!text) return std::nullopt;
  auto t = ParseRfc3339(*text);
  if (!t) Error(name, "must be an RFC 3339 time such as 2026-11-22T15:04:05Z, or a date such as 2026-11-22");
  return t;
}

int QueryParams::Limit() {
  auto text = String("limit");
  if (!text) return 50;
  auto n = ParsePositiveId(*text);
  if (!n || *n > app::kMaxPageSize) {
    Error("limit", "must be an integer from 1 to " + std::to_string(app::kMaxPageSize));
    return 50;
  }
  return static_cast<int>(*n);
}

std::vector<std::string> QueryParams::List(const std::string& name) {
  std::vector<std::string> out;
  auto text = String(name);
  if (!text) return out;
  std::size_t start = 0;
  while (start <= text->size()) {
    std::size_t end = text->find(',', start);
    if (end == std::string::npos) end = text->size();
    std::string item(Trim(std::string_view(*text).substr(start, end - start)));
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

Status QueryParams::Finish() {
  for (const auto& [name, value] : ctx_.req.params) {
    if (known_.count(name) == 0) errors_.emplace(name, "is not a known query parameter");
  }
  return InvalidFields("invalid query parameters", errors_);
}

}  // namespace rapport::http::api
