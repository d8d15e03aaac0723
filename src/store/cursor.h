#pragma once
// Keyset-pagination cursors. A cursor is base64url (no padding) of "<kind>|<id>|<sort key>": the
// sort key and id of the last row of a page, and a one-letter kind naming the list and sort it was
// made for, so that a cursor from another list or sort is refused instead of silently misread.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace rapport::store {

struct CursorPosition {
  std::int64_t id = 0;
  std::string key;  // a name, or an integer sort key in decimal
  std::int64_t IntKey() const;
};

std::string EncodeCursor(char kind, std::int64_t id, std::string_view key);
// kInvalidArgument (field "cursor") for anything EncodeCursor did not make with this kind.
Result<CursorPosition> DecodeCursor(char kind, std::string_view cursor, bool int_key);

}  // namespace rapport::store
