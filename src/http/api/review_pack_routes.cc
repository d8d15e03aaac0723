// Review packs over the API: a client's list, and one pack with its body.
#include "http/api/review_pack_routes.h"

#include <httplib.h>

#include <memory>

#include "app/review_packs.h"
#include "http/api/reply.h"
#include "mail/markdown.h"

namespace rapport::http::api {
namespace {

using nlohmann::json;

json SummaryJson(const app::ReviewPack& p) {
  return {{"id", p.id.value},
          {"client_id", p.client_id.value},
          {"meeting_id", p.meeting_id.value},
          {"meeting_at", FormatRfc3339(p.meeting_at)},
          {"created_at", FormatRfc3339(p.created_at)}};
}

void ListPacks(app::ReviewPacks& packs, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  auto list = packs.List(*ctx.actor, ClientId(*id));
  if (SendIfError(ctx, list.status())) return;
  SendJson(ctx, 200, PageJson(*list, std::nullopt, SummaryJson));
}

void GetPack(app::ReviewPacks& packs, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  auto pack = packs.Get(*ctx.actor, ReviewPackId(*id));
  if (SendIfError(ctx, pack.status())) return;
  json body = SummaryJson(*pack);
  body["body"] = pack->body;
  body["body_html"] = mail::RenderMarkdown(pack->body);
  SendJson(ctx, 200, std::move(body));
}

}  // namespace

void AddReviewPackRoutes(Router& router, ReviewPackApiDeps deps) {
  // Shared by the handlers, which live as long as the router (std::function must be copyable).
  auto packs = std::make_shared<app::ReviewPacks>(deps.pool);
  router.Add({"GET", "/api/v1/clients/{id}/review-packs", Auth::kBearer, Access::kStaff,
              "The client's review packs, the latest meeting first (without their bodies)",
              [packs](RequestContext& ctx) { ListPacks(*packs, ctx); }});
  router.Add({"GET", "/api/v1/review-packs/{id}", Auth::kBearer, Access::kStaff,
              "A review pack: its Markdown body and the body rendered to safe HTML",
              [packs](RequestContext& ctx) { GetPack(*packs, ctx); }});
}

}  // namespace rapport::http::api
