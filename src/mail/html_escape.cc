#include "mail/html_escape.h"

namespace rapport::mail::html {
namespace {

const char* Replacement(char c) {
  switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return nullptr;
  }
}

template <typename Out>
void Escape(Out& out, std::string_view text) {
  const char* data = text.data();
  const size_t n = text.size();
  size_t start = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = data[i];
    if (c != '&' && c != '<' && c != '>' && c != '"' && c != '\'') continue;
    out.append(data + start, i - start);
    out.append(Replacement(c));
    start = i + 1;
  }
  out.append(data + start, n - start);
}

// Adapts HtmlBuffer to the std::string calls Escape makes.
struct BufferAppender {
  HtmlBuffer& buffer;
  void append(const char* data, size_t size) { buffer.Append(data, size); }
  void append(const char* text) { buffer.Append(std::string_view(text)); }
};

template <typename Out>
void Attribute(Out& out, std::string_view name, std::string_view value) {
  out.append(" ", 1);
  out.append(name.data(), name.size());
  out.append("=\"", 2);
  Escape(out, value);
  out.append("\"", 1);
}

}  // namespace

void AppendEscaped(std::string& out, std::string_view text) { Escape(out, text); }

void AppendEscaped(HtmlBuffer& out, std::string_view text) {
  BufferAppender appender{out};
  Escape(appender, text);
}

void AppendAttribute(std::string& out, std::string_view name, std::string_view value) { Attribute(out, name, value); }

void AppendAttribute(HtmlBuffer& out, std::string_view name, std::string_view value) {
  BufferAppender appender{out};
  Attribute(appender, name, value);
}

}  // namespace rapport::mail::html
