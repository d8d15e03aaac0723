#pragma once
// The agent writes replies in Markdown; mail clients want HTML. This renders GitHub-flavoured
// Markdown (tables, strikethrough, autolinks, task lists) to an HTML fragment that is safe to send:
// the agent's text may contain pasted HTML or links copied from a hostile message, and neither may
// turn into live markup in the customer's mail client.

#include <string>
#include <string_view>

namespace rapport::mail {

// The HTML fragment (block elements, no <html>/<body>) for `markdown`, UTF-8.
// Safe rendering: raw HTML blocks and inline tags are replaced by an HTML comment and never passed
// through; links and images with javascript:, vbscript:, file: or (non-image) data: URLs get an empty
// target. Invalid UTF-8 is replaced by U+FFFD. Never fails; thread-safe.
std::string RenderMarkdown(std::string_view markdown);

}  // namespace rapport::mail
