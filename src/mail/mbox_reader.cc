// MailArchiveReader::OpenMbox: splits an mbox file into messages through a fixed buffer (see the rules
// in mail_archive.h).

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mail/mail_archive.h"

namespace rapport::mail {
namespace {

// Reads are this large; a line longer than kMaxPiece is handed on in pieces of that size, so that a file
// without line ends cannot make the reader hold more than the buffer.
constexpr std::size_t kBufferBytes = 1 << 20;
constexpr std::size_t kMaxPiece = 64 << 10;
static_assert(kMaxPiece * 2 <= kBufferBytes);

class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd& operator=(UniqueFd&&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Status OpenError(const std::string& path, int err) {
  std::string reason = std::strerror(err);
  if (err == ENOENT) return Status::NotFound(path + " does not exist");
  if (err == EACCES || err == EPERM) return Status::PermissionDenied("cannot read " + path + ": " + reason);
  return Status::Unavailable("cannot read " + path + ": " + reason);
}

bool IsEmptyLine(std::string_view line) { return line == "\n" || line == "\r\n"; }

bool IsFromLine(std::string_view line) { return line.starts_with("From "); }

// A header field line: a name of printable ASCII other than ':' (RFC 5322 ftext), then ':'.
bool IsHeaderField(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] >= 33 && line[i] <= 126 && line[i] != ':') ++i;
  return i > 0 && i < line.size() && line[i] == ':';
}

// ">From ", ">>From " ...: written by an mboxrd (or mboxo) writer for a body line beginning with "From ".
bool IsQuotedFromLine(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] == '>') ++i;
  return i > 0 && line.substr(i).starts_with("From ");
}

// A piece of the file: a whole line with its end, or part of a line longer than kMaxPiece.
struct Piece {
  std::string_view text;  // valid until the next NextPiece()
  std::int64_t offset = 0;
  bool line_start = false;  // begins a line (false for the rest of a long line)
  bool line_end = false;    // ends with '\n', or is the last piece of the file
};

class MboxReader final : public MailArchiveReader {
 public:
  MboxReader(std::string path, UniqueFd fd, std::int64_t size, ArchiveOptions options)
      : path_(std::move(path)), fd_(std::move(fd)), size_(size), options_(options), buffer_(kBufferBytes) {}

  // Skips a UTF-8 byte order mark and checks that the file begins with a From_ line.
  Status Start() {
    RAPPORT_RETURN_IF_ERROR(Fill());
    std::string_view head(buffer_.data() + begin_, end_ - begin_);
    if (head.starts_with("\xEF\xBB\xBF")) {
      begin_ += 3;
      offset_ += 3;
      head.remove_prefix(3);
    }
    if (head.empty()) return Status::Ok();  // an empty mailbox
    if (!IsFromLine(head)) {
      return Status::InvalidArgument(path_ + " is not an mbox file: it does not begin with a \"From \" line");
    }
    return Status::Ok();
  }

  Result<std::optional<ArchivedMessage>> Next() override {
    while (true) {
      RAPPORT_ASSIGN_OR_RETURN(std::optional<Piece> piece, NextPiece());
      if (!piece) {
        ResolvePendingAsBody();
        if (!current_) return std::optional<ArchivedMessage>();
        return std::optional<ArchivedMessage>(Finish());
      }
      std::optional<ArchivedMessage> ready;
      if (skipping_from_line_) {
        // The rest of a From_ line longer than a piece.
        skipping_from_line_ = !piece->line_end;
      } else if (pending_from_ && piece->line_start && IsHeaderField(piece->text)) {
        // The "From " line before, not preceded by an empty line, is followed by a header: a separator.
        ready = StartMessage(pending_from_offset_);
        pending_from_.reset();
        Append(*piece);  // the first header of the new message
      } else {
        ResolvePendingAsBody();
        if (piece->line_start && IsFromLine(piece->text)) {
          if (!current_ || prev_empty_) {
            ready = StartMessage(piece->offset);
            skipping_from_line_ = !piece->line_end;
          } else {
            // Decided by the next line.
            pending_from_ = std::string(piece->text);
            pending_from_offset_ = piece->offset;
          }
        } else {
          Append(*piece);
        }
      }
      prev_empty_ = piece->line_start && piece->line_end && IsEmptyLine(piece->text);
      if (ready) return ready;
    }
  }

  ArchiveProgress progress() const override { return {ArchiveProgress::Unit::kBytes, offset_, size_}; }

 private:
  struct Building {
    ArchivedMessage message;
    bool too_large = false;
  };

