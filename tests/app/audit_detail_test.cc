#include "app/audit_detail.h"

#include <gtest/gtest.h>

namespace rapport::app {
namespace {

TEST(JsonQuote, EscapesWhatJsonRequires) {
  EXPECT_EQ(JsonQuote(""), "\"\"");
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
  EXPECT_EQ(JsonQuote("a\nb\tc\rd"), "\"a\\nb\\tc\\rd\"");
  EXPECT_EQ(JsonQuote(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
  EXPECT_EQ(JsonQuote(std::string("nul\0end", 7)), "\"nul\\u0000end\"");
}

TEST(JsonQuote, KeepsUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(JsonQuote("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
  EXPECT_EQ(JsonQuote("bad \xFF byte"), "\"bad \xEF\xBF\xBD byte\"");
  EXPECT_EQ(JsonQuote("cut \xE2\x82"), "\"cut \xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(JsonQuote("overlong \xC0\xAF"), "\"overlong \xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST(AuditDetail, WritesAnObjectOfFieldsAndChanges) {
  AuditDetail d;
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(d.ToJson(), "{}");
  d.Set("number", std::int64_t{42})
      .Set("subject", "Printer \"jam\"")
      .Change("status", std::optional<std::string>("new"), std::optional<std::string>("open"))
      .Change("assignee_id", std::optional<std::string>("3"), std::nullopt)
      .Change("tags", std::vector<std::string>{"a"}, std::vector<std::string>{"a", "b"})
      .Set("emails", std::vector<std::string>{});
  EXPECT_FALSE(d.empty());
  EXPECT_EQ(d.ToJson(),
            "{\"number\":42,\"subject\":\"Printer \\\"jam\\\"\",\"status\":{\"from\":\"new\",\"to\":\"open\"},"
            "\"assignee_id\":{\"from\":\"3\",\"to\":null},\"tags\":{\"from\":[\"a\"],\"to\":[\"a\",\"b\"]},"
            "\"emails\":[]}");
}

}  // namespace
}  // namespace rapport::app
