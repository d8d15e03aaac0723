#pragma once
// Where `rapport import` puts the messages it could not store, so that none is dropped silently:
// for message number N of the archive, NNNNNN.eml holds its bytes as read and NNNNNN.reason.txt says
// where it was in the archive and why it was refused. Numbers are the archive's own (1 = first
// message), so a second run over the same archive writes the same names again.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"

namespace rapport::cli {

class RejectedMessages {
 public:
  explicit RejectedMessages(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // Creates the directory on first use. `raw` may be empty (a message too large to read): then only the
  // reason is written, and it says where the message is. kUnavailable when the files cannot be written.
  Status Save(std::int64_t number, const std::string& origin, const std::string& reason, std::string_view raw);

  const std::filesystem::path& dir() const { return dir_; }
  std::int64_t saved() const { return saved_; }

 private:
  std::filesystem::path dir_;
  bool created_ = false;
  std::int64_t saved_ = 0;
};

// "<archive>.rejected" next to the archive (a trailing '/' of a maildir path is ignored).
std::filesystem::path DefaultRejectedDir(const std::string& archive_path);

}  // namespace rapport::cli
