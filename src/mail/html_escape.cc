#include "mail/html_escape.h"

namespace rapport::mail::html {

void AppendEscaped(std::string& out, std::string_view text) {
  const char* data = text.data();
  const size_t n = text.size();
  size_t start = 0;
  for (size_t i = 0; i < n; ++i) {
    const char* replacement = nullptr;
    switch (data[i]) {
      case '&': replacement = "&amp;"; break;
      case '<': replacement = "&lt;"; break;
      case '>': replacement = "&gt;"; break;
      case '"': replacement = "&quot;"; break;
      case '\'': replacement = "&#39;"; break;
      default: continue;
    }
    out.append(data + start, i - start);
    out.append(replacement);
    start = i + 1;
  }
  out.append(data + start, n - start);
}

void AppendAttribute(std::string& out, std::string_view name, std::string_view value) {
  out.push_back(' ');
  out.append(name);
  out.append("=\"");
  AppendEscaped(out, value);
  out.push_back('"');
}

}  // namespace rapport::mail::html
