// Automatic mail to clients (app/auto_followups.h) on SQLite and PostgreSQL: the acknowledgement of
// a new email request with its promised time in the client's zone, and the nudges and the close of a
// ticket that waits on the client, exactly once.
//
// The calendar: the workspace works Monday-Friday 09:00-17:00 in America/New_York (EST, UTC-5 in
// November), so a business day is 8 hours. The clock starts on Sunday 2026-11-22.

#include <algorithm>
#include <latch>
#include <thread>

#include "app/auto_followups.h"
#include "app/email_intake.h"
#include "app/email_outbox.h"
#include "app/unit_of_work.h"
#include "app_fixture.h"

namespace rapport::app {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

Instant Utc(int month, int day, int hour, int minute = 0) {
  using namespace std::chrono;
  return Instant(sys_days(year(2026) / month / static_cast<unsigned>(day)) + hours(hour) + minutes(minute));
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class AutoFollowUpsTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    MakeTeam();
    Workspace w = Must(session().GetWorkspace(), "workspace");
    w.name = "Desk";
    w.time_zone = "America/New_York";
    // The migration stamps nudges_since with the wall clock; these tests run at fixed 2026 instants
    // and count waiting from its start (NudgesCountOnlyFromWhenTheyWereSwitchedOn tests the stamp).
    w.nudges_since = Instant{};
    ASSERT_TRUE(session().SaveWorkspace(w).ok());
    acme_ = Must(desk().CreateClient(As(owner_), {.name = "Acme Ltd",
                                                  .email_domains = std::vector<std::string>{"acme.co.uk"},
                                                  .time_zone = std::string("Europe/London")}),
                 "client");
    // The default policy: first response in 4 business hours for normal priority.
    SlaPolicy p;
    p.name = "Standard";
    p.For(Priority::kNormal).first_response = minutes(4 * 60);
    Must(session().InsertSlaPolicy(p), "policy");
    Mailbox m;
    m.name = "Support";
    m.address = "support@desk.test";
    m.display_name = "Desk Support";
    m.is_default = true;
    m.smtp.host = "127.0.0.1";
    Must(session().InsertMailbox(m), "mailbox");
    intake_ = std::make_unique<EmailIntake>(*pool_, clock_);
    outbox_ = std::make_unique<EmailOutbox>(*pool_, clock_);
  }
  void TearDown() override {
    outbox_.reset();
    intake_.reset();
    AppTest::TearDown();
  }

  static InboundEmail Mail(std::string id, std::string from, std::string subject) {
    InboundEmail e;
    e.message_id = std::move(id);
    e.from = EmailAddress{"Ann Lee", std::move(from)};
    e.to = {EmailAddress{"Desk Support", "support@desk.test"}};
    e.subject = std::move(subject);
    e.text = "Our printer is on fire.";
    return e;
  }

  IngestOutcome In(const InboundEmail& e) {
    return Must(intake_->Ingest(ReceivedEmail{e, "raw " + e.message_id}), "ingest");
  }

  std::vector<OutboxEntry> Automatic(TicketId id) {
    std::vector<OutboxEntry> out;
    for (OutboxEntry& e : Must(outbox_->ListForTicket(As(owner_), id), "outbox")) {
      if (e.purpose == OutboxPurpose::kAutomatic) out.push_back(std::move(e));
    }
    return out;
  }

  void ChangeWorkspace(bool acknowledge, int after_days, int limit) {
    Workspace w = Must(desk().GetWorkspace(As(owner_)));
    w.acknowledge_requests = acknowledge;
    w.nudge_after_days = after_days;
    w.nudge_limit = limit;
    Must(desk().UpdateWorkspace(As(owner_), w), "settings");
  }

  Ticket TicketOf(TicketId id) { return Must(desk().GetTicket(As(owner_), id)).ticket; }

