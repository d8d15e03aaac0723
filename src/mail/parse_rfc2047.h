#pragma once
// A repair for GMime 3.2's RFC 2047 decoder, applied to raw header values before GMime reads them.
// GMime joins the payloads of adjacent encoded words of one charset before decoding them (right for
// Q words, where it mends characters split between words), but does the same with B words, and a
// base64 payload ends at its '=' padding: "=?UTF-8?B?w6Q=?= =?UTF-8?B?w7Y=?=" decodes to "ä", not
// "äö". Outlook and Apple Mail split long subjects, names and filenames into exactly such words.

#include <string>
#include <string_view>

namespace rapport::mail {

// True when `raw` holds at least one B-encoded word ("=?cs?B?...?=").
bool HasBEncodedWord(std::string_view raw);

// `raw` with every B-encoded word rewritten as the equivalent Q-encoded word (same charset and
// bytes), so that joining adjacent payloads is harmless. Everything else is left as it is.
std::string BEncodedWordsAsQ(std::string_view raw);

}  // namespace rapport::mail
