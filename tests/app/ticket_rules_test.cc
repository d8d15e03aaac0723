#include "app/ticket_rules.h"

#include <gtest/gtest.h>

namespace rapport::app {
namespace {

using std::chrono::hours;

const Instant kT0 = InstantFromUnix(1'795'359'845);

Ticket TicketIn(TicketStatus s) {
  Ticket t;
  t.status = s;
  t.created_at = kT0;
  t.last_message_at = kT0;
  return t;
}

TEST(MoveToStatus, ResolvingStampsResolvedAt) {
  Ticket t = TicketIn(TicketStatus::kOpen);
  MoveToStatus(t, TicketStatus::kResolved, kT0 + hours(1));
  EXPECT_EQ(t.status, TicketStatus::kResolved);
  EXPECT_EQ(t.resolved_at, kT0 + hours(1));
  EXPECT_FALSE(t.closed_at.has_value());
}

TEST(MoveToStatus, ClosingStampsBothWhenNotResolvedBefore) {
  Ticket t = TicketIn(TicketStatus::kOpen);
  MoveToStatus(t, TicketStatus::kClosed, kT0 + hours(2));
  EXPECT_EQ(t.closed_at, kT0 + hours(2));
  EXPECT_EQ(t.resolved_at, kT0 + hours(2));
}

TEST(MoveToStatus, ClosingKeepsAnEarlierResolution) {
  Ticket t = TicketIn(TicketStatus::kOpen);
  MoveToStatus(t, TicketStatus::kResolved, kT0 + hours(1));
  MoveToStatus(t, TicketStatus::kClosed, kT0 + hours(5));
  EXPECT_EQ(t.resolved_at, kT0 + hours(1));
  EXPECT_EQ(t.closed_at, kT0 + hours(5));
}

TEST(MoveToStatus, ReopeningClearsResolvedAndClosed) {
  for (TicketStatus open : {TicketStatus::kNew, TicketStatus::kOpen, TicketStatus::kWaitingOnClient, TicketStatus::kOnHold}) {
    Ticket t = TicketIn(TicketStatus::kOpen);
    MoveToStatus(t, TicketStatus::kClosed, kT0 + hours(1));
    MoveToStatus(t, open, kT0 + hours(2));
    EXPECT_EQ(t.status, open);
    EXPECT_FALSE(t.resolved_at.has_value()) << Name(open);
    EXPECT_FALSE(t.closed_at.has_value()) << Name(open);
  }
}

TEST(MoveToStatus, ResolvingAgainKeepsTheFirstStamp) {
  Ticket t = TicketIn(TicketStatus::kOpen);
  MoveToStatus(t, TicketStatus::kResolved, kT0 + hours(1));
  MoveToStatus(t, TicketStatus::kResolved, kT0 + hours(3));
  EXPECT_EQ(t.resolved_at, kT0 + hours(1));
}

TEST(MoveToStatus, ClosedToResolvedClearsClosedAt) {
  Ticket t = TicketIn(TicketStatus::kOpen);
  MoveToStatus(t, TicketStatus::kClosed, kT0 + hours(1));
  MoveToStatus(t, TicketStatus::kResolved, kT0 + hours(2));
  EXPECT_FALSE(t.closed_at.has_value());
  EXPECT_TRUE(t.resolved_at.has_value());
}

TEST(ApplyMessage, ReplyOpensANewTicketAndMovesLastMessage) {
  Ticket t = TicketIn(TicketStatus::kNew);
  ApplyMessageToTicket(t, MessageKind::kReply, kT0 + hours(1));
  EXPECT_EQ(t.status, TicketStatus::kOpen);
  EXPECT_EQ(t.last_message_at, kT0 + hours(1));
}

TEST(ApplyMessage, ReplyLeavesOtherStatusesAlone) {
  Ticket t = TicketIn(TicketStatus::kOnHold);
  ApplyMessageToTicket(t, MessageKind::kReply, kT0 + hours(1));
  EXPECT_EQ(t.status, TicketStatus::kOnHold);
}

TEST(ApplyMessage, NoteChangesNeitherStatusNorLastMessage) {
  Ticket t = TicketIn(TicketStatus::kNew);
  ApplyMessageToTicket(t, MessageKind::kNote, kT0 + hours(1));
  EXPECT_EQ(t.status, TicketStatus::kNew);
  EXPECT_EQ(t.last_message_at, kT0);
}

TEST(ApplyMessage, InboundReopensWaitingResolvedAndClosed) {
  for (TicketStatus s : {TicketStatus::kWaitingOnClient, TicketStatus::kResolved, TicketStatus::kClosed}) {
    Ticket t = TicketIn(TicketStatus::kOpen);
    MoveToStatus(t, s, kT0);
    ApplyMessageToTicket(t, MessageKind::kInbound, kT0 + hours(1));
    EXPECT_EQ(t.status, TicketStatus::kOpen) << Name(s);
    EXPECT_FALSE(t.resolved_at.has_value());
    EXPECT_FALSE(t.closed_at.has_value());
    EXPECT_EQ(t.last_message_at, kT0 + hours(1));
  }
}

TEST(ApplyMessage, InboundKeepsNewAndOnHold) {
  for (TicketStatus s : {TicketStatus::kNew, TicketStatus::kOnHold, TicketStatus::kOpen}) {
    Ticket t = TicketIn(s);
    ApplyMessageToTicket(t, MessageKind::kInbound, kT0 + hours(1));
    EXPECT_EQ(t.status, s);
    EXPECT_EQ(t.last_message_at, kT0 + hours(1));
  }
}

TEST(OpenStatuses, AreTheStatusesWithWorkLeft) {
  EXPECT_EQ(OpenStatuses(), (std::vector<TicketStatus>{TicketStatus::kNew, TicketStatus::kOpen,
                                                       TicketStatus::kWaitingOnClient, TicketStatus::kOnHold}));
}

}  // namespace
}  // namespace rapport::app
