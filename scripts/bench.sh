#!/usr/bin/env bash
# The main job: every bench target in R independent passes, then the report.
#
#   scripts/bench.sh [criterion args...]
#
# Environment (forwarded to the benches):
#   SYNCBENCH_PROFILE=quick|full   precision vs. time (default: full)
#   SYNCBENCH_PASSES=R             passes (default: 5 in full, 2 in quick)
#   SYNCBENCH_THREADS=1,2,8        thread axis (default: 1,2,4,… up to the
#                                  machine's logical CPUs, plus twice that)
#   SYNCBENCH_TARGETS="counter map" bench targets to run (default: all)
#   SYNCBENCH_OUT=reports          where the report is written (default: reports)
#   SYNCBENCH_SEED=N               seed of the strategy orders (default: the run id)
#   SYNCBENCH_GO=0                 skip the Go benchmarks (default: run them when
#                                  `go` is on PATH)
# Criterion arguments are forwarded to every bench target, e.g. a filter
# (`scripts/bench.sh read-heavy`). Criterion's own baselines are not: each
# pass is saved as baseline `pass-<k>`; compare runs with `report diff A B`.
#
# Pass 1 of every target runs first, then pass 2 of every target, and so on,
# so the passes of one benchmark id lie minutes apart and a slow phase of the
# machine cannot hit all of them. Each pass measures the strategies of a
# group in its own seeded order (recorded in the sidecars).
#
# After pass 3 of a run of more passes, the report screens out the ids that
# ran at least 8x slower than their cell's best in each of passes 1-3 (a
# rendezvous channel next to a buffered one): they decide nothing, and the
# later passes and the repairs skip them (see syncbench::report::screen).
#
# Then the repairs (full profile, 3 or more passes): the report names the
# cells whose fastest strategies strayed more than 1.25x from their median in
# some pass (a phase of the host landing on part of a cell), and exactly those
# cells of those passes are measured again, all their strategies together, in
# a fresh order; one round, then up to two check rounds for what is
# still more than 2x off (a repair can land in a phase of its own; see
# syncbench::report::repair).
#
# Then the Go side (go/, when `go` is on PATH): the same scenarios in Go's own
# benchmarks, on the same thread axis, 3 replicates (1 in quick) of 100 ms
# each, into $criterion_home/go/bench.txt with the Go version; the report puts
# them beside the Rust results.
#
# Stops at the first failing step, with that step's message and exit status.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(${SYNCBENCH_TARGETS:-counter map handoff pipeline signal lifecycle tasks})
out=${SYNCBENCH_OUT:-reports}
criterion_home=${CRITERION_HOME:-${CARGO_TARGET_DIR:-target}/criterion}
profile=${SYNCBENCH_PROFILE:-full}

step() { printf '\n==> %s\n' "$*" >&2; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || fail "cargo not found: install the Rust toolchain (https://rustup.rs)"

# The defaults mirror syncbench::harness::passes::default_passes (a test
# checks that they agree).
case "$profile" in
  quick) default_passes=2 ;;
  *) default_passes=5 ;;
esac
passes=${SYNCBENCH_PASSES:-$default_passes}
[[ "$passes" =~ ^[0-9]+$ ]] && (( passes >= 1 && passes <= 50 )) \
  || fail "SYNCBENCH_PASSES: \`$passes\` is not a whole number between 1 and 50"
for a in "$@"; do
  case "$a" in
    --save-baseline*|--baseline*|--load-baseline*|--discard-baseline)
      fail "$a: the main job saves each pass as criterion baseline pass-<k> itself; compare two runs with \`cargo run --release --bin report -- diff A B\`, or run \`cargo bench\` directly to use criterion's baselines" ;;
  esac
done

# Build first, so the bench timings below are bench time only. Benches use
# cargo's `bench` profile and the report the `release` one: build each the
# way it is run, or cargo rebuilds in the middle of the job.
step "building the benches and the report"
cargo bench --locked --no-run
cargo build --locked --release --bin report

