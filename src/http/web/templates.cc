#include "http/web/templates.h"

#include "http/web/embedded_files.h"

namespace rapport::http::web {
namespace {

constexpr std::string_view kPrefix = "templates/";
constexpr std::string_view kSuffix = ".mustache";

std::string TemplateText(std::string_view name) {
  std::string path(kPrefix);
  path.append(name);
  path.append(kSuffix);
  const EmbeddedFile* f = FindEmbeddedFile(path);
  return f == nullptr ? std::string() : std::string(f->content);
}

// Adds every partial (templates/_*.mustache) to the data's top level.
void AddPartials(Data& data) {
  for (const EmbeddedFile& f : EmbeddedFiles()) {
    if (!f.name.starts_with(kPrefix) || !f.name.ends_with(kSuffix)) continue;
    std::string_view name = f.name.substr(kPrefix.size(), f.name.size() - kPrefix.size() - kSuffix.size());
    if (!name.starts_with('_')) continue;
    std::string text(f.content);
    data.set(std::string(name), kainjow::mustache::partial([text] { return text; }));
  }
}

}  // namespace

std::string RenderTemplate(std::string_view name, Data data) {
  const std::string text = TemplateText(name);
  if (text.empty()) return "<!-- missing template -->";
  kainjow::mustache::mustache tmpl(text);
  if (!tmpl.is_valid()) return "<!-- template error -->";
  AddPartials(data);
  return tmpl.render(data);
}

std::string RenderPage(std::string_view page, Data data) {
  std::string body = TemplateText(page);
  data.set("content", kainjow::mustache::partial([body] { return body; }));
  return RenderTemplate("layout", std::move(data));
}

std::vector<std::string> TemplateNames() {
  std::vector<std::string> names;
  for (const EmbeddedFile& f : EmbeddedFiles()) {
    if (f.name.starts_with(kPrefix) && f.name.ends_with(kSuffix)) {
      names.emplace_back(f.name.substr(kPrefix.size(), f.name.size() - kPrefix.size() - kSuffix.size()));
    }
  }
  return names;
}

std::string TemplateError(std::string_view name) {
  kainjow::mustache::mustache tmpl(TemplateText(name));
  return tmpl.is_valid() ? std::string() : tmpl.error_message();
}

}  // namespace rapport::http::web
