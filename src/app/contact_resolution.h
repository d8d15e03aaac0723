#pragma once
// Finds the contact a new ticket is from, or creates one. In order:
//   1. by id: that contact (a field error on `contact` when it does not exist);
//   2. by email: the contact holding that address; else a new contact with it, whose client is the
//      client owning the address's domain (ann@acme.com -> the client with domain acme.com), if any;
//   3. by phone (normalized to E.164): the contact holding that number; else a new contact with it.
// A new contact is named after ContactRef::name, or its address or number when no name is given,
// and is written to the audit trail. kInvalidArgument naming `contact` when the reference names
// nothing, `contact.email` / `contact.phone` when the address or number is malformed.

#include <optional>

#include "app/desk.h"

namespace rapport::app {

Result<Contact> ResolveContact(StoreSession& s, const ContactRef& ref, std::optional<UserId> actor, Instant now);

}  // namespace rapport::app
