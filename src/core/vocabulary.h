#pragma once
// The closed sets of the domain and their stable wire/storage names (snake_case, as in the API).
// Parse* returns nullopt for a name that is not in the set; callers turn that into a field error.

#include <optional>
#include <span>
#include <string_view>

namespace rapport {

enum class TicketStatus { kNew, kOpen, kWaitingOnClient, kOnHold, kResolved, kClosed };
enum class Priority { kLow, kNormal, kHigh, kUrgent };
enum class Channel { kEmail, kPhone, kSms, kWebForm, kSocial, kApi };
enum class MessageKind { kInbound, kReply, kNote };
// Owner and admin run the business; agents work every ticket; subcontractors see only their own
// tickets and no money figures.
enum class Role { kOwner, kAdmin, kAgent, kSubcontractor };

std::string_view Name(TicketStatus v);
std::string_view Name(Priority v);
std::string_view Name(Channel v);
std::string_view Name(MessageKind v);
std::string_view Name(Role v);

std::optional<TicketStatus> ParseTicketStatus(std::string_view s);
std::optional<Priority> ParsePriority(std::string_view s);
std::optional<Channel> ParseChannel(std::string_view s);
std::optional<MessageKind> ParseMessageKind(std::string_view s);
std::optional<Role> ParseRole(std::string_view s);

std::span<const TicketStatus> AllTicketStatuses();
std::span<const Priority> AllPriorities();
std::span<const Channel> AllChannels();
std::span<const Role> AllRoles();

// Open means work remains: new, open, waiting on client, on hold.
bool IsOpen(TicketStatus s);

}  // namespace rapport
