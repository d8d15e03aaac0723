// The threading rules of core/email_threading.h: which ticket an email joins, and the subject helpers.

#include "core/email_threading.h"

#include <gtest/gtest.h>

namespace rapport {
namespace {

ThreadCandidate Ticket7() {
  ThreadCandidate c;
  c.ticket_id = TicketId(7);
  c.client_id = ClientId(3);
  c.contact_id = ContactId(30);
  c.participants = {ContactId(31)};
  return c;
}

TEST(DecideThread, HeadersJoinWhoeverSends) {
  ThreadingFacts f;
  f.by_headers = Ticket7();
  f.sender.contact_id = ContactId(99);  // a stranger copied on the thread
  const ThreadDecision d = DecideThread(f);
  EXPECT_EQ(d.kind, ThreadDecision::Kind::kJoin);
  EXPECT_EQ(d.ticket_id, TicketId(7));
}

TEST(DecideThread, HeadersWinOverAConflictingSubjectReference) {
  ThreadingFacts f;
  f.by_headers = Ticket7();
  ThreadCandidate other = Ticket7();
  other.ticket_id = TicketId(8);
  f.by_subject = other;
  EXPECT_EQ(DecideThread(f).ticket_id, TicketId(7));
}

TEST(DecideThread, ThreadIndexJoinsWhenHeadersAreMissing) {
  ThreadingFacts f;
  f.by_thread_index = Ticket7();
  const ThreadDecision d = DecideThread(f);
  EXPECT_EQ(d.kind, ThreadDecision::Kind::kJoin);
  EXPECT_EQ(d.ticket_id, TicketId(7));
}

TEST(DecideThread, SubjectReferenceJoinsForRelatedSenders) {
  ThreadingFacts f;
  f.by_subject = Ticket7();
  f.sender.contact_id = ContactId(30);  // the ticket's contact
  EXPECT_EQ(DecideThread(f).kind, ThreadDecision::Kind::kJoin);
  f.sender.contact_id = ContactId(31);  // a participant
  EXPECT_EQ(DecideThread(f).kind, ThreadDecision::Kind::kJoin);
  f.sender = {};
  f.sender.client_id = ClientId(3);  // a colleague at the same client, not yet a contact
  EXPECT_EQ(DecideThread(f).kind, ThreadDecision::Kind::kJoin);
  f.sender = {};
  f.sender.is_team_member = true;
  EXPECT_EQ(DecideThread(f).kind, ThreadDecision::Kind::kJoin);
}

TEST(DecideThread, SubjectReferenceFromAnUnrelatedSenderOpensALinkedTicket) {
  ThreadingFacts f;
  f.by_subject = Ticket7();
  f.sender.contact_id = ContactId(50);
  f.sender.client_id = ClientId(4);  // another client
  ThreadDecision d = DecideThread(f);
  EXPECT_EQ(d.kind, ThreadDecision::Kind::kNewLinkedTicket);
  EXPECT_EQ(d.ticket_id, TicketId(7));
  f.sender = {};  // nobody known at all
  EXPECT_EQ(DecideThread(f).kind, ThreadDecision::Kind::kNewLinkedTicket);
  // A ticket without a client never matches "same client" by accident.
  f.by_subject->client_id.reset();
  EXPECT_EQ(DecideThread(f).kind, ThreadDecision::Kind::kNewLinkedTicket);
}

TEST(DecideThread, NothingMatchesOpensANewTicket) {
  const ThreadDecision d = DecideThread(ThreadingFacts{});
  EXPECT_EQ(d.kind, ThreadDecision::Kind::kNewTicket);
  EXPECT_FALSE(d.ticket_id.has_value());
}

TEST(FindTicketReference, FindsTheFirstWellFormedReference) {
  EXPECT_EQ(FindTicketReference("Re: [#1234] Printer"), 1234);
  EXPECT_EQ(FindTicketReference("[#12][#13]"), 12);
  EXPECT_EQ(FindTicketReference("about [#] and [#x1] then [#5]"), 5);
  EXPECT_FALSE(FindTicketReference("Invoice #1234").has_value());
  EXPECT_FALSE(FindTicketReference("[#0]").has_value());
  EXPECT_FALSE(FindTicketReference("[#12345678901234567890123]").has_value());  // too long for a number
  EXPECT_FALSE(FindTicketReference("[#12").has_value());
  EXPECT_FALSE(FindTicketReference("").has_value());
}

TEST(CleanSubject, StripsReplyPrefixesAndReferences) {
  EXPECT_EQ(CleanSubject("Re: Fwd: [#12] Printer  jammed"), "Printer jammed");
  EXPECT_EQ(CleanSubject("AW: WG: Rechnung"), "Rechnung");
  EXPECT_EQ(CleanSubject("RE[2]: Budget"), "Budget");
  EXPECT_EQ(CleanSubject("re : spaced"), "spaced");
  EXPECT_EQ(CleanSubject("Re：全角"), "全角");
  EXPECT_EQ(CleanSubject("Reply needed"), "Reply needed");  // a word, not a prefix
  EXPECT_EQ(CleanSubject("Tree: oak"), "Tree: oak");
  EXPECT_EQ(CleanSubject(""), "");
  EXPECT_EQ(CleanSubject("Re:"), "");
}

TEST(SubjectWithTicketReference, AddsTheReferenceOnce) {
  EXPECT_EQ(SubjectWithTicketReference(12, "Printer"), "[#12] Printer");
  EXPECT_EQ(SubjectWithTicketReference(12, "Re: [#12] Printer"), "Re: [#12] Printer");
  EXPECT_EQ(SubjectWithTicketReference(12, "Re: Printer"), "[#12] Printer");
  EXPECT_EQ(SubjectWithTicketReference(12, ""), "[#12]");
}

}  // namespace
}  // namespace rapport
