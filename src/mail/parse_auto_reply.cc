#include "mail/parse_auto_reply.h"

#include <algorithm>
#include <array>

#include "core/identity.h"

namespace rapport::mail {
namespace {

// The first token of a header value ("auto-replied; owner-email=..." -> "auto-replied"), lower case.
std::string FirstToken(std::string_view value) {
  value = Trim(value);
  const std::size_t end = value.find_first_of(" \t;(");
  return AsciiLower(value.substr(0, end));
}

bool IsNegative(std::string_view value) {
  const std::string token = FirstToken(value);
  return token == "no" || token == "false" || token == "0" || token == "off";
}

// Longest phrases first, so that "out of office autoreply:" is matched before "out of office".
constexpr std::array<std::string_view, 30> kAutoReplyPhrases = {
    "out of office autoreply", "out of office auto reply", "out of office reply", "out of the office",
    "out of office",           "automatic reply",          "auto-reply",          "auto reply",
    "autoreply",               "auto-response",            "auto response",       "autoresponse",
    "automatische antwort",    "abwesenheitsnotiz",        "automatische abwesenheitsnotiz",
    "réponse automatique",     "reponse automatique",      "absence du bureau",   "respuesta automática",
    "respuesta automatica",    "risposta automatica",      "automatisch antwoord", "resposta automática",
    "automatisk svar",         "autosvar",                 "automaattinen vastaus", "odpowiedź automatyczna",
    "vacation reply",          "away from office",         "automatyczna odpowiedź"};

constexpr std::array<std::string_view, 20> kBounceWords = {
    "undeliverable",        "undelivered mail",      "delivery status notification", "returned mail",
    "mail delivery failed", "delivery failure",      "failure notice",               "could not be delivered",
    "delivery has failed",  "non-delivery",          "nondeliverable",               "unzustellbar",
    "nicht zugestellt",     "unable to deliver",     "message not delivered",        "permanent error",
    "delivery failed",      "returned to sender",    "was not delivered",            "delivery notification: delivery has failed"};

}  // namespace

bool IsAutoReplySubject(std::string_view subject) {
  const std::string lower = AsciiLower(Trim(subject));
  std::string_view s = lower;
  if (!s.empty() && s.front() == '[') s.remove_prefix(1);
  s = Trim(s);
  for (std::string_view phrase : kAutoReplyPhrases) {
    if (!s.starts_with(phrase)) continue;
    std::string_view rest = Trim(s.substr(phrase.size()));
    if (rest.empty() || rest.front() == ':' || rest.front() == ']' || rest.front() == '-') return true;
  }
  return false;
}

bool IsBounceSender(const app::EmailAddress& from) {
  const std::string address = AsciiLower(from.address);
  const std::string local = address.substr(0, address.find('@'));
  if (local == "mailer-daemon" || local == "postmaster" || local == "mailer" || local == "mail-daemon" ||
      local == "mailerdaemon" || local == "mail.daemon") {
    return true;
  }
  const std::string name = AsciiLower(from.name);
  return name.find("mail delivery s") != std::string::npos || name.find("mailer-daemon") != std::string::npos ||
         name.find("mail delivery") == 0 || name == "postmaster";
}

bool LooksLikeBounceText(std::string_view subject, std::string_view text) {
  const std::string haystack = AsciiLower(subject) + "\n" + AsciiLower(text.substr(0, 4000));
  return std::any_of(kBounceWords.begin(), kBounceWords.end(),
                     [&](std::string_view w) { return haystack.find(w) != std::string::npos; });
}

app::AutoReplyKind ClassifyAutoReply(const AutoReplySignals& s) {
  using Kind = app::AutoReplyKind;
  if (s.is_delivery_report) return Kind::kBounce;
  if (IsBounceSender(s.from) && LooksLikeBounceText(s.subject, s.text)) return Kind::kBounce;

  if (s.has_auto_submitted && !IsNegative(s.auto_submitted)) return Kind::kAutoReply;
  if (s.has_x_autoreply && !IsNegative(s.x_autoreply)) return Kind::kAutoReply;
  if (s.has_x_autorespond && !IsNegative(s.x_autorespond)) return Kind::kAutoReply;
  const std::string precedence = FirstToken(s.precedence);
  if (precedence == "auto_reply" || precedence == "auto-reply") return Kind::kAutoReply;
  if (s.is_disposition_report) return Kind::kAutoReply;
  if (IsAutoReplySubject(s.subject)) return Kind::kAutoReply;

  if (precedence == "bulk" || precedence == "junk" || precedence == "list") return Kind::kBulk;
  if (s.has_list_id || s.has_list_unsubscribe) return Kind::kBulk;
  return Kind::kNone;
}

}  // namespace rapport::mail
