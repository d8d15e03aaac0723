#pragma once
// The app fixture with what the follow-up tests share: a client, a ticket assigned to the first
// subcontractor, a mailbox (so that notices are emailed), and helpers for the calendar.

#include <chrono>

#include "app/notices.h"
#include "app/reminders.h"
#include "app_fixture.h"

namespace rapport::app {

// Instants of the week of the fixed clock (2026-11-22 is a Sunday), in UTC.
inline Instant Utc(int day_of_november, int hour, int minute = 0) {
  using namespace std::chrono;
  return Instant(sys_days(year(2026) / November / day(static_cast<unsigned>(day_of_november))) + hours(hour) +
                 minutes(minute));
}

class FollowUpTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    MakeTeam();
    reminders_ = std::make_unique<Reminders>(*pool_, clock_);
    notices_ = std::make_unique<Notices>(*pool_, clock_);
    client_ = Must(desk().CreateClient(As(owner_), {.name = "Acme Ltd"}), "client");
    NewTicket t;
    t.subject = "Printer";
    t.body_text = "It smokes";
    t.contact.email = "ann@acme.example";
    t.assignee_id = sub_.id;
    ticket_ = Must(desk().CreateTicket(As(owner_), t), "ticket");
    NewTicket other = t;
    other.subject = "Not for the subcontractor";
    other.assignee_id = agent_.id;
    other_ticket_ = Must(desk().CreateTicket(As(owner_), other), "other ticket");
    Mailbox m;
    m.name = "Support";
    m.address = "support@desk.test";
    m.is_default = true;
    m.smtp.host = "smtp.desk.test";
    Must(session().InsertMailbox(m), "mailbox");
  }
  void TearDown() override {
    reminders_.reset();
    notices_.reset();
    AppTest::TearDown();
  }

  Reminders& reminders() { return *reminders_; }
  Notices& notices() { return *notices_; }

  void AddHoliday(int month, int day) {
    Holiday h;
    h.year = 2026;
    h.month = month;
    h.day = day;
    h.name = "Day off";
    Must(session().InsertHoliday(h), "holiday");
  }

  void SetOnCall(User& u, bool on_call) {
    u.on_call = on_call;
    ASSERT_TRUE(session().UpdateUser(u).ok());
  }

  std::unique_ptr<Reminders> reminders_;
  std::unique_ptr<Notices> notices_;
  Client client_;
  Ticket ticket_, other_ticket_;
};

}  // namespace rapport::app
