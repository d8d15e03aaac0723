#pragma once
// Builds a statement whose shape depends on the request (list filters, search words): the SQL text
// grows with `?` placeholders and the values are kept in order, then bound all at once.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/sql/connection.h"

namespace rapport::store {

class SqlBuilder {
 public:
  SqlBuilder& Sql(std::string_view text) {
    sql_ += text;
    return *this;
  }
  SqlBuilder& Value(std::int64_t v) {
    values_.emplace_back(v);
    return *this;
  }
  SqlBuilder& Value(std::string v) {
    values_.emplace_back(std::move(v));
    return *this;
  }
  const std::string& sql() const { return sql_; }
  void BindTo(sql::Statement& s) const {
    for (const auto& v : values_) {
      if (const auto* i = std::get_if<std::int64_t>(&v)) {
        s.BindInt(*i);
      } else {
        s.BindText(std::get<std::string>(v));
      }
    }
  }

 private:
  std::string sql_;
  std::vector<std::variant<std::int64_t, std::string>> values_;
};

}  // namespace rapport::store
