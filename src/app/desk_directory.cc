// Desk's clients and contacts: who the business serves and who writes to it. Not for
// subcontractors (kPermissionDenied), who see only the contact and client of their own tickets.

#include <algorithm>

#include "app/desk.h"
#include "app/desk_support.h"
#include "app/promise_settings.h"
#include "app/ticket_clocks.h"
#include "app/unit_of_work.h"
#include "core/identity.h"

namespace rapport::app {
namespace {

constexpr std::size_t kMaxIdentifiers = 20;  // emails, phones or social ids of one contact

Status DenySubcontractor(const Actor& actor) {
  if (CanViewClients(actor)) return Status::Ok();
  return Status::PermissionDenied("subcontractors cannot see or change clients and contacts");
}

template <typename T>
void Dedupe(std::vector<T>& v) {
  std::vector<T> out;
  for (auto& x : v) {
    if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(std::move(x));
  }
  v = std::move(out);
}

std::vector<std::string> CheckDomains(const std::vector<std::string>& raw, FieldErrors& errors) {
  std::vector<std::string> out;
  for (const auto& r : raw) {
    auto d = NormalizeEmailDomain(r);
    if (!d.ok()) {
      errors.Add("email_domains", d.status().message());
    } else if (!IsStorableText(*d)) {
      errors.Add("email_domains", "a domain is not valid UTF-8 text");
    } else {
      out.push_back(*d);
    }
  }
  Dedupe(out);
  if (out.size() > kMaxIdentifiers) errors.Add("email_domains", "a client has at most 20 email domains");
  return out;
}

std::vector<std::string> CheckEmails(const std::vector<std::string>& raw, FieldErrors& errors) {
  std::vector<std::string> out;
  for (const auto& r : raw) {
    auto e = NormalizeEmail(r);
    if (!e.ok()) {
      errors.Add("emails", e.status().message());
    } else if (!IsStorableText(*e)) {
      errors.Add("emails", "an address is not valid UTF-8 text");
    } else {
      out.push_back(*e);
    }
  }
  Dedupe(out);
  if (out.size() > kMaxIdentifiers) errors.Add("emails", "a contact has at most 20 email addresses");
  return out;
}

std::vector<std::string> CheckPhones(const std::vector<std::string>& raw, FieldErrors& errors) {
  std::vector<std::string> out;
  for (const auto& r : raw) {
    auto p = NormalizePhone(r);
    if (!p.ok()) {
      errors.Add("phones", p.status().message());
    } else {
      out.push_back(*p);
    }
  }
  Dedupe(out);
  if (out.size() > kMaxIdentifiers) errors.Add("phones", "a contact has at most 20 phone numbers");
  return out;
}

std::vector<SocialId> CheckSocialIds(const std::vector<SocialId>& raw, FieldErrors& errors) {
  std::vector<SocialId> out;
  for (const auto& r : raw) {
    SocialId s;
    s.network = std::string(Trim(r.network));
    std::transform(s.network.begin(), s.network.end(), s.network.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
    s.id = std::string(Trim(r.id));
    if (s.network.empty() || s.id.empty()) {
      errors.Add("social_ids", "each social id needs a network (e.g. facebook) and the network's id");
      continue;
    }
    if (!errors.CheckText("social_ids", s.network, 40) || !errors.CheckText("social_ids", s.id, 200)) continue;
    out.push_back(std::move(s));
  }
  Dedupe(out);
  if (out.size() > kMaxIdentifiers) errors.Add("social_ids", "a contact has at most 20 social ids");
  return out;
}

std::vector<std::string> SocialTexts(const std::vector<SocialId>& ids) {
  std::vector<std::string> out;
  for (const auto& s : ids) out.push_back(s.network + ":" + s.id);
  return out;
}

// The store names the taken value in its message; the field tells a form where to show it.
Status TakenOn(Status st, const std::string& field) {
  if (st.code() == StatusCode::kAlreadyExists && st.field_errors().empty()) st.AddFieldError(field, st.message());
  return st;
}

Status TakenOnContact(Status st) {
  if (st.code() != StatusCode::kAlreadyExists || !st.field_errors().empty()) return st;
  const std::string& m = st.message();
  const std::string field = m.find('@') != std::string::npos ? "emails"
                            : m.find('+') != std::string::npos ? "phones"
                                                               : "social_ids";
  st.AddFieldError(field, m);
  return st;
}

Status CheckClientExists(StoreSession& s, ClientId id) {
  auto c = s.GetClient(id);
  if (c.ok()) return Status::Ok();
  if (c.status().code() == StatusCode::kNotFound) {
    return Status::FieldError("client_id", "client " + IdText(id.value) + " does not exist");
  }
  return c.status();
}

struct CheckedClientFields {
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> email_domains;
  std::optional<std::string> notes;
  std::optional<std::string> plan;
  std::optional<std::string> time_zone;
};

Result<CheckedClientFields> CheckClientFields(const ClientFields& f, bool creating) {
  FieldErrors errors;
  CheckedClientFields out;
  if (f.name) {
    out.name = OneLine(*f.name);
    if (out.name->empty()) errors.Add("name", "is required");
    errors.CheckText("name", *out.name, kMaxNameChars);
  } else if (creating) {
    errors.Add("name", "is required");
  }
  if (f.email_domains) out.email_domains = CheckDomains(*f.email_domains, errors);
  if (f.notes) {
    out.notes = *f.notes;
    errors.CheckText("notes", *out.notes, kMaxNotesChars);
  }
  if (f.plan) out.plan = NormalizePlan(*f.plan, "plan", errors);
  if (f.time_zone) {
    out.time_zone = std::string(Trim(*f.time_zone));
    if (!out.time_zone->empty() && !IsKnownTimeZone(*out.time_zone)) {
      errors.Add("time_zone", "'" + StorableText(*out.time_zone, 100) +
                                  "' is not an IANA time zone (e.g. Europe/London); leave it empty for the workspace's");
    }
  }
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());
  return out;
}

struct CheckedContactFields {
  std::optional<std::optional<ClientId>> client_id;
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> emails;
  std::optional<std::vector<std::string>> phones;
  std::optional<std::vector<SocialId>> social_ids;
};

Result<CheckedContactFields> CheckContactFields(const ContactFields& f) {
  FieldErrors errors;
  CheckedContactFields out;
  out.client_id = f.client_id;
  if (f.name) {
    out.name = OneLine(*f.name);
    errors.CheckText("name", *out.name, kMaxNameChars);
  }
  if (f.emails) out.emails = CheckEmails(*f.emails, errors);
  if (f.phones) out.phones = CheckPhones(*f.phones, errors);
  if (f.social_ids) out.social_ids = CheckSocialIds(*f.social_ids, errors);
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());
  return out;
}

}  // namespace

