#include "core/thread_index.h"

#include "core/base64.h"

#include <algorithm>
#include <limits>

namespace rapport {
namespace {

constexpr std::int64_t kUnixToFiletimeSeconds = 11644473600;  // 1601-01-01 to 1970-01-01
constexpr std::uint64_t kTicksPerSecond = 10'000'000;
// A child's delta fits code 0 (bits 18..48) below this; above it, code 1 (bits 23..53) is used.
constexpr std::uint64_t kShortDeltaLimit = std::uint64_t{1} << 49;
constexpr std::uint32_t kDeltaMask = 0x7FFF'FFFF;

// The Thread-Index works on bytes; core/base64 on strings of bytes.
std::string Base64Encode(std::span<const std::uint8_t> bytes) {
  return EncodeBase64(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::optional<std::vector<std::uint8_t>> Base64Decode(std::string_view text) {
  std::optional<std::string> bytes = DecodeBase64(text);
  if (!bytes) return std::nullopt;
  return std::vector<std::uint8_t>(bytes->begin(), bytes->end());
}

bool IsThreadIndexLength(std::size_t n) {
  return n >= kThreadIndexHeaderBytes && (n - kThreadIndexHeaderBytes) % kThreadIndexChildBytes == 0;
}

std::uint64_t ReadBigEndian(std::span<const std::uint8_t> bytes) {
  std::uint64_t v = 0;
  for (std::uint8_t b : bytes) v = (v << 8) | b;
  return v;
}

// The time of the latest block: the header's plus every child's delta. Saturates rather than wraps.
std::uint64_t LatestFiletime(std::span<const std::uint8_t> bytes, std::vector<std::uint64_t>* child_times,
                             std::vector<std::uint8_t>* child_low_bytes) {
  std::uint64_t t = ReadBigEndian(bytes.subspan(0, 6)) << 16;
  for (std::size_t i = kThreadIndexHeaderBytes; i + kThreadIndexChildBytes <= bytes.size();
       i += kThreadIndexChildBytes) {
    const auto word = static_cast<std::uint32_t>(ReadBigEndian(bytes.subspan(i, 4)));
    const std::uint64_t value = word & kDeltaMask;
    const std::uint64_t delta = (word >> 31) == 0 ? value << 18 : value << 23;
    t = delta > std::numeric_limits<std::uint64_t>::max() - t ? std::numeric_limits<std::uint64_t>::max()
                                                                 : t + delta;
    if (child_times != nullptr) child_times->push_back(t);
    if (child_low_bytes != nullptr) child_low_bytes->push_back(bytes[i + 4]);
  }
  return t;
}

}  // namespace

std::uint64_t FiletimeFromInstant(Instant t) {
  const std::int64_t seconds = ToUnix(t);
  constexpr auto kMaxSeconds =
      static_cast<std::int64_t>(std::numeric_limits<std::uint64_t>::max() / kTicksPerSecond) - kUnixToFiletimeSeconds;
  if (seconds <= -kUnixToFiletimeSeconds) return 0;
  if (seconds >= kMaxSeconds) return std::numeric_limits<std::uint64_t>::max();
  return static_cast<std::uint64_t>(seconds + kUnixToFiletimeSeconds) * kTicksPerSecond;
}

Instant InstantFromFiletime(std::uint64_t filetime) {
  return InstantFromUnix(static_cast<std::int64_t>(filetime / kTicksPerSecond) - kUnixToFiletimeSeconds);
}

std::string MakeThreadIndex(Instant now, std::span<const std::uint8_t, 16> guid) {
  std::array<std::uint8_t, kThreadIndexHeaderBytes> bytes{};
  const std::uint64_t filetime = FiletimeFromInstant(now);
  for (int i = 0; i < 6; ++i) bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(filetime >> (56 - 8 * i));
  std::copy(guid.begin(), guid.end(), bytes.begin() + 6);
  return Base64Encode(bytes);
}

std::optional<std::string> AppendThreadIndexChild(std::string_view parent, Instant now, std::uint8_t random) {
  std::optional<std::vector<std::uint8_t>> bytes = Base64Decode(parent);
  if (!bytes || !IsThreadIndexLength(bytes->size())) return std::nullopt;
  const std::size_t children = (bytes->size() - kThreadIndexHeaderBytes) / kThreadIndexChildBytes;
  const std::uint64_t previous = LatestFiletime(*bytes, nullptr, nullptr);
  const std::uint64_t current = FiletimeFromInstant(now);
  // A clock behind the parent's (skew between machines) gives a zero delta, never a negative one.
  const std::uint64_t delta = current > previous ? current - previous : 0;
  std::uint32_t word = 0;
  if (delta < kShortDeltaLimit) {
    word = static_cast<std::uint32_t>(delta >> 18) & kDeltaMask;
  } else {
    word = 0x8000'0000U | static_cast<std::uint32_t>(std::min<std::uint64_t>(delta >> 23, kDeltaMask));
  }
  for (int i = 0; i < 4; ++i) bytes->push_back(static_cast<std::uint8_t>(word >> (24 - 8 * i)));
  bytes->push_back(static_cast<std::uint8_t>(((random & 0x0F) << 4) | (children & 0x0F)));
  return Base64Encode(*bytes);
}

std::optional<std::string> ThreadIndexRoot(std::string_view thread_index_base64) {
  std::optional<std::vector<std::uint8_t>> bytes = Base64Decode(thread_index_base64);
  if (!bytes || !IsThreadIndexLength(bytes->size())) return std::nullopt;
  return Base64Encode(std::span<const std::uint8_t>(bytes->data(), kThreadIndexHeaderBytes));
}

std::optional<ThreadIndexParts> ParseThreadIndex(std::string_view thread_index_base64) {
  std::optional<std::vector<std::uint8_t>> bytes = Base64Decode(thread_index_base64);
  if (!bytes || !IsThreadIndexLength(bytes->size())) return std::nullopt;
  ThreadIndexParts parts;
  parts.header_filetime = ReadBigEndian(std::span<const std::uint8_t>(bytes->data(), 6)) << 16;
  std::copy_n(bytes->begin() + 6, parts.guid.size(), parts.guid.begin());
  LatestFiletime(*bytes, &parts.child_filetimes, &parts.child_low_bytes);
  return parts;
}

}  // namespace rapport
