#include "app/contact_resolution.h"

#include "app/desk_support.h"
#include "core/identity.h"

namespace rapport::app {
namespace {

Result<Contact> CreateContactFrom(StoreSession& s, Contact c, std::optional<UserId> actor, Instant now) {
  c.created_at = now;
  c.updated_at = now;
  RAPPORT_ASSIGN_OR_RETURN(c.id, s.InsertContact(c));
  AuditDetail d;
  d.Set("name", c.name).Set("emails", c.emails).Set("phones", c.phones);
  if (c.client_id) d.Set("client_id", c.client_id->value);
  RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor, "contact", c.id.value, "create", d, now));
  return s.GetContact(c.id);
}

}  // namespace

Result<Contact> ResolveContact(StoreSession& s, const ContactRef& ref, std::optional<UserId> actor, Instant now) {
  if (ref.id) {
    auto c = s.GetContact(*ref.id);
    if (!c.ok() && c.status().code() == StatusCode::kNotFound) {
      return Status::FieldError("contact", "contact " + IdText(ref.id->value) + " does not exist");
    }
    return c;
  }
  const std::string name = OneLine(ref.name);
  FieldErrors errors;
  errors.CheckText("contact.name", name, kMaxNameChars);
  std::optional<std::string> email;
  std::optional<std::string> phone;
  if (!Trim(ref.email).empty()) {
    auto e = NormalizeEmail(ref.email);
    if (e.ok()) {
      email = *e;
    } else {
      errors.Add("contact.email", e.status().message());
    }
  }
  if (!Trim(ref.phone).empty()) {
    auto p = NormalizePhone(ref.phone);
    if (p.ok()) {
      phone = *p;
    } else {
      errors.Add("contact.phone", p.status().message());
    }
  }
  if (errors.empty() && !email && !phone) {
    errors.Add("contact", "name the contact: give a contact id, an email address or a phone number");
  }
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());

  std::optional<ContactId> by_phone;
  if (phone) {
    RAPPORT_ASSIGN_OR_RETURN(by_phone, s.FindContactByPhone(*phone));
  }
  if (email) {
    RAPPORT_ASSIGN_OR_RETURN(auto by_email, s.FindContactByEmail(*email));
    if (by_email) return s.GetContact(*by_email);
    Contact c;
    c.name = name.empty() ? *email : name;
    c.emails = {*email};
    // The number goes with the new contact only when nobody else holds it (it is unique).
    if (phone && !by_phone) c.phones = {*phone};
    RAPPORT_ASSIGN_OR_RETURN(c.client_id, s.FindClientByEmailDomain(EmailDomain(*email)));
    return CreateContactFrom(s, std::move(c), actor, now);
  }
  if (by_phone) return s.GetContact(*by_phone);
  Contact c;
  c.name = name.empty() ? *phone : name;
  c.phones = {*phone};
  return CreateContactFrom(s, std::move(c), actor, now);
}

}  // namespace rapport::app
