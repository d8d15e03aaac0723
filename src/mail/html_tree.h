#pragma once
// The one place that owns gumbo: parse a byte string into a tree that frees itself, and walk that tree
// without recursion (mail can nest thousands of levels deep and must not exhaust the stack).
// Used by html_text.cc, html_sanitize.cc and html_quote_fold.cc; not a public API of rapport_mail.

#include <gumbo.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace rapport::mail::html {

// A parsed document. Gumbo allocates a small block for every token, node and string; here those come from
// an arena that is dropped in one piece, which makes parsing about twice as fast under ASan and frees
// the tree in no time. The arena is capped (hostile mail can be large); beyond the cap gumbo's
// allocations go to malloc and are released through gumbo_destroy_output.
class ParsedHtml {
 public:
  explicit ParsedHtml(std::string_view html);
  ~ParsedHtml();
  ParsedHtml(const ParsedHtml&) = delete;
  ParsedHtml& operator=(const ParsedHtml&) = delete;

  const GumboOutput& output() const { return *output_; }

 private:
  static void* Allocate(void* self, size_t size);
  static void Deallocate(void* self, void* pointer);
  bool InArena(const void* pointer) const;

  struct Block {
    std::unique_ptr<std::max_align_t[]> memory;
    std::uintptr_t begin;  // memory's address, for InArena
    size_t size;           // bytes
  };
  struct SparePool;
  static SparePool& Spares();
  static Block TakeBlock(size_t min_bytes);

  std::vector<Block> blocks_;
  char* cursor_ = nullptr;
  size_t left_ = 0;
  size_t arena_bytes_ = 0;
  bool used_malloc_ = false;
  // The input after LimitNesting, when it had to change it; gumbo's original_* pieces point into it.
  std::string limited_input_;
  GumboOptions options_;
  GumboOutput* output_ = nullptr;
};

// Parses a whole document the way a browser would (implied <html>/<head>/<body>, misnested tags fixed,
// entities decoded), after LimitNesting (html_nesting_guard.h) so that hostile nesting cannot make it
// slow. Never fails: gumbo turns any byte string into some tree. Parse errors are not recorded (nobody
// reads them, and hostile mail can produce millions). The tree's original_* pieces point into `html`,
// which must outlive the result.
std::unique_ptr<ParsedHtml> ParseHtml(std::string_view html);

// The <body> element of a parsed document, or the root when gumbo produced none (it always does, but
// the caller need not rely on it).
const GumboNode& BodyOf(const GumboOutput& output);

// The value of an attribute (already entity-decoded), or nullptr when absent.
const char* AttributeValue(const GumboElement& element, const char* name);

// Visits every node below `root` (not `root` itself) in document order. `enter(node)` returns whether to
// descend into the node's children; `leave(node)` runs once for every node `enter` saw, after its
// children when it was descended into, so enter/leave always pair up.
template <typename Enter, typename Leave>
void WalkChildren(const GumboNode& root, Enter&& enter, Leave&& leave);

// ---- implementation of the template ----

namespace internal {
inline const GumboVector* ChildrenOf(const GumboNode& node) {
  if (node.type == GUMBO_NODE_ELEMENT || node.type == GUMBO_NODE_TEMPLATE) return &node.v.element.children;
  if (node.type == GUMBO_NODE_DOCUMENT) return &node.v.document.children;
  return nullptr;
}
}  // namespace internal

template <typename Enter, typename Leave>
void WalkChildren(const GumboNode& root, Enter&& enter, Leave&& leave) {
  struct Frame {
    const GumboNode* node;
    unsigned int next_child;
  };
  std::vector<Frame> stack;
  stack.push_back({&root, 0});
  while (!stack.empty()) {
    Frame& top = stack.back();
    const GumboVector* children = internal::ChildrenOf(*top.node);
    if (children == nullptr || top.next_child >= children->length) {
      const GumboNode* done = top.node;
      stack.pop_back();
      if (done != &root) leave(*done);
      continue;
    }
    const auto* child = static_cast<const GumboNode*>(children->data[top.next_child]);
    ++top.next_child;
    if (enter(*child) && internal::ChildrenOf(*child) != nullptr) {
      stack.push_back({child, 0});
    } else {
      leave(*child);
    }
  }
}

}  // namespace rapport::mail::html
