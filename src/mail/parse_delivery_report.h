#pragma once
// Reading bounces: the machine-readable message/delivery-status part of an RFC 3464 report, the
// returned headers of the failed message, and — for classic bounces without a report — the usual
// wording of MTAs (Postfix, qmail, Exim, Exchange).

#include <optional>
#include <string>
#include <string_view>

#include "app/ports/email.h"

namespace rapport::mail {

// The body of a message/delivery-status part: a per-message block, then one block per recipient
// (fields Final-Recipient, Original-Recipient, Action, Status, Diagnostic-Code; folded lines and
// CRLF or LF allowed). Returns the first recipient whose Action is "failed", else the first recipient
// block; nullopt when there is no recipient block. `original_message_id` is filled from an
// X-Original-Message-ID field when present (Google adds one), else left empty.
std::optional<app::DeliveryFailure> ParseDeliveryStatus(std::string_view text);

// The Message-ID in a header block (text/rfc822-headers, or the head of a returned message quoted in
// a classic bounce's text), without <>; "" when there is none.
std::string FindMessageIdInHeaders(std::string_view headers);

// What a classic text bounce says: the first "<address>:" or "address" recipient line with the text
// after it as the diagnostic, the first enhanced status code (5.1.1), action "failed", and the
// Message-ID of a quoted original. Fields that are not found stay empty.
app::DeliveryFailure ParseBounceText(std::string_view text);

}  // namespace rapport::mail
