#include "http/web/form.h"

#include <charconv>

#include <httplib.h>

namespace rapport::http::web {

Form::Form(const httplib::Request& req) {
  const std::string type = req.get_header_value("Content-Type");
  if (type.rfind("application/x-www-form-urlencoded", 0) == 0) {
    httplib::detail::parse_query_text(req.body, fields_);
  } else if (type.rfind("multipart/form-data", 0) == 0) {
    for (const auto& [name, file] : req.files) {
      if (file.filename.empty()) {
        fields_.emplace(name, file.content);
      } else {
        files_.emplace(name, File{file.filename, file.content_type, file.content});
      }
    }
  }
}

std::string Form::Get(const std::string& name) const {
  auto it = fields_.find(name);
  return it == fields_.end() ? std::string() : it->second;
}

std::vector<std::string> Form::GetAll(const std::string& name) const {
  std::vector<std::string> out;
  auto [begin, end] = fields_.equal_range(name);
  for (auto it = begin; it != end; ++it) out.push_back(it->second);
  return out;
}

std::optional<int> Form::Int(const std::string& name, int min, int max) const { return ParseInt(Get(name), min, max); }

std::vector<Form::File> Form::Files(const std::string& name) const {
  std::vector<File> out;
  auto [begin, end] = files_.equal_range(name);
  for (auto it = begin; it != end; ++it) out.push_back(it->second);
  return out;
}

std::string QueryParam(const httplib::Request& req, const std::string& name) {
  // req.params also holds a parsed form body; only the URL's own query counts here.
  auto q = req.target.find('?');
  if (q == std::string::npos) return {};
  httplib::Params params;
  httplib::detail::parse_query_text(req.target.substr(q + 1), params);
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

std::optional<int> ParseInt(std::string_view text, int min, int max) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || v < min || v > max) return std::nullopt;
  return v;
}

std::int64_t ParseId(std::string_view text) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v <= 0) return 0;
  return v;
}

}  // namespace rapport::http::web
