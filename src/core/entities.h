#pragma once
// The records of one workspace (one business). Plain values: validation lives in the functions of
// identity.h and in the app layer's use cases, persistence in store/.

#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/time.h"
#include "core/vocabulary.h"

namespace rapport {

// The state of a ticket's promise clocks; its values are defined in core/sla_clock.h (the first,
// kNone, is the zero value).
enum class SlaState;

// One working interval in the user's own time zone, minutes from midnight [start, end).
struct WorkingInterval {
  int weekday = 1;  // 0 = Sunday ... 6 = Saturday
  int start_minute = 9 * 60;
  int end_minute = 17 * 60;
  friend bool operator==(const WorkingInterval&, const WorkingInterval&) = default;
};

struct Workspace {
  std::string name;
  std::string time_zone = "UTC";  // IANA name; business rules run in this zone
  std::string currency = "USD";   // ISO 4217; all money of the workspace is in it
  // The weekly business hours in time_zone (several intervals a day allowed; see
  // core/business_calendar.h for overnight intervals). Empty = not set: EffectiveBusinessHours
  // (core/business_hours.h) then gives Monday-Friday 09:00-17:00.
  std::vector<WorkingInterval> business_hours{};  // {}: Workspace{name, zone, currency} stays valid
  // Automatic mail to clients (app/auto_followups.h): acknowledge a new request that arrives by
  // email; nudge a client who owes an answer after nudge_after_days business days (0 = never), up to
  // nudge_limit times, then close the ticket with a friendly note.
  bool acknowledge_requests = true;
  int nudge_after_days = 3;  // 0..30
  int nudge_limit = 2;       // 0..10
  // When nudges were last switched on (migration 7, or nudge_after_days going from 0 to more):
  // waiting counts toward a nudge only from then, so old history is not nudged at once.
  Instant nudges_since{};
  // A client's review pack is prepared this many days before its annual review (app/review_packs.h).
  int review_pack_days = 14;  // 1..90
};

struct Client {  // an organization the business serves
  ClientId id;
  std::string name;
  std::vector<std::string> email_domains;  // lower-case; a new contact from one is matched to this client
  std::string notes;
  Instant created_at{};
  Instant updated_at{};
  // The plan the client is on (lower-case, trimmed, at most 64 characters; "" = none): picks the
  // response policy (core/sla_policy.h, ChoosePolicy).
  std::string plan;
  // The IANA zone the client's people read times in ("" = the workspace's): acknowledgements name
  // their promised time in it.
  std::string time_zone;
};

struct SocialId {
  std::string network;  // "facebook", "instagram", ...
  std::string id;       // the network's id of the person
  friend bool operator==(const SocialId&, const SocialId&) = default;
};

struct Contact {  // a person who writes to the business
  ContactId id;
  std::optional<ClientId> client_id;
  std::string name;
  // Each email, phone and social id belongs to at most one contact of the workspace.
  std::vector<std::string> emails;  // normalized: trimmed, lower-case
  std::vector<std::string> phones;  // E.164: +14155550123
  std::vector<SocialId> social_ids;
  Instant created_at{};
  Instant updated_at{};
};

struct User {  // a member of the team
  UserId id;
  std::string email;  // normalized; unique; used to sign in
  std::string name;
  Role role = Role::kAgent;
  std::string time_zone = "UTC";
  std::vector<WorkingInterval> working_hours;
  std::string password_hash;  // Argon2id encoded string; empty = cannot sign in with a password
  bool active = true;
  Instant created_at{};
  // On call: notices reach this person at any hour, not only inside their working hours.
  bool on_call = false;
};

struct Ticket {
  TicketId id;
  std::int64_t number = 0;  // the human reference, #1234, unique and increasing per workspace
  std::string subject;
  std::optional<ClientId> client_id;
  ContactId contact_id;
  Channel channel = Channel::kEmail;
  TicketStatus status = TicketStatus::kNew;
  Priority priority = Priority::kNormal;
  std::optional<UserId> assignee_id;
  std::vector<std::string> tags;  // lower-case, sorted, unique
  Instant created_at{};
  Instant updated_at{};
  Instant last_message_at{};
  std::optional<Instant> resolved_at;
  std::optional<Instant> closed_at;
  // The promise clocks' stored results (core/sla_clock.h computes them from the ticket's events).
  // Written only by StoreSession::SaveTicketClocks; InsertTicket and UpdateTicket leave them alone.
  std::optional<Instant> first_response_due_at;
  std::optional<Instant> next_response_due_at;
  std::optional<Instant> resolution_due_at;
  std::optional<Instant> sla_warning_at;  // earliest warning time of the running clocks
  std::optional<Instant> sla_due_at;      // earliest due time of the running clocks (the inbox's sort key)
  SlaState sla_state{};                   // value-initialised: SlaState::kNone
};

struct Message {
  MessageId id;
  TicketId ticket_id;
  MessageKind kind = MessageKind::kInbound;
  Channel channel = Channel::kEmail;
  std::optional<UserId> author_user_id;        // replies and notes
  std::optional<ContactId> author_contact_id;  // inbound messages
  std::string body_text;
  std::string body_html;  // as received or rendered; sanitised before display
  // The channel's own id (Message-ID, Twilio MessageSid ...). Unique: a re-delivered message is
  // stored once.
  std::optional<std::string> external_id;
  Instant created_at{};
};

// Who changed what, when. `detail` is a short JSON object of the changed fields, old and new.
struct AuditEntry {
  std::int64_t id = 0;
  std::optional<UserId> actor_id;  // nullopt: the system (a worker, an import)
  std::string entity;              // "ticket", "client", "contact", "user", "workspace"
  std::int64_t entity_id = 0;
  std::string action;  // "create", "update", "delete", "sign_in" ...
  std::string detail;
  Instant at{};
};

}  // namespace rapport
