#pragma once
// Reading old mail for `rapport import`: the raw messages of an mbox file or of a maildir, one at a
// time, in the archive's order, in constant memory (a multi-gigabyte mbox is read through a buffer,
// never loaded whole). The readers only split; parsing is the EmailParser's job.
//
// mbox, as read here:
//  - A message starts at a line beginning with "From " (the From_ line, which is not part of the
//    message) when that line is the first of the file, follows an empty line, or is directly followed
//    by a header field line ("Name: value"). The first two are the usual rule; the third accepts
//    writers that leave out the blank line (GMime's test mbox does) while a "From " sentence inside a
//    paragraph stays body text. An unquoted "From " line after an empty line in a body cannot be told
//    from a separator and splits the message, as in every mbox reader: writers are meant to quote it.
//  - Lines matching ^>+"From " lose one '>' (mboxrd). For mboxo files this also unquotes a body line
//    that was ">From " to begin with; that ambiguity is mboxo's and cannot be undone.
//  - The empty line that writers put before the next From_ line is removed (one line end), so a message
//    reads the same as its maildir copy. Line ends are kept as they are (LF or CRLF); a last message
//    without a final newline is kept as it is. Content-Length headers (mboxcl) are not trusted.
//  - A leading UTF-8 byte order mark is skipped. An empty file is an mbox with no messages.
// maildir: the files of cur/ and new/ (not tmp/, where deliveries are still being written), skipping
// names that start with '.', in the order of their file names (which begin with the delivery time), so
// that two runs see the same order.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/status.h"

namespace rapport::mail {

struct ArchivedMessage {
  std::string raw;        // the message's bytes; empty when `unreadable` is set
  std::string origin;     // where it is, for reports: "archive.mbox:12345 (message 17)" or the maildir file's path
  std::int64_t size = 0;  // the message's size in bytes (also when it was too large to keep)
  // Non-empty when the message could not be read whole, saying why (larger than the limit; the maildir
  // file vanished or is not readable). The caller reports it and goes on: the archive is still readable.
  std::string unreadable;
};

struct ArchiveOptions {
  // A larger message is not held in memory: it comes back with `unreadable` set. Matches the parser's
  // EmailLimits::max_message_bytes by default.
  std::int64_t max_message_bytes = 50LL << 20;
};

// How far a reader has got: bytes of an mbox file, or files of a maildir.
struct ArchiveProgress {
  enum class Unit { kBytes, kFiles };
  Unit unit = Unit::kBytes;
  std::int64_t done = 0;
  std::int64_t total = 0;
};

class MailArchiveReader {
 public:
  virtual ~MailArchiveReader() = default;

  // Opens an mbox file. kNotFound when it does not exist, kPermissionDenied when it cannot be read,
  // kInvalidArgument when it is a directory or does not begin with a From_ line.
  static Result<std::unique_ptr<MailArchiveReader>> OpenMbox(const std::string& path, ArchiveOptions options = {});

  // Opens a maildir and lists its messages. kNotFound when it does not exist, kPermissionDenied when it
  // cannot be listed, kInvalidArgument when it is not a directory or has neither cur/ nor new/.
  static Result<std::unique_ptr<MailArchiveReader>> OpenMaildir(const std::string& path, ArchiveOptions options = {});

  // The next message, or nullopt at the end. kUnavailable when the archive cannot be read any further
  // (an I/O error); a single unreadable maildir file is not an error but a message with `unreadable`.
  virtual Result<std::optional<ArchivedMessage>> Next() = 0;

  // Progress after the messages returned so far.
  virtual ArchiveProgress progress() const = 0;
};

}  // namespace rapport::mail
