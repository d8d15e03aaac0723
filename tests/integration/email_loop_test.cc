// The email loop end to end, in process, against the real test servers (scripts/run-tests starts
// Dovecot and the SMTP sink; skipped when RAPPORT_TEST_IMAP_* / RAPPORT_TEST_SMTP_* are not set):
// a client's mail APPENDed to a Dovecot folder -> MailFetcher -> a ticket; an agent's reply ->
// OutboxWorker -> the SMTP sink, checked header by header; the client's answer -> the same ticket.
// Then the cases that break help desks: reply-all from a CC'd person, Outlook replies with only
// Thread-Index, a guessed "[#N]" from a stranger, one mail in two mailboxes, an agent forwarding a
// client's mail, auto-replies, bounces, refused and deferred sends, and never sending twice.
//
// Every test has its own SQLite database, its own IMAP folder(s) and its own mailbox address, and
// finds its sent mail in the shared sink by Message-ID.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <ctime>
#include <functional>
#include <map>
#include <stdexcept>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/accounts.h"
#include "app/desk.h"
#include "app/email_outbox.h"
#include "app/mail_fetch.h"
#include "app/session_pool.h"
#include "app/unit_of_work.h"
#include "app/auto_followups.h"
#include "app/promise_alerts.h"
#include "support/instant_literal.h"
#include "core/thread_index.h"
#include "mail/curl_imap.h"
#include "mail/curl_smtp_sender.h"
#include "mail/gmime_composer.h"
#include "mail/gmime_parser.h"
#include "support/mail_servers.h"
#include "support/outbox_reads.h"
#include "support/test_database.h"

namespace rapport::app {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::At;
using testing::MailServers;
using testing::SinkMessage;
using testing::TestMail;

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) throw std::runtime_error(what + ": " + r.status().ToString());
  return std::move(r).value();
}

void MustOk(const Status& s, const std::string& what) {
  if (!s.ok()) throw std::runtime_error(what + ": " + s.ToString());
}

class EmailLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto servers = MailServers::FromEnvironment();
    if (!servers) GTEST_SKIP() << MailServers::kSkipReason;
    servers_ = *servers;
    auto db = testing::TestDatabase::Sqlite();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    pool_ = std::make_unique<SessionPool>(db_->store());
    desk_ = std::make_unique<Desk>(*pool_, clock_);
    AccountsOptions cheap;
    cheap.argon_ops = 1;
    cheap.argon_mem_bytes = 8192;
    Accounts accounts(*pool_, clock_, cheap);
    owner_ = Must(accounts.CreateUser(nullptr, {"owner@desk.test", "Olivia Owner", Role::kOwner, "UTC",
                                                "owner password 1"}),
                  "owner");
    const Actor by_owner{owner_.id, owner_.role};
    agent_ = Must(accounts.CreateUser(&by_owner, {"agent@desk.test", "Ada Agent", Role::kAgent, "UTC",
                                                  "agent password 1"}),
                  "agent");
    ClientFields acme;
    acme.name = "Acme";
    acme.email_domains = std::vector<std::string>{"acme.test"};
    acme_ = Must(desk_->CreateClient(by_owner, acme), "client");
    fetcher_ = std::make_unique<MailFetcher>(*pool_, clock_, connector_, parser_);
    outbox_ = std::make_unique<OutboxWorker>(*pool_, clock_, composer_, sender_);
    // The tests count the mail people write; AnAcknowledgementLeavesOverSmtpInTheClientsThread turns
    // acknowledgements back on.
    SetAcknowledgements(false);
  }

  void SetAcknowledgements(bool on) {
    Workspace w = Must(desk_->GetWorkspace(Actor{owner_.id, owner_.role}), "workspace");
    w.name = "Acme Support";
    w.acknowledge_requests = on;
    Must(desk_->UpdateWorkspace(Actor{owner_.id, owner_.role}, w), "acknowledgements");
  }
  void TearDown() override {
    outbox_.reset();
    fetcher_.reset();
    desk_.reset();
    pool_.reset();
    db_.reset();
  }

  // A new folder and a mailbox fetching it; its address is unique to the test.
  MailboxId AddMailbox(const std::string& what, std::string* folder_out = nullptr,
                       const std::string& local = "support") {
    const std::string folder = Must(servers_.NewFolder(what), "create folder");
    Mailbox m;
    m.name = local;
    m.address = local + "@rapport.test";
    m.display_name = "Acme Support";
    m.is_default = local == "support";
    m.fetch_enabled = true;
    m.imap = servers_.Imap(folder);
    m.smtp = servers_.Smtp();
    const MailboxId id = Must(InTransaction(*pool_, [&](StoreSession& s) { return s.InsertMailbox(m); }), "mailbox");
    folders_[id.value] = folder;
    if (folder_out) *folder_out = folder;
    return id;
  }

  void Deliver(MailboxId mailbox, const TestMail& mail) {
    MustOk(servers_.Append(folders_.at(mailbox.value), {mail.Raw()}), "append");
  }

  FetchReport Fetch(MailboxId mailbox) { return Must(fetcher_->FetchOnce(mailbox), "fetch"); }

  OutboxWorker::RoundReport Send() { return Must(outbox_->RunOnce(), "outbox round"); }

  std::unique_ptr<StoreSession> Session() { return Must(db_->store().OpenSession(), "session"); }

  // The stored message with this Message-ID; fails the test when there is none.
  Message Stored(const std::string& message_id) {
    auto m = Must(Session()->FindMessageByExternalId(message_id), "find message");
    if (!m) throw std::runtime_error("no message stored with id " + message_id);
    return *m;
  }
  Ticket TicketOf(const std::string& message_id) {
    return Must(Session()->GetTicket(Stored(message_id).ticket_id), "ticket");
  }
  std::int64_t TicketCount() { return Must(Session()->CountTickets(TicketQuery{}), "count tickets"); }

  // The agent's reply on a ticket; returns the stored message (its external_id is the Message-ID of
  // the mail queued for it).
  Message Reply(TicketId ticket, const std::string& markdown) {
    NewMessage m;
    m.kind = MessageKind::kReply;
    m.body_text = markdown;
    Message msg = Must(desk_->AddMessage(Actor{agent_.id, agent_.role}, ticket, m), "reply");
    if (!msg.external_id) throw std::runtime_error("the reply was not queued as email");
    return msg;
  }

  OutboxEntry OutboxOf(const Message& m) {
    for (auto& e : Must(Session()->ListOutboxForTicket(m.ticket_id), "outbox")) {
      if (e.message_id == m.id) return e;
    }
    throw std::runtime_error("no outbox entry for message " + std::to_string(m.id.value));
  }

  // The one copy of a sent mail in the sink; fails when there is none or more than one.
  SinkMessage SentOnce(const std::string& message_id) {
    auto sent = servers_.SentWithMessageId(message_id);
    if (sent.size() != 1) {
      throw std::runtime_error("expected one sent copy of " + message_id + ", found " + std::to_string(sent.size()));
    }
    return sent.front();
  }

  std::vector<std::string> FlagsOf(MailboxId mailbox, std::uint32_t uid) {
    auto session = Must(servers_.Open(folders_.at(mailbox.value)), "open folder");
    return Must(session->FetchFlags(uid), "flags");
  }

  // A client's first message to `mailbox`.
  TestMail FromCarol(const std::string& id, const std::string& subject) const {
    TestMail m;
    m.from = "Carol Client <carol@acme.test>";
    m.to = "Acme Support <support@rapport.test>";
    m.subject = subject;
    m.message_id = id;
    m.body = "The printer on floor 3 prints everything twice.\n";
    return m;
  }

  // A ticket opened by Carol and answered once by the agent (the answer sent); returns the ticket,
  // the reply message, and its sent copy.
  struct Answered {
    Ticket ticket;
    Message reply;
    SinkMessage sent;
  };
  Answered OpenAndAnswer(MailboxId mailbox, const std::string& client_id) {
    Deliver(mailbox, FromCarol(client_id, "Printer prints twice"));
    EXPECT_EQ(Fetch(mailbox).stored, 1);
    Answered a;
    a.ticket = TicketOf(client_id);
    a.reply = Reply(a.ticket.id, "Thanks **Carol**, we are on it.");
    EXPECT_EQ(Send().sent, 1);
    a.sent = SentOnce(*a.reply.external_id);
    return a;
  }

  MailServers servers_;
  ManualClock clock_{InstantFromUnix(static_cast<std::int64_t>(std::time(nullptr)))};
  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<SessionPool> pool_;
  std::unique_ptr<Desk> desk_;
  mail::CurlImapConnector connector_;
  mail::GmimeEmailParser parser_;
  mail::GmimeEmailComposer composer_;
  mail::CurlSmtpSender sender_;
  std::unique_ptr<MailFetcher> fetcher_;
  std::unique_ptr<OutboxWorker> outbox_;
  std::map<std::int64_t, std::string> folders_;
  User owner_, agent_;
  Client acme_;
};

