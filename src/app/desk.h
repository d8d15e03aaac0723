#pragma once
// The help-desk use cases: tickets, messages, clients, contacts, workspace settings and users.
// Each method leases a session, runs in its own transaction, checks the actor's role through
// core/permissions.h, writes the audit trail for every change, and returns a Result whose errors
// are the codes of core/status.h with a message a person can act on:
//   kInvalidArgument (with field_errors), kNotFound (also for a ticket the actor may not see, so a
//   subcontractor cannot probe for ids), kPermissionDenied, kAlreadyExists, kUnavailable.

#include <optional>
#include <string>
#include <vector>

#include "app/ports/clock.h"
#include "app/ports/email.h"
#include "app/ports/store.h"
#include "app/session_pool.h"
#include "core/permissions.h"

namespace rapport::app {

// How a new ticket names its contact: by id, or by an email or phone (matched to an existing contact,
// or a new contact is created and matched to a client by its email domain).
struct ContactRef {
  std::optional<ContactId> id;
  std::string email;
  std::string phone;
  std::string name;  // used when a new contact is created
};

struct NewTicket {
  std::string subject;
  std::string body_text;
  std::string body_html;
  Channel channel = Channel::kApi;
  Priority priority = Priority::kNormal;
  ContactRef contact;
  std::optional<UserId> assignee_id;
  std::vector<std::string> tags;
  std::optional<std::string> external_id;  // the first message's channel id, for idempotent intake
};

// A partial update: only the fields that are set change.
struct TicketChanges {
  std::optional<std::string> subject;
  std::optional<TicketStatus> status;
  std::optional<Priority> priority;
  std::optional<std::optional<UserId>> assignee_id;  // set to nullopt inside = unassign
  std::optional<std::vector<std::string>> tags;
};

struct NewMessage {
  MessageKind kind = MessageKind::kReply;  // kReply or kNote from a user; kInbound from a contact
  std::string body_text;
  std::string body_html;
  // Files the team attaches: kept with the message, and sent with a reply that goes out by email.
  // At most kMaxMessageAttachments, each at most kMaxAttachmentBytes, together at most kMaxAttachmentsBytes.
  std::vector<EmailAttachment> attachments;
};

inline constexpr std::size_t kMaxMessageAttachments = 10;
inline constexpr std::int64_t kMaxAttachmentBytes = 10LL << 20;
inline constexpr std::int64_t kMaxAttachmentsBytes = 20LL << 20;

struct TicketView {
  Ticket ticket;
  std::vector<Message> messages;
  Contact contact;
  std::optional<Client> client;
};

struct ClientFields {  // for create and partial update
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> email_domains;
  std::optional<std::string> notes;
  std::optional<std::string> plan;  // normalised by NormalizePlan (app/promise_settings.h); "" = none
  std::optional<std::string> time_zone;  // an IANA zone, or "" for the workspace's
};

struct ContactFields {
  std::optional<std::optional<ClientId>> client_id;
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> emails;
  std::optional<std::vector<std::string>> phones;
  std::optional<std::vector<SocialId>> social_ids;
};

struct UserFields {
  std::optional<std::string> email;
  std::optional<std::string> name;
  std::optional<Role> role;
  std::optional<std::string> time_zone;
  std::optional<std::vector<WorkingInterval>> working_hours;
  std::optional<bool> active;
  std::optional<bool> on_call;  // a person may set their own; an owner or admin anyone's
};

class Desk {
 public:
  Desk(SessionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // Tickets. A subcontractor's lists are limited to their own tickets. Every change that moves a
  // promise clock (app/ticket_clocks.h) recomputes it in the same transaction, and tickets read
  // here carry sla_state as of the clock's now.
  Result<Ticket> CreateTicket(const Actor& actor, const NewTicket& t);
  Result<TicketView> GetTicket(const Actor& actor, TicketId id);
  Result<Page<TicketRow>> ListTickets(const Actor& actor, TicketQuery q);
  Result<std::int64_t> CountTickets(const Actor& actor, TicketQuery q);
  Result<Ticket> UpdateTicket(const Actor& actor, TicketId id, const TicketChanges& c);
  Result<Message> AddMessage(const Actor& actor, TicketId id, const NewMessage& m);
  Result<std::vector<AuditEntry>> TicketHistory(const Actor& actor, TicketId id);

  // Clients and contacts (not for subcontractors).
  Result<Client> CreateClient(const Actor& actor, const ClientFields& f);
  Result<Client> GetClient(const Actor& actor, ClientId id);
  Result<Client> UpdateClient(const Actor& actor, ClientId id, const ClientFields& f);
  Result<Page<Client>> ListClients(const Actor& actor, const ClientQuery& q);
  Result<Contact> CreateContact(const Actor& actor, const ContactFields& f);
  Result<Contact> GetContact(const Actor& actor, ContactId id);
  Result<Contact> UpdateContact(const Actor& actor, ContactId id, const ContactFields& f);
  Result<Page<Contact>> ListContacts(const Actor& actor, const ContactQuery& q);

  // Workspace settings and users. Reading users is open to every role (for assignee pickers);
  // changing them needs CanManageUsers, and granting owner needs an owner.
  Result<Workspace> GetWorkspace(const Actor& actor);
  // A change of the zone (the business calendar's) recomputes every open ticket's promise clocks
  // in the same transaction (RecomputeOpenTicketClocksIn, app/ticket_clocks.h).
  Result<Workspace> UpdateWorkspace(const Actor& actor, const Workspace& w);
  Result<std::vector<User>> ListUsers(const Actor& actor);
  Result<User> GetUser(const Actor& actor, UserId id);
  Result<User> UpdateUser(const Actor& actor, UserId id, const UserFields& f);

 private:
  SessionPool& pool_;
  const Clock& clock_;
};

}  // namespace rapport::app