  // A client's request answered by the agent, who then waits on the client from `waiting_since`.
  Ticket Waiting(Instant waiting_since, const std::string& id = "ask@acme.co.uk") {
    clock_.Set(waiting_since - hours(1));
    const IngestOutcome o = In(Mail(id, "ann@acme.co.uk", "Printer on fire"));
    Must(desk().AddMessage(As(agent_), o.ticket_id, NewMessage{MessageKind::kReply, "Which model is it?", ""}));
    clock_.Set(waiting_since);
    return Must(desk().UpdateTicket(As(agent_), o.ticket_id, TicketChanges{.status = TicketStatus::kWaitingOnClient}));
  }

  NudgeRound RunAt(Instant t) {
    clock_.Set(t);
    return Must(SendDueNudges(*pool_, t), "nudges");
  }

  int NudgesSent(TicketId id) {
    const auto mail = Automatic(id);
    return static_cast<int>(std::count_if(mail.begin(), mail.end(), [](const OutboxEntry& e) {
      return Contains(e.email.markdown, "checking in") || Contains(e.email.markdown, "Following up");
    }));
  }

  Client acme_;
  std::unique_ptr<EmailIntake> intake_;
  std::unique_ptr<EmailOutbox> outbox_;
};

TEST_P(AutoFollowUpsTest, NewClientEmailIsAcknowledgedWithThePromiseInTheClientsZone) {
  const IngestOutcome o = In(Mail("m1@acme.co.uk", "ann@acme.co.uk", "Printer on fire"));
  ASSERT_EQ(o.kind, IngestOutcome::Kind::kNewTicket);
  const Ticket t = TicketOf(o.ticket_id);
  // Sunday 15:04Z: business starts Monday 09:00 EST (14:00Z); 4 hours later is 18:00Z, 6 PM in London.
  ASSERT_TRUE(t.first_response_due_at.has_value());
  EXPECT_EQ(*t.first_response_due_at, Utc(11, 23, 18));

  const auto mail = Automatic(o.ticket_id);
  ASSERT_EQ(mail.size(), 1u);
  const OutboxEntry& ack = mail[0];
  EXPECT_TRUE(ack.email.auto_submitted);
  EXPECT_EQ(ack.recipients, std::vector<std::string>{"ann@acme.co.uk"});
  EXPECT_EQ(ack.email.from.address, "support@desk.test");
  EXPECT_EQ(ack.email.in_reply_to, std::vector<std::string>{"m1@acme.co.uk"});
  EXPECT_EQ(ack.email.references, std::vector<std::string>{"m1@acme.co.uk"});
  EXPECT_TRUE(Contains(ack.email.subject, "[#" + std::to_string(t.number) + "]")) << ack.email.subject;
  EXPECT_TRUE(Contains(ack.email.markdown, "We have received your request (#" + std::to_string(t.number) +
                                               ") and will reply by Monday, November 23, 6:00 PM "
                                               "(Europe/London time)."))
      << ack.email.markdown;
  EXPECT_TRUE(Contains(ack.email.markdown, "Hello Ann Lee,")) << ack.email.markdown;
  // Not a reply in the conversation: the first-response promise still runs.
  EXPECT_EQ(Must(desk().GetTicket(As(owner_), o.ticket_id)).messages.size(), 1u);
  EXPECT_EQ(TicketOf(o.ticket_id).first_response_due_at, t.first_response_due_at);
}

TEST_P(AutoFollowUpsTest, TheClientsPlanPicksThePolicyAndNoZoneMeansTheWorkspaces) {
  SlaPolicy gold;
  gold.name = "Gold";
  gold.plan = "gold";
  gold.For(Priority::kNormal).first_response = minutes(60);
  Must(session().InsertSlaPolicy(gold), "gold");
  Must(desk().UpdateClient(As(owner_), acme_.id, {.plan = std::string("gold")}));
  const IngestOutcome gold_ticket = In(Mail("g1@acme.co.uk", "ann@acme.co.uk", "Quick question"));
  auto mail = Automatic(gold_ticket.ticket_id);
  ASSERT_EQ(mail.size(), 1u);
  // Monday 10:00 EST = 15:00Z = 3 PM in London.
  EXPECT_TRUE(Contains(mail[0].email.markdown, "will reply by Monday, November 23, 3:00 PM (Europe/London time)"))
      << mail[0].email.markdown;

  // A sender of no client: the workspace's zone.
  const IngestOutcome other = In(Mail("x1@elsewhere.example", "bob@elsewhere.example", "Hello"));
  mail = Automatic(other.ticket_id);
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_TRUE(Contains(mail[0].email.markdown, "will reply by Monday, November 23, 1:00 PM (America/New_York time)"))
      << mail[0].email.markdown;
}