run_id=$(( $(date +%s) * 1000 ))
export SYNCBENCH_RUN=$run_id SYNCBENCH_PASSES=$passes SYNCBENCH_SEED=${SYNCBENCH_SEED:-$run_id}
started=$(date +%s)
n=${#targets[@]}
total=$(( n * passes ))
done_steps=0
declare -A last_pass_secs=()
# Screening (mirrors syncbench::report::screen::AFTER): after pass 3 of a
# run of more passes, ids at least 8x behind their cell's best in each of
# passes 1-3 decide nothing; the later passes and the repairs skip them.
screen_after=3
skip_file="$criterion_home/syncbench-screened.txt"
rm -f "$skip_file"
unset SYNCBENCH_SKIP
for pass in $(seq 1 "$passes"); do
  if (( pass == screen_after + 1 )); then
    step "screening: which ids ran far behind their cell's best in passes 1-$screen_after"
    cargo run --locked --release --quiet --bin report -- screen --input "$criterion_home" > "$skip_file.tmp" \
      || fail "report screen failed (see above)"
    mv "$skip_file.tmp" "$skip_file"
    export SYNCBENCH_SKIP=$skip_file
  fi
  for i in "${!targets[@]}"; do
    t=${targets[$i]}
    done_steps=$((done_steps + 1))
    eta=""
    if (( pass > 1 )); then
      # Each remaining step takes about what its target took in its last
      # pass (screening makes the later passes shorter).
      left=0
      for j in "${!targets[@]}"; do
        u=${targets[$j]}
        steps_left=$(( passes - pass + (j >= i ? 1 : 0) ))
        left=$(( left + steps_left * ${last_pass_secs[$u]:-0} ))
      done
      eta=", about $(( (left + 59) / 60 )) min left"
    fi
    step "[pass $pass/$passes, step $done_steps/$total$eta] cargo bench --bench $t (profile $profile, threads ${SYNCBENCH_THREADS:-default}, run $run_id)"
    t0=$(date +%s)
    SYNCBENCH_PASS=$pass cargo bench --locked --bench "$t" -- "$@" \
      || fail "cargo bench --bench $t (pass $pass of $passes) failed (see above)"
    secs=$(( $(date +%s) - t0 ))
    last_pass_secs[$t]=$secs
    printf '    %s pass %s took %ss\n' "$t" "$pass" "$secs" >&2
  done
done
printf '    the passes took %ss (%s passes)\n' $(( $(date +%s) - started )) "$passes" >&2

# Repairs: mirrors syncbench::harness::passes::REPAIR_ROUNDS and
# syncbench::report::repair::STRAY_ROUNDS (a test checks). The rounds after
# the first stray_rounds are checks: only what is still more than 2x off.
repair_rounds=3
stray_rounds=1
if (( passes < 3 )); then
  printf '    no repairs: %s passes cannot tell which one strayed (3 or more can)\n' "$passes" >&2
elif (( $# > 0 )); then
  printf '    no repairs: criterion arguments were given (%s); repairs measure whole cells with the profile'"'"'s settings\n' "$*" >&2
else
  for round in $(seq 1 "$repair_rounds"); do
    severe=()
    if (( round > stray_rounds )); then
      severe=(--severe)
      step "[repair round $round/$repair_rounds, a check] which cells are still more than 2x off"
    else
      step "[repair round $round/$repair_rounds] which cells strayed in which pass"
    fi
    list=$(cargo run --locked --release --quiet --bin report -- repairs --input "$criterion_home" "${severe[@]}") \
      || fail "report repairs failed (see above)"
    if [[ -z "$list" ]]; then
      printf '    nothing to measure again\n' >&2
      if (( round > stray_rounds )); then break; fi
      continue
    fi
    while IFS=$'\t' read -r -u 3 t pass filter cells; do
      step "[repair round $round/$repair_rounds, pass $pass] cargo bench --bench $t: $cells cells again"
      t0=$(date +%s)
      SYNCBENCH_PASS=$pass SYNCBENCH_REPAIR=$round cargo bench --locked --bench "$t" -- "$filter" </dev/null \
        || fail "cargo bench --bench $t (repair round $round, pass $pass) failed (see above)"
      printf '    took %ss\n' $(( $(date +%s) - t0 )) >&2
    done 3<<< "$list"
  done
fi
printf '    all benches took %ss (%s passes and the repairs)\n' $(( $(date +%s) - started )) "$passes" >&2

if [[ "${SYNCBENCH_GO:-1}" == 0 ]]; then
  printf '\n==> Go benchmarks skipped (SYNCBENCH_GO=0)\n' >&2
elif ! command -v go >/dev/null; then
  printf '\n==> Go benchmarks skipped: `go` is not on PATH (install Go, e.g. apt-get install golang-go, to measure the Go side too)\n' >&2
else
  go_dir=$criterion_home/go
  go_threads=$(cargo run --locked --release --quiet --bin report -- threads) \
    || fail "report threads failed (see above)"
  case "$profile" in
    quick) go_count=1 ;;
    *) go_count=3 ;;
  esac
  go_version=$(go version)
  step "Go benchmarks ($go_version, threads $go_threads, -count=$go_count -benchtime=100ms) -> $go_dir/bench.txt"
  mkdir -p "$go_dir"
  rm -f "$go_dir/bench.txt"
  t0=$(date +%s)
  {
    # Configuration lines in Go's benchmark format (key: value).
    printf 'goversion: %s\n' "$go_version"
    printf 'syncbench-run: %s\n' "$run_id"
    printf 'syncbench-threads: %s\n' "$go_threads"
    (cd go && SYNCBENCH_THREADS=$go_threads go test -run '^$' -bench . \
      -count="$go_count" -benchtime=100ms -timeout 30m .)
  } > "$go_dir/bench.txt.part" \
    || fail "go test -bench failed (see $go_dir/bench.txt.part)"
  mv "$go_dir/bench.txt.part" "$go_dir/bench.txt"
  printf '    the Go benchmarks took %ss\n' $(( $(date +%s) - t0 )) >&2
fi

step "report: $criterion_home -> $out"
cargo run --locked --release --bin report -- --input "$criterion_home" --out "$out" \
  || fail "the report failed (see above)"

printf '\nDecision table: %s/DECISIONS.md\nCharts:         %s/charts/\nHTML:           %s/index.html\n' "$out" "$out" "$out"
