#include "http/common/problem.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

namespace rapport::http {
namespace {

// A stable URI per kind of problem. RFC 9457 allows a URN; clients match on it instead of on text.
std::string ProblemType(int http_status) {
  switch (http_status) {
    case 400: return "urn:rapport:problem:invalid-request";
    case 401: return "urn:rapport:problem:unauthenticated";
    case 403: return "urn:rapport:problem:forbidden";
    case 404: return "urn:rapport:problem:not-found";
    case 405: return "urn:rapport:problem:method-not-allowed";
    case 409: return "urn:rapport:problem:conflict";
    case 413: return "urn:rapport:problem:body-too-large";
    case 415: return "urn:rapport:problem:unsupported-media-type";
    case 422: return "urn:rapport:problem:idempotency-key-reused";
    case 429: return "urn:rapport:problem:too-many-requests";
    case 503: return "urn:rapport:problem:unavailable";
    default: return http_status >= 500 ? "urn:rapport:problem:internal" : "about:blank";
  }
}

}  // namespace

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kConflict: return 409;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kInternal: return 500;
  }
  return 500;  // unreachable for a valid enum value; a corrupt one is a bug
}

const char* ReasonPhrase(int http_status) {
  switch (http_status) {
    case 200: return "OK";
    case 201: return "Created";
    case 303: return "See Other";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return http_status >= 500 ? "Server Error" : "Error";
  }
}

void SendProblem(httplib::Response& res, int http_status, const std::string& detail,
                 const std::map<std::string, std::string>& errors) {
  nlohmann::json body = {
      {"type", ProblemType(http_status)},
      {"title", ReasonPhrase(http_status)},
      {"status", http_status},
      {"detail", detail},
  };
  if (!errors.empty()) body["errors"] = errors;
  res.status = http_status;
  // `replace` keeps the text valid UTF-8 even when the detail quotes a client's bad bytes.
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/problem+json");
}

void SendStatus(httplib::Response& res, const Status& status) {
  SendProblem(res, HttpStatusFor(status.code()), status.message(), status.field_errors());
}

std::string EscapeHtml(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

void SendErrorPage(httplib::Response& res, int http_status, const std::string& detail) {
  const std::string title = std::to_string(http_status) + " " + ReasonPhrase(http_status);
  res.status = http_status;
  res.set_content("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title +
                      "</title></head>\n<body><h1>" + title + "</h1>\n<p>" + EscapeHtml(detail) +
                      "</p>\n<p><a href=\"/\">Back to the inbox</a></p></body></html>\n",
                  "text/html; charset=utf-8");
}

}  // namespace rapport::http
