#include "mail/html_tree.h"

#include "mail/html_nesting_guard.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace rapport::mail::html {

namespace {
constexpr size_t kFirstBlockBytes = 64 * 1024;
constexpr size_t kArenaCapBytes = 64 * 1024 * 1024;
constexpr size_t kAlignment = alignof(std::max_align_t);
// Freshly mapped memory costs a page fault per 4 KB on first touch, which was a fifth of the parse time;
// each thread keeps a few blocks from its last parse for the next one (imports parse message after
// message on the same worker thread).
constexpr size_t kSpareBytesPerThread = 8 * 1024 * 1024;
}  // namespace

struct ParsedHtml::SparePool {
  std::vector<Block> blocks;
  size_t bytes = 0;
};

ParsedHtml::SparePool& ParsedHtml::Spares() {
  thread_local SparePool pool;
  return pool;
}

ParsedHtml::ParsedHtml(std::string_view html) : options_(kGumboDefaultOptions) {
  options_.allocator = &ParsedHtml::Allocate;
  options_.deallocator = &ParsedHtml::Deallocate;
  options_.userdata = this;
  // Gumbo stops *recording* errors at this count but keeps parsing.
  options_.max_errors = 0;
  const std::string_view limited = LimitNesting(html, limited_input_);
  output_ = gumbo_parse_with_options(&options_, limited.data(), limited.size());
}

ParsedHtml::~ParsedHtml() {
  // Only blocks that came from malloc need gumbo's walk over the tree; arena memory goes with blocks_.
  if (used_malloc_ && output_ != nullptr) gumbo_destroy_output(&options_, output_);
  SparePool& spares = Spares();
  for (Block& block : blocks_) {
    if (spares.bytes + block.size > kSpareBytesPerThread) break;
    spares.bytes += block.size;
    spares.blocks.push_back(std::move(block));
  }
}

void* ParsedHtml::Allocate(void* self_pointer, size_t size) {
  auto& self = *static_cast<ParsedHtml*>(self_pointer);
  size = (size + kAlignment - 1) / kAlignment * kAlignment;
  if (size == 0) size = kAlignment;
  if (size > self.left_) {
    const size_t next = self.blocks_.empty() ? kFirstBlockBytes : self.blocks_.back().size * 2;
    const size_t block_bytes = std::max(next, size);
    if (self.arena_bytes_ + block_bytes > kArenaCapBytes) {
      self.used_malloc_ = true;
      void* memory = std::malloc(size);
      if (memory == nullptr) std::abort();  // gumbo cannot report allocation failure either
      return memory;
    }
    self.blocks_.push_back(TakeBlock(block_bytes));
    self.arena_bytes_ += self.blocks_.back().size;
    self.cursor_ = reinterpret_cast<char*>(self.blocks_.back().memory.get());
    self.left_ = self.blocks_.back().size;
  }
  void* result = self.cursor_;
  self.cursor_ += size;
  self.left_ -= size;
  return result;
}

ParsedHtml::Block ParsedHtml::TakeBlock(size_t min_bytes) {
  SparePool& spares = Spares();
  for (size_t i = 0; i < spares.blocks.size(); ++i) {
    if (spares.blocks[i].size >= min_bytes) {
      Block block = std::move(spares.blocks[i]);
      spares.blocks.erase(spares.blocks.begin() + static_cast<std::ptrdiff_t>(i));
      spares.bytes -= block.size;
      return block;
    }
  }
  const size_t units = (min_bytes + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t);
  auto memory = std::make_unique_for_overwrite<std::max_align_t[]>(units);
  const auto begin = reinterpret_cast<std::uintptr_t>(memory.get());
  return Block{std::move(memory), begin, units * sizeof(std::max_align_t)};
}

void ParsedHtml::Deallocate(void* self_pointer, void* pointer) {
  const auto& self = *static_cast<const ParsedHtml*>(self_pointer);
  // Until the cap is reached every block is arena memory: the common case costs one branch.
  if (!self.used_malloc_ || pointer == nullptr || self.InArena(pointer)) return;
  std::free(pointer);
}

bool ParsedHtml::InArena(const void* pointer) const {
  // Blocks double in size, so there are at most a dozen of them.
  const auto address = reinterpret_cast<std::uintptr_t>(pointer);
  for (const Block& block : blocks_) {
    if (address >= block.begin && address < block.begin + block.size) return true;
  }
  return false;
}

std::unique_ptr<ParsedHtml> ParseHtml(std::string_view html) { return std::make_unique<ParsedHtml>(html); }

const GumboNode& BodyOf(const GumboOutput& output) {
  const GumboNode* root = output.root;
  if (root->type != GUMBO_NODE_ELEMENT) return *root;
  const GumboVector& children = root->v.element.children;
  for (unsigned int i = 0; i < children.length; ++i) {
    const auto* child = static_cast<const GumboNode*>(children.data[i]);
    if (child->type == GUMBO_NODE_ELEMENT && child->v.element.tag == GUMBO_TAG_BODY) return *child;
  }
  return *root;
}

const char* AttributeValue(const GumboElement& element, const char* name) {
  const GumboAttribute* attribute = gumbo_get_attribute(&element.attributes, name);
  return attribute == nullptr ? nullptr : attribute->value;
}

}  // namespace rapport::mail::html
