#include "app/desk.h"
#pragma GCC diagnostic ignored "-Wunused-parameter"  // temporary stubs, replaced in the next commit

namespace rapport::app {

Result<Ticket> Desk::CreateTicket(const Actor& actor, const NewTicket& t) {
  return Status::Internal("Desk::CreateTicket is not implemented yet");
}

Result<TicketView> Desk::GetTicket(const Actor& actor, TicketId id) {
  return Status::Internal("Desk::GetTicket is not implemented yet");
}

Result<Page<TicketRow>> Desk::ListTickets(const Actor& actor, TicketQuery q) {
  return Status::Internal("Desk::ListTickets is not implemented yet");
}

Result<std::int64_t> Desk::CountTickets(const Actor& actor, TicketQuery q) {
  return Status::Internal("Desk::CountTickets is not implemented yet");
}

Result<Ticket> Desk::UpdateTicket(const Actor& actor, TicketId id, const TicketChanges& c) {
  return Status::Internal("Desk::UpdateTicket is not implemented yet");
}

Result<Message> Desk::AddMessage(const Actor& actor, TicketId id, const NewMessage& m) {
  return Status::Internal("Desk::AddMessage is not implemented yet");
}

Result<std::vector<AuditEntry>> Desk::TicketHistory(const Actor& actor, TicketId id) {
  return Status::Internal("Desk::TicketHistory is not implemented yet");
}

Result<Client> Desk::CreateClient(const Actor& actor, const ClientFields& f) {
  return Status::Internal("Desk::CreateClient is not implemented yet");
}

Result<Client> Desk::GetClient(const Actor& actor, ClientId id) {
  return Status::Internal("Desk::GetClient is not implemented yet");
}

Result<Client> Desk::UpdateClient(const Actor& actor, ClientId id, const ClientFields& f) {
  return Status::Internal("Desk::UpdateClient is not implemented yet");
}

Result<Page<Client>> Desk::ListClients(const Actor& actor, const ClientQuery& q) {
  return Status::Internal("Desk::ListClients is not implemented yet");
}

Result<Contact> Desk::CreateContact(const Actor& actor, const ContactFields& f) {
  return Status::Internal("Desk::CreateContact is not implemented yet");
}

Result<Contact> Desk::GetContact(const Actor& actor, ContactId id) {
  return Status::Internal("Desk::GetContact is not implemented yet");
}

Result<Contact> Desk::UpdateContact(const Actor& actor, ContactId id, const ContactFields& f) {
  return Status::Internal("Desk::UpdateContact is not implemented yet");
}

Result<Page<Contact>> Desk::ListContacts(const Actor& actor, const ContactQuery& q) {
  return Status::Internal("Desk::ListContacts is not implemented yet");
}

Result<Workspace> Desk::GetWorkspace(const Actor& actor) {
  return Status::Internal("Desk::GetWorkspace is not implemented yet");
}

Result<Workspace> Desk::UpdateWorkspace(const Actor& actor, const Workspace& w) {
  return Status::Internal("Desk::UpdateWorkspace is not implemented yet");
}

Result<std::vector<User>> Desk::ListUsers(const Actor& actor) {
  return Status::Internal("Desk::ListUsers is not implemented yet");
}

Result<User> Desk::GetUser(const Actor& actor, UserId id) {
  return Status::Internal("Desk::GetUser is not implemented yet");
}

Result<User> Desk::UpdateUser(const Actor& actor, UserId id, const UserFields& f) {
  return Status::Internal("Desk::UpdateUser is not implemented yet");
}

}  // namespace rapport::app
