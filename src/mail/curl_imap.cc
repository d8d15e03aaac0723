#include "mail/curl_imap.h"

#include <algorithm>
#include <optional>

namespace rapport::mail {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr auto kLongestIdle = std::chrono::minutes(25);  // servers may end IDLE after 30 minutes
constexpr auto kNoopInterval = std::chrono::seconds(5);  // polling without IDLE
constexpr auto kLogoutWait = std::chrono::seconds(2);

bool IsUntagged(const ImapResponse& response) { return response.text.starts_with('*'); }
bool IsContinuation(const ImapResponse& response) { return response.text.starts_with('+'); }

// The items of one "* n FETCH (...)" response that this file asks for.
struct FetchItems {
  std::optional<std::uint32_t> uid;
  std::optional<std::string> body;                // BODY[]
  std::optional<std::vector<std::string>> flags;  // FLAGS
};

// Parses a FETCH response; nullopt for any other response or a malformed one. The body literal is
// moved out of `response`.
std::optional<FetchItems> ParseFetch(ImapResponse& response) {
  ImapTokenizer tokens(response);
  if (tokens.Next().value != "*" || !TokenNumber(tokens.Next())) return std::nullopt;
  if (AsciiUpper(tokens.Next().value) != "FETCH" || tokens.Next().kind != ImapToken::Kind::kOpen) return std::nullopt;
  FetchItems items;
  while (true) {
    const ImapToken key = tokens.Next();
    if (key.kind == ImapToken::Kind::kClose) return items;
    if (key.kind != ImapToken::Kind::kAtom) return std::nullopt;
    const std::string name = AsciiUpper(key.value);
    if (name == "UID") {
      items.uid = TokenNumber(tokens.Next());
      if (!items.uid) return std::nullopt;
    } else if (name == "BODY[]") {
      const ImapToken value = tokens.Next();
      if (value.kind == ImapToken::Kind::kString && value.literal_index >= 0) {
        items.body = std::move(response.literals[static_cast<size_t>(value.literal_index)]);
      } else if (value.kind == ImapToken::Kind::kString) {
        items.body = value.value;
      } else if (value.kind != ImapToken::Kind::kNil) {
        return std::nullopt;
      }
    } else if (name == "FLAGS") {
      if (tokens.Next().kind != ImapToken::Kind::kOpen) return std::nullopt;
      items.flags.emplace();
      while (true) {
        const ImapToken flag = tokens.Next();
        if (flag.kind == ImapToken::Kind::kClose) break;
        if (flag.kind != ImapToken::Kind::kAtom) return std::nullopt;
        items.flags->push_back(flag.value);
      }
    } else if (!tokens.SkipValue()) {
      return std::nullopt;
    }
  }
}

// A flag as an IMAP atom: a leading backslash, then atom characters only.
bool IsFlag(std::string_view flag) {
  if (flag.starts_with('\\')) flag.remove_prefix(1);
  return !flag.empty() && std::all_of(flag.begin(), flag.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7F && c != '(' && c != ')' && c != '{' && c != '%' && c != '*' && c != '"' && c != '\\' &&
           c != ']';
  });
}

}  // namespace

CurlImapSession::CurlImapSession(PrivateTag, std::unique_ptr<ImapConnection> connection,
                                 const app::ImapSettings& settings)
    : connection_(std::move(connection)),
      settings_(settings),
      timeout_(std::chrono::duration_cast<milliseconds>(std::max(settings.timeout, std::chrono::seconds(1)))) {}

Result<std::unique_ptr<CurlImapSession>> CurlImapSession::Open(const app::ImapSettings& settings) {
  RAPPORT_ASSIGN_OR_RETURN(std::unique_ptr<ImapConnection> connection, ImapConnection::Open(settings));
  auto session = std::make_unique<CurlImapSession>(PrivateTag(), std::move(connection), settings);
  // libcurl read the capabilities before login; they often grow after it (MOVE, UIDPLUS).
  RAPPORT_RETURN_IF_ERROR(session->RunOk("CAPABILITY", "CAPABILITY").status());
  RAPPORT_RETURN_IF_ERROR(session->Select());
  return session;
}

