#pragma once
// Inline forwards: the original message pasted into the text under a separator line, with its
// From:/Subject:/Date: lines below ("---------- Forwarded message ---------" from Gmail, "Begin
// forwarded message:" from Apple Mail, "-------- Forwarded Message --------" from Thunderbird,
// "-----Original Message-----" and an underscore rule from Outlook, and their German/French/Spanish
// counterparts).

#include <optional>
#include <string>
#include <string_view>

namespace rapport::mail {

struct InlineForward {
  std::string from;        // the From line's value as written ("Jane <jane@example.com>")
  std::string subject;
  std::string date;        // as written; the caller tries to read it
  std::string message_id;  // when a Message-ID line is quoted (rare)
};

// The first forwarded block in `text`. Separators that say "forwarded" always count; "Original
// Message" separators and Outlook's underscore rule also open every quoted *reply*, so they count only
// when `original_message_counts` (the caller passes true when the subject says Fwd:/FW:/WG: ..., or the
// message is not a reply). Needs a From: or Subject: line within the few lines after the separator.
std::optional<InlineForward> FindInlineForward(std::string_view text, bool original_message_counts);

// True when the subject starts with a forward prefix: Fwd, Fw, WG, TR, RV, ENC, VB, VL, Doorst, I.
bool HasForwardPrefix(std::string_view subject);

// True when the subject starts with a reply prefix: Re, AW, SV, Antw, VS, Odp, R.
bool HasReplyPrefix(std::string_view subject);

}  // namespace rapport::mail
