#include "cli/import_progress.h"

#include <algorithm>
#include <cstdio>

namespace rapport::cli {
namespace {

constexpr auto kTerminalInterval = std::chrono::milliseconds(200);
constexpr auto kLogInterval = std::chrono::seconds(10);
constexpr int kBarWidth = 30;

std::string Size(std::int64_t bytes) {
  char text[32];
  if (bytes >= (1LL << 30)) {
    std::snprintf(text, sizeof text, "%.1f GB", static_cast<double>(bytes) / (1LL << 30));
  } else {
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1LL << 20));
  }
  return text;
}

}  // namespace

ImportProgress::ImportProgress(std::ostream& out, bool terminal, Clock::time_point start)
    : out_(out), terminal_(terminal), start_(start), last_drawn_(start) {}

std::string ImportProgress::Line(const mail::ArchiveProgress& archive, std::int64_t messages, double seconds,
                                 bool with_bar) {
  const double fraction =
      archive.total > 0 ? std::clamp(static_cast<double>(archive.done) / static_cast<double>(archive.total), 0.0, 1.0)
                        : 1.0;
  std::string line;
  if (with_bar) {
    const int filled = static_cast<int>(fraction * kBarWidth);
    line = "[" + std::string(static_cast<std::size_t>(filled), '#') +
           std::string(static_cast<std::size_t>(kBarWidth - filled), ' ') + "] ";
  }
  char text[160];
  const double rate = seconds > 0 ? static_cast<double>(messages) / seconds : 0.0;
  if (archive.unit == mail::ArchiveProgress::Unit::kBytes) {
    std::snprintf(text, sizeof text, "%3d%% %s/%s, %lld messages, %.0f msg/s", static_cast<int>(fraction * 100),
                  Size(archive.done).c_str(), Size(archive.total).c_str(), static_cast<long long>(messages), rate);
  } else {
    std::snprintf(text, sizeof text, "%3d%% %lld/%lld files, %.0f msg/s", static_cast<int>(fraction * 100),
                  static_cast<long long>(archive.done), static_cast<long long>(archive.total), rate);
  }
  return line + text;
}

void ImportProgress::Update(const mail::ArchiveProgress& archive, std::int64_t messages, Clock::time_point now) {
  const auto interval = terminal_ ? std::chrono::duration_cast<Clock::duration>(kTerminalInterval)
                                  : std::chrono::duration_cast<Clock::duration>(kLogInterval);
  if (now - last_drawn_ < interval) return;
  Draw(archive, messages, now);
}

void ImportProgress::Draw(const mail::ArchiveProgress& archive, std::int64_t messages, Clock::time_point now) {
  last_drawn_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  std::string line = Line(archive, messages, seconds, terminal_);
  if (terminal_) {
    // Pad over the rest of a longer earlier line.
    const std::size_t width = line.size();
    if (width < last_width_) line.append(last_width_ - width, ' ');
    last_width_ = width;
    out_ << '\r' << line << std::flush;
  } else {
    out_ << "rapport import: " << line << '\n' << std::flush;
  }
}

void ImportProgress::Finish(const mail::ArchiveProgress& archive, std::int64_t messages, Clock::time_point now) {
  if (!terminal_) return;
  Draw(archive, messages, now);
  out_ << '\n' << std::flush;
}

}  // namespace rapport::cli
