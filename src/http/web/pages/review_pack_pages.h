#pragma once
// Review packs in the web UI (app/review_packs.h), staff only: the "Review packs" panel of a client
// page, listing the client's packs, and /clients/{id}/review-packs/{pack_id} showing one pack, its
// Markdown rendered by the same safe renderer as the team's replies (mail/markdown.h).

#include "core/permissions.h"
#include "http/router.h"
#include "http/server.h"
#include "http/web/templates.h"

namespace rapport::http::web {

// The panel's data (_client_review_packs.mustache): review_packs [{url, meeting, prepared}],
// has_review_packs. Nothing listed when the packs cannot be read.
void AddReviewPackListData(Data& d, const HttpDeps& deps, const Actor& actor, ClientId client, const std::string& zone);

void AddReviewPackPages(Router& router, const HttpDeps& deps);

}  // namespace rapport::http::web