TEST_F(EmailLoopTest, ClientMailBecomesATicketTheReplyLeavesThreadedAndTheAnswerJoins) {
  const MailboxId support = AddMailbox("loop");

  // 1. The client writes.
  Deliver(support, FromCarol("first.carol@acme.test", "Printer prints twice"));
  FetchReport first = Fetch(support);
  EXPECT_EQ(first.stored, 1);
  EXPECT_EQ(first.refused, 0);
  const Ticket ticket = TicketOf("first.carol@acme.test");
  EXPECT_EQ(ticket.subject, "Printer prints twice");
  EXPECT_EQ(ticket.channel, Channel::kEmail);
  EXPECT_EQ(ticket.client_id, acme_.id) << "the contact is matched to the client by its email domain";
  const Contact carol = Must(Session()->GetContact(ticket.contact_id), "contact");
  EXPECT_THAT(carol.emails, ElementsAre("carol@acme.test"));
  EXPECT_EQ(carol.name, "Carol Client");
  EXPECT_EQ(carol.client_id, acme_.id);
  auto messages = Must(Session()->ListMessages(ticket.id), "messages");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].kind, MessageKind::kInbound);
  EXPECT_THAT(messages[0].body_text, HasSubstr("prints everything twice"));
  auto record = Must(Session()->GetEmailRecord(messages[0].id), "email record");
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->mailbox_id, support);

  // Flagged on the server once stored, and not fetched again.
  EXPECT_THAT(FlagsOf(support, 1), Contains("\\Seen"));
  FetchReport again = Fetch(support);
  EXPECT_EQ(again.stored, 0);
  EXPECT_EQ(again.duplicates, 0) << "the checkpoint keeps a stored message from being read again";
  EXPECT_EQ(TicketCount(), 1);
  EXPECT_EQ(Must(Session()->GetMailbox(support), "mailbox").last_uid, 1u);

  // 2. The agent replies; the outbox sends it.
  const Message reply = Reply(ticket.id, "Thanks **Carol**, we are on it.\n\n- step one\n- step two");
  EXPECT_EQ(OutboxOf(reply).state, OutboxState::kQueued);
  OutboxWorker::RoundReport round = Send();
  EXPECT_EQ(round.sent, 1);
  EXPECT_EQ(round.failed, 0);
  const OutboxEntry sent_entry = OutboxOf(reply);
  EXPECT_EQ(sent_entry.state, OutboxState::kSent);
  EXPECT_TRUE(sent_entry.sent_at.has_value());
  EXPECT_EQ(sent_entry.last_code, 250);
  EXPECT_THAT(sent_entry.last_reply, HasSubstr("queued as sink-"));

  const SinkMessage sent = SentOnce(*reply.external_id);
  const InboundEmail& out = sent.parsed;
  ASSERT_TRUE(out.from.has_value());
  EXPECT_EQ(out.from->address, "support@rapport.test");
  EXPECT_THAT(out.from->name, HasSubstr("Acme Support"));
  ASSERT_EQ(out.to.size(), 1u);
  EXPECT_EQ(out.to[0].address, "carol@acme.test");
  EXPECT_TRUE(out.cc.empty());
  EXPECT_THAT(out.subject, HasSubstr("[#" + std::to_string(ticket.number) + "]"));
  EXPECT_THAT(out.subject, HasSubstr("Printer prints twice"));
  EXPECT_THAT(out.in_reply_to, ElementsAre("first.carol@acme.test"));
  EXPECT_THAT(out.references, Contains("first.carol@acme.test"));
  EXPECT_FALSE(out.thread_index.empty());
  EXPECT_TRUE(ThreadIndexRoot(out.thread_index).has_value()) << out.thread_index;
  EXPECT_EQ(out.auto_reply, AutoReplyKind::kNone);
  EXPECT_THAT(sent.raw, HasSubstr("multipart/alternative"));
  EXPECT_THAT(out.text, HasSubstr("Thanks **Carol**"));
  EXPECT_THAT(out.html, HasSubstr("<strong>Carol</strong>"));
  EXPECT_THAT(out.html, HasSubstr("<li>step one</li>"));
  EXPECT_THAT(sent.envelope_json, HasSubstr("\"rcpt_tos\": [\"carol@acme.test\"]"));
  EXPECT_THAT(sent.envelope_json, HasSubstr("\"mail_from\": \"support@rapport.test\""));
  EXPECT_THAT(sent.envelope_json, HasSubstr("\"tls\": true"));
  EXPECT_THAT(sent.envelope_json, HasSubstr("\"auth_user\": \"sender@rapport.test\""));

  // Never twice: more rounds send nothing more.
  for (int i = 0; i < 3; ++i) {
    OutboxWorker::RoundReport more = Send();
    EXPECT_EQ(more.sent + more.failed + more.retried + more.interrupted, 0);
  }
  EXPECT_EQ(servers_.SentWithMessageId(*reply.external_id).size(), 1u);

  // 3. The client answers the reply, with a subject of her own.
  TestMail answer;
  answer.from = "Carol Client <carol@acme.test>";
  answer.to = "support@rapport.test";
  answer.subject = "Still broken after the driver update";
  answer.message_id = "answer.carol@acme.test";
  answer.in_reply_to = *reply.external_id;
  answer.references = {"first.carol@acme.test", *reply.external_id};
  answer.body = "It still prints twice.\n";
  Deliver(support, answer);
  EXPECT_EQ(Fetch(support).stored, 1);
  EXPECT_EQ(TicketOf("answer.carol@acme.test").id, ticket.id);
  EXPECT_EQ(TicketCount(), 1);
  messages = Must(Session()->ListMessages(ticket.id), "messages");
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[1].kind, MessageKind::kReply);
  EXPECT_EQ(messages[2].kind, MessageKind::kInbound);
  EXPECT_EQ(messages[2].author_contact_id, carol.id);
  EXPECT_THAT(FlagsOf(support, 2), Contains("\\Seen"));

  // The next reply continues from the answer.
  const Message second = Reply(ticket.id, "Please try the new driver.");
  EXPECT_EQ(Send().sent, 1);
  const InboundEmail next = SentOnce(*second.external_id).parsed;
  EXPECT_THAT(next.in_reply_to, ElementsAre("answer.carol@acme.test"));
  EXPECT_THAT(next.references, Contains("first.carol@acme.test"));
  EXPECT_THAT(next.references, Contains(*reply.external_id));
  EXPECT_EQ(ThreadIndexRoot(next.thread_index), ThreadIndexRoot(out.thread_index)) << "one Outlook conversation";
}

