#include "cli/import_rejects.h"

#include <cstdio>
#include <fstream>
#include <system_error>

namespace rapport::cli {
namespace {

Status WriteFile(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Status::Unavailable("cannot write " + path.string() + ": check the disk and permissions");
  return Status::Ok();
}

}  // namespace

Status RejectedMessages::Save(std::int64_t number, const std::string& origin, const std::string& reason,
                              std::string_view raw) {
  if (!created_) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) return Status::Unavailable("cannot create " + dir_.string() + " for rejected messages: " + ec.message());
    created_ = true;
  }
  char name[32];
  std::snprintf(name, sizeof name, "%06lld", static_cast<long long>(number));
  std::string text = "origin: " + origin + "\nreason: " + reason + "\n";
  if (raw.empty()) {
    text += "The message was not copied here; it is still in the archive at the origin above.\n";
  } else {
    RAPPORT_RETURN_IF_ERROR(WriteFile(dir_ / (std::string(name) + ".eml"), raw));
  }
  RAPPORT_RETURN_IF_ERROR(WriteFile(dir_ / (std::string(name) + ".reason.txt"), text));
  ++saved_;
  return Status::Ok();
}

std::filesystem::path DefaultRejectedDir(const std::string& archive_path) {
  std::string path = archive_path;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return std::filesystem::path(path + ".rejected");
}

}  // namespace rapport::cli
