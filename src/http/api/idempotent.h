#pragma once
// Idempotency-Key support for API writes (DESIGN.md, API conventions). Wraps a handler so that:
//   - without the header, the handler runs as usual;
//   - a key not seen before for this user runs the handler and keeps its response (any status
//     below 500: a validation error is as final as a success, a server error may be retried);
//   - the same key with the same request (method, target, body) replays the kept response, marked
//     with the header Idempotency-Replayed: true, and changes nothing;
//   - the same key with a different request is refused with 422, naming the mistake.
// Keys are 1 to 255 visible ASCII characters (a UUID is typical).

#include <functional>

#include "app/idempotency.h"
#include "http/router.h"

namespace rapport::http::api {

std::function<void(RequestContext&)> Idempotent(app::IdempotencyKeys& keys,
                                                std::function<void(RequestContext&)> handler);

}  // namespace rapport::http::api
