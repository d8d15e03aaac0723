#include "http/web/embedded_files.h"

namespace rapport::http::web {

const EmbeddedFile* FindEmbeddedFile(std::string_view name) {
  // A few dozen files: a linear scan is as fast as a map and needs no start-up work.
  for (const EmbeddedFile& f : EmbeddedFiles()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace rapport::http::web
