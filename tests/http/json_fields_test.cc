// JsonFields and the money filter without a server: the reading rules every handler relies on.
#include <gtest/gtest.h>

#include "http/api/reply.h"
#include "http/common/json_fields.h"
#include "http/common/problem.h"

namespace rapport::http {
namespace {

TEST(JsonFieldsTest, ReadsKnownFieldsAndRejectsUnknownOnes) {
  auto f = JsonFields::Parse(R"({"name":"Ann","id":7,"tags":["a"],"extra":true})");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->String("name"), "Ann");
  EXPECT_EQ(f->Id("id"), 7);
  EXPECT_EQ(f->StringList("tags"), std::vector<std::string>{"a"});
  Status s = f->Finish();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.field_errors().size(), 1u);
  EXPECT_EQ(s.field_errors().count("extra"), 1u);
}

TEST(JsonFieldsTest, NullableIdTellsAbsentFromNull) {
  auto f = JsonFields::Parse(R"({"a":null,"b":5})");
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->NullableId("missing").has_value());
  auto a = f->NullableId("a");
  ASSERT_TRUE(a.has_value());
  EXPECT_FALSE(a->has_value());
  EXPECT_EQ(f->NullableId("b"), std::optional<std::int64_t>(5));
  EXPECT_TRUE(f->Finish().ok());
}

TEST(JsonFieldsTest, WrongTypesAndRangesAreFieldErrors) {
  auto f = JsonFields::Parse(
      R"({"s":1,"i":"1","neg":-1,"big":18446744073709551615,"zero":0,"f":2.5,"l":[1],"b":"yes","o":[]})");
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->String("s"));
  EXPECT_FALSE(f->Id("i"));
  EXPECT_FALSE(f->Id("neg"));
  EXPECT_FALSE(f->Id("big"));
  EXPECT_FALSE(f->Id("zero"));
  EXPECT_FALSE(f->Id("f"));
  EXPECT_FALSE(f->StringList("l"));
  EXPECT_FALSE(f->Bool("b"));
  EXPECT_FALSE(f->Object("o"));
  Status s = f->Finish();
  EXPECT_EQ(s.field_errors().size(), 9u) << s.ToString();
}

TEST(JsonFieldsTest, NestedErrorsAreQualified) {
  auto f = JsonFields::Parse(R"({"contact":{"id":"x","nick":"y"},"list":[{"a":1}]})");
  ASSERT_TRUE(f.ok());
  auto contact = f->Object("contact");
  ASSERT_TRUE(contact);
  EXPECT_FALSE(contact->Id("id"));
  f->Absorb(*contact);
  auto list = f->ObjectList("list");
  ASSERT_TRUE(list);
  (*list)[0].Require("b");
  f->Absorb((*list)[0]);
  Status s = f->Finish();
  EXPECT_EQ(s.field_errors().count("contact.id"), 1u) << s.ToString();
  EXPECT_EQ(s.field_errors().count("contact.nick"), 1u);
  EXPECT_EQ(s.field_errors().count("list[0].a"), 1u);
  EXPECT_EQ(s.field_errors().count("list[0].b"), 1u);
}

TEST(JsonFieldsTest, MalformedAndHostileBodiesAreInvalidArgument) {
  const std::vector<std::string> bodies = {"{", "[]", "3", "null", "{\"a\":1}}", std::string(100000, '['),
                                           "{\"a\":" + std::string(50, '[') + std::string(50, ']') + "}"};
  for (const std::string& body : bodies) {
    auto f = JsonFields::Parse(body);
    EXPECT_FALSE(f.ok()) << body.substr(0, 40);
    if (!f.ok()) {
      EXPECT_EQ(f.status().code(), StatusCode::kInvalidArgument);
    }
  }
  EXPECT_TRUE(JsonFields::Parse("").ok());
  EXPECT_TRUE(JsonFields::Parse(R"({"deep":[[[["ok"]]]],"s":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})").ok());
}

TEST(MoneyFilterTest, SubcontractorsNeverSeeMoneyFields) {
  const nlohmann::json view = {
      {"id", 1},
      {"rate", {{"amount_minor", 12500}, {"currency", "USD"}}},
      {"lines", {{{"hours", 2}, {"cost", {{"amount_minor", 300}, {"currency", "USD"}}}}}},
      {"currency", "USD"}};
  nlohmann::json for_sub = view;
  api::HideMoneyFrom(Actor{UserId(1), Role::kSubcontractor}, for_sub);
  EXPECT_FALSE(for_sub.contains("rate"));
  EXPECT_FALSE(for_sub["lines"][0].contains("cost"));
  EXPECT_EQ(for_sub["lines"][0]["hours"], 2);
  EXPECT_EQ(for_sub["currency"], "USD");
  for (Role role : {Role::kOwner, Role::kAdmin, Role::kAgent}) {
    nlohmann::json for_staff = view;
    api::HideMoneyFrom(Actor{UserId(1), role}, for_staff);
    EXPECT_EQ(for_staff, view);
  }
}

TEST(ProblemTest, EveryStatusCodeMapsToAnErrorStatus) {
  for (StatusCode code : {StatusCode::kInvalidArgument, StatusCode::kNotFound, StatusCode::kAlreadyExists,
                          StatusCode::kConflict, StatusCode::kUnauthenticated, StatusCode::kPermissionDenied,
                          StatusCode::kResourceExhausted, StatusCode::kUnavailable, StatusCode::kInternal}) {
    EXPECT_GE(HttpStatusFor(code), 400) << StatusCodeName(code);
  }
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
}

}  // namespace
}  // namespace rapport::http
