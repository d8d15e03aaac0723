#pragma once
// The fields of a submitted HTML form (application/x-www-form-urlencoded body), kept apart from the
// URL's query string so that a value in the URL can never stand in for a posted one.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace httplib {
struct Request;
}

namespace rapport::http::web {

class Form {
 public:
  explicit Form(const httplib::Request& req);
  // The first value of the field, or "" when it is absent.
  std::string Get(const std::string& name) const;
  std::vector<std::string> GetAll(const std::string& name) const;
  bool Has(const std::string& name) const { return fields_.count(name) > 0; }
  // The field as a whole number from `min` to `max` (ParseInt); nullopt when it is absent, empty,
  // not a decimal number or out of range. The caller turns nullopt into its field error.
  std::optional<int> Int(const std::string& name, int min, int max) const;

  // Files uploaded under `name` (a multipart form's file inputs); an input left empty sends none.
  struct File {
    std::string filename;
    std::string content_type;
    std::string content;
  };
  std::vector<File> Files(const std::string& name) const;

 private:
  std::multimap<std::string, std::string> fields_;
  std::multimap<std::string, File> files_;
};

// The first value of a query-string parameter, or "".
std::string QueryParam(const httplib::Request& req, const std::string& name);

// A whole decimal number from `min` to `max` ("42"); nullopt for anything else, "" and "+1" included.
std::optional<int> ParseInt(std::string_view text, int min, int max);

// Parses a positive decimal id ("42"); 0 for anything else.
std::int64_t ParseId(std::string_view text);

}  // namespace rapport::http::web