CurlImapSession::~CurlImapSession() {
  if (broken_ || !connection_) return;
  const std::string tag = NextTag();
  if (!connection_->Send(tag + " LOGOUT\r\n", kLogoutWait).ok()) return;
  const auto deadline = Clock::now() + kLogoutWait;
  while (Clock::now() < deadline) {
    auto response = connection_->Read(std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
    if (!response.ok() || !response->has_value()) return;
    if ((*response)->text.starts_with(tag + " ")) return;
  }
}

std::string CurlImapSession::NextTag() { return "R" + std::to_string(++tag_counter_); }

bool CurlImapSession::HasCapability(std::string_view name) const { return capabilities_.contains(AsciiUpper(name)); }

Status CurlImapSession::Fail(Status status) {
  broken_ = true;
  return status;
}

Result<ImapResponse> CurlImapSession::ReadResponse() {
  auto response = connection_->Read(timeout_);
  if (!response.ok()) return Fail(response.status());
  if (!response->has_value()) {
    return Fail(Status::Unavailable("the IMAP server did not answer within " +
                                    std::to_string(settings_.timeout.count()) + " s"));
  }
  return std::move(**response);
}

Status CurlImapSession::Observe(const ImapResponse& response) {
  ImapTokenizer tokens(response);
  tokens.Next();  // "*"
  const ImapToken first = tokens.Next();
  if (const std::optional<std::uint32_t> n = TokenNumber(first)) {
    const std::string what = AsciiUpper(tokens.Next().value);
    if (what == "EXISTS") {
      state_.exists = *n;
      saw_change_ = true;
    } else if (what == "RECENT") {
      if (*n > 0) saw_change_ = true;
    } else if (what == "EXPUNGE") {
      if (state_.exists > 0) --state_.exists;
      saw_change_ = true;
    }
    return Status::Ok();
  }
  const std::string word = AsciiUpper(first.value);
  if (word == "BYE")
    return Fail(Status::Unavailable("the IMAP server closed the connection: " + std::string(tokens.Rest())));
  if (word == "CAPABILITY") {
    capabilities_.clear();
    for (ImapToken t = tokens.Next(); t.kind == ImapToken::Kind::kAtom; t = tokens.Next())
      capabilities_.insert(AsciiUpper(t.value));
    return Status::Ok();
  }
  if (word == "OK" || word == "NO" || word == "BAD" || word == "PREAUTH") {
    const ImapRespText text = ParseRespText(tokens.Rest());
    if (text.code == "UIDVALIDITY" || text.code == "UIDNEXT") {
      ImapToken number;
      number.kind = ImapToken::Kind::kAtom;
      number.value = text.code_args;
      if (const std::optional<std::uint32_t> n = TokenNumber(number)) {
        (text.code == "UIDVALIDITY" ? state_.uid_validity : state_.uid_next) = *n;
      }
    } else if (text.code == "CAPABILITY") {
      capabilities_.clear();
      ImapResponse args{text.code_args, {}};
      ImapTokenizer caps(args);
      for (ImapToken t = caps.Next(); t.kind == ImapToken::Kind::kAtom; t = caps.Next())
        capabilities_.insert(AsciiUpper(t.value));
    }
  }
  return Status::Ok();
}

void CurlImapSession::ReadTagged(const ImapResponse& tagged, Reply& reply) {
  ImapTokenizer tokens(tagged);
  tokens.Next();  // the tag
  reply.status = AsciiUpper(tokens.Next().value);
  reply.text = ParseRespText(tokens.Rest());
}

Result<CurlImapSession::Reply> CurlImapSession::Run(const std::string& command,
                                                    std::optional<std::string_view> literal) {
  if (broken_) return Status::Unavailable("the IMAP connection failed earlier; connect again");
  const std::string tag = NextTag();
  const std::string prefix = tag + " ";
  if (Status sent = connection_->Send(prefix + command + "\r\n", timeout_); !sent.ok()) return Fail(sent);
  Reply reply;
  bool literal_pending = literal.has_value();
  while (true) {
    RAPPORT_ASSIGN_OR_RETURN(ImapResponse response, ReadResponse());
    if (IsUntagged(response)) {
      RAPPORT_RETURN_IF_ERROR(Observe(response));
      reply.untagged.push_back(std::move(response));
      continue;
    }
    if (IsContinuation(response)) {
      if (!literal_pending)
        return Fail(Status::Unavailable("the IMAP server asked for more than was sent: " + response.text));
      literal_pending = false;
      std::string data(*literal);
      data += "\r\n";
      if (Status sent = connection_->Send(data, timeout_); !sent.ok()) return Fail(sent);
      continue;
    }
    if (!response.text.starts_with(prefix)) continue;  // a stray tagged reply: not ours
    ReadTagged(response, reply);
    if (reply.status != "OK" && reply.status != "NO" && reply.status != "BAD") {
      return Fail(Status::Unavailable("the IMAP server answered '" + response.text + "'"));
    }
    return reply;
  }
}

namespace {

Status StatusFromReply(const std::string& status, const ImapRespText& text, const std::string& what) {
  std::string message = what + " failed: " + status;
  if (!text.code.empty()) message += " [" + text.code + (text.code_args.empty() ? "" : " " + text.code_args) + "]";
  if (!text.text.empty()) message += " " + text.text;
  if (status == "BAD") return Status::Internal(message);
  if (text.code == "NONEXISTENT" || text.code == "TRYCREATE") return Status::NotFound(message);
  if (text.code == "NOPERM" || text.code == "AUTHENTICATIONFAILED" || text.code == "AUTHORIZATIONFAILED") {
    return Status::PermissionDenied(message);
  }
  return Status::Unavailable(message);
}

}  // namespace

Result<CurlImapSession::Reply> CurlImapSession::RunOk(const std::string& command, const std::string& what,
                                                      std::optional<std::string_view> literal) {
  RAPPORT_ASSIGN_OR_RETURN(Reply reply, Run(command, literal));
  if (reply.status != "OK") return StatusFromReply(reply.status, reply.text, what);
  return reply;
}

Status CurlImapSession::Select() {
  RAPPORT_ASSIGN_OR_RETURN(const std::string mailbox, QuoteMailbox(settings_.folder));
  state_ = app::ImapFolderState{};
  const std::string what = "selecting the IMAP folder '" + settings_.folder + "'";
  RAPPORT_ASSIGN_OR_RETURN(const Reply reply, Run("SELECT " + mailbox));
  if (reply.status != "OK") {
    Status refused = StatusFromReply(reply.status, reply.text, what);
    // Not every server says [NONEXISTENT] (Dovecot 2.3 answers "NO Mailbox doesn't exist"): ask LIST.
    if (reply.status == "NO" && refused.code() == StatusCode::kUnavailable) {
      RAPPORT_ASSIGN_OR_RETURN(const Reply listed, RunOk("LIST \"\" " + mailbox, "LIST"));
      const bool exists = std::any_of(listed.untagged.begin(), listed.untagged.end(), [](const ImapResponse& r) {
        ImapTokenizer tokens(r);
        tokens.Next();
        return AsciiUpper(tokens.Next().value) == "LIST";
      });
      if (!exists) return Status::NotFound(what + " failed: there is no such folder (" + reply.text.text + ")");
    }
    return refused;
  }
  // UIDNEXT is optional in a SELECT reply for some servers; STATUS always has it.
  if (state_.uid_next == 0) RAPPORT_RETURN_IF_ERROR(RefreshStatus());
  return Status::Ok();
}

Status CurlImapSession::RefreshStatus() {
  RAPPORT_ASSIGN_OR_RETURN(const std::string mailbox, QuoteMailbox(settings_.folder));
  RAPPORT_ASSIGN_OR_RETURN(Reply reply, RunOk("STATUS " + mailbox + " (UIDNEXT UIDVALIDITY)", "STATUS"));
  for (const ImapResponse& response : reply.untagged) {
    ImapTokenizer tokens(response);
    tokens.Next();
    if (AsciiUpper(tokens.Next().value) != "STATUS") continue;
    tokens.SkipValue();  // the mailbox name
    if (tokens.Next().kind != ImapToken::Kind::kOpen) continue;
    while (true) {
      const ImapToken key = tokens.Next();
      if (key.kind != ImapToken::Kind::kAtom) break;
      const std::optional<std::uint32_t> value = TokenNumber(tokens.Next());
      if (!value) break;
      const std::string name = AsciiUpper(key.value);
      if (name == "UIDNEXT") state_.uid_next = *value;
      if (name == "UIDVALIDITY") state_.uid_validity = *value;
    }
  }
  return Status::Ok();
}

Result<std::vector<std::uint32_t>> CurlImapSession::UidsFrom(std::uint32_t first_uid) {
  const std::uint32_t first = std::max<std::uint32_t>(first_uid, 1);
  RAPPORT_ASSIGN_OR_RETURN(Reply reply, RunOk("UID SEARCH UID " + std::to_string(first) + ":*", "UID SEARCH"));
  std::vector<std::uint32_t> uids;
  for (const ImapResponse& response : reply.untagged) {
    ImapTokenizer tokens(response);
    tokens.Next();
    if (AsciiUpper(tokens.Next().value) != "SEARCH") continue;
    for (ImapToken t = tokens.Next(); t.kind == ImapToken::Kind::kAtom; t = tokens.Next()) {
      const std::optional<std::uint32_t> uid = TokenNumber(t);
      // "n:*" with n above the highest UID still matches the highest message (RFC 3501 6.4.8).
      if (uid && *uid >= first) uids.push_back(*uid);
    }
  }
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  return uids;
}

Result<std::string> CurlImapSession::Fetch(std::uint32_t uid) {
  const std::string what = "fetching message UID " + std::to_string(uid);
  RAPPORT_ASSIGN_OR_RETURN(Reply reply, RunOk("UID FETCH " + std::to_string(uid) + " (BODY.PEEK[])", what));
  for (ImapResponse& response : reply.untagged) {
    std::optional<FetchItems> items = ParseFetch(response);
    if (items && items->uid == uid && items->body) return std::move(*items->body);
  }
  return Status::NotFound(what + ": the server has no such message (expunged or moved)");
}

Result<std::vector<std::string>> CurlImapSession::FetchFlags(std::uint32_t uid) {
  const std::string what = "fetching the flags of UID " + std::to_string(uid);
  RAPPORT_ASSIGN_OR_RETURN(Reply reply, RunOk("UID FETCH " + std::to_string(uid) + " (FLAGS)", what));
  for (ImapResponse& response : reply.untagged) {
    std::optional<FetchItems> items = ParseFetch(response);
    if (items && items->uid == uid && items->flags) return std::move(*items->flags);
  }
  return Status::NotFound(what + ": the server has no such message");
}

Status CurlImapSession::MarkSeen(std::uint32_t uid) {
  return RunOk("UID STORE " + std::to_string(uid) + " +FLAGS.SILENT (\\Seen)",
               "marking UID " + std::to_string(uid) + " seen")
      .status();
}

Status CurlImapSession::Move(std::uint32_t uid, const std::string& folder) {
  RAPPORT_ASSIGN_OR_RETURN(const std::string mailbox, QuoteMailbox(folder));
  const std::string id = std::to_string(uid);
  const std::string what = "moving UID " + id + " to '" + folder + "'";
  if (HasCapability("MOVE")) return RunOk("UID MOVE " + id + " " + mailbox, what).status();
  RAPPORT_RETURN_IF_ERROR(RunOk("UID COPY " + id + " " + mailbox, what).status());
  RAPPORT_RETURN_IF_ERROR(RunOk("UID STORE " + id + " +FLAGS.SILENT (\\Deleted)", what).status());
  // Without UIDPLUS, EXPUNGE removes every \Deleted message of the folder, not only this one.
  return RunOk(HasCapability("UIDPLUS") ? "UID EXPUNGE " + id : std::string("EXPUNGE"), what).status();
}

Result<bool> CurlImapSession::WaitForChange(std::chrono::seconds max_wait) {
  if (broken_) return Status::Unavailable("the IMAP connection failed earlier; connect again");
  const auto deadline = Clock::now() + std::min<Clock::duration>(max_wait, kLongestIdle);
  auto left = [&] {
    return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
  };
  saw_change_ = false;

  if (!supports_idle()) {
    do {
      // Sleep on the socket, so that a server's goodbye is noticed.
      auto unsolicited = connection_->Read(std::min<milliseconds>(left(), kNoopInterval));
      if (!unsolicited.ok()) return Fail(unsolicited.status());
      if (unsolicited->has_value() && IsUntagged(**unsolicited)) RAPPORT_RETURN_IF_ERROR(Observe(**unsolicited));
      RAPPORT_RETURN_IF_ERROR(RunOk("NOOP", "NOOP").status());
    } while (!saw_change_ && left() > milliseconds(0));
  } else {
    const std::string tag = NextTag();
    const std::string prefix = tag + " ";
    if (Status sent = connection_->Send(prefix + "IDLE\r\n", timeout_); !sent.ok()) return Fail(sent);
    bool ended = false;  // the server answered the IDLE with its tagged reply (a refusal, or it ended IDLE)
    Reply ending;
    // Until the "+ idling" continuation, then until a change or the deadline.
    bool idling = false;
    while (!ended) {
      std::optional<ImapResponse> response;
      if (!idling) {
        RAPPORT_ASSIGN_OR_RETURN(ImapResponse r, ReadResponse());
        response = std::move(r);
      } else {
        if (saw_change_ || left() == milliseconds(0)) break;
        auto r = connection_->Read(left());
        if (!r.ok()) return Fail(r.status());
        if (!r->has_value()) break;  // no news before the deadline
        response = std::move(**r);
      }
      if (IsContinuation(*response)) {
        idling = true;
      } else if (IsUntagged(*response)) {
        RAPPORT_RETURN_IF_ERROR(Observe(*response));
      } else if (response->text.starts_with(prefix)) {
        ReadTagged(*response, ending);
        ended = true;
      }
    }
    if (!ended) {
      if (Status sent = connection_->Send("DONE\r\n", timeout_); !sent.ok()) return Fail(sent);
      while (!ended) {
        RAPPORT_ASSIGN_OR_RETURN(ImapResponse response, ReadResponse());
        if (IsUntagged(response)) {
          RAPPORT_RETURN_IF_ERROR(Observe(response));
        } else if (response.text.starts_with(prefix)) {
          ReadTagged(response, ending);
          ended = true;
        }
      }
    }
    if (ending.status != "OK") return StatusFromReply(ending.status, ending.text, "IDLE");
  }
  if (saw_change_) RAPPORT_RETURN_IF_ERROR(RefreshStatus());
  return saw_change_;
}

Status CurlImapSession::CreateFolder(const std::string& folder) {
  RAPPORT_ASSIGN_OR_RETURN(const std::string mailbox, QuoteMailbox(folder));
  RAPPORT_ASSIGN_OR_RETURN(Reply reply, Run("CREATE " + mailbox));
  if (reply.status == "OK" || reply.text.code == "ALREADYEXISTS") return Status::Ok();
  return StatusFromReply(reply.status, reply.text, "creating the IMAP folder '" + folder + "'");
}

Status CurlImapSession::Append(const std::string& folder, std::string_view raw, const std::vector<std::string>& flags) {
  RAPPORT_ASSIGN_OR_RETURN(const std::string mailbox, QuoteMailbox(folder));
  std::string flag_list;
  for (const std::string& flag : flags) {
    if (!IsFlag(flag)) return Status::InvalidArgument("'" + flag + "' is not an IMAP flag");
    flag_list += (flag_list.empty() ? "" : " ") + flag;
  }
  const std::string command = "APPEND " + mailbox + " (" + flag_list + ") {" + std::to_string(raw.size()) + "}";
  return RunOk(command, "appending to '" + folder + "'", raw).status();
}

Result<std::unique_ptr<app::ImapSession>> CurlImapConnector::Connect(const app::ImapSettings& settings) {
  RAPPORT_ASSIGN_OR_RETURN(std::unique_ptr<CurlImapSession> session, CurlImapSession::Open(settings));
  return std::unique_ptr<app::ImapSession>(std::move(session));
}

}  // namespace rapport::mail
