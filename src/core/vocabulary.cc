#include "core/vocabulary.h"

#include <array>
#include <utility>

namespace rapport {
namespace {

template <typename E, std::size_t N>
using Table = std::array<std::pair<E, std::string_view>, N>;

constexpr Table<TicketStatus, 6> kStatuses{{{TicketStatus::kNew, "new"},
                                            {TicketStatus::kOpen, "open"},
                                            {TicketStatus::kWaitingOnClient, "waiting_on_client"},
                                            {TicketStatus::kOnHold, "on_hold"},
                                            {TicketStatus::kResolved, "resolved"},
                                            {TicketStatus::kClosed, "closed"}}};
constexpr Table<Priority, 4> kPriorities{
    {{Priority::kLow, "low"}, {Priority::kNormal, "normal"}, {Priority::kHigh, "high"}, {Priority::kUrgent, "urgent"}}};
constexpr Table<Channel, 6> kChannels{{{Channel::kEmail, "email"},
                                       {Channel::kPhone, "phone"},
                                       {Channel::kSms, "sms"},
                                       {Channel::kWebForm, "web_form"},
                                       {Channel::kSocial, "social"},
                                       {Channel::kApi, "api"}}};
constexpr Table<MessageKind, 3> kKinds{
    {{MessageKind::kInbound, "inbound"}, {MessageKind::kReply, "reply"}, {MessageKind::kNote, "note"}}};
constexpr Table<Role, 4> kRoles{{{Role::kOwner, "owner"},
                                 {Role::kAdmin, "admin"},
                                 {Role::kAgent, "agent"},
                                 {Role::kSubcontractor, "subcontractor"}}};

template <typename E, std::size_t N>
std::string_view NameIn(const Table<E, N>& table, E v) {
  for (const auto& [e, name] : table) {
    if (e == v) return name;
  }
  return "unknown";  // unreachable: every enumerator is in its table (checked by vocabulary_test)
}

template <typename E, std::size_t N>
std::optional<E> ParseIn(const Table<E, N>& table, std::string_view s) {
  for (const auto& [e, name] : table) {
    if (name == s) return e;
  }
  return std::nullopt;
}

template <typename E, std::size_t N>
constexpr std::array<E, N> Values(const Table<E, N>& table) {
  std::array<E, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = table[i].first;
  return out;
}

constexpr auto kStatusValues = Values(kStatuses);
constexpr auto kPriorityValues = Values(kPriorities);
constexpr auto kChannelValues = Values(kChannels);
constexpr auto kRoleValues = Values(kRoles);

}  // namespace

std::string_view Name(TicketStatus v) { return NameIn(kStatuses, v); }
std::string_view Name(Priority v) { return NameIn(kPriorities, v); }
std::string_view Name(Channel v) { return NameIn(kChannels, v); }
std::string_view Name(MessageKind v) { return NameIn(kKinds, v); }
std::string_view Name(Role v) { return NameIn(kRoles, v); }

std::optional<TicketStatus> ParseTicketStatus(std::string_view s) { return ParseIn(kStatuses, s); }
std::optional<Priority> ParsePriority(std::string_view s) { return ParseIn(kPriorities, s); }
std::optional<Channel> ParseChannel(std::string_view s) { return ParseIn(kChannels, s); }
std::optional<MessageKind> ParseMessageKind(std::string_view s) { return ParseIn(kKinds, s); }
std::optional<Role> ParseRole(std::string_view s) { return ParseIn(kRoles, s); }

std::span<const TicketStatus> AllTicketStatuses() { return kStatusValues; }
std::span<const Priority> AllPriorities() { return kPriorityValues; }
std::span<const Channel> AllChannels() { return kChannelValues; }
std::span<const Role> AllRoles() { return kRoleValues; }

bool IsOpen(TicketStatus s) { return s != TicketStatus::kResolved && s != TicketStatus::kClosed; }

}  // namespace rapport
