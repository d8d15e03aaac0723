#include "core/permissions.h"

#include <gtest/gtest.h>

namespace rapport {
namespace {

const UserId kSelf{7};
const UserId kOther{8};

Actor As(Role role) { return Actor{kSelf, role}; }

struct Expected {
  Role role;
  bool view_others_ticket;
  bool view_unassigned_ticket;
  bool clients;
  bool create_tickets;
  bool assign;
  bool money;
  bool settings;
  bool users;
  bool grant_owner;
  bool grant_admin;
  bool grant_agent;
  bool grant_subcontractor;
};

class PermissionTable : public ::testing::TestWithParam<Expected> {};

TEST_P(PermissionTable, MatchesTheRoleDescription) {
  const Expected& e = GetParam();
  const Actor a = As(e.role);
  EXPECT_TRUE(CanViewTicket(a, kSelf)) << "everyone sees tickets assigned to them";
  EXPECT_EQ(CanViewTicket(a, kOther), e.view_others_ticket);
  EXPECT_EQ(CanViewTicket(a, std::nullopt), e.view_unassigned_ticket);
  EXPECT_EQ(CanViewClients(a), e.clients);
  EXPECT_EQ(CanCreateTickets(a), e.create_tickets);
  EXPECT_EQ(CanAssign(a), e.assign);
  EXPECT_EQ(CanSeeMoney(a), e.money);
  EXPECT_EQ(CanManageSettings(a), e.settings);
  EXPECT_EQ(CanManageUsers(a), e.users);
  EXPECT_EQ(CanGrantRole(a, Role::kOwner), e.grant_owner);
  EXPECT_EQ(CanGrantRole(a, Role::kAdmin), e.grant_admin);
  EXPECT_EQ(CanGrantRole(a, Role::kAgent), e.grant_agent);
  EXPECT_EQ(CanGrantRole(a, Role::kSubcontractor), e.grant_subcontractor);
}

INSTANTIATE_TEST_SUITE_P(
    EveryRole, PermissionTable,
    ::testing::Values(
        //        role                 others unass  clients create assign money  settings users  owner  admin  agent  sub
        Expected{Role::kOwner,         true,  true,  true,   true,  true,  true,  true,    true,  true,  true,  true,  true},
        Expected{Role::kAdmin,         true,  true,  true,   true,  true,  true,  true,    true,  false, true,  true,  true},
        Expected{Role::kAgent,         true,  true,  true,   true,  true,  true,  false,   false, false, false, false, false},
        Expected{Role::kSubcontractor, false, false, false,  false, false, false, false,   false, false, false, false, false}),
    [](const ::testing::TestParamInfo<Expected>& p) { return std::string(Name(p.param.role)); });

TEST(Permissions, SubcontractorSeesOnlyTheirOwnTicket) {
  const Actor sub{UserId(3), Role::kSubcontractor};
  EXPECT_TRUE(CanViewTicket(sub, UserId(3)));
  EXPECT_FALSE(CanViewTicket(sub, UserId(4)));
  EXPECT_FALSE(CanViewTicket(sub, std::nullopt));
}

}  // namespace
}  // namespace rapport