TEST_P(AutoFollowUpsTest, WithoutAFirstResponsePromiseTheAcknowledgementNamesNoTime) {
  Must(desk().UpdateClient(As(owner_), acme_.id, {.plan = std::string("basic")}));
  // Only a policy for another plan exists once the default one is gone.
  for (const SlaPolicy& p : Must(session().ListSlaPolicies())) ASSERT_TRUE(session().DeleteSlaPolicy(p.id).ok());
  const IngestOutcome o = In(Mail("n1@acme.co.uk", "ann@acme.co.uk", "No rush"));
  EXPECT_FALSE(TicketOf(o.ticket_id).first_response_due_at.has_value());
  const auto mail = Automatic(o.ticket_id);
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_TRUE(Contains(mail[0].email.markdown, "We have received your request (#")) << mail[0].email.markdown;
  EXPECT_FALSE(Contains(mail[0].email.markdown, "reply by")) << mail[0].email.markdown;
}

TEST_P(AutoFollowUpsTest, NoAcknowledgementForRobotsTheTeamRepliesOrImports) {
  InboundEmail ooo = Mail("r1@acme.co.uk", "ann@acme.co.uk", "Out of office");
  ooo.auto_reply = AutoReplyKind::kAutoReply;
  EXPECT_TRUE(Automatic(In(ooo).ticket_id).empty());

  InboundEmail list = Mail("r2@lists.example", "news@lists.example", "Weekly digest");
  list.auto_reply = AutoReplyKind::kBulk;
  EXPECT_TRUE(Automatic(In(list).ticket_id).empty());

  InboundEmail bounce = Mail("r3@mx.example", "mailer-daemon@mx.example", "Undelivered Mail");
  bounce.auto_reply = AutoReplyKind::kBounce;
  EXPECT_TRUE(Automatic(In(bounce).ticket_id).empty());

  const IngestOutcome team = In(Mail("r4@desk.test", "agent@desk.test", "Note to self"));
  EXPECT_EQ(team.kind, IngestOutcome::Kind::kNewTicket);
  EXPECT_TRUE(Automatic(team.ticket_id).empty());

  // A reply on an existing ticket is not a new request.
  const IngestOutcome first = In(Mail("r5@acme.co.uk", "ann@acme.co.uk", "Scanner"));
  InboundEmail again = Mail("r6@acme.co.uk", "ann@acme.co.uk", "Re: Scanner");
  again.in_reply_to = {"r5@acme.co.uk"};
  const IngestOutcome joined = In(again);
  EXPECT_EQ(joined.kind, IngestOutcome::Kind::kJoinedTicket);
  EXPECT_EQ(Automatic(first.ticket_id).size(), 1u);

  // History import never sends mail.
  std::vector<ReceivedEmail> history = {ReceivedEmail{Mail("h1@acme.co.uk", "ann@acme.co.uk", "Old one"), "raw h1"}};
  auto outcomes = Must(intake_->IngestMany(history), "import");
  ASSERT_EQ(outcomes.size(), 1u);
  ASSERT_TRUE(outcomes[0].ok());
  EXPECT_EQ(outcomes[0]->kind, IngestOutcome::Kind::kNewTicket);
  EXPECT_TRUE(Automatic(outcomes[0]->ticket_id).empty());
}

