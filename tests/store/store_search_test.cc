// Contract: full-text search over subject, message bodies and the contact, combined with the other
// filters, sorts and pages; hostile input never breaks or changes the query.
#include <algorithm>

#include "store_fixture.h"

namespace rapport::store_test {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class StoreSearchTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    ann_ = Must(session().InsertContact(MakeContact("Annabel Quinn", {"annabel@quinnco.com"}, {"+14155550199"})));
    bob_ = Must(session().InsertContact(MakeContact("Bob Stone", {"bob@stone.io"})));
    invoice_ = AddTicket(ann_, "Invoice for March", {"Please find the attached invoice.", "Paid, thanks!"}, 100);
    printer_ = AddTicket(bob_, "Printer jammed", {"The printer in room 4 is jammed again", "Technician visit booked"},
                         200);
    cafe_ = AddTicket(bob_, "Réunion au café", {"On se voit au café à 10h? 東京 meeting"}, 300);
    quote_ = AddTicket(ann_, "Quote request", {"She said \"hello\" OR goodbye * NEAR(x) -minus col:umn"}, 400);
  }

  template <typename T>
  T Must(Result<T> r) {
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : T{};
  }

  TicketId AddTicket(ContactId contact, const std::string& subject, const std::vector<std::string>& bodies,
                     std::int64_t at) {
    Ticket t = MakeTicket(contact, subject, At(at));
    TicketId id = Must(session().InsertTicket(t)).id;
    for (const auto& b : bodies) EXPECT_TRUE(session().InsertMessage(MakeMessage(id, b, At(at))).ok());
    return id;
  }

  std::vector<TicketId> Search(const std::string& text, app::TicketQuery q = {}) {
    q.text = text;
    auto page = session().ListTickets(q);
    EXPECT_TRUE(page.ok()) << "search '" << text << "': " << page.status().ToString();
    std::vector<TicketId> out;
    if (!page.ok()) return out;
    for (const auto& r : page->items) out.push_back(r.ticket.id);
    auto count = session().CountTickets(q);
    EXPECT_TRUE(count.ok()) << count.status().ToString();
    if (count.ok()) {
      EXPECT_EQ(*count, static_cast<std::int64_t>(out.size())) << text;
    }
    return out;
  }

  ContactId ann_, bob_;
  TicketId invoice_, printer_, cafe_, quote_;
};

TEST_P(StoreSearchTest, FindsBySubjectBodyAndContact) {
  EXPECT_THAT(Search("invoice"), ElementsAre(invoice_));        // subject and body
  EXPECT_THAT(Search("technician"), ElementsAre(printer_));     // second message body
  EXPECT_THAT(Search("Annabel"), ElementsAre(quote_, invoice_));  // contact name, newest activity first
  EXPECT_THAT(Search("bob@stone.io"), ElementsAre(cafe_, printer_));  // contact email
  EXPECT_THAT(Search("quinnco"), ElementsAre(quote_, invoice_));      // a part of an email
  EXPECT_THAT(Search("+1415555"), ElementsAre(quote_, invoice_));     // phone prefix
  EXPECT_TRUE(Search("zebra").empty());
}

TEST_P(StoreSearchTest, WordsArePrefixesAndAllMustMatch) {
  EXPECT_THAT(Search("invo"), ElementsAre(invoice_));
  EXPECT_THAT(Search("PRINT JAM"), ElementsAre(printer_));
  EXPECT_THAT(Search("printer march"), ElementsAre());
  // Words may match in different places of one ticket: subject, a body, the contact.
  EXPECT_THAT(Search("march paid annabel"), ElementsAre(invoice_));
  EXPECT_THAT(Search("jammed bob"), ElementsAre(printer_));
}

TEST_P(StoreSearchTest, UnicodeWords) {
  EXPECT_THAT(Search("café"), ElementsAre(cafe_));
  EXPECT_THAT(Search("réunion"), ElementsAre(cafe_));
  EXPECT_THAT(Search("東京"), ElementsAre(cafe_));
}

