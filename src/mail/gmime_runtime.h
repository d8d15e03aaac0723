#pragma once
// GMime keeps global state (charset tables, the format options) that must be set up once before any
// use, and g_mime_init() is not safe to call from two threads at once.

namespace rapport::mail {

// Initialises GMime on first call; cheap and thread-safe afterwards. Call before any GMime use.
void EnsureGmime();

}  // namespace rapport::mail
