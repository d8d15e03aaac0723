#pragma once
// Deciding whether a message was written by a machine, so that Rapport never answers it
// automatically (app::AutoReplyKind). The rules, strongest first:
//   kBounce     a delivery status notification: multipart/report with report-type=delivery-status, a
//               message/delivery-status part anywhere, or a classic bounce: sent by MAILER-DAEMON /
//               postmaster / "Mail Delivery System" AND with a bounce-like subject or text.
//   kAutoReply  Auto-Submitted with any value other than "no" (RFC 3834); X-Autoreply or X-Autorespond
//               (any value other than "no"/"false"/"0"); Precedence: auto_reply; a read receipt
//               (multipart/report with report-type=disposition-notification); or a subject that starts
//               with an out-of-office / automatic-reply phrase ("Out of Office:", "Automatic reply:",
//               "Abwesenheitsnotiz:", "Réponse automatique :" ... see IsAutoReplySubject).
//   kBulk       Precedence bulk, junk or list; a List-Id or List-Unsubscribe header.
// X-Auto-Response-Suppress is deliberately NOT a signal. It asks the *recipient* not to auto-reply;
// Outlook and Exchange set it ("All", "OOF", "DR, RN, NRN, OOF, AutoReply") on meeting requests,
// messages from distribution lists and plenty of ordinary person-to-person mail, so treating it as
// "this is an auto-reply" would silence real customers. Messages that carry it and are automatic
// almost always also carry Auto-Submitted or an automatic-reply subject, which are caught above.

#include <string>
#include <string_view>

#include "app/ports/email.h"

namespace rapport::mail {

struct AutoReplySignals {
  // Header values as received (decoded); `has_*` says whether the header was present at all.
  bool has_auto_submitted = false;
  std::string auto_submitted;
  bool has_x_autoreply = false;
  std::string x_autoreply;
  bool has_x_autorespond = false;
  std::string x_autorespond;
  std::string precedence;
  bool has_list_id = false;
  bool has_list_unsubscribe = false;
  std::string subject;
  // From the MIME structure.
  bool is_delivery_report = false;      // multipart/report; report-type=delivery-status, or a DSN part
  bool is_disposition_report = false;   // multipart/report; report-type=disposition-notification
  // For classic (non-RFC 3464) bounces.
  app::EmailAddress from;
  std::string text;  // the plain text body (only its start is looked at)
};

app::AutoReplyKind ClassifyAutoReply(const AutoReplySignals& signals);

// True when the subject starts with an out-of-office or automatic-reply phrase in one of the common
// mail client languages, followed by ':' or ']' or the end ("Out of Office: Re: invoice",
// "[Auto-Reply] Invoice", "Abwesenheitsnotiz"). A subject merely mentioning the phrase later
// ("Re: our out of office policy") is not one.
bool IsAutoReplySubject(std::string_view subject);

// True for MAILER-DAEMON, postmaster, mailer@, "Mail Delivery System/Subsystem" senders.
bool IsBounceSender(const app::EmailAddress& from);

// True when the subject or the start of the text reads like a non-delivery notice
// ("Undelivered Mail Returned to Sender", "Delivery Status Notification (Failure)", "failure notice" ...).
bool LooksLikeBounceText(std::string_view subject, std::string_view text);

}  // namespace rapport::mail
