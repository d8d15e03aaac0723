#include "http/web/static_files.h"

#include <httplib.h>

#include "http/web/embedded_files.h"

namespace rapport::http::web {
namespace {

constexpr std::size_t kVersionLength = 8;

std::string_view ContentTypeOf(std::string_view name) {
  auto ends_with = [&](std::string_view ext) { return name.ends_with(ext); };
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  if (ends_with(".svg")) return "image/svg+xml";
  if (ends_with(".png")) return "image/png";
  if (ends_with(".ico")) return "image/x-icon";
  return "application/octet-stream";
}

bool IsHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::string StaticUrl(std::string_view file) {
  const EmbeddedFile* f = FindEmbeddedFile(std::string("static/") + std::string(file));
  const std::size_t dot = file.rfind('.');
  if (f == nullptr || dot == std::string_view::npos) return "/static/" + std::string(file);
  std::string url = "/static/";
  url.append(file.substr(0, dot));
  url.push_back('.');
  url.append(f->sha256.substr(0, kVersionLength));
  url.append(file.substr(dot));
  return url;
}

void ServeStaticFile(RequestContext& ctx) {
  auto it = ctx.path_params.find("file");
  const std::string requested = it == ctx.path_params.end() ? std::string() : it->second;
  // "app.1a2b3c4d.css" -> "app.css" with version "1a2b3c4d"; "app.css" has no version.
  std::string name = requested;
  std::string version;
  const std::size_t ext_dot = requested.rfind('.');
  if (ext_dot != std::string::npos && ext_dot > 0) {
    const std::size_t ver_dot = requested.rfind('.', ext_dot - 1);
    if (ver_dot != std::string::npos) {
      std::string candidate = requested.substr(ver_dot + 1, ext_dot - ver_dot - 1);
      if (candidate.size() == kVersionLength && IsHex(candidate)) {
        version = candidate;
        name = requested.substr(0, ver_dot) + requested.substr(ext_dot);
      }
    }
  }
  const EmbeddedFile* f = name.find('/') == std::string::npos ? FindEmbeddedFile("static/" + name) : nullptr;
  if (f == nullptr) {
    ctx.res.status = 404;
    ctx.res.set_content("Not found\n", "text/plain; charset=utf-8");
    return;
  }
  const bool current = !version.empty() && f->sha256.starts_with(version);
  ctx.res.set_header("Cache-Control", current ? "public, max-age=31536000, immutable" : "no-cache");
  ctx.res.set_header("ETag", "\"" + std::string(f->sha256.substr(0, 16)) + "\"");
  ctx.res.set_header("X-Content-Type-Options", "nosniff");
  ctx.res.status = 200;
  ctx.res.set_content(std::string(f->content), std::string(ContentTypeOf(name)));
}

}  // namespace rapport::http::web
