#pragma once
// The business's mailboxes as the owner configures them in settings: the support address, the IMAP
// server Rapport fetches from and the SMTP server replies leave through. Owner and admin only — the
// settings hold credentials — for reading as well as for changing.
//
// Passwords are write-only. Nothing here returns one: a MailboxSettingsView carries the mailbox with
// both passwords blanked and says only whether one is stored. An update that leaves a password out
// (or gives it empty) keeps the stored one; a user name set to empty drops its password too (an
// SMTP server without AUTH, an IMAP account that is being replaced).
//
// AT REST the passwords are stored as given, in the mailboxes table of the database: whoever can
// read the database or its backups can read them. Encrypting them with a key kept outside the
// database is a later step; until then, protect the database file and backups like the passwords.
//
// Exactly one mailbox is the default (replies to tickets that did not arrive by email leave from
// it) as soon as there is any: the first mailbox becomes the default, making another the default
// clears the flag on the rest, the default cannot be un-set except by choosing another, and
// deleting the default passes the flag to the first remaining mailbox by name.
//
// Changing where mail is fetched from — the IMAP host, user or folder — resets the fetching
// checkpoint (UIDVALIDITY and last UID to 0), because UIDs of one folder mean nothing in another:
// the next fetch reads the new folder from its start, and intake recognises mail it already stored
// by Message-ID. A fetch round running at that moment finishes with its old settings and may write
// its own checkpoint back; the next round then sees a different UIDVALIDITY and reads the folder
// from the start anyway (MailFetcher's UIDVALIDITY rule).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/clock.h"
#include "app/ports/email.h"
#include "app/ports/email_records.h"
#include "app/session_pool.h"
#include "core/permissions.h"

namespace rapport::app {

// Limits of the settings' text fields, in characters.
inline constexpr std::size_t kMaxHostChars = 253;  // a DNS name
inline constexpr std::size_t kMaxMailUserChars = 320;
inline constexpr std::size_t kMaxMailPasswordChars = 1000;
inline constexpr std::size_t kMaxFolderChars = 200;
inline constexpr std::size_t kMaxPathChars = 1000;

// A mailbox as shown to people and the API: mailbox.imap.password and mailbox.smtp.password are
// always empty.
struct MailboxSettingsView {
  Mailbox mailbox;
  bool imap_has_password = false;
  bool smtp_has_password = false;
};

// One half of a mailbox's server settings; every field optional (absent = default on create, keep
// on update). `security` is the wire name ("tls", "starttls", "none") so that a wrong value becomes
// a field error here.
struct ImapFields {
  std::optional<std::string> host, user, password, security, folder, processed_folder, ca_file;
  std::optional<int> port;
};
struct SmtpFields {
  std::optional<std::string> host, user, password, security, ca_file;
  std::optional<int> port;
};

struct MailboxFields {
  std::optional<std::string> name;
  std::optional<std::string> address;
  std::optional<std::string> display_name;
  std::optional<bool> is_default;
  std::optional<bool> fetch_enabled;
  ImapFields imap;
  SmtpFields smtp;
};

// What a connection test found. `ok` false with `error` when the server could not be reached, the
// login was refused or the folder is missing — an answer about the settings, not a failure of the
// call.
struct ConnectionTest {
  bool ok = false;
  std::string error;
  std::uint32_t messages = 0;  // in the folder (IMAP EXISTS)
  std::uint32_t uid_validity = 0;
};

// Field names of the errors: "name", "address", "display_name", "is_default", "fetch_enabled",
// "imap.host", "imap.port", "imap.security", "imap.user", "imap.password", "imap.folder",
// "imap.processed_folder", "imap.ca_file", and the same under "smtp.".
//
// Every method: kPermissionDenied unless the actor may manage settings (owner, admin); kNotFound for
// an unknown id; kInvalidArgument with field errors; kAlreadyExists (field "address") when another
// mailbox has the address; kUnavailable when the database does not answer.
class MailSettings {
 public:
  MailSettings(SessionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  Result<std::vector<MailboxSettingsView>> List(const Actor& actor);  // by name
  Result<MailboxSettingsView> Get(const Actor& actor, MailboxId id);
  // name, address and smtp.host are required; the rest take the defaults of ImapSettings and
  // SmtpSettings (IMAP 993 over TLS, folder INBOX; SMTP 587 with STARTTLS).
  Result<MailboxSettingsView> Create(const Actor& actor, const MailboxFields& fields);
  // Changes only the fields given; see the notes above on passwords, the default and the checkpoint.
  Result<MailboxSettingsView> Update(const Actor& actor, MailboxId id, const MailboxFields& fields);
  // Mail already stored keeps its messages. Replies still queued for this mailbox lose it and fail
  // with a notice to set one up (the outbox has no server to send them through).
  Status Delete(const Actor& actor, MailboxId id);

  // Connects to the mailbox's IMAP server with its stored settings, logs in and selects the folder,
  // waiting at most `timeout`. Changes nothing. kUnavailable when `connector` is null (a server
  // built without mail). SMTP is not tested: the sender port can only send a whole message.
  Result<ConnectionTest> TestImap(const Actor& actor, MailboxId id, ImapConnector* connector,
                                  std::chrono::seconds timeout = std::chrono::seconds(15));

 private:
  SessionPool& pool_;
  const Clock& clock_;
};

// The mailbox without its passwords, and whether each is set.
MailboxSettingsView WithoutPasswords(const Mailbox& m);

}  // namespace rapport::app
