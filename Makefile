# The two commands of the quick start: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
BUILD ?= build/release
TEST_BUILD ?= build/asan
JOBS ?= $(shell nproc)
LISTEN ?= 127.0.0.1:8080
DB ?= sqlite:var/rapport.db

.PHONY: run test deps build build-test format bench clean

deps:
	@bash scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target rapport

# Builds, seeds the demo workspace on first start, and serves on $(LISTEN).
run: build
	@bash scripts/run-server $(BUILD)/src/cli/rapport "$(DB)" "$(LISTEN)"

build-test: deps
	@cmake -S . -B $(TEST_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DRAPPORT_SANITIZE=ON -DRAPPORT_WERROR=ON -DBUILD_TESTING=ON >/dev/null
	@cmake --build $(TEST_BUILD) -j $(JOBS)

# Builds with ASan+UBSan, starts PostgreSQL (and later IMAP/SMTP) on loopback, runs every test.
test: build-test
	@bash scripts/run-tests $(TEST_BUILD)

bench: deps
	@cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DRAPPORT_BENCH=ON >/dev/null
	@cmake --build build/bench -j $(JOBS)

format:
	@find src tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf build
