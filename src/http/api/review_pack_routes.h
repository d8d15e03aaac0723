#pragma once
// Review packs over the API (app/review_packs.h), staff only:
//   GET /api/v1/clients/{id}/review-packs  the client's packs, latest meeting first, without bodies
//   GET /api/v1/review-packs/{id}          one pack: its Markdown body and the body as safe HTML

#include "app/session_pool.h"
#include "http/router.h"

namespace rapport::http::api {

struct ReviewPackApiDeps {
  app::SessionPool& pool;
};
void AddReviewPackRoutes(Router& router, ReviewPackApiDeps deps);

}  // namespace rapport::http::api