TEST_P(StoreSearchTest, HostileInputIsPlainWords) {
  for (const std::string& text : std::vector<std::string>{"\"", "\"hello", "*", "NEAR(", "NEAR(x", "a OR b", "-minus", "col:umn", "'", "\\",
                                 "((", "^", "AND", "NOT", "hello\" OR \"x", "%", "_", "✓", "🙂", "\xff\xfe",
                                 "'; DROP TABLE tickets; --", std::string(3000, 'a')}) {
    auto q = app::TicketQuery{};
    q.text = text;
    auto page = session().ListTickets(q);
    EXPECT_TRUE(page.ok()) << "search '" << text << "': " << page.status().ToString();
    auto count = session().CountTickets(q);
    EXPECT_TRUE(count.ok()) << "count '" << text << "': " << count.status().ToString();
  }
  // Operator words and punctuation are ordinary words: they neither widen nor break the search.
  EXPECT_THAT(Search("\"hello\""), ElementsAre(quote_));
  EXPECT_THAT(Search("hello OR printer"), ElementsAre());  // "or" is a word the quote ticket has, printer is not
  EXPECT_THAT(Search("hello OR goodbye"), ElementsAre(quote_));
  EXPECT_THAT(Search("NEAR(x"), ElementsAre(quote_));
  EXPECT_THAT(Search("-minus"), ElementsAre(quote_));
  EXPECT_THAT(Search("col:umn"), ElementsAre(quote_));
  EXPECT_THAT(Search("printer*"), ElementsAre(printer_));
  // The tables survived the attempt above.
  ASSERT_OK_AND_ASSIGN(std::int64_t all, session().CountTickets({}));
  EXPECT_EQ(all, 4);
}

TEST_P(StoreSearchTest, CombinesWithFiltersSortsAndPages) {
  app::TicketQuery q;
  q.contact_id = ann_;
  EXPECT_THAT(Search("quote", q), ElementsAre(quote_));
  EXPECT_THAT(Search("invoice", q), ElementsAre(invoice_));
  q.contact_id = bob_;
  EXPECT_TRUE(Search("invoice", q).empty());

  // Many matches over several pages, in each sort.
  std::vector<TicketId> matching;
  for (int i = 0; i < 12; ++i) {
    matching.push_back(AddTicket(i % 2 ? ann_ : bob_, "Backup job " + std::to_string(i), {"nightly backup failed"},
                                 1000 + (i % 4)));
  }
  for (auto sort : {app::TicketSort::kLastActivity, app::TicketSort::kNewest, app::TicketSort::kOldest}) {
    app::TicketQuery pq;
    pq.text = "backup fail";
    pq.sort = sort;
    pq.limit = 5;
    std::vector<TicketId> got;
    for (int guard = 0; guard < 10; ++guard) {
      ASSERT_OK_AND_ASSIGN(auto page, session().ListTickets(pq));
      for (const auto& r : page.items) got.push_back(r.ticket.id);
      if (!page.next_cursor) break;
      pq.cursor = *page.next_cursor;
    }
    std::vector<TicketId> sorted_got = got;
    std::sort(sorted_got.begin(), sorted_got.end());
    std::vector<TicketId> want = matching;
    std::sort(want.begin(), want.end());
    EXPECT_EQ(sorted_got, want);  // every match once
    EXPECT_EQ(std::adjacent_find(sorted_got.begin(), sorted_got.end()), sorted_got.end());
  }
  app::TicketQuery count;
  count.text = "backup";
  ASSERT_OK_AND_ASSIGN(std::int64_t n, session().CountTickets(count));
  EXPECT_EQ(n, 12);
}

