#include "http/api/idempotent.h"

#include <httplib.h>

#include "http/common/problem.h"
#include "security/digest.h"

namespace rapport::http::api {
namespace {

constexpr std::size_t kMaxKeyChars = 255;

bool ValidKey(const std::string& key) {
  if (key.empty() || key.size() > kMaxKeyChars) return false;
  for (unsigned char c : key) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

std::string Fingerprint(const httplib::Request& req) {
  return req.method + " " + req.target + " " + security::Sha256Hex(req.body);
}

}  // namespace

std::function<void(RequestContext&)> Idempotent(app::IdempotencyKeys& keys,
                                                std::function<void(RequestContext&)> handler) {
  return [&keys, handler = std::move(handler)](RequestContext& ctx) {
    if (!ctx.req.has_header("Idempotency-Key") || !ctx.actor) {
      handler(ctx);
      return;
    }
    const std::string key = ctx.req.get_header_value("Idempotency-Key");
    if (!ValidKey(key)) {
      SendProblem(ctx.res, 400, "the Idempotency-Key header must be 1 to 255 visible ASCII characters, such as a UUID",
                  {{"Idempotency-Key", "must be 1 to 255 visible ASCII characters"}});
      return;
    }
    const std::string fingerprint = Fingerprint(ctx.req);
    auto found = keys.Find(ctx.actor->id, key);
    if (!found.ok()) {
      SendStatus(ctx.res, found.status());
      return;
    }
    if (found->has_value()) {
      const app::IdempotencyRecord& first = **found;
      if (first.request_fingerprint != fingerprint) {
        SendProblem(ctx.res, 422,
                    "this Idempotency-Key was already used for a different request; send a new key for a new "
                    "request, or repeat the first request exactly to get its response again",
                    {{"Idempotency-Key", "was used for a different request"}});
        return;
      }
      ctx.res.status = first.http_status;
      ctx.res.set_header("Idempotency-Replayed", "true");
      ctx.res.set_content(first.response_body, first.http_status >= 400 ? "application/problem+json" : "application/json");
      return;
    }
    handler(ctx);
    if (ctx.res.status >= 500 || ctx.res.status < 200) return;
    app::IdempotencyRecord record;
    record.user_id = ctx.actor->id;
    record.key = key;
    record.request_fingerprint = fingerprint;
    record.http_status = ctx.res.status;
    record.response_body = ctx.res.body;
    // kAlreadyExists: a concurrent retry stored its (equivalent) response first. Either way this
    // response has been produced; losing the race must not turn it into an error.
    (void)keys.Remember(std::move(record));
  };
}

}  // namespace rapport::http::api
