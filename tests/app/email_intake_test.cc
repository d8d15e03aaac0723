// Email intake, replies through the outbox, and the outbox worker, on SQLite and PostgreSQL. The
// messages are built as the parser would give them (InboundEmail); the parser, the real mail
// servers and the whole loop are tested in tests/mail and tests/integration.

#include <algorithm>
#include <map>
#include <mutex>

#include "app/email_intake.h"
#include "app/email_outbox.h"
#include "app/ticket_mail.h"
#include "app/unit_of_work.h"
#include "core/thread_index.h"
#include "app/app_fixture.h"

namespace rapport::app {
namespace {

// The outgoing side's test doubles: a composer that writes the fields it is given, and a sender
// that answers as told and records what it was asked to send.
class RecordingComposer final : public EmailComposer {
 public:
  Result<std::string> Compose(const OutgoingEmail& e) const override {
    attachments = e.attachments;
    return "Message-ID: <" + e.message_id + ">\r\nSubject: " + e.subject + "\r\n\r\n" + e.markdown;
  }
  mutable std::vector<EmailAttachment> attachments;  // of the last message composed
};

class ScriptedSender final : public EmailSender {
 public:
  SmtpOutcome Send(const SmtpSettings&, const std::string& from, const std::vector<std::string>& rcpts,
                   const std::string& raw) override {
    std::lock_guard<std::mutex> lock(mutex_);
    sent.push_back({from, rcpts, raw});
    return next;
  }
  struct Sent {
    std::string from;
    std::vector<std::string> recipients;
    std::string raw;
  };
  std::vector<Sent> sent;
  SmtpOutcome next{SmtpOutcome::Kind::kSent, 250, "250 2.0.0 Ok: queued"};

 private:
  std::mutex mutex_;
};

class EmailIntakeTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    MakeTeam();
    acme_ = Must(desk().CreateClient(As(owner_), {.name = "Acme Ltd", .email_domains = std::vector<std::string>{"acme.com"}}));
    globex_ = Must(desk().CreateClient(As(owner_), {.name = "Globex", .email_domains = std::vector<std::string>{"globex.com"}}));
    intake_ = std::make_unique<EmailIntake>(*pool_, clock_);
    Mailbox m;
    m.name = "Support";
    m.address = "support@desk.test";
    m.display_name = "Desk Support";
    m.is_default = true;
    m.smtp.host = "127.0.0.1";
    mailbox_ = Must(InTransaction(*pool_, [&](StoreSession& s) { return s.InsertMailbox(m); }));
    // These tests count the mail people write; acknowledgements are auto_followups_test.cc's.
    Workspace w = Must(session().GetWorkspace());
    w.acknowledge_requests = false;
    if (!session().SaveWorkspace(w).ok()) throw std::runtime_error("workspace");
  }

  static InboundEmail Mail(std::string id, std::string from, std::string subject, std::string text = "Hello") {
    InboundEmail e;
    e.message_id = std::move(id);
    e.from = EmailAddress{"", std::move(from)};
    e.to = {EmailAddress{"Desk Support", "support@desk.test"}};
    e.subject = std::move(subject);
    e.text = std::move(text);
    return e;
  }

  IngestOutcome In(const InboundEmail& e, std::string raw = "raw bytes") {
    return Must(intake_->Ingest(ReceivedEmail{e, std::move(raw)}), "ingest");
  }

  Ticket TicketOf(TicketId id) { return Must(desk().GetTicket(As(owner_), id)).ticket; }
  TicketMailView MailOf(TicketId id) { return Must(TicketMail(*pool_).View(As(owner_), id)); }

  // The agent replies on the ticket; returns the queued outbox entry.
  OutboxEntry Reply(TicketId id, const std::string& text = "We are on it.") {
    Message m = Must(desk().AddMessage(As(agent_), id, NewMessage{MessageKind::kReply, text, ""}), "reply");
    const auto view = MailOf(id);
    auto it = view.deliveries.find(m.id);
    if (it == view.deliveries.end()) throw std::runtime_error("the reply was not queued");
    return it->second;
  }