TEST_F(EmailLoopTest, AnAcknowledgementLeavesOverSmtpInTheClientsThread) {
  // Friday 15:00 UTC: four business hours (Monday-Friday 09:00-17:00 UTC) end Monday 11:00.
  clock_.Set(At("2026-11-20T15:00:00Z"));
  SetAcknowledgements(true);
  SlaPolicy standard;
  standard.name = "Standard";
  standard.For(Priority::kNormal).first_response = std::chrono::minutes(4 * 60);
  Must(Session()->InsertSlaPolicy(standard), "policy");
  ClientFields zone;
  zone.time_zone = "Europe/London";
  Must(desk_->UpdateClient(Actor{owner_.id, owner_.role}, acme_.id, zone), "client zone");
  const MailboxId support = AddMailbox("ack");
  Deliver(support, FromCarol("ack.carol@acme.test", "Printer prints twice"));
  EXPECT_EQ(Fetch(support).stored, 1);
  const Ticket ticket = TicketOf("ack.carol@acme.test");
  ASSERT_EQ(ticket.number, 1);
  EXPECT_EQ(ticket.first_response_due_at, At("2026-11-23T11:00:00Z"));

  EXPECT_EQ(Send().sent, 1);
  std::vector<OutboxEntry> automatic;
  for (auto& e : Must(Session()->ListOutboxForTicket(ticket.id), "outbox")) {
    if (e.purpose == OutboxPurpose::kAutomatic) automatic.push_back(e);
  }
  ASSERT_EQ(automatic.size(), 1u);
  EXPECT_EQ(automatic[0].state, OutboxState::kSent);
  const SinkMessage sent = SentOnce(automatic[0].email.message_id);
  const InboundEmail& ack = sent.parsed;
  EXPECT_THAT(ack.in_reply_to, ElementsAre("ack.carol@acme.test"));
  EXPECT_THAT(ack.references, Contains("ack.carol@acme.test"));
  ASSERT_EQ(ack.to.size(), 1u);
  EXPECT_EQ(ack.to[0].address, "carol@acme.test");
  EXPECT_THAT(ack.subject, HasSubstr("[#" + std::to_string(ticket.number) + "]"));
  EXPECT_EQ(ack.auto_reply, AutoReplyKind::kAutoReply) << "sent with Auto-Submitted, so robots leave it alone";
  EXPECT_THAT(ack.text, HasSubstr("We have received your request (#1) and will reply by Monday, November 23, "
                                  "11:00 AM (Europe/London time)."));
  // Nothing is sent twice, and the client's answer to the acknowledgement joins the ticket.
  EXPECT_EQ(Send().sent, 0);
  TestMail answer = FromCarol("ack.answer@acme.test", "Re: [#" + std::to_string(ticket.number) + "] Printer prints twice");
  answer.in_reply_to = automatic[0].email.message_id;
  answer.references = {"ack.carol@acme.test", automatic[0].email.message_id};
  Deliver(support, answer);
  EXPECT_EQ(Fetch(support).stored, 1);
  EXPECT_EQ(TicketOf("ack.answer@acme.test").id, ticket.id);
  EXPECT_EQ(Send().sent, 0) << "an answer on the ticket is not acknowledged again";
}

