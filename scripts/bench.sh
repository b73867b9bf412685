#!/usr/bin/env bash
# The main job: run every bench target, then the report.
#
#   scripts/bench.sh [criterion args...]
#
# Environment (forwarded to the benches):
#   SYNCBENCH_PROFILE=quick|full   precision vs. time (default: full)
#   SYNCBENCH_THREADS=1,2,8        thread axis (default: 1,2,4,… up to the
#                                  machine's logical CPUs, plus twice that)
#   SYNCBENCH_TARGETS="counter map" bench targets to run (default: all)
#   SYNCBENCH_OUT=reports          where the report is written (default: reports)
# Criterion arguments are forwarded to every bench target, e.g. a filter
# (`scripts/bench.sh read-heavy`) or `--save-baseline before`.
#
# Stops at the first failing step, with that step's message and exit status.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(${SYNCBENCH_TARGETS:-counter map handoff pipeline signal})
out=${SYNCBENCH_OUT:-reports}
criterion_home=${CRITERION_HOME:-${CARGO_TARGET_DIR:-target}/criterion}

step() { printf '\n==> %s\n' "$*" >&2; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || fail "cargo not found: install the Rust toolchain (https://rustup.rs)"

# Build first, so the bench timings below are bench time only. Benches use
# cargo's `bench` profile and the report the `release` one: build each the
# way it is run, or cargo rebuilds in the middle of the job.
step "building the benches and the report"
cargo bench --locked --no-run
cargo build --locked --release --bin report

started=$(date +%s)
n=${#targets[@]}
i=0
for t in "${targets[@]}"; do
  i=$((i + 1))
  step "[$i/$n] cargo bench --bench $t (profile ${SYNCBENCH_PROFILE:-full}, threads ${SYNCBENCH_THREADS:-default})"
  t0=$(date +%s)
  cargo bench --locked --bench "$t" -- "$@" || fail "cargo bench --bench $t failed (see above)"
  printf '    %s took %ss\n' "$t" $(( $(date +%s) - t0 )) >&2
done
printf '    all benches took %ss\n' $(( $(date +%s) - started )) >&2

step "report: $criterion_home -> $out"
cargo run --locked --release --bin report -- --input "$criterion_home" --out "$out" \
  || fail "the report failed (see above)"

printf '\nDecision table: %s/DECISIONS.md\nCharts:         %s/charts/\nHTML:           %s/index.html\n' "$out" "$out" "$out"
