#pragma once
// The fields of a submitted HTML form (application/x-www-form-urlencoded body), kept apart from the
// URL's query string so that a value in the URL can never stand in for a posted one.

#include <map>
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

// Parses a positive decimal id ("42"); 0 for anything else.
std::int64_t ParseId(std::string_view text);

}  // namespace rapport::http::web