Result<Client> Desk::CreateClient(const Actor& actor, const ClientFields& f) {
  RAPPORT_RETURN_IF_ERROR(DenySubcontractor(actor));
  RAPPORT_ASSIGN_OR_RETURN(CheckedClientFields checked, CheckClientFields(f, /*creating=*/true));
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Client> {
    Client c;
    c.name = *checked.name;
    c.email_domains = checked.email_domains.value_or(std::vector<std::string>{});
    c.notes = checked.notes.value_or("");
    c.plan = checked.plan.value_or("");
    c.time_zone = checked.time_zone.value_or("");
    c.created_at = now;
    c.updated_at = now;
    auto id = s.InsertClient(c);
    if (!id.ok()) return TakenOn(id.status(), "email_domains");
    AuditDetail d;
    d.Set("name", c.name).Set("email_domains", c.email_domains);
    if (!c.plan.empty()) d.Set("plan", c.plan);
    if (!c.time_zone.empty()) d.Set("time_zone", c.time_zone);
    RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "client", id->value, "create", d, now));
    return s.GetClient(*id);
  });
}

Result<Client> Desk::GetClient(const Actor& actor, ClientId id) {
  RAPPORT_RETURN_IF_ERROR(DenySubcontractor(actor));
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) { return s.GetClient(id); });
}

Result<Client> Desk::UpdateClient(const Actor& actor, ClientId id, const ClientFields& f) {
  RAPPORT_RETURN_IF_ERROR(DenySubcontractor(actor));
  RAPPORT_ASSIGN_OR_RETURN(CheckedClientFields checked, CheckClientFields(f, /*creating=*/false));
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Client> {
    RAPPORT_ASSIGN_OR_RETURN(Client c, s.GetClient(id));
    AuditDetail d;
    if (checked.name && *checked.name != c.name) {
      d.Change("name", c.name, *checked.name);
      c.name = *checked.name;
    }
    if (checked.time_zone && *checked.time_zone != c.time_zone) {
      d.Change("time_zone", c.time_zone, *checked.time_zone);
      c.time_zone = *checked.time_zone;
    }
    if (checked.email_domains && *checked.email_domains != c.email_domains) {
      d.Change("email_domains", c.email_domains, *checked.email_domains);
      c.email_domains = *checked.email_domains;
    }
    if (checked.notes && *checked.notes != c.notes) {
      d.Set("notes", "changed");  // notes can be long: the trail says that they changed, not how
      c.notes = *checked.notes;
    }
    const bool plan_changed = checked.plan && *checked.plan != c.plan;
    if (plan_changed) {
      d.Change("plan", c.plan, *checked.plan);
      c.plan = *checked.plan;
    }
    if (d.empty()) return c;
    c.updated_at = now;
    RAPPORT_RETURN_IF_ERROR(TakenOn(s.UpdateClient(c), "email_domains"));
    // Another plan may mean another policy: the client's open tickets are due at other times.
    if (plan_changed) RAPPORT_RETURN_IF_ERROR(RecomputeOpenTicketClocksIn(s, c.id, now).status());
    RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "client", c.id.value, "update", d, now));
    return s.GetClient(c.id);
  });
}