TEST_F(EmailLoopTest, APromiseAlertNoticeLeavesOverSmtpOnceToEachPerson) {
  // Monday 10:00 UTC, inside the team's hours (UTC, Monday-Friday 09:00-17:00): notices go at once.
  clock_.Set(At("2026-11-23T10:00:00Z"));
  SlaPolicy quick;
  quick.name = "Quick";
  quick.For(Priority::kNormal).first_response = std::chrono::minutes(60);
  Must(Session()->InsertSlaPolicy(quick), "policy");
  const MailboxId support = AddMailbox("alert");
  Deliver(support, FromCarol("alert.carol@acme.test", "Printer prints twice"));
  EXPECT_EQ(Fetch(support).stored, 1);
  const Ticket ticket = TicketOf("alert.carol@acme.test");
  ASSERT_EQ(ticket.first_response_due_at, At("2026-11-23T11:00:00Z"));
  TicketChanges assign;
  assign.assignee_id = agent_.id;
  Must(desk_->UpdateTicket(Actor{owner_.id, owner_.role}, ticket.id, assign), "assign");

  // Broken at 11:00: the assignee and the owner each get a notice, and its email.
  clock_.Set(At("2026-11-23T11:05:00Z"));
  EXPECT_EQ(Must(RaisePromiseAlerts(*pool_, clock_.Now()), "alerts"), 1);
  EXPECT_EQ(Send().sent, 2);
  std::map<std::string, OutboxEntry> notices;  // by recipient
  for (OutboxEntry& e : Must(testing::ReadWholeOutbox(*Session()), "outbox")) {
    ASSERT_EQ(e.recipients.size(), 1u);
    notices.emplace(e.recipients[0], std::move(e));
  }
  ASSERT_EQ(notices.size(), 2u);
  const std::string subject = "[Rapport] Promise broken: #" + std::to_string(ticket.number) + " Printer prints twice";
  for (const char* person : {"agent@desk.test", "owner@desk.test"}) {
    SCOPED_TRACE(person);
    ASSERT_TRUE(notices.count(person));
    const OutboxEntry& e = notices.at(person);
    EXPECT_EQ(e.purpose, OutboxPurpose::kAutomatic);
    EXPECT_EQ(e.state, OutboxState::kSent);
    const SinkMessage sent = SentOnce(e.email.message_id);
    ASSERT_EQ(sent.parsed.to.size(), 1u);
    EXPECT_EQ(sent.parsed.to[0].address, person);
    EXPECT_EQ(sent.parsed.subject, subject);
    EXPECT_THAT(sent.parsed.text, HasSubstr("The first response was due Mon 23 Nov 2026, 11:00 (UTC)."));
    EXPECT_THAT(sent.raw, HasSubstr("Auto-Submitted: auto-replied"));
    EXPECT_EQ(sent.parsed.auto_reply, AutoReplyKind::kAutoReply);
    EXPECT_THAT(sent.envelope_json, HasSubstr(std::string("\"rcpt_tos\": [\"") + person + "\"]"));
  }

  // Running both again, later, sends nothing more.
  clock_.Set(At("2026-11-23T11:10:00Z"));
  EXPECT_EQ(Must(RaisePromiseAlerts(*pool_, clock_.Now()), "alerts again"), 0);
  const OutboxWorker::RoundReport again = Send();
  EXPECT_EQ(again.sent + again.failed + again.retried + again.interrupted, 0);
  EXPECT_EQ(Must(testing::ReadWholeOutbox(*Session()), "outbox").size(), 2u);
  for (const auto& [person, e] : notices) {
    EXPECT_EQ(servers_.SentWithMessageId(e.email.message_id).size(), 1u) << person;
  }
}

TEST_F(EmailLoopTest, ANudgeLeavesOverSmtpInTheClientsThreadOnce) {
  // Monday 10:00 UTC. Nudges after one business day, switched on now (they count from then).
  clock_.Set(At("2026-11-23T10:00:00Z"));
  Workspace w = Must(desk_->GetWorkspace(Actor{owner_.id, owner_.role}), "workspace");
  w.nudge_after_days = 0;
  Must(desk_->UpdateWorkspace(Actor{owner_.id, owner_.role}, w), "nudges off");
  w.nudge_after_days = 1;
  w.nudge_limit = 2;
  Must(desk_->UpdateWorkspace(Actor{owner_.id, owner_.role}, w), "nudges on");
  const MailboxId support = AddMailbox("nudge");
  const Answered a = OpenAndAnswer(support, "nudge.carol@acme.test");
  TicketChanges waiting;
  waiting.status = TicketStatus::kWaitingOnClient;
  Must(desk_->UpdateTicket(Actor{agent_.id, agent_.role}, a.ticket.id, waiting), "waiting");

  // Not yet a business day later: nothing.
  clock_.Set(At("2026-11-24T09:55:00Z"));
  EXPECT_EQ(Must(SendDueNudges(*pool_, clock_.Now()), "early").nudges, 0);
  // Tuesday 10:05: the first nudge, sent over SMTP in Carol's thread, marked as automatic.
  clock_.Set(At("2026-11-24T10:05:00Z"));
  EXPECT_EQ(Must(SendDueNudges(*pool_, clock_.Now()), "nudges").nudges, 1);
  EXPECT_EQ(Send().sent, 1);
  std::vector<OutboxEntry> automatic;
  for (OutboxEntry& e : Must(Session()->ListOutboxForTicket(a.ticket.id), "outbox")) {
    if (e.purpose == OutboxPurpose::kAutomatic) automatic.push_back(std::move(e));
  }
  ASSERT_EQ(automatic.size(), 1u);
  EXPECT_EQ(automatic[0].state, OutboxState::kSent);
  const SinkMessage sent = SentOnce(automatic[0].email.message_id);
  const InboundEmail& nudge = sent.parsed;
  ASSERT_EQ(nudge.to.size(), 1u);
  EXPECT_EQ(nudge.to[0].address, "carol@acme.test");
  EXPECT_THAT(nudge.subject, HasSubstr("[#" + std::to_string(a.ticket.number) + "]"));
  EXPECT_THAT(nudge.references, Contains("nudge.carol@acme.test"));
  EXPECT_THAT(nudge.references, Contains(*a.reply.external_id));
  EXPECT_THAT(nudge.text, HasSubstr("Just checking in on #" + std::to_string(a.ticket.number)));
  EXPECT_THAT(sent.raw, HasSubstr("Auto-Submitted: auto-replied"));
  EXPECT_EQ(nudge.auto_reply, AutoReplyKind::kAutoReply);
  EXPECT_THAT(sent.envelope_json, HasSubstr("\"rcpt_tos\": [\"carol@acme.test\"]"));

  // The same run again (a restart, another node) sends nothing more.
  EXPECT_EQ(Must(SendDueNudges(*pool_, clock_.Now()), "again").nudges, 0);
  EXPECT_EQ(Send().sent, 0);
  EXPECT_EQ(servers_.SentWithMessageId(automatic[0].email.message_id).size(), 1u);
}

