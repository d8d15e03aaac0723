#pragma once
// Message-ID, In-Reply-To and References as lists of bare ids. Real headers carry comments, phrases
// ("<id> (John's message of Monday)"), ids split by folding, missing brackets and plain garbage; the
// parser keeps what looks like an id and drops the rest rather than failing.

#include <string>
#include <string_view>
#include <vector>

namespace rapport::mail {

// The ids in a header value, in order, without angle brackets and without duplicates. Bracketed
// ids win: text outside <...> is ignored when there is at least one. Without any brackets,
// whitespace- or comma-separated words containing '@' are taken. Whitespace inside brackets (left by
// folding) is removed. At most `max_ids` are returned (the oldest References are dropped first).
std::vector<std::string> ParseMessageIds(std::string_view value, std::size_t max_ids = 500);

// The first id of a Message-ID value, or "" when there is none.
std::string ParseMessageId(std::string_view value);

}  // namespace rapport::mail
