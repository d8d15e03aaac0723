// Search latency: runs realistic full-text ticket searches (the inbox search box, first page of 50)
// against a store and prints p50/p95/max per query and over all queries.
// Usage: rapport_search_latency --db URL [--runs N]

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "app/ports/store.h"
#include "app/session_pool.h"

namespace {

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  std::size_t i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Full-text ticket search latency over a store (p50/p95)"};
  std::string db;
  int runs = 30;
  cli.add_option("--db", db, "database URL, e.g. sqlite:/tmp/bench.db")->required();
  cli.add_option("--runs", runs, "timed runs per query (after one warm-up)")->capture_default_str();
  CLI11_PARSE(cli, argc, argv);

  auto store = rapport::app::OpenStore(db);
  if (!store.ok()) {
    std::fprintf(stderr, "search_latency: %s\n", store.status().message().c_str());
    return 69;
  }
  rapport::app::SessionPool pool(**store);
  auto session = pool.Acquire();
  if (!session.ok()) {
    std::fprintf(stderr, "search_latency: %s\n", session.status().message().c_str());
    return 69;
  }
  // What people type into the search box of an IT shop's inbox: one word, two words, a prefix,
  // a contact's name, a rare technical term, and a word that matches nothing.
  const std::vector<std::string> queries = {"printer",  "vpn certificate", "outlook password", "backup failed",
                                            "invoice",  "quickbooks",      "phish",            "laptop slow",
                                            "dkim",     "emma garcia",     "xylophone"};
  std::vector<double> all;
  std::printf("%-18s %8s %8s %8s %8s\n", "query", "hits", "p50 ms", "p95 ms", "max ms");
  for (const std::string& text : queries) {
    rapport::app::TicketQuery q;
    q.text = text;
    q.limit = 50;
    std::vector<double> times;
    std::size_t hits = 0;
    for (int i = 0; i <= runs; ++i) {
      auto start = std::chrono::steady_clock::now();
      auto page = (*session)->ListTickets(q);
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      if (!page.ok()) {
        std::fprintf(stderr, "search_latency: \"%s\": %s\n", text.c_str(), page.status().message().c_str());
        return 1;
      }
      hits = page->items.size();
      if (i > 0) times.push_back(ms);  // run 0 warms the cache
    }
    all.insert(all.end(), times.begin(), times.end());
    std::printf("%-18s %8zu %8.2f %8.2f %8.2f\n", text.c_str(), hits, Percentile(times, 0.5),
                Percentile(times, 0.95), *std::max_element(times.begin(), times.end()));
  }
  std::printf("%-18s %8s %8.2f %8.2f %8.2f\n", "ALL", "", Percentile(all, 0.5), Percentile(all, 0.95),
              *std::max_element(all.begin(), all.end()));
  return 0;
}
