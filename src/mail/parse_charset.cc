#include "mail/parse_charset.h"
#include "core/identity.h"

#include "core/text_rules.h"
#include "mail/gmime_runtime.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <iterator>
#include <mutex>

namespace rapport::mail {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

void AppendCodePoint(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Unlike rapport::Trim, also drops the quotes around a charset name (charset="utf-8").
std::string_view TrimCharsetName(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '"')) s.remove_suffix(1);
  return s;
}

// Charsets whose ASCII bytes do not mean ASCII (escape-based or multi-byte-unit encodings).
bool IsAsciiCompatible(const std::string& cs) {
  return !(cs.starts_with("utf-7") || cs.starts_with("iso-2022") || cs.starts_with("utf-16") ||
           cs.starts_with("utf-32") || cs.starts_with("ucs-") || cs == "unicode-1-1-utf-7" || cs == "hz-gb-2312");
}

bool IsUndeclared(const std::string& cs) {
  return cs.empty() || cs == "us-ascii" || cs == "ascii" || cs == "unknown-8bit" || cs == "x-unknown" ||
         cs == "unknown" || cs == "default" || cs == "8bit" || cs == "ansi_x3.4-1968" || cs == "iso-646-us";
}

bool IsLatin1Family(const std::string& cs) {
  return cs == "iso-8859-1" || cs == "iso8859-1" || cs == "iso_8859-1" || cs == "latin1" || cs == "latin-1" ||
         cs == "l1" || cs == "windows-1252" || cs == "cp1252" || cs == "x-cp1252" || cs == "cp819" ||
         cs == "ibm819" || cs == "iso-ir-100";
}

// The supersets that Windows mailers really mean when they declare these (as browsers read them).
const char* IconvNameFor(const std::string& cs) {
  if (cs == "gb2312" || cs == "gbk" || cs == "x-gbk" || cs == "cp936" || cs == "euc-cn") return "GB18030";
  if (cs == "shift_jis" || cs == "shift-jis" || cs == "sjis" || cs == "x-sjis" || cs == "ms_kanji") return "CP932";
  if (cs == "euc-kr" || cs == "ks_c_5601-1987" || cs == "ks_c_5601" || cs == "korean") return "CP949";
  if (cs == "tis-620" || cs == "iso-8859-11") return "CP874";
  if (cs == "iso-8859-9" || cs == "latin5") return "CP1254";
  if (cs == "unicode-1-1-utf-7") return "UTF-7";
  return g_mime_charset_iconv_name(cs.c_str());
}

// glibc loads a converter module on iconv_open and unloads it on the last iconv_close, so a parser
// that opens and closes converters per message (as GMime does for headers) spends its time in
// dlopen. Converters for the common mail charsets are opened once and never closed, which keeps
// their modules loaded for every later open in the process.
void PinConvertersOnce() {
  static constexpr const char* kCharsets[] = {
      "ISO-8859-1", "ISO-8859-2", "ISO-8859-15", "CP1250", "CP1251", "CP1252", "KOI8-R", "GB18030",
      "BIG5",       "CP932",      "EUC-JP",      "ISO-2022-JP", "CP949", "UTF-7", "UTF-16"};
  // Held in static storage for the life of the process (and so not a leak to LeakSanitizer).
  static std::array<iconv_t, std::size(kCharsets)> pinned{};
  static std::once_flag once;
  std::call_once(once, [] {
    for (std::size_t i = 0; i < pinned.size(); ++i) pinned[i] = iconv_open("UTF-8", kCharsets[i]);
  });
}