TEST_P(AutoFollowUpsTest, NoAcknowledgementWhenOffOrPastTheRateLimit) {
  ChangeWorkspace(false, 3, 2);
  EXPECT_TRUE(Automatic(In(Mail("o1@acme.co.uk", "ann@acme.co.uk", "One")).ticket_id).empty());
  ChangeWorkspace(true, 3, 2);
  int acknowledged = 0;
  for (int i = 0; i < kMaxAutomaticMailPerHour + 2; ++i) {
    const IngestOutcome o = In(Mail("l" + std::to_string(i) + "@acme.co.uk", "carl@acme.co.uk", "Ask " + std::to_string(i)));
    acknowledged += static_cast<int>(Automatic(o.ticket_id).size());
    clock_.Advance(minutes(5));
  }
  EXPECT_EQ(acknowledged, kMaxAutomaticMailPerHour);
  // An hour after the first, the address may get one again.
  clock_.Advance(hours(1));
  EXPECT_EQ(Automatic(In(Mail("later@acme.co.uk", "carl@acme.co.uk", "Later")).ticket_id).size(), 1u);
}

TEST_P(AutoFollowUpsTest, NudgesAtBusinessDayInstantsThenClosesWithANote) {
  ChangeWorkspace(true, 2, 2);
  // Waiting from Monday 10:00 EST (15:00Z). Two business days = 16 business hours.
  const Ticket t = Waiting(Utc(11, 23, 15));
  const Instant first = Utc(11, 25, 15);   // Wednesday 10:00 EST
  const Instant second = Utc(11, 27, 15);  // Friday 10:00 EST
  const Instant close = Utc(12, 1, 15);    // Tuesday 10:00 EST (the weekend does not count)

  EXPECT_EQ(RunAt(first - std::chrono::seconds(1)).nudges, 0);
  EXPECT_EQ(NudgesSent(t.id), 0);
  EXPECT_EQ(RunAt(first).nudges, 1);
  auto mail = Automatic(t.id);
  ASSERT_FALSE(mail.empty());
  const OutboxEntry& nudge = mail.back();
  EXPECT_TRUE(Contains(nudge.email.markdown, "Just checking in on #" + std::to_string(t.number))) << nudge.email.markdown;
  EXPECT_EQ(nudge.recipients, std::vector<std::string>{"ann@acme.co.uk"});
  EXPECT_TRUE(nudge.email.auto_submitted);
  EXPECT_FALSE(nudge.email.in_reply_to.empty());
  EXPECT_EQ(RunAt(first + hours(1)).nudges, 0);

  EXPECT_EQ(RunAt(second - std::chrono::seconds(1)).nudges, 0);
  EXPECT_EQ(RunAt(second).nudges, 1);
  EXPECT_EQ(NudgesSent(t.id), 2);
  EXPECT_TRUE(Contains(Automatic(t.id).back().email.markdown, "close this request")) << Automatic(t.id).back().email.markdown;

  // The limit is reached: no third nudge; the close waits two more business days.
  NudgeRound r = RunAt(close - std::chrono::seconds(1));
  EXPECT_EQ(r.nudges + r.closed, 0);
  EXPECT_EQ(TicketOf(t.id).status, TicketStatus::kWaitingOnClient);
  r = RunAt(close);
  EXPECT_EQ(r.nudges, 0);
  EXPECT_EQ(r.closed, 1);
  const TicketView v = Must(desk().GetTicket(As(owner_), t.id));
  EXPECT_EQ(v.ticket.status, TicketStatus::kClosed);
  EXPECT_EQ(v.ticket.closed_at, close);
  ASSERT_FALSE(v.messages.empty());
  EXPECT_EQ(v.messages.back().kind, MessageKind::kReply);
  EXPECT_TRUE(Contains(v.messages.back().body_text, "closing #" + std::to_string(t.number))) << v.messages.back().body_text;
  EXPECT_FALSE(v.messages.back().author_user_id.has_value());
  mail = Automatic(t.id);
  EXPECT_TRUE(Contains(mail.back().email.markdown, "closing #")) << mail.back().email.markdown;
  EXPECT_EQ(mail.back().message_id, v.messages.back().id);
  // Audited as the system.
  const auto history = Must(desk().TicketHistory(As(owner_), t.id));
  const bool system_closed = std::any_of(history.begin(), history.end(), [](const AuditEntry& a) {
    return !a.actor_id && a.action == "update" && Contains(a.detail, "closed");
  });
  EXPECT_TRUE(system_closed);
  // Nothing more, ever.
  r = RunAt(close + hours(24 * 30));
  EXPECT_EQ(r.nudges + r.closed, 0);
  EXPECT_EQ(NudgesSent(t.id), 2);
}

