#include "app/notices.h"

#include "app/desk_support.h"
#include "app/email_support.h"
#include "app/promise_settings.h"
#include "app/unit_of_work.h"
#include "app/validation.h"
#include "app/zone_rules_loader.h"
#include "core/identity.h"
#include "core/markdown_text.h"
#include "security/tokens.h"

namespace rapport::app {
namespace {

// The email of a notice, from the context's mailbox.
Result<std::optional<OutboxEntry>> NoticeEmail(const std::optional<Mailbox>& mailbox, const User& user,
                                               const Notice& n) {
  if (user.email.empty() || !mailbox) return std::optional<OutboxEntry>();
  OutboxEntry e;
  e.purpose = OutboxPurpose::kAutomatic;
  e.mailbox_id = mailbox->id;
  e.email.from = EmailAddress{mailbox->display_name.empty() ? mailbox->name : mailbox->display_name, mailbox->address};
  e.email.to = {EmailAddress{user.name, user.email}};
  RAPPORT_ASSIGN_OR_RETURN(std::string token, security::RandomToken());
  std::string domain = EmailDomain(mailbox->address);
  e.email.message_id = "rapport.notice." + token + "@" + (domain.empty() ? std::string("rapport.invalid") : domain);
  e.email.subject = "[Rapport] " + n.title;
  e.email.date = n.deliver_at;
  // Text, not Markdown: a title names a ticket's subject or a client (outside text), and a reminder's
  // note is typed as plain text; neither may turn into a link in a mail from the desk.
  e.email.markdown = EscapeMarkdownText(n.title);
  if (!n.body.empty()) e.email.markdown += "\n\n" + EscapeMarkdownLines(n.body);
  e.email.auto_submitted = true;
  e.envelope_from = mailbox->address;
  e.recipients = {user.email};
  e.state = OutboxState::kQueued;
  e.next_attempt_at = n.deliver_at;
  e.created_at = n.created_at;
  return std::optional<OutboxEntry>(std::move(e));
}

// The draft's person: from the context, else from the store (kNotFound when unknown).
Result<User> Recipient(StoreSession& s, const NoticeContext& context, UserId id) {
  for (const User& u : context.users) {
    if (u.id == id) return u;
  }
  return s.GetUser(id);
}

}  // namespace

std::vector<User> NoticeContext::OwnersAnd(std::optional<UserId> also) const {
  std::vector<User> out;
  for (const User& u : users) {
    if (u.active && (u.role == Role::kOwner || (also && u.id == *also))) out.push_back(u);
  }
  return out;
}

Result<NoticeContext> LoadNoticeContext(StoreSession& s) {
  NoticeContext c;
  RAPPORT_ASSIGN_OR_RETURN(c.users, s.ListUsers());
  RAPPORT_ASSIGN_OR_RETURN(BusinessCalendar workspace, LoadWorkspaceCalendar(s));
  c.holidays = workspace.holidays();
  RAPPORT_ASSIGN_OR_RETURN(std::vector<Mailbox> mailboxes, s.ListMailboxes());
  c.mailbox = SendingMailbox({}, mailboxes);
  return c;
}

Result<Instant> NoticeDeliveryTime(const User& user, const std::vector<Holiday>& holidays, Instant now) {
  if (user.on_call) return now;
  RAPPORT_ASSIGN_OR_RETURN(BusinessCalendar own, PersonCalendar(user, holidays));
  return own.NextOpen(now).value_or(now);
}

Result<bool> RaiseNotice(StoreSession& s, const NoticeContext& context, const NoticeDraft& draft, Instant now) {
  FieldErrors errors;
  if (draft.dedup_key.empty()) errors.Add("dedup_key", "is required");
  errors.CheckText("dedup_key", draft.dedup_key, kMaxDedupKeyChars);
  if (draft.kind.empty()) errors.Add("kind", "is required");
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());

  RAPPORT_ASSIGN_OR_RETURN(User user, Recipient(s, context, draft.user_id));
  if (!user.active) return false;
  Notice n;
  n.user_id = user.id;
  n.kind = draft.kind;
  n.ticket_id = draft.ticket_id;
  n.client_id = draft.client_id;
  n.title = StorableText(OneLine(draft.title), kMaxNoticeTitleBytes);
  n.body = StorableText(draft.body, kMaxNoticeBodyBytes);
  n.dedup_key = draft.dedup_key;
  n.created_at = now;
  RAPPORT_ASSIGN_OR_RETURN(n.deliver_at, NoticeDeliveryTime(user, context.holidays, now));
  RAPPORT_ASSIGN_OR_RETURN(std::optional<OutboxEntry> email, NoticeEmail(context.mailbox, user, n));
  if (email) n.emailed_at = now;
  RAPPORT_ASSIGN_OR_RETURN(std::optional<NoticeId> id, s.InsertNotice(n));
  if (!id) return false;
  if (email) RAPPORT_RETURN_IF_ERROR(s.InsertOutbox(*email).status());
  return true;
}

Result<bool> RaiseNotice(StoreSession& s, const NoticeDraft& draft, Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(NoticeContext context, LoadNoticeContext(s));
  return RaiseNotice(s, context, draft, now);
}

Result<std::vector<Notice>> Notices::List(const Actor& actor, bool unread_only, int limit) {
  FieldErrors errors;
  limit = CheckLimit(limit, errors);
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());
  const Instant now = clock_.Now();
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) { return s.ListNotices(actor.id, now, unread_only, limit); });
}

Result<int> Notices::UnreadCount(const Actor& actor) {
  const Instant now = clock_.Now();
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) { return s.CountUnreadNotices(actor.id, now); });
}

Status Notices::MarkRead(const Actor& actor, NoticeId id) {
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Done> {
           RAPPORT_RETURN_IF_ERROR(s.MarkNoticeRead(actor.id, id, now));
           return Done{};
         })
      .status();
}

Result<int> Notices::MarkAllRead(const Actor& actor) {
  const Instant now = clock_.Now();
  // One UPDATE: all of them, not a page (a person back from holiday may have hundreds).
  return InTransaction(pool_, [&](StoreSession& s) { return s.MarkAllNoticesRead(actor.id, now); });
}

}  // namespace rapport::app
