// Review packs: the client page's list and the page of one pack.
#include "http/web/pages/review_pack_pages.h"

#include <httplib.h>

#include <string>

#include "app/review_packs.h"
#include "http/web/form.h"
#include "http/web/page.h"
#include "http/web/view_format.h"
#include "mail/markdown.h"

namespace rapport::http::web {
namespace {

std::string PackUrl(const app::ReviewPack& p) {
  return "/clients/" + std::to_string(p.client_id.value) + "/review-packs/" + std::to_string(p.id.value);
}

void ShowReviewPack(RequestContext& ctx, const HttpDeps& deps) {
  const ClientId client(PathId(ctx));
  app::ReviewPacks packs(deps.pool);
  auto pack = packs.Get(*ctx.actor, ReviewPackId(PathId(ctx, "pack_id")));
  if (pack.ok() && pack->client_id != client) pack = Status::NotFound("no such review pack for this client");
  if (!pack.ok()) {
    SendStatusPage(ctx, pack.status());
    return;
  }
  auto c = deps.desk.GetClient(*ctx.actor, client);
  if (!c.ok()) {
    SendStatusPage(ctx, c.status());
    return;
  }
  const std::string zone = ViewerZone(ctx);
  Data d = FrameData(ctx, "Review pack: " + c->name, "clients");
  d.set("client_name", c->name);
  d.set("client_url", "/clients/" + std::to_string(client.value));
  d.set("meeting", LocalTime(pack->meeting_at, zone));
  d.set("prepared", LocalTime(pack->created_at, zone));
  d.set("zone", zone);
  // The renderer escapes text and drops raw HTML and unsafe links; the pack's outside text was
  // escaped as Markdown when it was prepared.
  d.set("body_html", mail::RenderMarkdown(pack->body));
  SendPage(ctx, 200, "review_pack", std::move(d));
}

}  // namespace

void AddReviewPackListData(Data& d, const HttpDeps& deps, const Actor& actor, ClientId client,
                           const std::string& zone) {
  app::ReviewPacks packs(deps.pool);
  auto list = packs.List(actor, client);
  Data items(Data::type::list);
  if (list.ok()) {
    for (const app::ReviewPack& p : *list) {
      Data item;
      item.set("url", PackUrl(p));
      item.set("meeting", LocalTime(p.meeting_at, zone));
      item.set("prepared", LocalTime(p.created_at, zone));
      items.push_back(item);
    }
  }
  d.set("review_packs", items);
  d.set("has_review_packs", list.ok() && !list->empty());
}

void AddReviewPackPages(Router& router, const HttpDeps& deps) {
  router.Add(Route{"GET", "/clients/{id}/review-packs/{pack_id}", Auth::kCookie, Access::kStaff,
                   "A review pack prepared for a client's annual review",
                   [deps](RequestContext& ctx) { ShowReviewPack(ctx, deps); }});
}

}  // namespace rapport::http::web
