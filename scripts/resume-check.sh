#!/usr/bin/env bash
# Checks that the main job resumes: a small job (one bench target, quick
# profile, 3 passes, no Go) is interrupted with SIGINT in its second pass,
# run again with the same settings, and must then finish with every
# benchmark id measured in exactly the passes its schedule gives it (1..k,
# none twice, none missing), say in its log that it resumed, and not
# measure the finished first pass again. CI runs it; it takes about two
# minutes once the benches are built.
#
#   scripts/resume-check.sh [bench target, default signal]
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:-signal}
work=$(mktemp -d "${TMPDIR:-/tmp}/syncbench-resume.XXXXXX")
trap 'rm -rf "$work"' EXIT
export CRITERION_HOME=$work/criterion SYNCBENCH_OUT=$work/report SYNCBENCH_PROFILE=quick \
  SYNCBENCH_PASSES=3 SYNCBENCH_TARGETS=$target SYNCBENCH_GO=0
unset SYNCBENCH_BUDGET SYNCBENCH_SEED SYNCBENCH_THREADS

echo "==> resume check: $target, interrupted in pass 2, then run again"
python3 - "$work/first.log" <<'EOF'
import os, signal, subprocess, sys, time
log = sys.argv[1]
with open(log, "w") as out:
    # Ctrl-C in a terminal: SIGINT to the job's whole process group, with
    # SIGINT's default disposition (a background shell would ignore it).
    p = subprocess.Popen(["scripts/bench.sh"], stdout=out, stderr=subprocess.STDOUT,
                         start_new_session=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 900
    while "[pass 2/" not in open(log).read():
        if p.poll() is not None or time.time() > deadline:
            sys.exit(f"the job ended (or hung) before its second pass; see {log}")
        time.sleep(0.2)
    time.sleep(2)
    os.killpg(p.pid, signal.SIGINT)
    rc = p.wait()
text = open(log).read()
if rc != 130 or "interrupted; run scripts/bench.sh again" not in text:
    sys.exit(f"an interrupted job should exit 130 and say how to resume (rc {rc}):\n{text[-2000:]}")
EOF
scripts/bench.sh > "$work/second.log" 2>&1 || { tail -40 "$work/second.log"; exit 1; }
grep -q "==> resuming run" "$work/second.log" || { echo "the second run did not say it resumed"; exit 1; }
grep -q "pass 1 of $target: finished before the interruption, not measured again" "$work/second.log" \
  || { echo "the second run measured pass 1 again"; exit 1; }
python3 - "$CRITERION_HOME" <<'EOF'
import collections, glob, json, os, sys
home = sys.argv[1]
job = os.path.join(home, "syncbench-job.last")
ids = collections.defaultdict(list)
for f in glob.glob(os.path.join(home, "**", "pass-*", "benchmark.json"), recursive=True):
    d = json.load(open(f))
    k = int(os.path.basename(os.path.dirname(f)).split("-")[1])
    ids[f"{d['group_id']}/{d['function_id']}/{d['value_str']}"].append(k)
steps = [l.split("\t") for l in open(os.path.join(job, "steps.tsv")).read().splitlines()]
last = max(int(s[1]) for s in steps if s[0] == "pass" and s[3] != "0")
skips = {int(os.path.basename(f)[5:-4]): set(open(f).read().split())
         for f in glob.glob(os.path.join(job, "skip-*.txt"))}
passes = collections.Counter(int(s[1]) for s in steps if s[0] == "pass")
bad = []
for i, got in ids.items():
    want = next((k for k in sorted(skips) if i in skips[k] and k < last), last)
    if sorted(got) != list(range(1, want + 1)):
        bad.append(f"{i}: passes {sorted(got)}, scheduled 1-{want}")
if any(n != 1 for n in passes.values()):
    bad.append(f"a pass was recorded twice: {dict(passes)}")
if not ids or bad:
    sys.exit("resume check failed:\n" + "\n".join(bad[:20] or ["no results"]))
dist = collections.Counter(len(v) for v in ids.values())
print(f"resume check: {len(ids)} ids, each in exactly its scheduled passes "
      f"(passes per id: {dict(sorted(dist.items()))})")
EOF
