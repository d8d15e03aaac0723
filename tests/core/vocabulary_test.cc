#include "core/vocabulary.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace rapport {
namespace {

template <typename E, typename Parse>
void ExpectRoundTrip(std::span<const E> all, Parse parse, std::size_t expected_count) {
  EXPECT_EQ(all.size(), expected_count);
  std::set<std::string> names;
  for (E e : all) {
    const std::string_view name = Name(e);
    EXPECT_NE(name, "unknown");
    EXPECT_FALSE(name.empty());
    for (char c : name) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << "not snake_case: " << name;
    auto back = parse(name);
    ASSERT_TRUE(back.has_value()) << name;
    EXPECT_EQ(*back, e) << name;
    names.insert(std::string(name));
  }
  EXPECT_EQ(names.size(), all.size()) << "names are unique";
  EXPECT_FALSE(parse("").has_value());
  EXPECT_FALSE(parse("nonsense").has_value());
}

TEST(Vocabulary, TicketStatusesRoundTrip) {
  ExpectRoundTrip<TicketStatus>(AllTicketStatuses(), ParseTicketStatus, 6);
  EXPECT_EQ(Name(TicketStatus::kWaitingOnClient), "waiting_on_client");
  EXPECT_FALSE(ParseTicketStatus("Open").has_value()) << "names are case-sensitive";
}

TEST(Vocabulary, PrioritiesRoundTrip) {
  ExpectRoundTrip<Priority>(AllPriorities(), ParsePriority, 4);
  EXPECT_EQ(Name(Priority::kUrgent), "urgent");
}

TEST(Vocabulary, ChannelsRoundTrip) {
  ExpectRoundTrip<Channel>(AllChannels(), ParseChannel, 6);
  EXPECT_EQ(Name(Channel::kWebForm), "web_form");
}

TEST(Vocabulary, RolesRoundTrip) {
  ExpectRoundTrip<Role>(AllRoles(), ParseRole, 4);
  EXPECT_EQ(Name(Role::kSubcontractor), "subcontractor");
}

TEST(Vocabulary, MessageKindsRoundTrip) {
  for (MessageKind k : {MessageKind::kInbound, MessageKind::kReply, MessageKind::kNote}) {
    auto back = ParseMessageKind(Name(k));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, k);
  }
  EXPECT_EQ(Name(MessageKind::kNote), "note");
  EXPECT_FALSE(ParseMessageKind("email").has_value());
}

TEST(Vocabulary, OpenMeansWorkRemains) {
  EXPECT_TRUE(IsOpen(TicketStatus::kNew));
  EXPECT_TRUE(IsOpen(TicketStatus::kOpen));
  EXPECT_TRUE(IsOpen(TicketStatus::kWaitingOnClient));
  EXPECT_TRUE(IsOpen(TicketStatus::kOnHold));
  EXPECT_FALSE(IsOpen(TicketStatus::kResolved));
  EXPECT_FALSE(IsOpen(TicketStatus::kClosed));
}

}  // namespace
}  // namespace rapport
