#include "app/reminders.h"

#include <set>

#include "app/desk_support.h"
#include "app/notices.h"
#include "app/promise_settings.h"
#include "app/transaction.h"
#include "app/unit_of_work.h"
#include "app/validation.h"

namespace rapport::app {
namespace {

Status Missing(ReminderId id) { return Status::NotFound("reminder " + IdText(id.value) + " does not exist"); }

bool MayChange(const Actor& actor, const Reminder& r) {
  return r.user_id == actor.id || r.created_by == actor.id || CanManageSettings(actor);
}

// The reminder, or kNotFound when it does not exist or the actor may not change it.
Result<Reminder> LoadOwnReminder(StoreSession& s, const Actor& actor, ReminderId id) {
  if (!id.valid()) return Missing(id);
  auto r = s.GetReminder(id);
  if (!r.ok()) return r.status().code() == StatusCode::kNotFound ? Missing(id) : r.status();
  if (!MayChange(actor, *r)) return Missing(id);
  return r;
}

Result<Instant> DueTime(StoreSession& s, Instant now, const ReminderWhen& when) {
  if (when.at && !when.business_hours && !when.business_days) return *when.at;  // no calendar needed
  RAPPORT_ASSIGN_OR_RETURN(BusinessCalendar calendar, LoadWorkspaceCalendar(s));
  return ReminderDueTime(calendar, now, when);
}

// An entry in the ticket's or client's audit trail (a reminder on neither has no trail).
Status AuditReminder(StoreSession& s, const Actor& actor, const Reminder& r, Instant now) {
  AuditDetail d;
  d.Set("reminder_id", r.id.value);
  d.Set("due_at", FormatRfc3339(r.due_at));
  if (r.ticket_id) return WriteAudit(s, actor.id, "ticket", r.ticket_id->value, "reminder_set", d, now);
  if (r.client_id) return WriteAudit(s, actor.id, "client", r.client_id->value, "reminder_set", d, now);
  return Status::Ok();
}

}  // namespace

std::chrono::seconds AverageBusinessDay(const BusinessCalendar& calendar) {
  using std::chrono::hours;
  std::set<int> days;
  for (const WorkingInterval& i : calendar.hours()) days.insert(i.weekday);
  if (days.empty()) return hours(24);
  // The weekly business time of the same hours without holidays, measured over one week in UTC
  // (1970-01-04 was a Sunday).
  auto plain = BusinessCalendar::Make(calendar.hours(), {}, ZoneRules());
  if (!plain.ok()) return hours(24);
  const Instant sunday = InstantFromUnix(3 * 86400);
  const std::chrono::seconds week = plain->Between(sunday, sunday + hours(24 * 7));
  if (week.count() <= 0) return hours(24);
  return week / static_cast<long>(days.size());
}

std::optional<Instant> AddBusinessDays(const BusinessCalendar& calendar, Instant from, int days) {
  return calendar.Add(from, AverageBusinessDay(calendar) * days);
}

Result<Instant> ReminderDueTime(const BusinessCalendar& calendar, Instant now, const ReminderWhen& when) {
  const int given = (when.at ? 1 : 0) + (when.business_hours ? 1 : 0) + (when.business_days ? 1 : 0);
  if (given != 1) return Status::FieldError("due_at", "give exactly one of due_at, in_business_hours, in_business_days");
  if (when.at) return *when.at;
  std::optional<Instant> due;
  if (when.business_hours) {
    if (*when.business_hours < 1 || *when.business_hours > kMaxReminderBusinessHours) {
      return Status::FieldError("in_business_hours",
                                "must be from 1 to " + std::to_string(kMaxReminderBusinessHours));
    }
    due = calendar.Add(now, std::chrono::hours(*when.business_hours));
  } else {
    if (*when.business_days < 1 || *when.business_days > kMaxReminderBusinessDays) {
      return Status::FieldError("in_business_days", "must be from 1 to " + std::to_string(kMaxReminderBusinessDays));
    }
    due = AddBusinessDays(calendar, now, *when.business_days);
  }
  if (!due) {
    return Status::FieldError(when.business_hours ? "in_business_hours" : "in_business_days",
                              "the business calendar has no business time in the next years; check the business "
                              "hours and holidays in Settings");
  }
  return *due;
}

Result<Reminder> Reminders::Create(const Actor& actor, const ReminderFields& f) {
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Reminder> {
    FieldErrors errors;
    Reminder r;
    r.user_id = f.user_id.value_or(actor.id);
    r.created_by = actor.id;
    r.created_at = now;
    r.title = OneLine(f.title);
    r.note = f.note;
    Actor reminded{r.user_id, actor.role};
    if (r.user_id != actor.id) {
      if (!CanManageSettings(actor)) {
        return Status::PermissionDenied("only an owner or admin may set a reminder for another person");
      }
      auto user = s.GetUser(r.user_id);
      if (!user.ok() || !user->active) {
        errors.Add("user_id", "user " + IdText(r.user_id.value) + " does not exist or is not active");
      } else {
        reminded.role = user->role;
      }
    }
    if (f.ticket_id && f.client_id) errors.Add("client_id", "a reminder is on a ticket or on a client, not both");
    if (f.ticket_id) {
      RAPPORT_ASSIGN_OR_RETURN(Ticket t, LoadVisibleTicket(s, actor, *f.ticket_id));
      if (errors.empty() && !CanViewTicket(reminded, t.assignee_id)) {
        errors.Add("user_id", "this person may not see the ticket");
      }
      r.ticket_id = t.id;
      if (r.title.empty()) r.title = "#" + std::to_string(t.number) + " " + t.subject;
    } else if (f.client_id) {
      if (!CanViewClients(actor)) return Status::PermissionDenied("your role does not see clients");
      auto c = s.GetClient(*f.client_id);
      if (!c.ok()) return c.status();
      r.client_id = c->id;
      if (r.title.empty()) r.title = c->name;
    }
    if (r.title.empty()) errors.Add("title", "is required for a reminder on neither a ticket nor a client");
    r.title = StorableText(r.title, kMaxReminderTitleChars * 4);
    errors.CheckText("title", r.title, kMaxReminderTitleChars);
    errors.CheckText("note", r.note, kMaxReminderNoteChars);
    auto due = DueTime(s, now, f.when);
    if (!due.ok()) return due.status();
    r.due_at = *due;
    RAPPORT_RETURN_IF_ERROR(errors.ToStatus());
    RAPPORT_ASSIGN_OR_RETURN(r.id, s.InsertReminder(r));
    RAPPORT_RETURN_IF_ERROR(AuditReminder(s, actor, r, now));
    return r;
  });
}