// Converts with iconv; ill-formed input bytes become U+FFFD. Returns false when the charset is unknown.
bool ConvertWithIconv(std::string_view bytes, const std::string& charset, std::string& out, bool& had_errors) {
  EnsureGmime();  // GMime's iconv cache and charset tables exist only after g_mime_init
  iconv_t cd = g_mime_iconv_open("UTF-8", IconvNameFor(charset));
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  out.clear();
  out.reserve(bytes.size() + bytes.size() / 2 + 16);
  std::array<char, 8192> buffer;
  // iconv's interface takes a non-const input pointer but never writes through it.
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  had_errors = false;
  while (true) {
    char* outp = buffer.data();
    std::size_t out_left = buffer.size();
    const std::size_t in_left_before = in_left;
    const std::size_t rc = in_left > 0 ? iconv(cd, &in, &in_left, &outp, &out_left)
                                       : iconv(cd, nullptr, nullptr, &outp, &out_left);  // flush shift state
    const int err = errno;
    out.append(buffer.data(), static_cast<std::size_t>(outp - buffer.data()));
    if (rc != static_cast<std::size_t>(-1)) {
      if (in_left == 0 || in_left == in_left_before) break;  // the second never happens; no endless loop
      continue;
    }
    if (err == E2BIG) continue;
    // EILSEQ (an invalid sequence) or EINVAL (a sequence cut off at the end): skip one byte.
    had_errors = true;
    out += kReplacement;
    if (in_left == 0) break;
    ++in;
    --in_left;
    if (err == EINVAL && in_left == 0) break;
  }
  g_mime_iconv_close(cd);
  return true;
}

DecodedText Guess(std::string_view bytes, std::string_view why) {
  if (IsValidUtf8(bytes)) return {SanitizeUtf8(bytes), std::string(why) + " read as UTF-8"};
  return {SanitizeUtf8(Windows1252ToUtf8(bytes)), std::string(why) + " read as windows-1252"};
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = Utf8SequenceLength(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string Windows1252ToUtf8(std::string_view text) {
  static constexpr std::array<std::uint16_t, 32> kC1 = {
      0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else if (c < 0xA0) {
      AppendCodePoint(out, kC1[c - 0x80]);
    } else {
      AppendCodePoint(out, c);
    }
  }
  return out;
}

std::string SanitizeUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t run = 0;  // start of the pending run of good bytes, appended in one piece
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c != 0 && c < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = c == 0 ? 0 : Utf8SequenceLength(text, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out.append(text.substr(run, i - run));
    if (c != 0) out += kReplacement;
    run = ++i;
  }
  out.append(text.substr(run));
  return out;
}

DecodedText DecodeToUtf8(std::string_view bytes, std::string_view declared_charset) {
  const std::string charset = AsciiLower(TrimCharsetName(declared_charset));
  if (IsAsciiCompatible(charset) && IsAscii(bytes)) return {SanitizeUtf8(bytes), {}};
  if (IsUndeclared(charset)) return Guess(bytes, "undeclared 8-bit text");
  if (charset == "utf-8" || charset == "utf8" || charset == "x-utf-8") {
    if (IsValidUtf8(bytes)) return {SanitizeUtf8(bytes), {}};
    // Mislabelled Latin text has no well-formed multi-byte sequence at all; real UTF-8 with a few
    // broken bytes keeps its characters and loses only the broken ones.
    bool any_multibyte = false;
    for (std::size_t i = 0; i < bytes.size() && !any_multibyte;) {
      const std::size_t n = Utf8SequenceLength(bytes, i);
      any_multibyte = n > 1;
      i += n == 0 ? 1 : n;
    }
    if (!any_multibyte) return {Windows1252ToUtf8(bytes), "text declared as UTF-8 is not; read as windows-1252"};
    return {SanitizeUtf8(bytes), "invalid UTF-8 sequences replaced"};
  }
  if (IsLatin1Family(charset)) return {SanitizeUtf8(Windows1252ToUtf8(bytes)), {}};
  std::string converted;
  bool had_errors = false;
  if (!ConvertWithIconv(bytes, charset, converted, had_errors)) {
    return Guess(bytes, "text in unknown charset \"" + SanitizeUtf8(charset.substr(0, 40)) + "\"");
  }
  DecodedText result{SanitizeUtf8(converted), {}};
  if (had_errors) result.warning = "bytes invalid in " + charset.substr(0, 40) + " replaced";
  return result;
}

void PinCommonConverters() { PinConvertersOnce(); }

std::string HeaderFallbackCharset(std::string_view body_charset) {
  const std::string charset = AsciiLower(TrimCharsetName(body_charset));
  if (IsUndeclared(charset) || IsLatin1Family(charset) || charset == "utf-8" || charset == "utf8") return {};
  if (charset.starts_with("iso-2022-jp")) return "CP932";
  if (!IsAsciiCompatible(charset)) return {};
  return IconvNameFor(charset);
}

}  // namespace rapport::mail
