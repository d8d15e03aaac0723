#include "app/ports/email_records.h"

#include <array>
#include <utility>

namespace rapport::app {
namespace {

// One table per enum: the name of each value, in both directions.
template <typename E, std::size_t N>
std::string_view NameIn(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> ParseIn(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<AutoReplyKind, std::string_view>, 4> kAutoReplyNames{{
    {AutoReplyKind::kNone, "none"},
    {AutoReplyKind::kAutoReply, "auto_reply"},
    {AutoReplyKind::kBulk, "bulk"},
    {AutoReplyKind::kBounce, "bounce"},
}};
constexpr std::array<std::pair<TransportSecurity, std::string_view>, 3> kSecurityNames{{
    {TransportSecurity::kTls, "tls"},
    {TransportSecurity::kStartTls, "starttls"},
    {TransportSecurity::kNone, "none"},
}};
constexpr std::array<std::pair<OutboxState, std::string_view>, 4> kOutboxStateNames{{
    {OutboxState::kQueued, "queued"},
    {OutboxState::kSending, "sending"},
    {OutboxState::kSent, "sent"},
    {OutboxState::kFailed, "failed"},
}};
constexpr std::array<std::pair<OutboxPurpose, std::string_view>, 2> kPurposeNames{{
    {OutboxPurpose::kReply, "reply"},
    {OutboxPurpose::kAutomatic, "automatic"},
}};

}  // namespace

std::string_view AutoReplyKindName(AutoReplyKind k) { return NameIn(kAutoReplyNames, k); }
std::optional<AutoReplyKind> ParseAutoReplyKind(std::string_view s) { return ParseIn(kAutoReplyNames, s); }
std::string_view TransportSecurityName(TransportSecurity s) { return NameIn(kSecurityNames, s); }
std::optional<TransportSecurity> ParseTransportSecurity(std::string_view s) { return ParseIn(kSecurityNames, s); }
std::string_view OutboxStateName(OutboxState s) { return NameIn(kOutboxStateNames, s); }
std::optional<OutboxState> ParseOutboxState(std::string_view s) { return ParseIn(kOutboxStateNames, s); }
std::string_view OutboxPurposeName(OutboxPurpose p) { return NameIn(kPurposeNames, p); }
std::optional<OutboxPurpose> ParseOutboxPurpose(std::string_view s) { return ParseIn(kPurposeNames, s); }

}  // namespace rapport::app