  Client acme_, globex_;
  MailboxId mailbox_;
  std::unique_ptr<EmailIntake> intake_;
};

TEST_P(EmailIntakeTest, NewMailOpensATicketForTheSenderMatchedByDomain) {
  InboundEmail e = Mail("m1@acme.com", "Ann@Acme.com", "Re: Printer on fire");
  e.from->name = "Ann Lee";
  e.attachments.push_back(EmailAttachment{"photo.png", "image/png", "img1", true, 4, "\x89PNG", ""});
  e.attachments.push_back(EmailAttachment{"huge.iso", "application/octet-stream", "", false, 1LL << 40, "",
                                          "larger than 25 MB"});
  const IngestOutcome o = In(e, "the raw message");
  EXPECT_EQ(o.kind, IngestOutcome::Kind::kNewTicket);
  const TicketView v = Must(desk().GetTicket(As(owner_), o.ticket_id));
  EXPECT_EQ(v.ticket.subject, "Printer on fire");  // reply prefix removed
  EXPECT_EQ(v.ticket.channel, Channel::kEmail);
  EXPECT_EQ(v.contact.emails, std::vector<std::string>{"ann@acme.com"});
  EXPECT_EQ(v.contact.name, "Ann Lee");
  ASSERT_TRUE(v.client.has_value());
  EXPECT_EQ(v.client->id, acme_.id);
  ASSERT_EQ(v.messages.size(), 1u);
  EXPECT_EQ(v.messages[0].external_id, "m1@acme.com");

  const TicketMailView mail = MailOf(o.ticket_id);
  const EmailRecord& r = mail.emails.at(o.message_id);
  EXPECT_EQ(r.mailbox_id, mailbox_);
  ASSERT_FALSE(r.raw_sha256.empty());
  auto raw = Must(InTransaction(*pool_, [&](StoreSession& s) { return s.GetBlob(r.raw_sha256); }));
  EXPECT_EQ(raw, std::optional<std::string>("the raw message"));
  const auto& atts = mail.attachments.at(o.message_id);
  ASSERT_EQ(atts.size(), 2u);
  auto photo = Must(TicketMail(*pool_).Attachment(As(agent_), o.ticket_id, atts[0].id));
  EXPECT_EQ(photo.data, "\x89PNG");
  EXPECT_EQ(photo.attachment.content_id, "img1");
  EXPECT_EQ(atts[1].omitted_reason, "larger than 25 MB");
  EXPECT_EQ(TicketMail(*pool_).Attachment(As(agent_), o.ticket_id, atts[1].id).status().code(), StatusCode::kNotFound);
  // Another ticket's URL does not reach this ticket's attachment.
  const IngestOutcome other = In(Mail("m2@globex.com", "eve@globex.com", "Unrelated"));
  EXPECT_EQ(TicketMail(*pool_).Attachment(As(agent_), other.ticket_id, atts[0].id).status().code(),
            StatusCode::kNotFound);
  // A subcontractor not assigned to the ticket cannot read its attachments.
  EXPECT_EQ(TicketMail(*pool_).Attachment(As(sub_), o.ticket_id, atts[0].id).status().code(), StatusCode::kNotFound);
}

TEST_P(EmailIntakeTest, TheSameMessageTwiceIsStoredOnce) {
  InboundEmail e = Mail("dup@acme.com", "ann@acme.com", "Two support addresses");
  e.to.push_back(EmailAddress{"", "sales@desk.test"});
  const IngestOutcome first = In(e);
  const IngestOutcome second = In(e);
  EXPECT_EQ(second.kind, IngestOutcome::Kind::kDuplicate);
  EXPECT_EQ(second.message_id, first.message_id);
  EXPECT_EQ(Must(desk().CountTickets(As(owner_), TicketQuery{})), 1);
}

