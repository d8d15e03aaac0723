#pragma once
// Message-IDs for the mail Rapport sends. The caller stores the id with the reply before sending,
// so that answers (In-Reply-To/References) and bounces can be matched to it; ids are stored and
// passed around WITHOUT angle brackets (see app/ports/email.h), the composer adds them.

#include <string>
#include <string_view>

#include "core/status.h"

namespace rapport::mail {

// "<token>@<domain>" without brackets, the token being 256 random bits as 43 characters of
// A-Z a-z 0-9 - _ (all legal in a dot-atom). `domain` is the right-hand side, normally the support
// address's domain. kInvalidArgument when `domain` is not a plain DNS name (letters, digits, '-',
// dot-separated labels); kInternal only when the system's random generator is unavailable.
Result<std::string> MakeMessageId(std::string_view domain);

// True for an id the composer accepts: id-left "@" id-right, each a dot-atom of printable ASCII
// (no brackets, spaces, quotes or controls), at most 900 characters in all.
bool IsValidMessageId(std::string_view id);

// True for an RFC 5322 dot-atom: atext characters (letters, digits, !#$%&'*+-/=?^_`{|}~) in
// non-empty runs separated by single dots. The shape of ids and of the local part of addresses.
bool IsDotAtom(std::string_view s);

// True for a DNS name of letters, digits and hyphens in dot-separated labels of 1..63 characters,
// at most 253 in all; no leading/trailing hyphen in a label.
bool IsValidDomain(std::string_view domain);

}  // namespace rapport::mail