TEST_F(EmailLoopTest, ACcdPersonReplyingAllJoinsAsParticipantAndIsCopiedOnTheNextReply) {
  const MailboxId support = AddMailbox("replyall");
  TestMail first = FromCarol("cc.first@acme.test", "Access for the new hire");
  first.cc = "Dave Partner <dave@partner.test>";
  Deliver(support, first);
  EXPECT_EQ(Fetch(support).stored, 1);
  const Ticket ticket = TicketOf("cc.first@acme.test");

  TestMail reply_all;
  reply_all.from = "Dave Partner <dave@partner.test>";
  reply_all.to = "Carol Client <carol@acme.test>, support@rapport.test";
  reply_all.subject = "Re: Access for the new hire";
  reply_all.message_id = "dave.replyall@partner.test";
  reply_all.in_reply_to = "cc.first@acme.test";
  reply_all.references = {"cc.first@acme.test"};
  reply_all.body = "She starts on Monday.\n";
  Deliver(support, reply_all);
  EXPECT_EQ(Fetch(support).stored, 1);

  EXPECT_EQ(TicketCount(), 1) << "reply-all must not open a second ticket";
  const Message joined = Stored("dave.replyall@partner.test");
  EXPECT_EQ(joined.ticket_id, ticket.id);
  const auto dave = Must(Session()->FindContactByEmail("dave@partner.test"), "dave");
  ASSERT_TRUE(dave.has_value());
  EXPECT_EQ(joined.author_contact_id, *dave);
  EXPECT_THAT(Must(Session()->ListParticipants(ticket.id), "participants"), Contains(*dave));
  EXPECT_EQ(TicketOf("dave.replyall@partner.test").contact_id, ticket.contact_id) << "Carol stays the contact";

  const Message reply = Reply(ticket.id, "Account created.");
  EXPECT_EQ(Send().sent, 1);
  const SinkMessage sent = SentOnce(*reply.external_id);
  ASSERT_EQ(sent.parsed.to.size(), 1u);
  EXPECT_EQ(sent.parsed.to[0].address, "carol@acme.test");
  ASSERT_EQ(sent.parsed.cc.size(), 1u);
  EXPECT_EQ(sent.parsed.cc[0].address, "dave@partner.test");
  EXPECT_THAT(sent.parsed.in_reply_to, ElementsAre("dave.replyall@partner.test"));
  EXPECT_THAT(sent.envelope_json, HasSubstr("dave@partner.test"));
  EXPECT_THAT(sent.envelope_json, HasSubstr("carol@acme.test"));
}

TEST_F(EmailLoopTest, AnOutlookReplyCarryingOnlyThreadIndexJoins) {
  const MailboxId support = AddMailbox("outlook");
  // Carol writes from Outlook: her Thread-Index starts the conversation.
  TestMail first = FromCarol("outlook.first@acme.test", "VPN drops every hour");
  std::array<std::uint8_t, 16> guid{};
  for (std::size_t i = 0; i < guid.size(); ++i) guid[i] = static_cast<std::uint8_t>(0x30 + i * 7);
  const std::string carol_index = MakeThreadIndex(clock_.Now() - std::chrono::hours(1), guid);
  first.extra_headers = {"Thread-Index: " + carol_index, "Thread-Topic: VPN drops every hour"};
  Deliver(support, first);
  EXPECT_EQ(Fetch(support).stored, 1);
  const Ticket ticket = TicketOf("outlook.first@acme.test");

  const Message reply = Reply(ticket.id, "Which client version?");
  EXPECT_EQ(Send().sent, 1);
  const InboundEmail sent = SentOnce(*reply.external_id).parsed;
  EXPECT_EQ(ThreadIndexRoot(sent.thread_index), ThreadIndexRoot(carol_index))
      << "the reply extends Carol's Outlook conversation: " << sent.thread_index;
  auto parts = ParseThreadIndex(sent.thread_index);
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->child_filetimes.size(), 1u);

  // Her answer: no In-Reply-To, no References, another subject, no ticket reference.
  TestMail answer;
  answer.from = "Carol Client <carol@acme.test>";
  answer.to = "support@rapport.test";
  answer.subject = "RE: version info";
  answer.message_id = "outlook.answer@acme.test";
  answer.extra_headers = {"Thread-Index: " + *AppendThreadIndexChild(sent.thread_index, clock_.Now(), 3),
                          "Thread-Topic: VPN drops every hour"};
  answer.body = "Version 5.2.\n";
  Deliver(support, answer);
  EXPECT_EQ(Fetch(support).stored, 1);
  EXPECT_EQ(Stored("outlook.answer@acme.test").ticket_id, ticket.id);
  EXPECT_EQ(TicketCount(), 1);
}

