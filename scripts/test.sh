#!/usr/bin/env bash
# The test command: every correctness check, in debug and release.
#   1. unit and integration tests, debug build
#   2. the same, release build (races show up differently when optimised)
#   3. bench smoke: every benchmark id runs once in criterion's test mode,
#      which asserts its answer, at SYNCBENCH_THREADS=1,2
#   4. loom model checks of the hand-written synchronization
# Stops at the first failure, with a non-zero exit status.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

step "tests (debug)"
cargo test --locked

step "tests (release)"
cargo test --locked --release

step "bench smoke: every benchmark once (SYNCBENCH_THREADS=1,2)"
SYNCBENCH_THREADS=1,2 cargo test --locked --release --benches

step "loom model checks"
RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test --locked --release --test loom

step "all tests passed"
