#pragma once
// Passwords are stored as Argon2id strings in libsodium's encoded form ($argon2id$v=19$m=...,t=...,
// p=1$salt$hash). The string carries its own salt and costs, so a hash made with old costs still
// verifies after the costs are raised.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace rapport::security {

struct PasswordCost {
  unsigned long long ops = 2;          // passes over memory (libsodium's interactive default)
  std::size_t mem_bytes = 64u << 20;   // memory per hash
};

// Hashes with Argon2id and a fresh random salt.
// kInvalidArgument when the costs are below libsodium's minimums (1 pass, 8 KiB) or above its
// maximums; kResourceExhausted when the memory cannot be allocated.
Result<std::string> HashPassword(std::string_view password, PasswordCost cost);

// True when `password` matches `encoded_hash`. False for a wrong password and for anything that is
// not an Argon2 string (an empty hash means "no password sign-in" and never matches).
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);

}  // namespace rapport::security