TEST_F(EmailLoopTest, ATicketReferenceFromAnUnrelatedSenderOpensALinkedTicket) {
  const MailboxId support = AddMailbox("reference");
  Deliver(support, FromCarol("ref.first@acme.test", "Invoice 2291 is wrong"));
  EXPECT_EQ(Fetch(support).stored, 1);
  const Ticket carols = TicketOf("ref.first@acme.test");
  const std::string reference = "[#" + std::to_string(carols.number) + "]";

  TestMail stranger;
  stranger.from = "Mallory <mallory@elsewhere.test>";
  stranger.to = "support@rapport.test";
  stranger.subject = "Re: " + reference + " Invoice 2291 is wrong";
  stranger.message_id = "mallory.1@elsewhere.test";
  stranger.body = "Please send me the invoice as well.\n";
  Deliver(support, stranger);
  EXPECT_EQ(Fetch(support).stored, 1);
  const Ticket linked = TicketOf("mallory.1@elsewhere.test");
  EXPECT_NE(linked.id, carols.id) << "a guessed reference must not put a stranger into Carol's ticket";
  EXPECT_NE(linked.contact_id, carols.contact_id);
  EXPECT_THAT(Must(Session()->ListLinkedTickets(linked.id), "links"), Contains(carols.id));
  EXPECT_THAT(Must(Session()->ListLinkedTickets(carols.id), "links"), Contains(linked.id));
  EXPECT_EQ(Must(Session()->ListMessages(carols.id), "messages").size(), 1u);

  // The same reference from Carol herself (a new mail, no threading headers) joins her ticket.
  TestMail own = FromCarol("ref.own@acme.test", "Re: " + reference + " one more thing");
  Deliver(support, own);
  EXPECT_EQ(Fetch(support).stored, 1);
  EXPECT_EQ(Stored("ref.own@acme.test").ticket_id, carols.id);
  EXPECT_EQ(TicketCount(), 2);
}

TEST_F(EmailLoopTest, OneMailDeliveredToTwoMailboxesIsOneTicket) {
  const MailboxId support = AddMailbox("two-a", nullptr, "support");
  const MailboxId sales = AddMailbox("two-b", nullptr, "sales");
  TestMail both = FromCarol("both@acme.test", "Quote and a problem");
  both.to = "support@rapport.test, sales@rapport.test";
  Deliver(support, both);
  Deliver(sales, both);

  FetchReport a = Fetch(support);
  FetchReport b = Fetch(sales);
  EXPECT_EQ(a.stored + b.stored, 1);
  EXPECT_EQ(a.duplicates + b.duplicates, 1);
  EXPECT_EQ(TicketCount(), 1);
  EXPECT_EQ(Must(Session()->ListMessages(TicketOf("both@acme.test").id), "messages").size(), 1u);
  // Both copies are done with on the server.
  EXPECT_THAT(FlagsOf(support, 1), Contains("\\Seen"));
  EXPECT_THAT(FlagsOf(sales, 1), Contains("\\Seen"));
}

TEST_F(EmailLoopTest, AnAgentForwardingAClientMailOpensTheTicketForTheOriginalSender) {
  const MailboxId support = AddMailbox("forward");

  // As an attached message (message/rfc822).
  TestMail attached;
  attached.from = "Ada Agent <agent@desk.test>";
  attached.to = "support@rapport.test";
  attached.subject = "Fwd: Server room too hot";
  attached.message_id = "fwd.attached@desk.test";
  attached.content_type = "multipart/mixed; boundary=\"b1\"";
  attached.body =
      "--b1\n"
      "Content-Type: text/plain; charset=utf-8\n\n"
      "Erin called about this, please take it.\n"
      "--b1\n"
      "Content-Type: message/rfc822\n"
      "Content-Disposition: attachment\n\n"
      "From: Erin Example <erin@acme.test>\n"
      "To: Ada Agent <agent@desk.test>\n"
      "Subject: Server room too hot\n"
      "Date: Mon, 23 Nov 2026 08:00:00 +0000\n"
      "Message-ID: <erin.original@acme.test>\n"
      "Content-Type: text/plain; charset=utf-8\n\n"
      "The server room is at 35 degrees.\n"
      "--b1--\n";
  Deliver(support, attached);

  // As an inline forward (Gmail's separator).
  TestMail inline_fwd;
  inline_fwd.from = "Ada Agent <agent@desk.test>";
  inline_fwd.to = "support@rapport.test";
  inline_fwd.subject = "Fwd: Wrong delivery address";
  inline_fwd.message_id = "fwd.inline@desk.test";
  inline_fwd.body =
      "For the desk.\n\n"
      "---------- Forwarded message ---------\n"
      "From: Frank Field <frank@acme.test>\n"
      "Date: Mon, 23 Nov 2026 at 09:12\n"
      "Subject: Wrong delivery address\n"
      "To: Ada Agent <agent@desk.test>\n\n"
      "Our parcel went to the old office.\n";
  Deliver(support, inline_fwd);

  EXPECT_EQ(Fetch(support).stored, 2);
  EXPECT_EQ(TicketCount(), 2);
  const Ticket erins = TicketOf("fwd.attached@desk.test");
  const Contact erin = Must(Session()->GetContact(erins.contact_id), "erin");
  EXPECT_THAT(erin.emails, ElementsAre("erin@acme.test"));
  EXPECT_EQ(erins.client_id, acme_.id);
  EXPECT_EQ(erins.subject, "Server room too hot");

  const Ticket franks = TicketOf("fwd.inline@desk.test");
  const Contact frank = Must(Session()->GetContact(franks.contact_id), "frank");
  EXPECT_THAT(frank.emails, ElementsAre("frank@acme.test"));
  EXPECT_EQ(frank.name, "Frank Field");
  EXPECT_EQ(franks.client_id, acme_.id);
  EXPECT_EQ(franks.subject, "Wrong delivery address");

  // The agent is no contact of anything.
  EXPECT_FALSE(Must(Session()->FindContactByEmail("agent@desk.test"), "agent contact").has_value());
  // A reply goes to the original sender.
  const Message reply = Reply(erins.id, "We sent a technician.");
  EXPECT_EQ(Send().sent, 1);
  const SinkMessage sent = SentOnce(*reply.external_id);
  ASSERT_EQ(sent.parsed.to.size(), 1u);
  EXPECT_EQ(sent.parsed.to[0].address, "erin@acme.test");
}

