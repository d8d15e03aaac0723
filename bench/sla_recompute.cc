// Issue 4: the time to recompute every open ticket's promise clocks after a policy change, for
// 100,000 open tickets on SQLite (target: under 1 second), and ComputeSlaClocks alone per second.
//
//   rapport_sla_recompute_bench --db /tmp/rapport-bench/clocks.db            generate (once), then measure
//   rapport_sla_recompute_bench --db ... --tickets 100000 --runs 5 --seed 1
//
// The database is generated when it holds no tickets: a New York office calendar (Monday to Friday
// 09:00-12:00 and 13:00-17:00, three yearly holidays), a default policy and a "premium" one, 1,000
// clients (every fifth on premium) with one contact each, and `--tickets` open tickets created over
// the 30 days before `now`, each with 1 to 8 events: the client's first message, then replies, more
// client messages and pauses (waiting on the client, on hold) and resumptions, its status the last
// one. Then each run changes the default policy's targets (untimed, its own transaction) and times
// app::RecomputeOpenTicketClocks (one write transaction: the streaming read of every open ticket's
// events, ComputeSlaClocks, the UPDATE of the changed rows, the commit).

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "app/ports/store.h"
#include "app/promise_settings.h"
#include "app/ticket_clocks.h"
#include "app/transaction.h"

