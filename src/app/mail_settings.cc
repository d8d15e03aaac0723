#include "app/mail_settings.h"

#include <algorithm>

#include "app/desk_support.h"
#include "app/unit_of_work.h"
#include "core/identity.h"

namespace rapport::app {
namespace {

Status Refused() { return Status::PermissionDenied("only an owner or admin may see or change the mail settings"); }

Status Missing(MailboxId id) { return Status::NotFound("mailbox " + IdText(id.value) + " does not exist"); }

Result<Mailbox> LoadMailbox(StoreSession& s, MailboxId id) {
  if (!id.valid()) return Missing(id);
  auto m = s.GetMailbox(id);
  if (!m.ok() && m.status().code() == StatusCode::kNotFound) return Missing(id);
  return m;
}

// A server name as people paste it: trimmed; a URL or anything with spaces is refused with a hint.
void CheckHost(const std::string& field, const std::string& host, bool required, FieldErrors& errors) {
  if (host.empty()) {
    if (required) errors.Add(field, "is required, e.g. mail.example.com");
    return;
  }
  if (!errors.CheckText(field, host, kMaxHostChars)) return;
  const bool odd = std::any_of(host.begin(), host.end(), [](char c) {
    return c == '/' || static_cast<unsigned char>(c) <= ' ';
  });
  if (odd) errors.Add(field, "must be just the server's name, e.g. mail.example.com (no scheme, path or spaces)");
}

void CheckPort(const std::string& field, int port, FieldErrors& errors) {
  if (port < 1 || port > 65535) errors.Add(field, "must be a port number from 1 to 65535");
}

void ApplySecurity(const std::string& field, const std::optional<std::string>& given, TransportSecurity& into,
                   FieldErrors& errors) {
  if (!given) return;
  auto parsed = ParseTransportSecurity(Trim(*given));
  if (!parsed) {
    errors.Add(field, "must be tls, starttls or none");
    return;
  }
  into = *parsed;
}

void ApplyText(const std::optional<std::string>& given, std::string& into) {
  if (given) into = OneLine(*given);
}

// A password as given (never trimmed: spaces may belong to it); absent or empty keeps the stored one.
void ApplyPassword(const std::string& field, const std::optional<std::string>& given, std::string& into,
                   FieldErrors& errors) {
  if (!given || given->empty()) return;
  if (errors.CheckText(field, *given, kMaxMailPasswordChars)) into = *given;
}

// Applies `f` over `m` (the defaults on create, the stored mailbox on update) and checks the result.
void ApplyAndCheck(const MailboxFields& f, Mailbox& m, FieldErrors& errors) {
  ApplyText(f.name, m.name);
  if (m.name.empty()) errors.Add("name", "is required, e.g. Support");
  errors.CheckText("name", m.name, kMaxNameChars);

  if (f.address) {
    auto address = NormalizeEmail(*f.address);
    if (address.ok()) {
      m.address = *address;
    } else {
      errors.Add("address", address.status().message());
    }
  } else if (m.address.empty()) {
    errors.Add("address", "is required: the support address customers write to, e.g. support@example.com");
  }
  ApplyText(f.display_name, m.display_name);
  errors.CheckText("display_name", m.display_name, kMaxNameChars);
  if (f.fetch_enabled) m.fetch_enabled = *f.fetch_enabled;

  ImapSettings& imap = m.imap;
  ApplyText(f.imap.host, imap.host);
  if (f.imap.port) imap.port = *f.imap.port;
  ApplySecurity("imap.security", f.imap.security, imap.security, errors);
  ApplyText(f.imap.user, imap.user);
  ApplyPassword("imap.password", f.imap.password, imap.password, errors);
  ApplyText(f.imap.folder, imap.folder);
  ApplyText(f.imap.processed_folder, imap.processed_folder);
  ApplyText(f.imap.ca_file, imap.ca_file);
  if (imap.user.empty()) imap.password.clear();
  // Fetching needs a complete login; settings saved with fetching off may be filled in later.
  CheckHost("imap.host", imap.host, m.fetch_enabled, errors);
  CheckPort("imap.port", imap.port, errors);
  if (m.fetch_enabled && imap.user.empty()) errors.Add("imap.user", "is required to fetch mail");
  errors.CheckText("imap.user", imap.user, kMaxMailUserChars);
  if (m.fetch_enabled && !imap.user.empty() && imap.password.empty()) {
    errors.Add("imap.password", "is required to fetch mail");
  }
  if (imap.folder.empty()) errors.Add("imap.folder", "is required, usually INBOX");
  errors.CheckText("imap.folder", imap.folder, kMaxFolderChars);
  errors.CheckText("imap.processed_folder", imap.processed_folder, kMaxFolderChars);
  if (!imap.processed_folder.empty() && imap.processed_folder == imap.folder) {
    errors.Add("imap.processed_folder", "must differ from the folder mail is fetched from (or stay empty)");
  }
  errors.CheckText("imap.ca_file", imap.ca_file, kMaxPathChars);

  SmtpSettings& smtp = m.smtp;
  ApplyText(f.smtp.host, smtp.host);
  if (f.smtp.port) smtp.port = *f.smtp.port;
  ApplySecurity("smtp.security", f.smtp.security, smtp.security, errors);
  ApplyText(f.smtp.user, smtp.user);
  ApplyPassword("smtp.password", f.smtp.password, smtp.password, errors);
  ApplyText(f.smtp.ca_file, smtp.ca_file);
  if (smtp.user.empty()) smtp.password.clear();  // no AUTH: no secret worth keeping
  CheckHost("smtp.host", smtp.host, true, errors);
  CheckPort("smtp.port", smtp.port, errors);
  errors.CheckText("smtp.user", smtp.user, kMaxMailUserChars);
  errors.CheckText("smtp.ca_file", smtp.ca_file, kMaxPathChars);
}

// The audit detail of the changes from `before` to `after`: values, except that a password appears
// only as "changed" or "removed".
AuditDetail Changes(const Mailbox& before, const Mailbox& after) {
  AuditDetail d;
  auto text = [&](const char* field, const std::string& a, const std::string& b) {
    if (a != b) d.Change(field, a, b);
  };
  auto flag = [](bool b) { return std::string(b ? "true" : "false"); };
  auto number = [](int n) { return std::to_string(n); };
  auto security = [](TransportSecurity s) { return std::string(TransportSecurityName(s)); };
  auto secret = [&](const char* field, const std::string& a, const std::string& b) {
    if (a != b) d.Set(field, b.empty() ? "removed" : "changed");
  };
  text("name", before.name, after.name);
  text("address", before.address, after.address);
  text("display_name", before.display_name, after.display_name);
  text("is_default", flag(before.is_default), flag(after.is_default));
  text("fetch_enabled", flag(before.fetch_enabled), flag(after.fetch_enabled));
  text("imap.host", before.imap.host, after.imap.host);
  text("imap.port", number(before.imap.port), number(after.imap.port));
  text("imap.security", security(before.imap.security), security(after.imap.security));
  text("imap.user", before.imap.user, after.imap.user);
  secret("imap.password", before.imap.password, after.imap.password);
  text("imap.folder", before.imap.folder, after.imap.folder);
  text("imap.processed_folder", before.imap.processed_folder, after.imap.processed_folder);
  text("imap.ca_file", before.imap.ca_file, after.imap.ca_file);
  text("smtp.host", before.smtp.host, after.smtp.host);
  text("smtp.port", number(before.smtp.port), number(after.smtp.port));
  text("smtp.security", security(before.smtp.security), security(after.smtp.security));
  text("smtp.user", before.smtp.user, after.smtp.user);
  secret("smtp.password", before.smtp.password, after.smtp.password);
  text("smtp.ca_file", before.smtp.ca_file, after.smtp.ca_file);
  return d;
}

// Clears the default flag of every mailbox but `keep`.
Status ClearOtherDefaults(StoreSession& s, MailboxId keep) {
  RAPPORT_ASSIGN_OR_RETURN(std::vector<Mailbox> all, s.ListMailboxes());
  for (Mailbox& other : all) {
    if (other.id == keep || !other.is_default) continue;
    other.is_default = false;
    RAPPORT_RETURN_IF_ERROR(s.UpdateMailbox(other));
  }
  return Status::Ok();
}

// The store's kAlreadyExists names no field; the form needs one.
Status WithAddressField(const Status& s) {
  if (s.code() != StatusCode::kAlreadyExists) return s;
  Status out = Status::AlreadyExists(s.message());
  out.AddFieldError("address", "another mailbox already uses this address");
  return out;
}

}  // namespace

MailboxSettingsView WithoutPasswords(const Mailbox& m) {
  MailboxSettingsView v;
  v.mailbox = m;
  v.imap_has_password = !m.imap.password.empty();
  v.smtp_has_password = !m.smtp.password.empty();
  v.mailbox.imap.password.clear();
  v.mailbox.smtp.password.clear();
  return v;
}

Result<std::vector<MailboxSettingsView>> MailSettings::List(const Actor& actor) {
  if (!CanManageSettings(actor)) return Refused();
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<std::vector<MailboxSettingsView>> {
    RAPPORT_ASSIGN_OR_RETURN(std::vector<Mailbox> all, s.ListMailboxes());
    std::vector<MailboxSettingsView> out;
    out.reserve(all.size());
    for (const Mailbox& m : all) out.push_back(WithoutPasswords(m));
    return out;
  });
}