TEST_P(AutoFollowUpsTest, AClientAnswerEndsTheWaitingPeriod) {
  ChangeWorkspace(true, 1, 3);
  const Ticket t = Waiting(Utc(11, 23, 15));
  EXPECT_EQ(RunAt(Utc(11, 24, 15)).nudges, 1);  // Tuesday 10:00 EST
  // The client answers in the thread: the ticket is open again, nothing more is sent.
  clock_.Set(Utc(11, 24, 16));
  InboundEmail answer = Mail("answer@acme.co.uk", "ann@acme.co.uk", "Re: Printer on fire");
  answer.in_reply_to = {"ask@acme.co.uk"};
  EXPECT_EQ(In(answer).ticket_id, t.id);
  EXPECT_EQ(TicketOf(t.id).status, TicketStatus::kOpen);
  NudgeRound r = RunAt(Utc(12, 10, 15));
  EXPECT_EQ(r.nudges + r.closed, 0);
  EXPECT_EQ(NudgesSent(t.id), 1);

  // Waiting again later is a new period, counted from 1.
  clock_.Set(Utc(12, 14, 15));  // Monday 10:00 EST
  Must(desk().UpdateTicket(As(agent_), t.id, TicketChanges{.status = TicketStatus::kWaitingOnClient}));
  EXPECT_EQ(RunAt(Utc(12, 15, 15) - std::chrono::seconds(1)).nudges, 0);
  EXPECT_EQ(RunAt(Utc(12, 15, 15)).nudges, 1);
  EXPECT_EQ(NudgesSent(t.id), 2);
  EXPECT_TRUE(Contains(Automatic(t.id).back().email.markdown, "Just checking in")) << Automatic(t.id).back().email.markdown;
}

TEST_P(AutoFollowUpsTest, NudgesCountOnlyFromWhenTheyWereSwitchedOn) {
  ChangeWorkspace(true, 0, 2);
  // Waiting since Monday 10:00 EST while nudges were off: history, not something to nudge at once.
  const Ticket t = Waiting(Utc(11, 23, 15));
  clock_.Set(Utc(12, 2, 15));  // Wednesday a week later, 10:00 EST: switched on, one business day
  ChangeWorkspace(true, 1, 2);
  EXPECT_EQ(Must(desk().GetWorkspace(As(owner_))).nudges_since, Utc(12, 2, 15));
  EXPECT_EQ(RunAt(Utc(12, 2, 15)).nudges, 0) << "nine days of old waiting are not nudged at once";
  EXPECT_EQ(RunAt(Utc(12, 3, 15) - std::chrono::seconds(1)).nudges, 0);
  EXPECT_EQ(RunAt(Utc(12, 3, 15)).nudges, 1) << "one business day after switching on";
  EXPECT_EQ(NudgesSent(t.id), 1);
  // Changing the number of days while on keeps the stamp.
  clock_.Set(Utc(12, 4, 15));
  ChangeWorkspace(true, 2, 2);
  EXPECT_EQ(Must(desk().GetWorkspace(As(owner_))).nudges_since, Utc(12, 2, 15));
}

