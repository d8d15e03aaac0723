#pragma once
// Strong integer ids: a ClientId is not a TicketId. Ids are assigned by the store; 0 means "not yet stored".

#include <compare>
#include <cstdint>
#include <functional>

namespace rapport {

template <typename Tag>
struct Id {
  std::int64_t value = 0;
  constexpr Id() = default;
  constexpr explicit Id(std::int64_t v) : value(v) {}
  constexpr bool valid() const { return value > 0; }
  friend constexpr auto operator<=>(const Id&, const Id&) = default;
};

using WorkspaceId = Id<struct WorkspaceTag>;
using ClientId = Id<struct ClientTag>;
using ContactId = Id<struct ContactTag>;
using UserId = Id<struct UserTag>;
using TicketId = Id<struct TicketTag>;
using MessageId = Id<struct MessageTag>;
using AttachmentId = Id<struct AttachmentTag>;
using MailboxId = Id<struct MailboxTag>;
using OutboxId = Id<struct OutboxTag>;

}  // namespace rapport

template <typename Tag>
struct std::hash<rapport::Id<Tag>> {
  std::size_t operator()(const rapport::Id<Tag>& id) const noexcept { return std::hash<std::int64_t>{}(id.value); }
};
