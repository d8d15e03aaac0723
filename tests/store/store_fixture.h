#pragma once
// Builders shared by the storage contract tests. Fixed instants only: no test depends on the clock.

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/ports/store.h"
#include "app/transaction.h"
#include "support/test_database.h"

namespace rapport::store_test {

using rapport::testing::StoreTest;

// 2026-01-01T00:00:00Z plus `seconds`.
inline Instant At(std::int64_t seconds) { return InstantFromUnix(1767225600 + seconds); }

inline User MakeUser(const std::string& email, const std::string& name = "Agent") {
  User u;
  u.email = email;
  u.name = name;
  u.role = Role::kAgent;
  u.time_zone = "Europe/Paris";
  u.working_hours = {{1, 540, 1020}, {2, 600, 960}};
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$abc$def";
  u.created_at = At(0);
  return u;
}

inline Client MakeClient(const std::string& name, std::vector<std::string> domains = {}) {
  Client c;
  c.name = name;
  c.email_domains = std::move(domains);
  c.notes = "notes of " + name;
  c.created_at = At(0);
  c.updated_at = At(0);
  return c;
}

inline Contact MakeContact(const std::string& name, std::vector<std::string> emails = {},
                           std::vector<std::string> phones = {}) {
  Contact c;
  c.name = name;
  c.emails = std::move(emails);
  c.phones = std::move(phones);
  c.created_at = At(0);
  c.updated_at = At(0);
  return c;
}

inline Ticket MakeTicket(ContactId contact, const std::string& subject, Instant created = At(0)) {
  Ticket t;
  t.subject = subject;
  t.contact_id = contact;
  t.channel = Channel::kEmail;
  t.status = TicketStatus::kNew;
  t.priority = Priority::kNormal;
  t.created_at = created;
  t.updated_at = created;
  t.last_message_at = created;
  return t;
}

inline Message MakeMessage(TicketId ticket, const std::string& body, Instant at = At(0)) {
  Message m;
  m.ticket_id = ticket;
  m.kind = MessageKind::kInbound;
  m.channel = Channel::kEmail;
  m.body_text = body;
  m.body_html = "<p>" + body + "</p>";
  m.created_at = at;
  return m;
}

// Unwraps a Result in a test, failing it with the status when not ok.
#define ASSERT_OK_AND_ASSIGN(lhs, expr) ASSERT_OK_AND_ASSIGN_IMPL(RAPPORT_CONCAT(result_, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString(); \
  lhs = std::move(tmp).value()
#define ASSERT_OK(expr)                                 \
  do {                                                  \
    ::rapport::Status s_ = (expr);                      \
    ASSERT_TRUE(s_.ok()) << s_.ToString();              \
  } while (0)
#define EXPECT_OK(expr)                                 \
  do {                                                  \
    ::rapport::Status s_ = (expr);                      \
    EXPECT_TRUE(s_.ok()) << s_.ToString();              \
  } while (0)

}  // namespace rapport::store_test