TEST_F(EmailLoopTest, AnAutoReplyIsStoredMarkedAndAnswersNothing) {
  const MailboxId support = AddMailbox("autoreply");
  const Answered a = OpenAndAnswer(support, "auto.first@acme.test");

  TestMail ooo;
  ooo.from = "Carol Client <carol@acme.test>";
  ooo.to = "support@rapport.test";
  ooo.subject = "Automatic reply: " + a.sent.parsed.subject;
  ooo.message_id = "auto.ooo@acme.test";
  ooo.in_reply_to = *a.reply.external_id;
  ooo.extra_headers = {"Auto-Submitted: auto-replied", "X-Auto-Response-Suppress: All"};
  ooo.body = "I am out of the office until Monday.\n";
  Deliver(support, ooo);
  EXPECT_EQ(Fetch(support).stored, 1);

  const Message stored = Stored("auto.ooo@acme.test");
  EXPECT_EQ(stored.ticket_id, a.ticket.id);
  const auto record = Must(Session()->GetEmailRecord(stored.id), "record");
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->auto_reply, AutoReplyKind::kAutoReply);
  // Nothing automatic went out because of it.
  EXPECT_EQ(Must(Session()->ListOutboxForTicket(a.ticket.id), "outbox").size(), 1u);
  const OutboxWorker::RoundReport round = Send();
  EXPECT_EQ(round.sent, 0);
}

TEST_F(EmailLoopTest, ABounceMarksTheSentReplyFailedWithTheDiagnostic) {
  const MailboxId support = AddMailbox("bounce");
  const Answered a = OpenAndAnswer(support, "bounce.first@acme.test");
  ASSERT_EQ(OutboxOf(a.reply).state, OutboxState::kSent);

  TestMail dsn;
  dsn.from = "Mail Delivery System <MAILER-DAEMON@mx.acme.test>";
  dsn.to = "support@rapport.test";
  dsn.subject = "Undelivered Mail Returned to Sender";
  dsn.message_id = "dsn.1@mx.acme.test";
  dsn.extra_headers = {"Auto-Submitted: auto-replied"};
  dsn.content_type = "multipart/report; report-type=delivery-status; boundary=\"rep\"";
  dsn.body =
      "--rep\n"
      "Content-Type: text/plain; charset=us-ascii\n\n"
      "This is the mail system at host mx.acme.test.\n"
      "I'm sorry to have to inform you that your message could not be delivered.\n"
      "--rep\n"
      "Content-Type: message/delivery-status\n\n"
      "Reporting-MTA: dns; mx.acme.test\n"
      "Arrival-Date: Mon, 23 Nov 2026 10:05:00 +0000\n\n"
      "Final-Recipient: rfc822; carol@acme.test\n"
      "Original-Recipient: rfc822;carol@acme.test\n"
      "Action: failed\n"
      "Status: 5.1.1\n"
      "Remote-MTA: dns; store.acme.test\n"
      "Diagnostic-Code: smtp; 550 5.1.1 <carol@acme.test>: Recipient address rejected:\n"
      "    User unknown in virtual mailbox table\n"
      "--rep\n"
      "Content-Type: text/rfc822-headers\n\n"
      "From: Acme Support <support@rapport.test>\n"
      "To: carol@acme.test\n"
      "Subject: " + a.sent.parsed.subject + "\n"
      "Message-ID: <" + *a.reply.external_id + ">\n"
      "--rep--\n";
  Deliver(support, dsn);
  EXPECT_EQ(Fetch(support).stored, 1);

  const OutboxEntry failed = OutboxOf(a.reply);
  EXPECT_EQ(failed.state, OutboxState::kFailed);
  EXPECT_THAT(failed.last_reply, HasSubstr("User unknown in virtual mailbox table"));
  EXPECT_THAT(failed.last_reply, HasSubstr("carol@acme.test"));
  // The report is on the ticket (as a note), not a ticket of its own.
  EXPECT_EQ(TicketCount(), 1);
  const Message note = Stored("dsn.1@mx.acme.test");
  EXPECT_EQ(note.ticket_id, a.ticket.id);
  EXPECT_EQ(note.kind, MessageKind::kNote);
  EXPECT_THAT(note.body_text, HasSubstr("User unknown"));
  // A failed entry is never sent again on its own.
  EXPECT_EQ(Send().sent, 0);
  EXPECT_EQ(servers_.SentWithMessageId(*a.reply.external_id).size(), 1u);
}

TEST_F(EmailLoopTest, ARefusedRecipientFailsTheMailWithTheServersWords) {
  const MailboxId support = AddMailbox("reject");
  TestMail m = FromCarol("reject.first@acme.test", "Refused");
  m.from = "Rex <reject-5xx@acme.test>";
  Deliver(support, m);
  EXPECT_EQ(Fetch(support).stored, 1);
  const Message reply = Reply(TicketOf("reject.first@acme.test").id, "Hello Rex.");

  const OutboxWorker::RoundReport round = Send();
  EXPECT_EQ(round.failed, 1);
  EXPECT_EQ(round.sent, 0);
  const OutboxEntry e = OutboxOf(reply);
  EXPECT_EQ(e.state, OutboxState::kFailed);
  EXPECT_EQ(e.last_code, 550);
  EXPECT_THAT(e.last_reply, HasSubstr("Recipient address rejected: User unknown"));
  EXPECT_FALSE(e.sent_at.has_value());
  EXPECT_TRUE(servers_.SentWithMessageId(*reply.external_id).empty());
  // Failed stays failed: later rounds do not try again.
  clock_.Advance(std::chrono::hours(1));
  EXPECT_EQ(Send().failed + Send().sent, 0);
  EXPECT_EQ(OutboxOf(reply).attempts, e.attempts);
}

