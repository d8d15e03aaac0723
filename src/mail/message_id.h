#pragma once
// The shapes the composer checks before it writes a Message-ID or an address. Ids are made by the
// caller (app/email_outbox.cc) and passed around WITHOUT angle brackets (see app/ports/email.h); the
// composer adds them.

#include <string_view>

namespace rapport::mail {

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
