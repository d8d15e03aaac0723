// libFuzzer target for GmimeEmailParser::Parse: any bytes in, a result or a clean error out, never a
// crash, a leak, undefined behaviour or a hang. Built by run-fuzz.sh with clang and sanitizers.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mail/gmime_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const rapport::mail::GmimeEmailParser parser([] {
    rapport::app::EmailLimits limits;
    limits.max_attachment_bytes = 64 << 10;  // also exercise the omitted-attachment path
    return limits;
  }());
  rapport::Result<rapport::app::InboundEmail> result =
      parser.Parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (result.ok()) {
    // Touch what callers read, so that sanitizers see any bad memory behind it.
    std::size_t total = result->text.size() + result->html.size() + result->subject.size();
    for (const auto& a : result->attachments) total += a.filename.size() + a.data.size();
    if (total == static_cast<std::size_t>(-1)) return 1;
  }
  return 0;
}