TEST_F(EmailLoopTest, ADeferredRecipientIsQueuedAgainForLater) {
  const MailboxId support = AddMailbox("defer");
  TestMail m = FromCarol("defer.first@acme.test", "Deferred");
  m.from = "Dee <defer-4xx@acme.test>";
  Deliver(support, m);
  EXPECT_EQ(Fetch(support).stored, 1);
  const Message reply = Reply(TicketOf("defer.first@acme.test").id, "Hello Dee.");

  const Instant first_try = clock_.Now();
  OutboxWorker::RoundReport round = Send();
  EXPECT_EQ(round.retried, 1);
  OutboxEntry e = OutboxOf(reply);
  EXPECT_EQ(e.state, OutboxState::kQueued);
  EXPECT_GT(e.next_attempt_at, clock_.Now());
  EXPECT_EQ(e.last_code, 451);
  EXPECT_THAT(e.last_reply, HasSubstr("Temporarily unable to accept"));
  EXPECT_EQ(e.attempts, 1);

  // Not due yet: nothing happens.
  round = Send();
  EXPECT_EQ(round.retried + round.sent + round.failed, 0);
  EXPECT_EQ(OutboxOf(reply).attempts, 1);

  // Due again: tried again, deferred again, further out.
  clock_.Set(e.next_attempt_at);
  round = Send();
  EXPECT_EQ(round.retried, 1);
  const OutboxEntry later = OutboxOf(reply);
  EXPECT_EQ(later.attempts, 2);
  EXPECT_EQ(later.state, OutboxState::kQueued);
  EXPECT_GT(later.next_attempt_at - clock_.Now(), e.next_attempt_at - first_try) << "back-off grows";
  EXPECT_TRUE(servers_.SentWithMessageId(*reply.external_id).empty());
}

TEST_F(EmailLoopTest, TwoWorkersRacingSendEveryReplyExactlyOnce) {
  const MailboxId support = AddMailbox("race");
  std::vector<Message> replies;
  for (int i = 0; i < 6; ++i) {
    TestMail m = FromCarol("race." + std::to_string(i) + "@acme.test", "Race " + std::to_string(i));
    Deliver(support, m);
  }
  EXPECT_EQ(Fetch(support).stored, 6);
  for (int i = 0; i < 6; ++i) {
    replies.push_back(Reply(TicketOf("race." + std::to_string(i) + "@acme.test").id, "Answer " + std::to_string(i)));
  }
  OutboxWorker::Options small;
  small.batch = 2;
  OutboxWorker first(*pool_, clock_, composer_, sender_, small);
  OutboxWorker second(*pool_, clock_, composer_, sender_, small);
  std::atomic<int> sent{0};
  auto work = [&sent](OutboxWorker& w) {
    for (int round = 0; round < 6; ++round) {
      auto r = w.RunOnce();
      if (r.ok()) sent += r->sent;
    }
  };
  std::thread a(work, std::ref(first));
  std::thread b(work, std::ref(second));
  a.join();
  b.join();
  EXPECT_EQ(sent.load(), 6);
  for (const Message& r : replies) {
    EXPECT_EQ(servers_.SentWithMessageId(*r.external_id).size(), 1u) << *r.external_id;
    EXPECT_EQ(OutboxOf(r).state, OutboxState::kSent);
  }
}

TEST_F(EmailLoopTest, ANewUidValidityReadsTheFolderAgainAndStoresNothingTwice) {
  const MailboxId mailbox = AddMailbox("uidvalidity");
  Deliver(mailbox, FromCarol("uv-1@acme.test", "First"));
  Deliver(mailbox, FromCarol("uv-2@acme.test", "Second"));
  EXPECT_EQ(Fetch(mailbox).stored, 2);
  const Mailbox before = Must(Session()->GetMailbox(mailbox), "mailbox");
  ASSERT_GT(before.uid_validity, 0u);
  ASSERT_EQ(before.last_uid, 2u);
  // As if the server had renumbered the folder: the checkpoint names another UIDVALIDITY and a UID
  // far past the end, which would skip new mail if it were trusted.
  MustOk(Session()->SaveMailboxCheckpoint(mailbox, before.uid_validity + 1, 99), "checkpoint");
  Deliver(mailbox, FromCarol("uv-3@acme.test", "Third"));
  const FetchReport again = Fetch(mailbox);
  EXPECT_EQ(again.stored, 1);
  EXPECT_EQ(again.duplicates, 2);
  const Mailbox after = Must(Session()->GetMailbox(mailbox), "mailbox");
  EXPECT_EQ(after.uid_validity, before.uid_validity);
  EXPECT_EQ(after.last_uid, 3u);
  EXPECT_EQ(TicketCount(), 3);
}

TEST_F(EmailLoopTest, StoredMailIsMovedToTheProcessedFolder) {
  std::string folder;
  const MailboxId mailbox = AddMailbox("processed-src", &folder);
  const std::string done = Must(servers_.NewFolder("processed-dst"), "create folder");
  Mailbox m = Must(Session()->GetMailbox(mailbox), "mailbox");
  m.imap.processed_folder = done;
  MustOk(Session()->UpdateMailbox(m), "update mailbox");
  Deliver(mailbox, FromCarol("moved-1@acme.test", "Please move me"));
  EXPECT_EQ(Fetch(mailbox).stored, 1);
  Stored("moved-1@acme.test");
  auto source = Must(servers_.Open(folder), "open source");
  EXPECT_TRUE(Must(source->UidsFrom(1), "source uids").empty());
  auto target = Must(servers_.Open(done), "open target");
  EXPECT_EQ(Must(target->UidsFrom(1), "target uids").size(), 1u);
}

TEST_F(EmailLoopTest, AnUnreachableServerIsRecordedOnTheMailbox) {
  const MailboxId mailbox = AddMailbox("unreachable");
  Mailbox m = Must(Session()->GetMailbox(mailbox), "mailbox");
  m.imap.password = "not the password";
  MustOk(Session()->UpdateMailbox(m), "update mailbox");
  const auto fetched = fetcher_->FetchOnce(mailbox);
  EXPECT_EQ(fetched.status().code(), StatusCode::kPermissionDenied);
  const Mailbox after = Must(Session()->GetMailbox(mailbox), "mailbox");
  EXPECT_FALSE(after.last_error.empty());
  EXPECT_TRUE(after.last_checked_at.has_value());
}

}  // namespace
}  // namespace rapport::app
