#pragma once
// Expected failures are values, not exceptions (shape after leveldb's Status, abseil's StatusOr).
// Every function that returns a Status or Result documents the codes it can return.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace rapport {

// A small closed set of error codes. Each maps to one HTTP status and one CLI exit code.
enum class StatusCode {
  kOk,
  kInvalidArgument,   // the input is malformed or breaks a rule; field_errors says which field
  kNotFound,          // the thing named does not exist (or the caller may not know it exists)
  kAlreadyExists,     // a unique value (email, phone, external id, key) is already taken
  kConflict,          // the request clashes with the current state (e.g. a stale update)
  kUnauthenticated,   // no valid credentials
  kPermissionDenied,  // valid credentials, but the role may not do this
  kResourceExhausted, // too many requests or too large
  kUnavailable,       // a dependency (database, mail server) did not answer; retry later
  kInternal,          // a bug or an unexpected state; never caused by input alone
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string msg) { return {StatusCode::kInvalidArgument, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {StatusCode::kAlreadyExists, std::move(msg)}; }
  static Status Conflict(std::string msg) { return {StatusCode::kConflict, std::move(msg)}; }
  static Status Unauthenticated(std::string msg) { return {StatusCode::kUnauthenticated, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) { return {StatusCode::kPermissionDenied, std::move(msg)}; }
  static Status ResourceExhausted(std::string msg) { return {StatusCode::kResourceExhausted, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  // An invalid-argument status naming the field at fault, for problem+json "errors".
  static Status FieldError(const std::string& field, const std::string& msg) {
    Status s(StatusCode::kInvalidArgument, field + ": " + msg);
    s.field_errors_[field] = msg;
    return s;
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::map<std::string, std::string>& field_errors() const { return field_errors_; }
  Status& AddFieldError(const std::string& field, const std::string& msg) {
    field_errors_[field] = msg;
    return *this;
  }
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::map<std::string, std::string> field_errors_;
};

// kInvalidArgument naming every field of `errors`, a range of {field, message} pairs, after
// `headline` ("the request has invalid fields"); OK when `errors` is empty. The one way field errors
// become a Status, for use-case validation, JSON bodies and query strings alike.
template <typename FieldMessagePairs>
Status InvalidFields(const std::string& headline, const FieldMessagePairs& errors) {
  if (errors.empty()) return Status::Ok();
  std::string message = headline + ": ";
  bool first = true;
  for (const auto& [field, text] : errors) {
    if (!first) message += "; ";
    first = false;
    message += field + " " + text;
  }
  Status s = Status::InvalidArgument(message);
  for (const auto& [field, text] : errors) s.AddFieldError(field, text);
  return s;
}

// Holds a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor): natural `return value;`
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  // Precondition for value(): ok(). Calling it otherwise is a programmer error.
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

// Early-return helpers, in the manner of abseil's RETURN_IF_ERROR.
#define RAPPORT_RETURN_IF_ERROR(expr)          \
  do {                                         \
    ::rapport::Status rapport_status_ = (expr); \
    if (!rapport_status_.ok()) return rapport_status_; \
  } while (0)

#define RAPPORT_CONCAT_INNER(a, b) a##b
#define RAPPORT_CONCAT(a, b) RAPPORT_CONCAT_INNER(a, b)
#define RAPPORT_ASSIGN_OR_RETURN(lhs, expr) \
  RAPPORT_ASSIGN_OR_RETURN_IMPL(RAPPORT_CONCAT(rapport_result_, __LINE__), lhs, expr)
#define RAPPORT_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()

}  // namespace rapport
