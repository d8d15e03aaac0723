// MailArchiveReader::OpenMaildir: the messages of a maildir, one file each, in file-name order.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "mail/mail_archive.h"

namespace rapport::mail {
namespace {

namespace fs = std::filesystem;

struct Entry {
  std::string name;    // the file name, the sort key
  std::string subdir;  // "cur" or "new"
};

Status ListError(const std::string& path, const std::error_code& ec) {
  if (ec == std::errc::no_such_file_or_directory) return Status::NotFound(path + " does not exist");
  if (ec == std::errc::permission_denied || ec == std::errc::operation_not_permitted) {
    return Status::PermissionDenied("cannot list " + path + ": " + ec.message());
  }
  return Status::Unavailable("cannot list " + path + ": " + ec.message());
}

// Closes a file descriptor when it goes out of scope.
class FdGuard {
 public:
  explicit FdGuard(int fd) : fd_(fd) {}
  ~FdGuard() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdGuard(const FdGuard&) = delete;
  FdGuard& operator=(const FdGuard&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

class MaildirReader final : public MailArchiveReader {
 public:
  MaildirReader(fs::path root, std::vector<Entry> entries, ArchiveOptions options)
      : root_(std::move(root)), entries_(std::move(entries)), options_(options) {}

  Result<std::optional<ArchivedMessage>> Next() override {
    if (next_ >= entries_.size()) return std::optional<ArchivedMessage>();
    const Entry& e = entries_[next_++];
    ArchivedMessage m;
    m.origin = (root_ / e.subdir / e.name).string();
    Read(m);
    return std::optional<ArchivedMessage>(std::move(m));
  }

  ArchiveProgress progress() const override {
    return {ArchiveProgress::Unit::kFiles, static_cast<std::int64_t>(next_),
            static_cast<std::int64_t>(entries_.size())};
  }

 private:
  // Reads the file at m.origin into m.raw, or says in m.unreadable why not. A mail program may move or
  // delete a file while we import; that concerns one message, not the archive.
  void Read(ArchivedMessage& m) const {
    FdGuard file(::open(m.origin.c_str(), O_RDONLY | O_CLOEXEC));
    const int fd = file.get();
    if (fd < 0) {
      m.unreadable = std::string("cannot open the file: ") + std::strerror(errno);
      return;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      m.unreadable = std::string("cannot read the file: ") + std::strerror(errno);
      return;
    }
    m.size = static_cast<std::int64_t>(st.st_size);
    if (m.size > options_.max_message_bytes) {
      m.unreadable = "larger than the limit of " + std::to_string(options_.max_message_bytes >> 20) + " MB (" +
                     std::to_string(m.size) + " bytes)";
      return;
    }
    m.raw.resize(static_cast<std::size_t>(m.size));
    std::size_t got = 0;
    while (got < m.raw.size()) {
      ssize_t n = ::read(fd, m.raw.data() + got, m.raw.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        m.unreadable = std::string("cannot read the file: ") + std::strerror(errno);
        m.raw.clear();
        return;
      }
      if (n == 0) break;  // shrank while we read: keep what is there
      got += static_cast<std::size_t>(n);
    }
    m.raw.resize(got);
    m.size = static_cast<std::int64_t>(got);
  }

  fs::path root_;
  std::vector<Entry> entries_;
  ArchiveOptions options_;
  std::size_t next_ = 0;
};

}  // namespace

Result<std::unique_ptr<MailArchiveReader>> MailArchiveReader::OpenMaildir(const std::string& path,
                                                                          ArchiveOptions options) {
  std::error_code ec;
  fs::file_status root_status = fs::status(path, ec);
  if (ec || !fs::exists(root_status))
    return ListError(path, ec ? ec : std::make_error_code(std::errc::no_such_file_or_directory));
  if (!fs::is_directory(root_status)) {
    return Status::InvalidArgument(path +
                                   " is not a directory, so not a maildir (for an mbox file: rapport import mbox)");
  }
  std::vector<Entry> entries;
  bool found_subdir = false;
  for (const char* subdir : {"cur", "new"}) {
    fs::path dir = fs::path(path) / subdir;
    if (!fs::is_directory(dir, ec)) continue;
    found_subdir = true;
    fs::directory_iterator it(dir, ec);
    if (ec) return ListError(dir.string(), ec);
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) return ListError(dir.string(), ec);
      std::string name = it->path().filename().string();
      if (name.empty() || name.front() == '.') continue;
      std::error_code type_ec;
      if (!it->is_regular_file(type_ec)) continue;
      entries.push_back({std::move(name), subdir});
    }
    if (ec) return ListError(dir.string(), ec);
  }
  if (!found_subdir) return Status::InvalidArgument(path + " is not a maildir: it has neither cur/ nor new/");
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.name != b.name ? a.name < b.name : a.subdir < b.subdir; });
  return std::unique_ptr<MailArchiveReader>(
      std::make_unique<MaildirReader>(fs::path(path), std::move(entries), options));
}

}  // namespace rapport::mail