  // Reads more of the file behind what is buffered (one read), moving the unread bytes to the front first.
  Status Fill() {
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    while (end_ < buffer_.size() && !eof_) {
      ssize_t n = ::read(fd_.get(), buffer_.data() + end_, buffer_.size() - end_);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        return Status::Unavailable("cannot read " + path_ + " at byte " + std::to_string(offset_) + ": " +
                                   std::strerror(errno));
      }
      if (n == 0) eof_ = true;
      end_ += static_cast<std::size_t>(n);
      break;
    }
    return Status::Ok();
  }

  Result<std::optional<Piece>> NextPiece() {
    while (true) {
      std::string_view avail(buffer_.data() + begin_, end_ - begin_);
      std::size_t nl = avail.substr(0, kMaxPiece).find('\n');
      std::size_t take = 0;
      bool line_end = false;
      if (nl != std::string_view::npos) {
        take = nl + 1;
        line_end = true;
      } else if (avail.size() >= kMaxPiece) {
        take = kMaxPiece;
      } else if (eof_) {
        if (avail.empty()) return std::optional<Piece>();
        take = avail.size();
        line_end = true;
      } else {
        RAPPORT_RETURN_IF_ERROR(Fill());
        continue;
      }
      Piece p{avail.substr(0, take), offset_, at_line_start_, line_end};
      begin_ += take;
      offset_ += static_cast<std::int64_t>(take);
      at_line_start_ = line_end;
      return std::optional<Piece>(p);
    }
  }

  // Ends the message being built (if any) and begins one whose From_ line is at `offset`.
  std::optional<ArchivedMessage> StartMessage(std::int64_t offset) {
    std::optional<ArchivedMessage> done;
    if (current_) done = Finish();
    current_.emplace();
    ++count_;
    current_->message.origin = path_ + ":" + std::to_string(offset) + " (message " + std::to_string(count_) + ")";
    return done;
  }

  void Append(const Piece& piece) {
    // A body line before the first From_ line cannot happen: Start() checked the file's first line.
    if (!current_) return;
    std::string_view text = piece.text;
    if (piece.line_start && IsQuotedFromLine(text)) text.remove_prefix(1);
    AppendText(text);
  }

  void AppendText(std::string_view text) {
    Building& b = *current_;
    b.message.size += static_cast<std::int64_t>(text.size());
    if (b.too_large) return;
    if (b.message.size > options_.max_message_bytes) {
      b.too_large = true;
      b.message.raw.clear();
      b.message.raw.shrink_to_fit();
      return;
    }
    b.message.raw.append(text);
  }

  // A "From " line that turned out to be body text.
  void ResolvePendingAsBody() {
    if (!pending_from_) return;
    std::string text = std::move(*pending_from_);
    pending_from_.reset();
    AppendText(text);
  }

  ArchivedMessage Finish() {
    Building b = std::move(*current_);
    current_.reset();
    std::string& raw = b.message.raw;
    // The empty line before the next From_ line belongs to the mbox, not to the message.
    if (raw.ends_with("\r\n\r\n")) {
      raw.resize(raw.size() - 2);
      b.message.size -= 2;
    } else if (raw.ends_with("\n\n")) {
      raw.resize(raw.size() - 1);
      b.message.size -= 1;
    }
    if (b.too_large) {
      b.message.unreadable = "larger than the limit of " + std::to_string(options_.max_message_bytes >> 20) + " MB (" +
                             std::to_string(b.message.size) + " bytes)";
    }
    return std::move(b.message);
  }

  std::string path_;
  UniqueFd fd_;
  std::int64_t size_;
  ArchiveOptions options_;

  std::vector<char> buffer_;
  std::size_t begin_ = 0;    // first unread byte in buffer_
  std::size_t end_ = 0;      // end of the bytes read into buffer_
  std::int64_t offset_ = 0;  // file offset of buffer_[begin_]
  bool eof_ = false;
  bool at_line_start_ = true;

  std::optional<Building> current_;
  int count_ = 0;
  bool prev_empty_ = false;
  bool skipping_from_line_ = false;
  std::optional<std::string> pending_from_;
  std::int64_t pending_from_offset_ = 0;
};

}  // namespace

Result<std::unique_ptr<MailArchiveReader>> MailArchiveReader::OpenMbox(const std::string& path,
                                                                       ArchiveOptions options) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return OpenError(path, errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return OpenError(path, errno);
  if (S_ISDIR(st.st_mode)) {
    return Status::InvalidArgument(path + " is a directory, not an mbox file (for a maildir: rapport import maildir)");
  }
  auto reader = std::make_unique<MboxReader>(path, std::move(fd), static_cast<std::int64_t>(st.st_size), options);
  RAPPORT_RETURN_IF_ERROR(reader->Start());
  return std::unique_ptr<MailArchiveReader>(std::move(reader));
}

}  // namespace rapport::mail