Result<MailboxSettingsView> MailSettings::Get(const Actor& actor, MailboxId id) {
  if (!CanManageSettings(actor)) return Refused();
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<MailboxSettingsView> {
    RAPPORT_ASSIGN_OR_RETURN(Mailbox m, LoadMailbox(s, id));
    return WithoutPasswords(m);
  });
}

Result<MailboxSettingsView> MailSettings::Create(const Actor& actor, const MailboxFields& fields) {
  if (!CanManageSettings(actor)) return Refused();
  Mailbox m;  // ImapSettings' and SmtpSettings' defaults
  FieldErrors errors;
  ApplyAndCheck(fields, m, errors);
  if (fields.is_default) m.is_default = *fields.is_default;
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<MailboxSettingsView> {
    RAPPORT_ASSIGN_OR_RETURN(std::vector<Mailbox> existing, s.ListMailboxes());
    const bool has_default = std::any_of(existing.begin(), existing.end(), [](const Mailbox& e) { return e.is_default; });
    if (!has_default) m.is_default = true;
    auto id = s.InsertMailbox(m);
    if (!id.ok()) return WithAddressField(id.status());
    if (m.is_default) RAPPORT_RETURN_IF_ERROR(ClearOtherDefaults(s, *id));
    AuditDetail d = Changes(Mailbox{}, m);
    d.Set("address", m.address);  // also when it is all that was given
    RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "mailbox", id->value, "create", d, now));
    RAPPORT_ASSIGN_OR_RETURN(Mailbox stored, s.GetMailbox(*id));
    return WithoutPasswords(stored);
  });
}

