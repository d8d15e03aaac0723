#pragma once
// Errors as RFC 9457 problem details (application/problem+json), and the one table that maps the
// app's StatusCode to an HTTP status. Every error the API returns goes through here.

#include <map>
#include <string>

#include "core/status.h"

namespace httplib {
struct Response;
}

namespace rapport::http {

// The HTTP status for each StatusCode. The only place this mapping exists.
int HttpStatusFor(StatusCode code);

// Writes a problem+json body: {"type", "title", "status", "detail", "errors": {field: message}}.
// `errors` is left out when empty.
void SendProblem(httplib::Response& res, int http_status, const std::string& detail,
                 const std::map<std::string, std::string>& errors = {});

// A non-OK app Status as problem+json, with its field errors.
void SendStatus(httplib::Response& res, const Status& status);

// A plain HTML error page for the web UI (404, 405, 403, 500): the title and one escaped sentence.
void SendErrorPage(httplib::Response& res, int http_status, const std::string& detail);

// The reason phrase for an HTTP status ("Not Found").
const char* ReasonPhrase(int http_status);

// Escapes & < > " ' for HTML text and attribute values.
std::string EscapeHtml(const std::string& text);

}  // namespace rapport::http
