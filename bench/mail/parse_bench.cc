// Parse-only throughput: loads a maildir's messages into memory, then parses all of them with
// mail::GmimeEmailParser, on one thread and on every hardware thread, and prints messages/s and MB/s.
// Reading the files is not timed, so the figure is the parser's alone (the import's upper bound).
// Usage: rapport_mail_parse_bench --maildir DIR [--count N] [--rounds R] [--threads T]

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "mail/gmime_parser.h"
#include "mail/gmime_runtime.h"

namespace {

namespace fs = std::filesystem;

// The messages of cur/ and new/ in file-name order, at most `count` of them.
std::vector<std::string> LoadMaildir(const fs::path& dir, std::size_t count) {
  std::vector<fs::path> names;
  for (const char* sub : {"cur", "new"}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir / sub, ec)) {
      if (entry.is_regular_file() && entry.path().filename().string().front() != '.') names.push_back(entry.path());
    }
  }
  std::sort(names.begin(), names.end());
  if (names.size() > count) names.resize(count);
  std::vector<std::string> messages;
  messages.reserve(names.size());
  for (const auto& name : names) {
    std::error_code ec;
    std::string data(static_cast<std::size_t>(fs::file_size(name, ec)), '\0');
    std::ifstream in(name, std::ios::binary);
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    data.resize(static_cast<std::size_t>(in.gcount()));
    messages.push_back(std::move(data));
  }
  return messages;
}

struct RoundResult {
  double seconds = 0;
  std::int64_t failed = 0;       // Parse returned an error
  std::int64_t attachments = 0;  // a check that the parser did the work (same every round)
  std::int64_t text_bytes = 0;
};

// Parses every message once, spreading them over `threads` threads (one shared parser: Parse is
// documented thread-safe, and that is what the import will do).
RoundResult ParseAll(const rapport::mail::GmimeEmailParser& parser, const std::vector<std::string>& messages,
                     unsigned threads) {
  std::atomic<std::size_t> next{0};
  std::atomic<std::int64_t> failed{0}, attachments{0}, text_bytes{0};
  auto work = [&] {
    std::int64_t f = 0, a = 0, t = 0;
    for (std::size_t i = next.fetch_add(1); i < messages.size(); i = next.fetch_add(1)) {
      auto parsed = parser.Parse(messages[i]);
      if (!parsed.ok()) {
        ++f;
        continue;
      }
      a += static_cast<std::int64_t>(parsed->attachments.size());
      t += static_cast<std::int64_t>(parsed->text.size());
    }
    failed += f;
    attachments += a;
    text_bytes += t;
  };
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
  RoundResult r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.failed = failed;
  r.attachments = attachments;
  r.text_bytes = text_bytes;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Parse-only throughput of GmimeEmailParser over a maildir held in memory"};
  std::string maildir;
  std::size_t count = 100000;
  int rounds = 3;
  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  cli.add_option("--maildir", maildir, "the maildir (cur/ and new/ are read)")->required();
  cli.add_option("--count", count, "at most this many messages, in file-name order")->capture_default_str();
  cli.add_option("--rounds", rounds, "timed rounds per thread count; the best is reported")->capture_default_str();
  cli.add_option("--threads", threads, "the multi-threaded run's thread count")->capture_default_str();
  CLI11_PARSE(cli, argc, argv);

  auto load_start = std::chrono::steady_clock::now();
  std::vector<std::string> messages = LoadMaildir(maildir, count);
  double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
  if (messages.empty()) {
    std::fprintf(stderr, "mail_parse_bench: no messages in %s/cur or %s/new\n", maildir.c_str(), maildir.c_str());
    return 66;
  }
  std::int64_t bytes = 0;
  for (const auto& m : messages) bytes += static_cast<std::int64_t>(m.size());
  std::printf("messages %zu, %.1f MB, loaded in %.1f s (not timed below)\n", messages.size(),
              static_cast<double>(bytes) / 1e6, load_s);

  rapport::mail::EnsureGmime();
  const rapport::mail::GmimeEmailParser parser;
  std::vector<unsigned> thread_counts = {1};
  if (threads > 1) thread_counts.push_back(threads);
  std::printf("%-8s %10s %12s %10s %8s %12s\n", "threads", "best s", "messages/s", "MB/s", "failed", "attachments");
  for (unsigned t : thread_counts) {
    RoundResult best;
    for (int r = 0; r < std::max(1, rounds); ++r) {
      RoundResult round = ParseAll(parser, messages, t);
      if (r == 0 || round.seconds < best.seconds) best = round;
    }
    std::printf("%-8u %10.2f %12.0f %10.1f %8lld %12lld\n", t, best.seconds,
                static_cast<double>(messages.size()) / best.seconds, static_cast<double>(bytes) / 1e6 / best.seconds,
                static_cast<long long>(best.failed), static_cast<long long>(best.attachments));
  }
  return 0;
}
