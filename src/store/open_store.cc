// OpenStore (declared in app/ports/store.h): picks the store by the URL's scheme.
#include <filesystem>
#include <system_error>

#include "app/ports/store.h"
#include "store/sql_store.h"

namespace rapport::app {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite)) {
    std::string path = url.substr(kSqlite.size());
    // Accept sqlite://PATH as well as sqlite:PATH.
    if (path.starts_with("//")) path = path.substr(2);
    if (path.empty()) return Status::InvalidArgument("the database URL sqlite: names no file; use sqlite:PATH");
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(parent, ec);
      if (ec) {
        return Status::InvalidArgument("cannot create the directory " + parent.string() + " for the database: " +
                                       ec.message());
      }
    }
    return store::MakeSqliteStore(std::move(path), options);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return store::MakePostgresStore(url);
  return Status::InvalidArgument("unknown database URL '" + url +
                                 "'; use sqlite:PATH or postgresql://user:password@host:port/database");
}

}  // namespace rapport::app