// Thousands of matches take another plan on SQLite (walk the sort index, check each ticket): the
// order and the pages must be the same.
TEST_P(StoreSearchTest, ManyMatchesKeepOrderAndPages) {
  constexpr int kMany = 3100;
  ASSERT_OK(session().Begin());
  for (int i = 0; i < kMany; ++i) {
    Ticket t = MakeTicket(i % 2 ? ann_ : bob_, "Bulk mailing " + std::to_string(i), At(i));
    t.last_message_at = At(10000 + (i * 7919) % kMany);  // a permutation: activity order differs from ids
    ASSERT_TRUE(session().InsertTicket(t).ok());
  }
  ASSERT_OK(session().Commit());
  app::TicketQuery q;
  q.text = "bulk";
  q.limit = 200;
  ASSERT_OK_AND_ASSIGN(std::int64_t n, session().CountTickets(q));
  EXPECT_EQ(n, kMany);
  Instant previous = At(1000000);
  int seen = 0;
  for (int guard = 0; guard < 100; ++guard) {
    ASSERT_OK_AND_ASSIGN(auto page, session().ListTickets(q));
    for (const auto& r : page.items) {
      EXPECT_LT(r.ticket.last_message_at, previous);  // strictly descending: no repeats, all distinct
      previous = r.ticket.last_message_at;
      ++seen;
    }
    if (!page.next_cursor) break;
    q.cursor = *page.next_cursor;
  }
  EXPECT_EQ(seen, kMany);
}

TEST_P(StoreSearchTest, FollowsUpdatesOfSubjectAndContact) {
  ASSERT_OK_AND_ASSIGN(Ticket t, session().GetTicket(printer_));
  t.subject = "Scanner broken";
  ASSERT_OK(session().UpdateTicket(t));
  EXPECT_THAT(Search("scanner"), ElementsAre(printer_));
  EXPECT_THAT(Search("printer"), ElementsAre(printer_));  // still in a message body
  EXPECT_TRUE(Search("broken jammed technician scanner zebra").empty());

  ASSERT_OK_AND_ASSIGN(Contact bob, session().GetContact(bob_));
  bob.name = "Robert Stone";
  bob.emails = {"robert@stone.io"};
  ASSERT_OK(session().UpdateContact(bob));
  EXPECT_THAT(Search("robert"), UnorderedElementsAre(cafe_, printer_));
  EXPECT_TRUE(Search("bob").empty());
}

// SQLite writes a transaction's search rows at its commit, in rowid order (search.h): whatever order a
// transaction wrote in, its last state is what is found, and a rolled-back one leaves nothing behind.
TEST_P(StoreSearchTest, FindsWhatATransactionCommittedAndNothingOfARolledBackOne) {
  ASSERT_OK(session().Begin(app::TransactionMode::kReadWrite));
  // Messages for tickets in falling id order, and a subject changed twice.
  ASSERT_OK(session().InsertMessage(MakeMessage(quote_, "walrus")).status());
  ASSERT_OK(session().InsertMessage(MakeMessage(invoice_, "walrus ostrich")).status());
  ASSERT_OK_AND_ASSIGN(Ticket cafe, session().GetTicket(cafe_));
  cafe.subject = "Zebra";
  ASSERT_OK(session().UpdateTicket(cafe));
  cafe.subject = "Yak";
  ASSERT_OK(session().UpdateTicket(cafe));
  ASSERT_OK(session().Commit());
  EXPECT_THAT(Search("walrus"), UnorderedElementsAre(invoice_, quote_));
  EXPECT_THAT(Search("ostrich"), ElementsAre(invoice_));
  EXPECT_THAT(Search("yak"), ElementsAre(cafe_));
  EXPECT_TRUE(Search("zebra").empty());
  EXPECT_TRUE(Search("réunion").empty());  // the first subject's word, in no message
  EXPECT_THAT(Search("voit"), ElementsAre(cafe_));  // its message is still found

  ASSERT_OK(session().Begin(app::TransactionMode::kReadWrite));
  ASSERT_OK_AND_ASSIGN(Ticket quokka, session().InsertTicket(MakeTicket(ann_, "Quokka")));
  ASSERT_OK(session().InsertMessage(MakeMessage(printer_, "platypus")).status());
  session().Rollback();
  // The next commit writes its own rows only.
  ASSERT_OK(session().InsertMessage(MakeMessage(printer_, "kiwi")).status());
  EXPECT_THAT(Search("kiwi"), ElementsAre(printer_));
  EXPECT_TRUE(Search("quokka").empty());
  EXPECT_TRUE(Search("platypus").empty());
  EXPECT_EQ(session().GetTicket(quokka.id).status().code(), StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreSearchTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::store_test
