#include "mail/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>
#include <mutex>

namespace rapport::mail {
namespace {

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct CharsDeleter {
  void operator()(char* s) const { std::free(s); }  // cmark's default allocator is malloc
};

// The extensions live in a global registry that must be filled once, before the first parser
// looks them up; registering from two threads at once is not safe.
void EnsureExtensions() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

constexpr const char* kExtensions[] = {"table", "strikethrough", "autolink", "tasklist", "tagfilter"};

}  // namespace

std::string RenderMarkdown(std::string_view markdown) {
  EnsureExtensions();
  // CMARK_OPT_UNSAFE is deliberately absent: without it cmark omits raw HTML and dangerous URLs
  // (CMARK_OPT_SAFE is a no-op kept for old callers). The tagfilter extension is a second line of
  // defence should that default ever change.
  const int options = CMARK_OPT_VALIDATE_UTF8;
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(options));
  if (parser == nullptr) return {};
  for (const char* name : kExtensions) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name); ext != nullptr) {
      cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeDeleter> document(cmark_parser_finish(parser.get()));
  if (document == nullptr) return {};
  std::unique_ptr<char, CharsDeleter> html(
      cmark_render_html(document.get(), options, cmark_parser_get_syntax_extensions(parser.get())));
  if (html == nullptr) return {};
  return std::string(html.get());
}

}  // namespace rapport::mail
