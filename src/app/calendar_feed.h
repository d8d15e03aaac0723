#pragma once
// Each person's private iCalendar feed (RFC 5545) of their open reminders and of the client meetings
// they own, at a secret URL /calendar/<token>.ics that calendar programs poll without signing in.
//
// The token is 43 random URL-safe characters (security::RandomToken); only its SHA-256 is stored.
// It is shown once, when made; making a new one revokes the old. A wrong or revoked token gets the
// same answer as any unknown address (nullopt -> 404), and a client address that keeps guessing is
// refused for a while (kResourceExhausted -> 429), like failed sign-ins.

#include <mutex>
#include <optional>
#include <string>

#include "app/ports/clock.h"
#include "app/session_pool.h"
#include "core/permissions.h"
#include "core/rate_limit.h"

namespace rapport::app {

struct CalendarFeedOptions {
  int max_failures = 20;  // wrong tokens per client address in the window
  std::chrono::seconds window{std::chrono::minutes(15)};
};

class CalendarFeed {
 public:
  CalendarFeed(SessionPool& pool, const Clock& clock, CalendarFeedOptions options = {})
      : pool_(pool), clock_(clock), failures_(options.max_failures, options.window) {}

  // Makes a new secret for the actor's feed (the old one stops working) and returns it: the only
  // time it is ever shown.
  Result<std::string> Regenerate(const Actor& actor);
  // Turns the feed off.
  Status Revoke(const Actor& actor);
  Result<bool> HasFeed(const Actor& actor);

  // The feed for `token` as text/calendar, or nullopt when no feed has this token. `base_url`
  // ("https://desk.example", no trailing slash) prefixes the events' URLs. The events' UIDs
  // ("reminder-42-<16 hex>@rapport") depend on the feed only, never on the address it was fetched by.
  // kResourceExhausted after too many wrong tokens from `client_address`.
  Result<std::optional<std::string>> Render(const std::string& token, const std::string& client_address,
                                            const std::string& base_url);

 private:
  SessionPool& pool_;
  const Clock& clock_;
  std::mutex mu_;
  RateLimiter failures_;  // GUARDED_BY(mu_)
};

}  // namespace rapport::app