TEST_P(EmailIntakeTest, MailWithoutMessageIdIsRecognisedByItsBytes) {
  const InboundEmail e = Mail("", "ann@acme.com", "No id");
  EXPECT_EQ(In(e, "same bytes").kind, IngestOutcome::Kind::kNewTicket);
  EXPECT_EQ(In(e, "same bytes").kind, IngestOutcome::Kind::kDuplicate);
  EXPECT_EQ(In(e, "other bytes").kind, IngestOutcome::Kind::kNewTicket);
}

TEST_P(EmailIntakeTest, MailWithoutAUsableSenderIsRefusedAndChangesNothing) {
  InboundEmail e = Mail("x@acme.com", "not an address", "Hi");
  auto r = intake_->Ingest(ReceivedEmail{e, "raw"});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  e.from.reset();
  EXPECT_EQ(intake_->Ingest(ReceivedEmail{e, "raw"}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Must(desk().CountTickets(As(owner_), TicketQuery{})), 0);
}

TEST_P(EmailIntakeTest, ClientAnswerToTheReplyJoinsTheTicketAndReopensIt) {
  const IngestOutcome first = In(Mail("c1@acme.com", "ann@acme.com", "Printer"));
  const OutboxEntry reply = Reply(first.ticket_id);
  EXPECT_EQ(reply.email.in_reply_to, std::vector<std::string>{"c1@acme.com"});
  EXPECT_EQ(reply.email.references, std::vector<std::string>{"c1@acme.com"});
  EXPECT_EQ(reply.email.subject, "Re: [#" + std::to_string(TicketOf(first.ticket_id).number) + "] Printer");
  EXPECT_EQ(reply.email.from.address, "support@desk.test");
  EXPECT_EQ(reply.recipients, std::vector<std::string>{"ann@acme.com"});
  EXPECT_TRUE(ThreadIndexRoot(reply.email.thread_index).has_value());

  Must(desk().UpdateTicket(As(agent_), first.ticket_id, TicketChanges{.status = TicketStatus::kWaitingOnClient}));
  InboundEmail answer = Mail("c2@acme.com", "ann@acme.com", "Something else entirely");
  answer.in_reply_to = {reply.email.message_id};
  const IngestOutcome joined = In(answer);
  EXPECT_EQ(joined.kind, IngestOutcome::Kind::kJoinedTicket);
  EXPECT_EQ(joined.ticket_id, first.ticket_id);
  EXPECT_EQ(TicketOf(first.ticket_id).status, TicketStatus::kOpen);
}

TEST_P(EmailIntakeTest, ReplyAllFromACopiedPersonJoinsAsParticipantAndGetsTheNextReply) {
  InboundEmail first = Mail("p1@acme.com", "ann@acme.com", "Budget");
  first.cc = {EmailAddress{"Bob", "bob@partner.org"}, EmailAddress{"", "support@desk.test"},
              EmailAddress{"", "agent@desk.test"}};
  const IngestOutcome o = In(first);
  InboundEmail reply_all = Mail("p2@partner.org", "bob@partner.org", "Re: Budget");
  reply_all.in_reply_to = {"p1@acme.com"};
  reply_all.references = {"p1@acme.com"};
  const IngestOutcome joined = In(reply_all);
  EXPECT_EQ(joined.kind, IngestOutcome::Kind::kJoinedTicket);
  EXPECT_EQ(joined.ticket_id, o.ticket_id);
  const TicketMailView mail = MailOf(o.ticket_id);
  ASSERT_EQ(mail.participants.size(), 1u);  // not the mailbox, not the team member
  EXPECT_EQ(mail.participants[0].emails, std::vector<std::string>{"bob@partner.org"});
  const OutboxEntry next = Reply(o.ticket_id);
  EXPECT_EQ(next.recipients, (std::vector<std::string>{"ann@acme.com", "bob@partner.org"}));
  EXPECT_EQ(next.email.in_reply_to, std::vector<std::string>{"p2@partner.org"});
}

TEST_P(EmailIntakeTest, OutlookReplyWithOnlyThreadIndexJoins) {
  const std::array<std::uint8_t, 16> guid{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  InboundEmail first = Mail("o1@acme.com", "ann@acme.com", "Server down");
  first.thread_index = MakeThreadIndex(kStartTime, guid);
  first.thread_topic = "Server down";
  const IngestOutcome o = In(first);
  InboundEmail reply = Mail("o2@acme.com", "carl@acme.com", "AW: still down??");
  reply.thread_index = AppendThreadIndexChild(first.thread_index, kStartTime + std::chrono::hours(2), 3).value();
  const IngestOutcome joined = In(reply);
  EXPECT_EQ(joined.kind, IngestOutcome::Kind::kJoinedTicket);
  EXPECT_EQ(joined.ticket_id, o.ticket_id);
}

TEST_P(EmailIntakeTest, SubjectReferenceJoinsOnlyForRelatedSenders) {
  const IngestOutcome o = In(Mail("s1@acme.com", "ann@acme.com", "Invoice question"));
  const std::string ref = "[#" + std::to_string(TicketOf(o.ticket_id).number) + "]";
  // A colleague at the same client, writing fresh with the reference: joins.
  const IngestOutcome colleague = In(Mail("s2@acme.com", "dave@acme.com", "Re: " + ref + " Invoice question"));
  EXPECT_EQ(colleague.kind, IngestOutcome::Kind::kJoinedTicket);
  EXPECT_EQ(colleague.ticket_id, o.ticket_id);
  // Someone of another client quoting the reference: a new ticket, linked to the one named.
  const IngestOutcome stranger = In(Mail("s3@globex.com", "eve@globex.com", ref + " give me the invoice"));
  EXPECT_EQ(stranger.kind, IngestOutcome::Kind::kLinkedTicket);
  EXPECT_NE(stranger.ticket_id, o.ticket_id);
  const TicketMailView mail = MailOf(stranger.ticket_id);
  ASSERT_EQ(mail.linked_tickets.size(), 1u);
  EXPECT_EQ(mail.linked_tickets[0].id, o.ticket_id);
  EXPECT_EQ(TicketOf(o.ticket_id).client_id, acme_.id);
  EXPECT_EQ(Must(desk().GetTicket(As(owner_), o.ticket_id)).messages.size(), 2u);  // untouched by the stranger
}

TEST_P(EmailIntakeTest, AgentForwardOpensTheTicketForTheOriginalSender) {
  InboundEmail fwd = Mail("f1@desk.test", "agent@desk.test", "Fwd: Broken laptop");
  fwd.forwarded = ForwardedOriginal{EmailAddress{"Ann Lee", "ann@acme.com"}, "Broken laptop", "", std::nullopt};
  const IngestOutcome o = In(fwd);
  EXPECT_EQ(o.kind, IngestOutcome::Kind::kNewTicket);
  const TicketView v = Must(desk().GetTicket(As(owner_), o.ticket_id));
  EXPECT_EQ(v.contact.emails, std::vector<std::string>{"ann@acme.com"});
  EXPECT_EQ(v.ticket.client_id, acme_.id);
  EXPECT_EQ(v.ticket.subject, "Broken laptop");
  EXPECT_EQ(v.messages.at(0).author_contact_id, v.contact.id);
}

TEST_P(EmailIntakeTest, BounceMarksTheReplyFailedWithTheServersWords) {
  const IngestOutcome o = In(Mail("b1@acme.com", "ann@acme.com", "Hello"));
  const OutboxEntry reply = Reply(o.ticket_id);
  InboundEmail bounce = Mail("dsn1@mx.acme.com", "MAILER-DAEMON@mx.acme.com", "Undelivered Mail Returned to Sender");
  bounce.auto_reply = AutoReplyKind::kBounce;
  bounce.delivery_failure = DeliveryFailure{reply.email.message_id, "ann@acme.com", "5.1.1", "failed",
                                            "smtp; 550 5.1.1 <ann@acme.com>: user unknown"};
  const IngestOutcome b = In(bounce);
  EXPECT_EQ(b.kind, IngestOutcome::Kind::kBounce);
  EXPECT_EQ(b.ticket_id, o.ticket_id);
  const OutboxEntry after = Must(InTransaction(*pool_, [&](StoreSession& s) { return s.GetOutbox(reply.id); }));
  EXPECT_EQ(after.state, OutboxState::kFailed);
  EXPECT_NE(after.last_reply.find("user unknown"), std::string::npos);
  const TicketView v = Must(desk().GetTicket(As(owner_), o.ticket_id));
  EXPECT_EQ(v.messages.back().kind, MessageKind::kNote);
  EXPECT_EQ(Must(desk().CountTickets(As(owner_), TicketQuery{})), 1);  // no ticket for the mailer daemon
  EXPECT_EQ(In(bounce).kind, IngestOutcome::Kind::kDuplicate);
}

TEST_P(EmailIntakeTest, ImportDatesMessagesByTheirDateHeader) {
  InboundEmail old = Mail("h1@acme.com", "ann@acme.com", "From last year");
  old.date = kStartTime - std::chrono::hours(24 * 300);
  InboundEmail future = Mail("h2@acme.com", "ann@acme.com", "From the future");
  future.date = kStartTime + std::chrono::hours(24 * 30);
  InboundEmail bad = Mail("h3@acme.com", "", "No sender");
  const std::vector<ReceivedEmail> batch{{old, "a"}, {bad, "b"}, {future, "c"}};
  const auto outcomes = Must(intake_->IngestMany(batch));
  ASSERT_EQ(outcomes.size(), 3u);
  ASSERT_TRUE(outcomes[0].ok());
  EXPECT_EQ(outcomes[1].status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(outcomes[2].ok());
  EXPECT_EQ(TicketOf(outcomes[0]->ticket_id).created_at, *old.date);
  EXPECT_EQ(TicketOf(outcomes[2]->ticket_id).created_at, kStartTime);  // a wrong clock is not believed
}

TEST_P(EmailIntakeTest, OutboxSendsOnceRetriesTemporaryFailuresAndNeverResendsAnInterruptedSend) {
  const IngestOutcome o = In(Mail("w1@acme.com", "ann@acme.com", "Hello"));
  const OutboxEntry reply = Reply(o.ticket_id);
  RecordingComposer composer;
  ScriptedSender sender;
  OutboxWorker worker(*pool_, clock_, composer, sender);

  auto report = Must(worker.RunOnce());
  EXPECT_EQ(report.sent, 1);
  ASSERT_EQ(sender.sent.size(), 1u);
  EXPECT_EQ(sender.sent[0].from, "support@desk.test");
  EXPECT_NE(sender.sent[0].raw.find(reply.email.message_id), std::string::npos);
  EXPECT_EQ(Must(worker.RunOnce()).sent, 0);  // sent is sent: never twice
  EXPECT_EQ(sender.sent.size(), 1u);

  // A temporary failure is retried after the back-off, not before.
  const OutboxEntry second = Reply(o.ticket_id, "One more thing.");
  sender.next = SmtpOutcome{SmtpOutcome::Kind::kTemporaryFailure, 451, "451 4.3.0 try later"};
  EXPECT_EQ(Must(worker.RunOnce()).retried, 1);
  EXPECT_EQ(Must(worker.RunOnce()).retried, 0);
  clock_.Advance(*RetryDelay(1));
  sender.next = SmtpOutcome{SmtpOutcome::Kind::kSent, 250, "250 ok"};
  EXPECT_EQ(Must(worker.RunOnce()).sent, 1);
  EXPECT_EQ(Must(InTransaction(*pool_, [&](StoreSession& s) { return s.GetOutbox(second.id); })).attempts, 2);

  // A permanent failure stops at once, with the server's words, and a person may send it again.
  const OutboxEntry third = Reply(o.ticket_id, "Third.");
  sender.next = SmtpOutcome{SmtpOutcome::Kind::kPermanentFailure, 550, "550 5.1.1 no such user"};
  EXPECT_EQ(Must(worker.RunOnce()).failed, 1);
  const OutboxEntry failed = Must(InTransaction(*pool_, [&](StoreSession& s) { return s.GetOutbox(third.id); }));
  EXPECT_EQ(failed.state, OutboxState::kFailed);
  EXPECT_EQ(failed.last_reply, "550 5.1.1 no such user");
  EmailOutbox people(*pool_, clock_);
  EXPECT_EQ(people.Retry(As(agent_), second.id).status().code(), StatusCode::kConflict);  // it was sent
  Must(people.Retry(As(agent_), third.id));
  sender.next = SmtpOutcome{SmtpOutcome::Kind::kSent, 250, "250 ok"};
  EXPECT_EQ(Must(worker.RunOnce()).sent, 1);

  // A claim whose sender died mid-send: settled as failed after its lease, and not sent again.
  const OutboxEntry fourth = Reply(o.ticket_id, "Fourth.");
  Must(InTransaction(*pool_, [&](StoreSession& s) {
    return s.ClaimDueOutbox(clock_.Now(), clock_.Now() + std::chrono::minutes(10), 10);
  }));
  const std::size_t before = sender.sent.size();
  EXPECT_EQ(Must(worker.RunOnce()).interrupted, 0);  // the lease still runs
  clock_.Advance(std::chrono::minutes(11));
  EXPECT_EQ(Must(worker.RunOnce()).interrupted, 1);
  EXPECT_EQ(sender.sent.size(), before);
  const OutboxEntry settled = Must(InTransaction(*pool_, [&](StoreSession& s) { return s.GetOutbox(fourth.id); }));
  EXPECT_EQ(settled.state, OutboxState::kFailed);
  EXPECT_NE(settled.last_reply.find("interrupted"), std::string::npos);
}

TEST_P(EmailIntakeTest, ReplyAttachmentsAreKeptAndSentWithTheMail) {
  const IngestOutcome o = In(Mail("a1@acme.com", "ann@acme.com", "Need the contract"));
  NewMessage reply{MessageKind::kReply, "Here it is.", ""};
  EmailAttachment pdf;
  pdf.filename = "../../etc/contract v2.pdf";
  pdf.content_type = "Application/PDF";
  pdf.data = std::string("%PDF-1.7\0binary", 15);
  reply.attachments = {pdf};
  const Message m = Must(desk().AddMessage(As(agent_), o.ticket_id, reply));
  const TicketMailView mail = MailOf(o.ticket_id);
  ASSERT_EQ(mail.attachments.at(m.id).size(), 1u);
  const StoredAttachment& stored = mail.attachments.at(m.id)[0];
  EXPECT_EQ(stored.filename, "contract v2.pdf");  // no directory part
  EXPECT_EQ(stored.content_type, "application/pdf");
  EXPECT_EQ(mail.deliveries.at(m.id).attachment_ids, std::vector<AttachmentId>{stored.id});

  RecordingComposer composer;
  ScriptedSender sender;
  OutboxWorker worker(*pool_, clock_, composer, sender);
  EXPECT_EQ(Must(worker.RunOnce()).sent, 1);
  ASSERT_EQ(composer.attachments.size(), 1u);
  EXPECT_EQ(composer.attachments[0].data, pdf.data);
  EXPECT_EQ(composer.attachments[0].filename, "contract v2.pdf");

  // Limits: too many files, or one too large, is refused and stores nothing.
  NewMessage many{MessageKind::kNote, "files", ""};
  many.attachments.assign(kMaxMessageAttachments + 1, pdf);
  EXPECT_EQ(desk().AddMessage(As(agent_), o.ticket_id, many).status().code(), StatusCode::kInvalidArgument);
  NewMessage big{MessageKind::kReply, "big", ""};
  EmailAttachment huge;
  huge.filename = "huge.bin";
  huge.data.assign(static_cast<std::size_t>(kMaxAttachmentBytes) + 1, 'x');
  big.attachments = {huge};
  EXPECT_EQ(desk().AddMessage(As(agent_), o.ticket_id, big).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Must(desk().GetTicket(As(owner_), o.ticket_id)).messages.size(), 2u);
}

TEST_P(EmailIntakeTest, ReplyWithoutAMailServerFailsVisibly) {
  Must(InTransaction(*pool_, [&](StoreSession& s) -> Result<bool> {
    RAPPORT_RETURN_IF_ERROR(s.DeleteMailbox(mailbox_));
    return true;
  }));
  const IngestOutcome o = In(Mail("n1@acme.com", "ann@acme.com", "Hello"));
  const OutboxEntry reply = Reply(o.ticket_id);
  RecordingComposer composer;
  ScriptedSender sender;
  OutboxWorker worker(*pool_, clock_, composer, sender);
  EXPECT_EQ(Must(worker.RunOnce()).failed, 1);
  EXPECT_TRUE(sender.sent.empty());
  const OutboxEntry after = Must(InTransaction(*pool_, [&](StoreSession& s) { return s.GetOutbox(reply.id); }));
  EXPECT_NE(after.last_reply.find("no outgoing mail server"), std::string::npos);
}

TEST_P(EmailIntakeTest, PhoneTicketsAndNotesSendNoMail) {
  NewTicket t;
  t.subject = "Call";
  t.body_text = "Rang about the invoice";
  t.channel = Channel::kPhone;
  t.contact.email = "ann@acme.com";
  const Ticket phone = Must(desk().CreateTicket(As(agent_), t));
  Must(desk().AddMessage(As(agent_), phone.id, NewMessage{MessageKind::kReply, "Called back", ""}));
  const IngestOutcome o = In(Mail("q1@acme.com", "ann@acme.com", "Hello"));
  Must(desk().AddMessage(As(agent_), o.ticket_id, NewMessage{MessageKind::kNote, "internal", ""}));
  EXPECT_TRUE(MailOf(phone.id).deliveries.empty());
  EXPECT_TRUE(MailOf(o.ticket_id).deliveries.empty());
}

TEST_P(EmailIntakeTest, AutomaticMailNeverAnswersRobotsAndIsRateLimitedPerAddress) {
  auto may = [&](AutoReplyKind k, const std::string& to) {
    return Must(InTransaction(*pool_, [&](StoreSession& s) { return MaySendAutomaticMail(s, k, to, clock_.Now(), 2); }));
  };
  EXPECT_FALSE(may(AutoReplyKind::kAutoReply, "ann@acme.com"));
  EXPECT_FALSE(may(AutoReplyKind::kBulk, "ann@acme.com"));
  EXPECT_FALSE(may(AutoReplyKind::kBounce, "ann@acme.com"));
  EXPECT_TRUE(may(AutoReplyKind::kNone, "ann@acme.com"));
  auto queue_automatic = [&](int n) {
    OutboxEntry e;
    e.purpose = OutboxPurpose::kAutomatic;
    e.email.message_id = "auto" + std::to_string(n) + "@desk.test";
    e.email.auto_submitted = true;
    e.recipients = {"ann@acme.com"};
    e.next_attempt_at = clock_.Now();
    e.created_at = clock_.Now();
    Must(InTransaction(*pool_, [&](StoreSession& s) { return s.InsertOutbox(e); }));
  };
  queue_automatic(1);
  EXPECT_TRUE(may(AutoReplyKind::kNone, "ann@acme.com"));
  queue_automatic(2);
  EXPECT_FALSE(may(AutoReplyKind::kNone, "ann@acme.com"));  // two in the last hour
  EXPECT_TRUE(may(AutoReplyKind::kNone, "bob@acme.com"));   // per address
  clock_.Advance(std::chrono::minutes(61));
  EXPECT_TRUE(may(AutoReplyKind::kNone, "ann@acme.com"));
}

INSTANTIATE_TEST_SUITE_P(Backends, EmailIntakeTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::app