namespace rapport {
namespace {

using std::chrono::minutes;

const Instant kNow = InstantFromUnix(1795435200);  // 2026-11-23T12:00:00Z, a Monday

template <typename T>
T OrDie(Result<T> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, r.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}
void OrDie(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

SlaPolicy Policy(const char* name, const char* plan, int scale) {
  SlaPolicy p;
  p.name = name;
  p.plan = plan;
  const int first[] = {480, 240, 120, 60};
  for (int i = 0; i < 4; ++i) {
    ResponseTargets& t = p.targets[static_cast<std::size_t>(i)];
    t.first_response = minutes(first[i] * scale / 4);
    t.next_response = minutes(first[i] * scale / 2);
    t.resolution = minutes(first[i] * scale * 4);
  }
  return p;
}

// One ticket's history: the first client message at `created`, then up to 7 more events, minutes to
// days apart; the ticket's status is the last status it moved to.
std::vector<TicketEvent> History(std::mt19937_64& rng, Instant created, TicketStatus& status) {
  std::vector<TicketEvent> events{{created, TicketEventKind::kClientMessage, TicketStatus::kOpen}};
  status = TicketStatus::kNew;
  const int more = std::uniform_int_distribution<int>(0, 7)(rng);
  Instant at = created;
  std::uniform_int_distribution<int> gap(5, 36 * 60);  // minutes
  std::uniform_int_distribution<int> pick(0, 9);
  for (int i = 0; i < more; ++i) {
    at += minutes(gap(rng));
    if (at >= kNow) break;
    const int p = pick(rng);
    if (p < 3) {
      if (status == TicketStatus::kNew) {
        events.push_back({at, TicketEventKind::kStatus, TicketStatus::kOpen});
        status = TicketStatus::kOpen;
      }
      events.push_back({at, TicketEventKind::kAgentReply, TicketStatus::kOpen});
    } else if (p < 6) {
      if (status == TicketStatus::kWaitingOnClient) {
        events.push_back({at, TicketEventKind::kStatus, TicketStatus::kOpen});
        status = TicketStatus::kOpen;
      }
      events.push_back({at, TicketEventKind::kClientMessage, TicketStatus::kOpen});
    } else if (p < 8) {
      status = p == 6 ? TicketStatus::kWaitingOnClient : TicketStatus::kOnHold;  // paused
      events.push_back({at, TicketEventKind::kStatus, status});
    } else {
      status = TicketStatus::kOpen;
      events.push_back({at, TicketEventKind::kStatus, status});
    }
  }
  return events;
}

void Generate(app::Store& store, int tickets, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto session = OrDie(store.OpenSession(), "session");
  app::StoreSession& s = *session;
  {
    app::Transaction tx(s);
    OrDie(tx.began(), "begin");
    Workspace w = OrDie(s.GetWorkspace(), "workspace");
    w.time_zone = "America/New_York";
    w.business_hours.clear();
    for (int d = 1; d <= 5; ++d) {
      w.business_hours.push_back({d, 9 * 60, 12 * 60});
      w.business_hours.push_back({d, 13 * 60, 17 * 60});
    }
    OrDie(s.SaveWorkspace(w), "save workspace");
    for (const Holiday& h : {Holiday{0, 1, 1, "New Year"}, Holiday{0, 7, 4, "Independence Day"},
                             Holiday{0, 12, 25, "Christmas"}}) {
      OrDie(s.InsertHoliday(h).status(), "holiday");
    }
    OrDie(s.InsertSlaPolicy(Policy("Standard", "", 4)).status(), "policy");
    OrDie(s.InsertSlaPolicy(Policy("Premium", "premium", 2)).status(), "policy");
    OrDie(tx.Commit(), "commit");
  }
  constexpr int kClients = 1000;
  std::vector<std::pair<ClientId, ContactId>> people;
  {
    app::Transaction tx(s);
    OrDie(tx.began(), "begin");
    for (int i = 0; i < kClients; ++i) {
      Client c;
      c.name = "Client " + std::to_string(i);
      c.email_domains = {"client" + std::to_string(i) + ".example"};
      c.plan = i % 5 == 0 ? "premium" : "";
      c.created_at = c.updated_at = kNow - std::chrono::days(400);
      const ClientId client = OrDie(s.InsertClient(c), "client");
      Contact p;
      p.name = "Contact " + std::to_string(i);
      p.emails = {"someone@client" + std::to_string(i) + ".example"};
      p.client_id = client;
      p.created_at = p.updated_at = c.created_at;
      people.emplace_back(client, OrDie(s.InsertContact(p), "contact"));
    }
    OrDie(tx.Commit(), "commit");
  }
  std::uniform_int_distribution<int> who(0, kClients - 1);
  std::uniform_int_distribution<int> priority(0, 3);
  std::uniform_int_distribution<std::int64_t> when(0, 30 * 24 * 3600);
  constexpr int kPerTransaction = 5000;
  for (int start = 0; start < tickets; start += kPerTransaction) {
    app::Transaction tx(s);
    OrDie(tx.began(), "begin");
    for (int i = start; i < std::min(tickets, start + kPerTransaction); ++i) {
      const auto& [client, contact] = people[static_cast<std::size_t>(who(rng))];
      Ticket t;
      t.subject = "Request " + std::to_string(i);
      t.client_id = client;
      t.contact_id = contact;
      t.priority = static_cast<Priority>(priority(rng));
      t.created_at = kNow - std::chrono::seconds(when(rng));
      const std::vector<TicketEvent> events = History(rng, t.created_at, t.status);
      t.updated_at = t.last_message_at = events.back().at;
      const Ticket stored = OrDie(s.InsertTicket(t), "ticket");
      for (const TicketEvent& e : events) OrDie(s.InsertTicketEvent(stored.id, e), "event");
    }
    OrDie(tx.Commit(), "commit");
    std::fprintf(stderr, "\rgenerated %d tickets", std::min(tickets, start + kPerTransaction));
  }
  std::fprintf(stderr, "\n");
}

double Seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

double CpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

int Run(const std::string& path, int tickets, int runs, std::uint64_t seed) {
  auto store = OrDie(app::OpenStore("sqlite:" + path), "open");
  OrDie(store->Migrate(), "migrate");
  auto session = OrDie(store->OpenSession(), "session");
  app::TicketQuery all;
  if (OrDie(session->CountTickets(all), "count") == 0) {
    const auto start = std::chrono::steady_clock::now();
    Generate(*store, tickets, seed);
    std::printf("generated %d open tickets in %.1f s\n", tickets, Seconds(std::chrono::steady_clock::now() - start));
  }
  std::printf("database %s: %lld tickets\n", path.c_str(), static_cast<long long>(OrDie(session->CountTickets(all), "count")));

  // The histories in memory, for ComputeSlaClocks alone (read through the same stream, rolled back).
  std::vector<app::TicketClockInput> inputs;
  app::PromiseContext context = [&] {
    app::Transaction tx(*session, app::TransactionMode::kReadWrite);
    OrDie(tx.began(), "begin");
    app::PromiseContext c = OrDie(app::LoadPromiseContext(*session), "context");
    OrDie(session->RecomputeOpenTicketClocks(std::nullopt,
                                            [&](const app::TicketClockInput& in) {
                                              inputs.push_back(in);
                                              return c.Compute(in.events, in.priority, in.plan, kNow);
                                            }).status(),
          "read histories");
    return c;  // rolled back: nothing written
  }();
  std::size_t events = 0;
  for (const auto& in : inputs) events += in.events.size();
  std::printf("open tickets with events: %zu, events: %zu (%.2f per ticket)\n", inputs.size(), events,
              static_cast<double>(events) / static_cast<double>(std::max<std::size_t>(1, inputs.size())));

  double best_rate = 0;
  std::int64_t sink = 0;
  for (int round = 0; round < 3; ++round) {
    const double cpu0 = CpuSeconds();
    for (const auto& in : inputs) {
      const SlaClocks c = context.Compute(in.events, in.priority, in.plan, kNow);
      sink += c.due_at ? ToUnix(*c.due_at) & 1 : 0;
    }
    const double cpu = CpuSeconds() - cpu0;
    best_rate = std::max(best_rate, static_cast<double>(inputs.size()) / cpu);
  }
  std::printf("ComputeSlaClocks (policy choice + 3 clocks): %.2f M tickets/s of CPU (best of 3; checksum %lld)\n",
              best_rate / 1e6, static_cast<long long>(sink));

  // Warm-up: the stored results start consistent with the current policy.
  OrDie(app::RecomputeOpenTicketClocks(*store, kNow).status(), "first recompute");
  const std::vector<SlaPolicy> policies = OrDie(session->ListSlaPolicies(), "policies");
  const auto standard = std::find_if(policies.begin(), policies.end(), [](const SlaPolicy& p) { return p.plan.empty(); });
  if (standard == policies.end()) {  // a database this program did not generate
    std::fprintf(stderr, "%s has no default policy (no plan) to change; use a database this program generated\n",
                 path.c_str());
    return 1;
  }
  std::vector<double> wall;
  for (int r = 0; r < runs; ++r) {
    SlaPolicy changed = Policy("Standard", "", r % 2 == 0 ? 3 : 4);  // every target changes each run
    changed.id = standard->id;
    OrDie(session->UpdateSlaPolicy(changed), "policy change");
    const double cpu0 = CpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    const std::int64_t count = OrDie(app::RecomputeOpenTicketClocks(*store, kNow), "recompute");
    wall.push_back(Seconds(std::chrono::steady_clock::now() - start));
    std::printf("run %d: recomputed %lld open tickets in %.3f s wall, %.3f s CPU\n", r + 1,
                static_cast<long long>(count), wall.back(), CpuSeconds() - cpu0);
  }
  std::sort(wall.begin(), wall.end());
  if (!wall.empty()) {
    std::printf("recompute after a policy change: median %.3f s, best %.3f s, worst %.3f s (%d runs)\n",
                wall[wall.size() / 2], wall.front(), wall.back(), runs);
  }
  return 0;
}

}  // namespace
}  // namespace rapport

int main(int argc, char** argv) {
  CLI::App app{"Promise clocks: recompute every open ticket after a policy change (SQLite)"};
  std::string path = "/tmp/rapport-bench/clocks.db";
  int tickets = 100000;
  int runs = 5;
  std::uint64_t seed = 1;
  app.add_option("--db", path, "SQLite file; generated when it holds no tickets");
  app.add_option("--tickets", tickets, "open tickets to generate")->check(CLI::Range(1, 10000000));
  app.add_option("--runs", runs, "timed recomputes")->check(CLI::Range(1, 100));
  app.add_option("--seed", seed, "generator seed");
  CLI11_PARSE(app, argc, argv);
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  return rapport::Run(path, tickets, runs, seed);
}