Result<Page<Client>> Desk::ListClients(const Actor& actor, const ClientQuery& q) {
  RAPPORT_RETURN_IF_ERROR(DenySubcontractor(actor));
  FieldErrors errors;
  ClientQuery query = q;
  errors.CheckText("text", query.text, kMaxSearchChars);
  query.limit = CheckLimit(query.limit, errors);
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) { return s.ListClients(query); });
}

Result<Contact> Desk::CreateContact(const Actor& actor, const ContactFields& f) {
  RAPPORT_RETURN_IF_ERROR(DenySubcontractor(actor));
  RAPPORT_ASSIGN_OR_RETURN(CheckedContactFields checked, CheckContactFields(f));
  Contact c;
  c.emails = checked.emails.value_or(std::vector<std::string>{});
  c.phones = checked.phones.value_or(std::vector<std::string>{});
  c.social_ids = checked.social_ids.value_or(std::vector<SocialId>{});
  c.name = checked.name.value_or("");
  if (c.name.empty()) c.name = !c.emails.empty() ? c.emails.front() : !c.phones.empty() ? c.phones.front() : "";
  if (c.name.empty()) {
    return Status::FieldError("name", "is required when the contact has no email address or phone number");
  }
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Contact> {
    if (checked.client_id) {
      c.client_id = *checked.client_id;
      if (c.client_id) RAPPORT_RETURN_IF_ERROR(CheckClientExists(s, *c.client_id));
    } else {
      // No client named: the first address whose domain belongs to a client decides.
      for (const auto& e : c.emails) {
        RAPPORT_ASSIGN_OR_RETURN(c.client_id, s.FindClientByEmailDomain(EmailDomain(e)));
        if (c.client_id) break;
      }
    }
    c.created_at = now;
    c.updated_at = now;
    auto id = s.InsertContact(c);
    if (!id.ok()) return TakenOnContact(id.status());
    AuditDetail d;
    d.Set("name", c.name).Set("emails", c.emails).Set("phones", c.phones).Set("social_ids", SocialTexts(c.social_ids));
    if (c.client_id) d.Set("client_id", c.client_id->value);
    RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "contact", id->value, "create", d, now));
    return s.GetContact(*id);
  });
}

Result<Contact> Desk::GetContact(const Actor& actor, ContactId id) {
  RAPPORT_RETURN_IF_ERROR(DenySubcontractor(actor));
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) { return s.GetContact(id); });
}

Result<Contact> Desk::UpdateContact(const Actor& actor, ContactId id, const ContactFields& f) {
  RAPPORT_RETURN_IF_ERROR(DenySubcontractor(actor));
  RAPPORT_ASSIGN_OR_RETURN(CheckedContactFields checked, CheckContactFields(f));
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Contact> {
    RAPPORT_ASSIGN_OR_RETURN(Contact c, s.GetContact(id));
    AuditDetail d;
    if (checked.client_id && *checked.client_id != c.client_id) {
      if (*checked.client_id) RAPPORT_RETURN_IF_ERROR(CheckClientExists(s, **checked.client_id));
      d.Change("client_id", IdText(c.client_id), IdText(*checked.client_id));
      c.client_id = *checked.client_id;
    }
    if (checked.name && !checked.name->empty() && *checked.name != c.name) {
      d.Change("name", c.name, *checked.name);
      c.name = *checked.name;
    }
    if (checked.emails && *checked.emails != c.emails) {
      d.Change("emails", c.emails, *checked.emails);
      c.emails = *checked.emails;
    }
    if (checked.phones && *checked.phones != c.phones) {
      d.Change("phones", c.phones, *checked.phones);
      c.phones = *checked.phones;
    }
    if (checked.social_ids && *checked.social_ids != c.social_ids) {
      d.Change("social_ids", SocialTexts(c.social_ids), SocialTexts(*checked.social_ids));
      c.social_ids = *checked.social_ids;
    }
    if (d.empty()) return c;
    c.updated_at = now;
    RAPPORT_RETURN_IF_ERROR(TakenOnContact(s.UpdateContact(c)));
    RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "contact", c.id.value, "update", d, now));
    return s.GetContact(c.id);
  });
}

Result<Page<Contact>> Desk::ListContacts(const Actor& actor, const ContactQuery& q) {
  RAPPORT_RETURN_IF_ERROR(DenySubcontractor(actor));
  FieldErrors errors;
  ContactQuery query = q;
  errors.CheckText("text", query.text, kMaxSearchChars);
  query.limit = CheckLimit(query.limit, errors);
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) { return s.ListContacts(query); });
}

}  // namespace rapport::app