Result<MailboxSettingsView> MailSettings::Update(const Actor& actor, MailboxId id, const MailboxFields& fields) {
  if (!CanManageSettings(actor)) return Refused();
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<MailboxSettingsView> {
    RAPPORT_ASSIGN_OR_RETURN(Mailbox before, LoadMailbox(s, id));
    Mailbox next = before;
    FieldErrors errors;
    ApplyAndCheck(fields, next, errors);
    if (fields.is_default) {
      if (before.is_default && !*fields.is_default) {
        errors.Add("is_default", "one mailbox must be the default: make another mailbox the default instead");
      }
      next.is_default = *fields.is_default;
    }
    RAPPORT_RETURN_IF_ERROR(errors.ToStatus());
    AuditDetail d = Changes(before, next);
    if (d.empty()) return WithoutPasswords(before);
    if (Status saved = s.UpdateMailbox(next); !saved.ok()) return WithAddressField(saved);
    if (next.is_default && !before.is_default) RAPPORT_RETURN_IF_ERROR(ClearOtherDefaults(s, id));
    const bool moved = next.imap.host != before.imap.host || next.imap.user != before.imap.user ||
                       next.imap.folder != before.imap.folder;
    if (moved && (before.uid_validity != 0 || before.last_uid != 0)) {
      RAPPORT_RETURN_IF_ERROR(s.SaveMailboxCheckpoint(id, 0, 0));
      d.Set("checkpoint", "reset");
    }
    RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "mailbox", id.value, "update", d, now));
    RAPPORT_ASSIGN_OR_RETURN(Mailbox stored, s.GetMailbox(id));
    return WithoutPasswords(stored);
  });
}

Status MailSettings::Delete(const Actor& actor, MailboxId id) {
  if (!CanManageSettings(actor)) return Refused();
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Done> {
           RAPPORT_ASSIGN_OR_RETURN(Mailbox gone, LoadMailbox(s, id));
           RAPPORT_RETURN_IF_ERROR(s.DeleteMailbox(id));
           AuditDetail d;
           d.Set("name", gone.name).Set("address", gone.address);
           if (gone.is_default) {
             RAPPORT_ASSIGN_OR_RETURN(std::vector<Mailbox> rest, s.ListMailboxes());
             if (!rest.empty()) {  // by name: the first becomes the default
               rest.front().is_default = true;
               RAPPORT_RETURN_IF_ERROR(s.UpdateMailbox(rest.front()));
               d.Set("new_default", rest.front().address);
             }
           }
           RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "mailbox", id.value, "delete", d, now));
           return Done{};
         })
      .status();
}

Result<ConnectionTest> MailSettings::TestImap(const Actor& actor, MailboxId id, ImapConnector* connector,
                                              std::chrono::seconds timeout) {
  if (!CanManageSettings(actor)) return Refused();
  // Read first, connect after: no transaction stays open while a server is slow to answer.
  RAPPORT_ASSIGN_OR_RETURN(Mailbox m,
                           InReadOnlyTransaction(pool_, [&](StoreSession& s) { return LoadMailbox(s, id); }));
  if (connector == nullptr) return Status::Unavailable("this server was started without mail support");
  ConnectionTest out;
  if (m.imap.host.empty()) {
    out.error = "no IMAP server is set: enter its host name first";
    return out;
  }
  ImapSettings settings = m.imap;
  settings.timeout = timeout;
  auto session = connector->Connect(settings);
  if (!session.ok()) {
    out.error = session.status().message();
    return out;
  }
  out.ok = true;
  out.messages = (*session)->folder_state().exists;
  out.uid_validity = (*session)->folder_state().uid_validity;
  return out;
}

}  // namespace rapport::app
