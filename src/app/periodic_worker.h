#pragma once
// A background thread that runs one step every `poll` until stopped: the shape of the promise,
// reminder and follow-up workers of `rapport serve`. A step commits whole units of work, so an error
// (the database away) is simply retried on the next round.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

#include "app/ports/clock.h"

namespace rapport::app {

class PeriodicWorker {
 public:
  PeriodicWorker(std::function<void(Instant)> step, const Clock& clock, std::chrono::milliseconds poll)
      : step_(std::move(step)), clock_(clock), poll_(poll) {}
  ~PeriodicWorker() { Stop(); }
  PeriodicWorker(const PeriodicWorker&) = delete;
  PeriodicWorker& operator=(const PeriodicWorker&) = delete;

  void Start() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = false;
    }
    thread_ = std::thread([this] {
      std::unique_lock<std::mutex> lock(mutex_);
      while (!stop_) {
        lock.unlock();
        step_(clock_.Now());
        lock.lock();
        wake_.wait_for(lock, poll_, [this] { return stop_; });
      }
    });
  }
  // Wakes the thread and waits for it; a step in progress finishes first.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::function<void(Instant)> step_;
  const Clock& clock_;
  std::chrono::milliseconds poll_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace rapport::app
