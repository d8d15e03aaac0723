#pragma once
// Mustache templates (kainjow) embedded from src/http/web/templates. Values are HTML-escaped by
// `{{name}}`; templates never use the unescaped `{{{name}}}` form, so user text cannot become markup.
// A template whose file name starts with '_' is a partial, available to every template as {{>_name}}.

#include <kainjow/mustache.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace rapport::http::web {

using Data = kainjow::mustache::data;
using List = kainjow::mustache::data;  // built with Data(Data::type::list) and push_back

// Renders templates/<name>.mustache with `data` (an object). A missing or malformed template is a
// programmer error caught by tests; it renders as an error comment instead of a page.
std::string RenderTemplate(std::string_view name, Data data);

// Renders templates/<page>.mustache inside templates/layout.mustache (which includes it as
// {{>content}}).
std::string RenderPage(std::string_view page, Data data);

// The names of all embedded templates and the parse error of each that does not parse (for tests).
std::vector<std::string> TemplateNames();
std::string TemplateError(std::string_view name);

}  // namespace rapport::http::web
