#pragma once
// Static files (CSS, JS, htmx) served from the binary under /static/. Each URL carries the first
// characters of the file's SHA-256 ("/static/app.1a2b3c4d.css"), so browsers may cache it for a
// year: a changed file gets a new URL.

#include <string>
#include <string_view>

#include "http/router.h"

namespace rapport::http::web {

// The versioned URL of static/<file>, e.g. StaticUrl("app.css"). A file that is not embedded is a
// programmer error; it yields the unversioned URL, which then answers 404.
std::string StaticUrl(std::string_view file);

// GET /static/{file}: the file with a long cache lifetime when the version matches, or with
// `no-cache` when it is an old or missing version (a page rendered before an upgrade); 404 otherwise.
void ServeStaticFile(RequestContext& ctx);

}  // namespace rapport::http::web
