#pragma once
// How far `rapport import` has got, on stderr. On a terminal: one line redrawn in place (\r) at most
// five times a second — a bar, done/total, messages so far and messages per second. Elsewhere (a log
// file, cron, CI): a plain line every 10 seconds, so that a long import shows life without flooding
// the log; a short one prints nothing.

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

#include "mail/mail_archive.h"

namespace rapport::cli {

class ImportProgress {
 public:
  using Clock = std::chrono::steady_clock;

  // `out` is where to draw; `terminal` chooses the redrawn bar over periodic lines.
  ImportProgress(std::ostream& out, bool terminal, Clock::time_point start = Clock::now());

  // Called after each stored batch. Draws only when enough time has passed since the last drawing.
  void Update(const mail::ArchiveProgress& archive, std::int64_t messages, Clock::time_point now = Clock::now());

  // On a terminal, draws the final state and ends the bar's line, so that what follows starts on a
  // fresh line. Elsewhere nothing: the final count follows on stdout.
  void Finish(const mail::ArchiveProgress& archive, std::int64_t messages, Clock::time_point now = Clock::now());

  // One line of progress, without \r or \n. Public for the tests.
  static std::string Line(const mail::ArchiveProgress& archive, std::int64_t messages, double seconds, bool with_bar);

 private:
  void Draw(const mail::ArchiveProgress& archive, std::int64_t messages, Clock::time_point now);

  std::ostream& out_;
  bool terminal_;
  Clock::time_point start_;
  Clock::time_point last_drawn_;
  std::size_t last_width_ = 0;
};

}  // namespace rapport::cli
