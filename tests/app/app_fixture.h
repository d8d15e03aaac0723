#pragma once
// A fresh store (SQLite or PostgreSQL, by test parameter) with Desk and Accounts on a fixed clock,
// and a team of one user per role.

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "app/accounts.h"
#include "app/desk.h"
#include "support/test_database.h"

namespace rapport::app {

// The value of a Result the test needs; throws (gtest reports it as a failure) otherwise.
template <typename T>
T Must(Result<T> r, const char* what = "") {
  if (!r.ok()) throw std::runtime_error(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

inline const Instant kStartTime = InstantFromUnix(1'795'359'845);  // 2026-11-22T15:04:05Z

class AppTest : public rapport::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    pool_ = std::make_unique<SessionPool>(store());
    desk_ = std::make_unique<Desk>(*pool_, clock_);
    accounts_ = std::make_unique<Accounts>(*pool_, clock_, CheapOptions());
  }
  void TearDown() override {
    accounts_.reset();
    desk_.reset();
    pool_.reset();  // connections close before the test database is dropped
    StoreTest::TearDown();
  }

  static AccountsOptions CheapOptions() {
    AccountsOptions o;
    o.argon_ops = 1;           // libsodium's minimum: tests check behaviour, not strength
    o.argon_mem_bytes = 8192;
    return o;
  }

  // One user per role; the owner is the workspace's first user.
  void MakeTeam() {
    NewUser o{"owner@desk.test", "Olivia Owner", Role::kOwner, "Europe/Berlin", "owner password 1"};
    owner_ = Must(accounts_->CreateUser(nullptr, o), "owner");
    const Actor by_owner = As(owner_);
    admin_ = Must(accounts_->CreateUser(&by_owner, {"admin@desk.test", "Adam Admin", Role::kAdmin, "UTC", "admin password 1"}), "admin");
    agent_ = Must(accounts_->CreateUser(&by_owner, {"agent@desk.test", "Ada Agent", Role::kAgent, "UTC", "agent password 1"}), "agent");
    sub_ = Must(accounts_->CreateUser(&by_owner, {"sub@desk.test", "Sam Sub", Role::kSubcontractor, "Asia/Kolkata", "sub password 12"}), "sub");
    sub2_ = Must(accounts_->CreateUser(&by_owner, {"sub2@desk.test", "Sue Sub", Role::kSubcontractor, "UTC", "sub password 34"}), "sub2");
  }

  static Actor As(const User& u) { return Actor{u.id, u.role}; }

  Desk& desk() { return *desk_; }
  Accounts& accounts() { return *accounts_; }

  ManualClock clock_{kStartTime};
  std::unique_ptr<SessionPool> pool_;
  std::unique_ptr<Desk> desk_;
  std::unique_ptr<Accounts> accounts_;
  User owner_, admin_, agent_, sub_, sub2_;
};

}  // namespace rapport::app