Result<Reminder> Reminders::Get(const Actor& actor, ReminderId id) {
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) { return LoadOwnReminder(s, actor, id); });
}

Result<Reminder> Reminders::Snooze(const Actor& actor, ReminderId id, const ReminderWhen& when) {
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Reminder> {
    RAPPORT_ASSIGN_OR_RETURN(Reminder r, LoadOwnReminder(s, actor, id));
    RAPPORT_ASSIGN_OR_RETURN(r.due_at, DueTime(s, now, when));
    r.notified_at.reset();
    r.done_at.reset();
    RAPPORT_RETURN_IF_ERROR(s.UpdateReminder(r));
    return r;
  });
}

Result<Reminder> Reminders::Done(const Actor& actor, ReminderId id) {
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Reminder> {
    RAPPORT_ASSIGN_OR_RETURN(Reminder r, LoadOwnReminder(s, actor, id));
    if (!r.done_at) {
      r.done_at = now;
      RAPPORT_RETURN_IF_ERROR(s.UpdateReminder(r));
    }
    return r;
  });
}

Status Reminders::Delete(const Actor& actor, ReminderId id) {
  using Finished = app::Done;  // Reminders::Done, the member, hides the name here
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Finished> {
           RAPPORT_RETURN_IF_ERROR(LoadOwnReminder(s, actor, id).status());
           RAPPORT_RETURN_IF_ERROR(s.DeleteReminder(id));
           return Finished{};
         })
      .status();
}

Result<std::vector<Reminder>> Reminders::ListMine(const Actor& actor, bool open_only) {
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) {
    return s.ListReminders(ReminderQuery{actor.id, open_only, kMaxPageSize});
  });
}

Result<std::vector<Reminder>> Reminders::ListMineOn(const Actor& actor, std::optional<TicketId> ticket,
                                                    std::optional<ClientId> client) {
  ReminderQuery q{actor.id, true, kMaxPageSize};
  q.ticket_id = ticket;
  q.client_id = client;
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) { return s.ListReminders(q); });
}

Result<std::vector<Reminder>> Reminders::ListAll(const Actor& actor, bool open_only) {
  if (!CanManageSettings(actor)) return Status::PermissionDenied("only an owner or admin may see everyone's reminders");
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) {
    return s.ListReminders(ReminderQuery{std::nullopt, open_only, kMaxPageSize});
  });
}

Result<int> DeliverDueReminders(SessionPool& pool, Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(SessionPool::Lease s, pool.Acquire());
  int delivered = 0;
  std::optional<NoticeContext> context;  // read once the round has a reminder due
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(std::vector<Reminder> due, s->ListDueReminders(now, 50));
    if (due.empty()) return delivered;
    if (!context) {
      RAPPORT_ASSIGN_OR_RETURN(context, LoadNoticeContext(*s));
    }
    for (const Reminder& listed : due) {
      Transaction tx(*s);
      RAPPORT_RETURN_IF_ERROR(tx.began());
      // Read again inside the transaction: another node, or a person, may have acted since the list.
      auto r = s->GetReminder(listed.id);
      if (!r.ok() && r.status().code() == StatusCode::kNotFound) continue;
      if (!r.ok()) return r.status();
      if (r->done_at || r->notified_at || r->due_at > now) continue;
      NoticeDraft n;
      n.user_id = r->user_id;
      n.kind = "reminder";
      n.ticket_id = r->ticket_id;
      n.client_id = r->client_id;
      n.title = "Reminder: " + r->title;
      n.body = r->note;
      n.dedup_key = "reminder:" + IdText(r->id.value) + "@" + std::to_string(ToUnix(r->due_at));
      RAPPORT_RETURN_IF_ERROR(RaiseNotice(*s, *context, n, now).status());
      r->notified_at = now;
      RAPPORT_RETURN_IF_ERROR(s->UpdateReminder(*r));
      RAPPORT_RETURN_IF_ERROR(tx.Commit());
      ++delivered;
    }
  }
}

}  // namespace rapport::app
