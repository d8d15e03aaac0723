#pragma once
// Which ticket an incoming email belongs to. Pure rules; the intake use case gathers the facts (what
// the message's headers point at, who sent it) and applies the decision.
//
//  1. In-Reply-To / References naming a message Rapport received or sent: join that ticket, whoever
//     the sender is. Message-IDs are long random strings that only people on the thread have seen, so
//     a CC'd colleague who replies-all joins the ticket (as a participant) instead of opening another.
//  2. Otherwise Outlook's Thread-Index naming a thread Rapport knows (a reply that carries only
//     Thread-Index/Thread-Topic): the same, for the same reason (its root holds a random GUID).
//  3. Otherwise the ticket reference of the subject ("[#1234]"), but only for a sender related to that
//     ticket: its contact, a participant, someone of the same client, or a team member. A reference
//     alone is guessable, so mail from an unrelated outside sender opens a new ticket linked to it
//     rather than joining another client's conversation.
//  4. Otherwise a new ticket.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"

namespace rapport {

// A ticket the message may belong to, with what the rules need to know about it.
struct ThreadCandidate {
  TicketId ticket_id;
  std::optional<ClientId> client_id;
  ContactId contact_id;
  std::vector<ContactId> participants;
};

struct EmailSenderFacts {
  std::optional<ContactId> contact_id;  // the existing contact with the sender's address, if any
  std::optional<ClientId> client_id;    // that contact's client, or the client owning the address's domain
  bool is_team_member = false;          // the address belongs to a user of the workspace
};

struct ThreadingFacts {
  std::optional<ThreadCandidate> by_headers;       // In-Reply-To / References
  std::optional<ThreadCandidate> by_thread_index;  // Thread-Index root
  std::optional<ThreadCandidate> by_subject;       // "[#1234]" in the subject
  EmailSenderFacts sender;
};

struct ThreadDecision {
  enum class Kind { kJoin, kNewTicket, kNewLinkedTicket };
  Kind kind = Kind::kNewTicket;
  std::optional<TicketId> ticket_id;  // kJoin: the ticket joined; kNewLinkedTicket: the one linked to
  std::string reason;                 // why, for the audit trail
};

ThreadDecision DecideThread(const ThreadingFacts& facts);

// The ticket number of a "[#1234]" reference in a subject (the first one), if any.
std::optional<std::int64_t> FindTicketReference(std::string_view subject);

// A subject for a new ticket: reply and forward prefixes ("Re:", "Fwd:", "AW:", "WG:", "SV:", "TR:",
// "RE[2]:" ...) and ticket references removed, white space collapsed. Empty stays empty.
std::string CleanSubject(std::string_view subject);

// The subject of outgoing mail on a ticket: "[#1234] " + the subject, without doubling a reference
// that is already there.
std::string SubjectWithTicketReference(std::int64_t number, std::string_view subject);

}  // namespace rapport
