#pragma once
// Escaping for HTML we write ourselves. Internal to rapport_mail.

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

namespace rapport::mail::html {

// An append-only byte buffer for the sanitiser's output. std::string would do, but every append goes
// through half a dozen out-of-line calls in the unoptimised (sanitizer) build, which made writing the
// output cost more than parsing the input; this is one call and a memcpy.
class HtmlBuffer {
 public:
  void Append(const char* data, size_t size) {
    if (size > capacity_ - size_) Grow(size);
    std::memcpy(data_ + size_, data, size);
    size_ += size;
  }
  void Append(std::string_view text) { Append(text.data(), text.size()); }
  void Append(char c) {
    if (size_ == capacity_) Grow(1);
    data_[size_++] = c;
  }
  size_t size() const { return size_; }
  // Forgets everything written after `size` (which must not exceed size()).
  void Truncate(size_t size) { size_ = size < size_ ? size : size_; }
  void Reserve(size_t size) {
    if (size > capacity_) Grow(size - size_);
  }
  std::string Take() {
    storage_.resize(size_);
    data_ = nullptr;
    size_ = capacity_ = 0;
    return std::move(storage_);
  }

 private:
  void Grow(size_t extra) {
    storage_.resize(std::max(capacity_ * 2, size_ + extra + 256));
    data_ = storage_.data();
    capacity_ = storage_.size();
  }

  std::string storage_;
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// Appends `text` escaped for an element's content: & < > (and quotes, so the same text is also safe in
// an attribute value).
void AppendEscaped(std::string& out, std::string_view text);
void AppendEscaped(HtmlBuffer& out, std::string_view text);

// Appends ` name="value"` with the value escaped.
void AppendAttribute(std::string& out, std::string_view name, std::string_view value);
void AppendAttribute(HtmlBuffer& out, std::string_view name, std::string_view value);

}  // namespace rapport::mail::html