TEST_P(AutoFollowUpsTest, OffMeansNoNudges) {
  ChangeWorkspace(true, 0, 2);
  const Ticket t = Waiting(Utc(11, 23, 15));
  const NudgeRound r = RunAt(Utc(12, 31, 15));
  EXPECT_EQ(r.nudges + r.closed, 0);
  EXPECT_EQ(TicketOf(t.id).status, TicketStatus::kWaitingOnClient);
}

TEST_P(AutoFollowUpsTest, RunningTwiceOrConcurrentlyOrAfterARestartSendsNothingTwice) {
  ChangeWorkspace(true, 1, 1);
  const Ticket t = Waiting(Utc(11, 23, 15));
  const Instant due = Utc(11, 24, 15);
  clock_.Set(due);
  // Two nodes at once, released together: the nudges row's primary key lets one of them send. The
  // other thread only records its result (a gtest assertion off the main thread would not stop it).
  std::latch start(2);
  Result<NudgeRound> a = Status::Internal("not run");
  std::thread other([&] {
    start.arrive_and_wait();
    a = SendDueNudges(*pool_, due);
  });
  start.arrive_and_wait();
  const Result<NudgeRound> b = SendDueNudges(*pool_, due);
  other.join();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(a->nudges + b->nudges, 1);
  // A restarted worker (a fresh session) at the same instant and later: nothing new until the close.
  EXPECT_EQ(RunAt(due).nudges, 0);
  EXPECT_EQ(RunAt(due + hours(2)).nudges, 0);
  EXPECT_EQ(NudgesSent(t.id), 1);
  // A nudge recorded by a worker that then crashed cannot exist without its email (one transaction):
  // a second close attempt after the first one is likewise refused.
  const Instant close = Utc(11, 25, 15);
  EXPECT_EQ(RunAt(close).closed, 1);
  EXPECT_EQ(RunAt(close).closed, 0);
  const auto mail = Automatic(t.id);
  const auto closing = std::count_if(mail.begin(), mail.end(), [](const OutboxEntry& e) {
    return Contains(e.email.markdown, "closing #");
  });
  EXPECT_EQ(closing, 1);
}

TEST_P(AutoFollowUpsTest, SettingsAreValidatedAndKept) {
  Workspace w = Must(desk().GetWorkspace(As(owner_)));
  EXPECT_TRUE(w.acknowledge_requests);
  EXPECT_EQ(w.nudge_after_days, 3);
  EXPECT_EQ(w.nudge_limit, 2);
  w.nudge_after_days = 31;
  w.nudge_limit = -1;
  const Status bad = desk().UpdateWorkspace(As(owner_), w).status();
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(bad.ToString(), "nudge_after_days")) << bad.ToString();
  EXPECT_TRUE(Contains(bad.ToString(), "nudge_limit")) << bad.ToString();
  EXPECT_EQ(desk().UpdateWorkspace(As(agent_), w).status().code(), StatusCode::kPermissionDenied);
  ChangeWorkspace(false, 5, 4);
  w = Must(desk().GetWorkspace(As(agent_)));
  EXPECT_FALSE(w.acknowledge_requests);
  EXPECT_EQ(w.nudge_after_days, 5);
  EXPECT_EQ(w.nudge_limit, 4);
  // Another change of the workspace keeps them.
  w.name = "Renamed";
  Must(desk().UpdateWorkspace(As(owner_), w));
  EXPECT_EQ(Must(desk().GetWorkspace(As(owner_))).nudge_after_days, 5);

  // A client's zone: an IANA name or empty.
  EXPECT_EQ(desk().UpdateClient(As(owner_), acme_.id, {.time_zone = std::string("Mars/Olympus")}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Must(desk().UpdateClient(As(owner_), acme_.id, {.time_zone = std::string(" Asia/Kolkata ")})).time_zone,
            "Asia/Kolkata");
  EXPECT_EQ(Must(desk().UpdateClient(As(owner_), acme_.id, {.time_zone = std::string()})).time_zone, "");
}

INSTANTIATE_TEST_SUITE_P(Backends, AutoFollowUpsTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::app
