#include "core/auto_followup_text.h"

#include <array>
#include <chrono>

#include "core/markdown_text.h"

namespace rapport {
namespace {

constexpr std::array<const char*, 7> kWeekdays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                  "Thursday", "Friday", "Saturday"};
constexpr std::array<const char*, 12> kMonths = {"January", "February", "March",     "April",   "May",      "June",
                                                 "July",    "August",   "September", "October", "November", "December"};

std::string Greeting(const std::string& contact_name) {
  // The name comes from the client's From header: text, never Markdown.
  return contact_name.empty() ? std::string("Hello,\n\n") : "Hello " + EscapeMarkdownText(contact_name) + ",\n\n";
}

std::string Ref(std::int64_t number) { return "#" + std::to_string(number); }

}  // namespace

std::string FormatPromiseTime(Instant t, const ZoneRules& zone) {
  using namespace std::chrono;
  const auto local = t + zone.OffsetAt(t);  // wall time, as if it were UTC
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const weekday wd{day};
  const hh_mm_ss<seconds> time{local - day};
  int hour = static_cast<int>(time.hours().count());
  const char* half = hour < 12 ? "AM" : "PM";
  hour %= 12;
  if (hour == 0) hour = 12;
  const int minute = static_cast<int>(time.minutes().count());
  std::string out = std::string(kWeekdays[wd.c_encoding()]) + ", " + kMonths[static_cast<unsigned>(ymd.month()) - 1] +
                    " " + std::to_string(static_cast<unsigned>(ymd.day())) + ", " + std::to_string(hour) + ":" +
                    (minute < 10 ? "0" : "") + std::to_string(minute) + " " + half;
  return out;
}

std::string AcknowledgementText(std::int64_t number, const std::string& contact_name,
                                const std::optional<Instant>& reply_by, const ZoneRules& zone) {
  std::string text = Greeting(contact_name) + "We have received your request (" + Ref(number) + ")";
  if (reply_by) {
    text += " and will reply by " + FormatPromiseTime(*reply_by, zone) + " (" + zone.name() + " time).";
  } else {
    text += " and will reply as soon as we can.";
  }
  text +=
      "\n\nThere is no need to write again: anything you add by replying to this email joins the same request."
      "\n\nThis is an automatic message.";
  return text;
}

std::string NudgeText(std::int64_t number, const std::string& contact_name, int nudge, int limit) {
  std::string text = Greeting(contact_name);
  if (nudge <= 1) {
    text += "Just checking in on " + Ref(number) + ": we are waiting for your answer before we can go on.";
  } else {
    text += "Following up again on " + Ref(number) + ": we still need your answer to go on.";
  }
  text += " Simply reply to this email when you have a moment.";
  if (nudge >= limit) {
    text += "\n\nIf we do not hear from you, we will close this request for now. You can reopen it at any time by "
            "replying to this email.";
  }
  return text;
}

std::string ClosingNoteText(std::int64_t number, const std::string& contact_name) {
  return Greeting(contact_name) + "As we have not heard back from you, we are closing " + Ref(number) +
         " for now. If you still need help, just reply to this email and we will pick it up again." +
         "\n\nThank you, and all the best.";
}

}  // namespace rapport
