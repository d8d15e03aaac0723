#pragma once
// Reading a mailbox over IMAP (app::ImapConnector, app::ImapSession): libcurl opens and logs in
// (imap_connection.h), the commands are written and their responses read here.
//
// Errors, for every call: kUnavailable for network trouble, timeouts, a closed connection and NO
// replies without a more telling code (after a timeout or a broken connection every later call
// returns kUnavailable at once: reconnect); kPermissionDenied for refused credentials and [NOPERM];
// kNotFound for a missing folder ([NONEXISTENT], [TRYCREATE]) and a UID that is gone; kInternal for a
// BAD reply (a command the server did not understand: a bug here); kInvalidArgument for a folder
// name that IMAP cannot carry (control characters, invalid UTF-8).
//
// Folder names are UTF-8; non-ASCII is sent as modified UTF-7.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/email.h"
#include "mail/imap_connection.h"

namespace rapport::mail {

class CurlImapSession final : public app::ImapSession {
 public:
  // Connects, logs in, reads the capabilities and selects settings.folder (see ImapConnector).
  static Result<std::unique_ptr<CurlImapSession>> Open(const app::ImapSettings& settings);
  // Logs out, best effort, waiting at most two seconds.
  ~CurlImapSession() override;

  const app::ImapFolderState& folder_state() const override { return state_; }
  bool supports_idle() const override { return HasCapability("IDLE"); }
  Result<std::vector<std::uint32_t>> UidsFrom(std::uint32_t first_uid) override;
  Result<std::string> Fetch(std::uint32_t uid) override;
  Status MarkSeen(std::uint32_t uid) override;
  Status Move(std::uint32_t uid, const std::string& folder) override;
  // IDLE (RFC 2177) until EXISTS, RECENT or EXPUNGE arrives or `max_wait` (at most 25 minutes, as
  // servers end IDLE after 30) passes; then STATUS refreshes uid_next. Without IDLE: NOOP every
  // 5 seconds until something changed or `max_wait` passed.
  Result<bool> WaitForChange(std::chrono::seconds max_wait) override;

  // Beyond the port, for tools and tests.
  // Whether the server listed `name` (upper case, e.g. "MOVE", "UIDPLUS") after login.
  bool HasCapability(std::string_view name) const;
  // Creates `folder`; OK when it exists already.
  Status CreateFolder(const std::string& folder);
  // Stores `raw` (CRLF line endings) in `folder` with `flags` (e.g. "\\Seen"); not \Seen by default.
  Status Append(const std::string& folder, std::string_view raw, const std::vector<std::string>& flags = {});
  // The flags of one message; kNotFound when the UID is gone.
  Result<std::vector<std::string>> FetchFlags(std::uint32_t uid);

 private:
  struct PrivateTag {
    explicit PrivateTag() = default;
  };

 public:
  // Use Open().
  CurlImapSession(PrivateTag, std::unique_ptr<ImapConnection> connection, const app::ImapSettings& settings);

 private:
  // The outcome of one command: the tagged reply and the untagged responses that came with it.
  struct Reply {
    std::string status;  // "OK", "NO" or "BAD"
    ImapRespText text;
    std::vector<ImapResponse> untagged;
  };
  // Fills reply.status and reply.text from our tagged reply "TAG OK [CODE args] text".
  static void ReadTagged(const ImapResponse& tagged, Reply& reply);

  // Sends "TAG command" and reads until its tagged reply. A NO or BAD is returned as a Reply, not an
  // error; errors are for the connection only. With `literal`, the command must end in "{n}" for
  // it: the literal is sent after the server's "+" continuation.
  Result<Reply> Run(const std::string& command, std::optional<std::string_view> literal = std::nullopt);
  // Like Run, but a NO or BAD becomes an error Status saying `what` failed.
  Result<Reply> RunOk(const std::string& command, const std::string& what,
                      std::optional<std::string_view> literal = std::nullopt);
  // Reads the next response, with the session's timeout; kUnavailable on timeout.
  Result<ImapResponse> ReadResponse();
  // Updates state_ and capabilities from an untagged response, and sets saw_change_ for EXISTS,
  // RECENT (> 0) and EXPUNGE. kUnavailable for BYE.
  Status Observe(const ImapResponse& response);
  Status Select();
  Status RefreshStatus();
  // Marks the connection unusable when `status` is a connection failure.
  Status Fail(Status status);
  std::string NextTag();

  std::unique_ptr<ImapConnection> connection_;
  app::ImapSettings settings_;
  std::chrono::milliseconds timeout_;
  app::ImapFolderState state_;
  std::set<std::string> capabilities_;
  std::uint64_t tag_counter_ = 0;
  bool saw_change_ = false;  // an EXISTS, RECENT or EXPUNGE arrived since WaitForChange began
  bool broken_ = false;
};

class CurlImapConnector final : public app::ImapConnector {
 public:
  Result<std::unique_ptr<app::ImapSession>> Connect(const app::ImapSettings& settings) override;
};

}  // namespace rapport::mail
