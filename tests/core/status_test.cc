#include "core/status.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace rapport {
namespace {

TEST(Status, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(Status, FactoriesSetCodeAndMessage) {
  EXPECT_EQ(Status::InvalidArgument("m").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Status::NotFound("m").code(), StatusCode::kNotFound);
  EXPECT_EQ(Status::AlreadyExists("m").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(Status::Conflict("m").code(), StatusCode::kConflict);
  EXPECT_EQ(Status::Unauthenticated("m").code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(Status::PermissionDenied("m").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Status::ResourceExhausted("m").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(Status::Unavailable("m").code(), StatusCode::kUnavailable);
  EXPECT_EQ(Status::Internal("boom").ToString(), "internal: boom");
  EXPECT_FALSE(Status::Internal("boom").ok());
}

TEST(Status, EveryCodeHasADistinctName) {
  std::set<std::string> names;
  for (StatusCode c : {StatusCode::kOk, StatusCode::kInvalidArgument, StatusCode::kNotFound, StatusCode::kAlreadyExists,
                       StatusCode::kConflict, StatusCode::kUnauthenticated, StatusCode::kPermissionDenied,
                       StatusCode::kResourceExhausted, StatusCode::kUnavailable, StatusCode::kInternal}) {
    const std::string name = StatusCodeName(c);
    EXPECT_NE(name, "unknown");
    names.insert(name);
  }
  EXPECT_EQ(names.size(), 10u);
}

TEST(Status, FieldErrorNamesTheField) {
  Status s = Status::FieldError("subject", "is required");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "subject: is required");
  ASSERT_EQ(s.field_errors().size(), 1u);
  EXPECT_EQ(s.field_errors().at("subject"), "is required");
  s.AddFieldError("tags", "bad tag");
  EXPECT_EQ(s.field_errors().size(), 2u);
}

TEST(Result, HoldsAValueOrAStatus) {
  Result<int> good = 42;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 42);
  EXPECT_TRUE(good.status().ok());

  Result<int> bad = Status::NotFound("no such thing");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(bad.status().message(), "no such thing");
}

TEST(Result, MovesOutMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 5);
}

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  RAPPORT_ASSIGN_OR_RETURN(int h, Half(x));
  RAPPORT_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status CheckEven(int x) {
  RAPPORT_RETURN_IF_ERROR(Half(x).status());
  return Status::Ok();
}

TEST(Result, MacrosReturnEarlyOnError) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Quarter(7).status().message(), "odd");
  EXPECT_TRUE(CheckEven(2).ok());
  EXPECT_FALSE(CheckEven(3).ok());
}

}  // namespace
}  // namespace rapport

TEST(InvalidFieldsTest, NamesEveryFieldInOrderAndIsOkWhenEmpty) {
  const std::vector<std::pair<std::string, std::string>> none;
  EXPECT_TRUE(rapport::InvalidFields("invalid fields", none).ok());
  const std::map<std::string, std::string> errors{{"limit", "must be at least 1"}, {"cursor", "is not a cursor"}};
  rapport::Status s = rapport::InvalidFields("invalid query parameters", errors);
  EXPECT_EQ(s.code(), rapport::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "invalid query parameters: cursor is not a cursor; limit must be at least 1");
  EXPECT_EQ(s.field_errors(), errors);
}
