#pragma once
// How API handlers answer: JSON bodies (filtered for the actor's role in one place), problem+json
// errors, and the parsing of path and query parameters into values or field errors.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "http/router.h"

namespace rapport::http::api {

// Money figures are objects {"amount_minor": ..., "currency": ...} (DESIGN.md's API conventions).
// Every member whose value is such an object is removed, at any depth, for an actor who may not see
// money (CanSeeMoney). SendJson calls it, so no handler can forget it.
void HideMoneyFrom(const Actor& actor, nlohmann::json& body);

// Sends `body` as application/json with `http_status`, after HideMoneyFrom.
void SendJson(RequestContext& ctx, int http_status, nlohmann::json body);

// Sends a non-OK status as problem+json. Returns true when it did (status not OK).
bool SendIfError(RequestContext& ctx, const Status& status);

// A positive decimal id ("42") that fits int64; nullopt for anything else.
std::optional<std::int64_t> ParsePositiveId(std::string_view text);

// The {name} path parameter as a positive id; kInvalidArgument naming the parameter otherwise.
Result<std::int64_t> PathId(const RequestContext& ctx, const std::string& name = "id");

// Query-string parameters, read like JsonFields: every bad or unknown parameter is reported.
class QueryParams {
 public:
  explicit QueryParams(const RequestContext& ctx);
  std::optional<std::string> String(const std::string& name);
  std::optional<std::int64_t> Id(const std::string& name);
  std::optional<Instant> Time(const std::string& name);
  // 1..200, default 50.
  int Limit();
  // A comma-separated list; empty items are dropped.
  std::vector<std::string> List(const std::string& name);
  void Error(const std::string& name, const std::string& message) { errors_.emplace(name, message); }
  Status Finish();

 private:
  const RequestContext& ctx_;
  std::set<std::string> known_;
  std::map<std::string, std::string> errors_;
};

// A page of items as {"items": [...], "next_cursor": "..." | null}.
template <typename T, typename F>
nlohmann::json PageJson(const std::vector<T>& items, const std::optional<std::string>& next_cursor, F to_json) {
  nlohmann::json out = {{"items", nlohmann::json::array()}, {"next_cursor", nullptr}};
  for (const auto& item : items) out["items"].push_back(to_json(item));
  if (next_cursor) out["next_cursor"] = *next_cursor;
  return out;
}

}  // namespace rapport::http::api
