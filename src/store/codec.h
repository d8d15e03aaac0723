#pragma once
// How the store packs values that the schema keeps in one column: lists (a client's email domains, a
// contact's emails, a ticket's tags, a user's working hours) and the closed enums (by their stable
// names from core/vocabulary.h). Lists are denormalized next to their uniqueness tables so that a
// record is read in one row, without a query per list.

#include <string>
#include <string_view>
#include <vector>

#include "app/ports/email.h"
#include "core/entities.h"

namespace rapport::store {

// Joined with U+001F (unit separator), which no normalized email, phone, domain or tag contains.
std::string JoinList(const std::vector<std::string>& items);
std::vector<std::string> SplitList(std::string_view joined);

std::string EncodeSocialIds(const std::vector<SocialId>& ids);
std::vector<SocialId> DecodeSocialIds(std::string_view encoded);
// The unique key of a social id in contact_identifiers: "network:id".
std::string SocialKey(const SocialId& s);

// Email address lists: name and address pairs in one column.
std::string EncodeAddresses(const std::vector<app::EmailAddress>& addresses);
std::vector<app::EmailAddress> DecodeAddresses(std::string_view encoded);

// "1:540-1020,2:540-1020"; malformed parts are skipped.
std::string EncodeWorkingHours(const std::vector<WorkingInterval>& hours);
std::vector<WorkingInterval> DecodeWorkingHours(std::string_view encoded);

// The first occurrence of each item, in order.
std::vector<std::string> Unique(const std::vector<std::string>& items);

// The text a contact is found by in full-text search: the name, each email and its parts
// ("ann@acme.com ann acme com"), each phone with and without its "+".
std::string ContactSearchText(const Contact& c);

// `text` without its invalid UTF-8 sequences and NUL bytes (PostgreSQL refuses both), so that search
// and filter input of any bytes gives an answer rather than an error.
std::string ScrubUtf8(std::string_view text);

// A LIKE pattern matching `text` as a case-insensitive substring (ASCII lower-cased, with %, _ and
// the escape character '\' escaped; use with ESCAPE '\').
std::string ContainsPattern(std::string_view text);

}  // namespace rapport::store
