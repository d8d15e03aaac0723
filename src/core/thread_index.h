#pragma once
// Outlook's Thread-Index header (the base64 form of MAPI's PidTagConversationIndex, [MS-OXOMSG]
// 2.2.1.3). Pure: the caller brings the time and the random bytes. Outlook and Exchange group a conversation by it, and some Outlook replies carry it
// without usable In-Reply-To/References, so Rapport both writes it and matches on it.
//
// Layout: a 22-byte header block, then one 5-byte child block per reply or forward.
//   header = the 48 most significant bits of the FILETIME (100 ns since 1601-01-01 UTC) at which
//            the thread began, big-endian (its first byte is 0x01 for every date from 1972 to 2057,
//            which the specification calls the "reserved" byte), then a 16-byte GUID.
//   child  = 1 bit delta code, 31 bits time delta, 4 bits random, 4 bits sequence count.
//            The delta is measured from the time of the previous block (the header's for the first
//            child). Delta code 0: the delta's bits 18..48 (steps of ~26 ms, up to ~1.78 years);
//            code 1: its bits 23..53 (steps of ~0.84 s, up to ~57 years; longer deltas saturate).
// This is what Outlook writes in practice (e.g. "AdQc2DN7rLoS3hgnE/O76rpFzxN/EwAddF4A": header time
// 2018-07-16 07:40:00.28 UTC, one child 14:03:22.5 later). Some other writers put a literal 0x01
// before 40 bits of time; such values still parse and keep their first 22 bytes as their root.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace rapport {

inline constexpr std::size_t kThreadIndexHeaderBytes = 22;
inline constexpr std::size_t kThreadIndexChildBytes = 5;

// The Thread-Index of a new thread started at `now` with `guid`: 22 bytes, as padded base64
// (32 characters). Deterministic.
std::string MakeThreadIndex(Instant now, std::span<const std::uint8_t, 16> guid);

// `parent` (a Thread-Index as received or sent, base64; whitespace from folding is ignored) with
// one child block for a message written at `now` appended. `random` fills the 4 random bits (its
// low nibble is used); the sequence count is the number of existing child blocks modulo 16.
// Deterministic. nullopt when `parent` is not a valid Thread-Index.
std::optional<std::string> AppendThreadIndexChild(std::string_view parent, Instant now, std::uint8_t random);

// The thread's identity: the 22-byte header block, as padded base64 — exactly the Thread-Index of
// the thread's first message, so it can be stored once and compared with the root of any later
// Thread-Index. nullopt when the value is not a valid Thread-Index.
std::optional<std::string> ThreadIndexRoot(std::string_view thread_index_base64);

// A Thread-Index taken apart, for tests and diagnostics.
struct ThreadIndexParts {
  std::uint64_t header_filetime = 0;         // 100 ns units since 1601-01-01 UTC (low 16 bits are 0)
  std::array<std::uint8_t, 16> guid{};       // as stored (Data1..3 big-endian)
  std::vector<std::uint64_t> child_filetimes;  // each child's time, header + deltas so far
  std::vector<std::uint8_t> child_low_bytes;   // each child's random/sequence byte
};

// nullopt unless the value is base64 of 22 + 5n bytes.
std::optional<ThreadIndexParts> ParseThreadIndex(std::string_view thread_index_base64);

// FILETIME for an instant (clamped to the representable range), and back (whole seconds, truncated).
std::uint64_t FiletimeFromInstant(Instant t);
Instant InstantFromFiletime(std::uint64_t filetime);

}  // namespace rapport
