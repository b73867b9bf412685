#!/usr/bin/env bash
# Checks a rendered report's index.html in a real browser (headless Chromium).
#
#   scripts/browser-check.sh [REPORT_DIR]      # default: reports
#
# Fails (non-zero exit) unless:
#   1. the page's own self-check passes, at 1280 px and at 390 px wide
#      (index.html?selfcheck, see src/report/render/html.rs): no error or
#      console error, every image and inline SVG rendered, every #anchor link
#      has its target, the "what to use" table starts within the first 900 px,
#      ends within two screens on the desktop and never scrolls sideways, and
#      the table of contents follows it, the page is no wider than the window;
#   2. Chromium's log shows no uncaught error and no failed load from the page;
#   3. every relative href/src of the page names a file that exists, and none
#      points to the network (the page must work offline, from file://).
# Saves screenshots of the first screen under target/browser-check/:
# <dir name>-desktop.png (1280x900) and <dir name>-390.png (390x844).
#
# Needs Chromium: Debian `apt-get install -y chromium` (.ci/run installs it
# when it is missing); CHROMIUM=/path/to/browser overrides the search.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${1:-reports}
page="$dir/index.html"
if [ ! -f "$page" ]; then
    echo "browser-check: no $page (render one: cargo run --release --bin report -- --out $dir)" >&2
    exit 2
fi
browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
    for b in chromium chromium-browser google-chrome; do
        if command -v "$b" >/dev/null 2>&1; then
            browser=$b
            break
        fi
    done
fi
if [ -z "$browser" ]; then
    echo "browser-check: no Chromium found (Debian: apt-get install -y chromium)" >&2
    exit 2
fi

start=$(date +%s%N)
abs_dir=$(cd "$dir" && pwd)
name=$(basename "$abs_dir")
url="file://$(printf '%s' "$abs_dir/index.html" | sed 's/%/%25/g; s/ /%20/g')"
shots="$PWD/target/browser-check"
mkdir -p "$shots"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# One browser run: label, window size, URL suffix, then --dump-dom or
# --screenshot=...; its own profile; its output and log kept in $work.
browse() {
    local label=$1 size=$2 suffix=$3
    shift 3
    timeout 180 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --no-first-run --no-default-browser-check --disable-extensions \
        --user-data-dir="$work/profile-$label" --enable-logging=stderr --v=0 \
        --virtual-time-budget=5000 --window-size="$size" "$@" "$url$suffix" \
        >"$work/$label.out" 2>"$work/$label.log" || true
}

echo "==> $page in $("$browser" --version 2>/dev/null | head -n1)"

# 1. The self-check, desktop and 390 px (in an iframe: headless windows are
#    at least 500 px wide).
for run in "desktop 1280,900 ?selfcheck" "390 1280,900 ?selfcheck&frame=390x844"; do
    read -r label size suffix <<<"$run"
    browse "check-$label" "$size" "$suffix" --dump-dom
    verdict=$(sed -n '/<pre id="selfcheck">/,/SELFCHECK END/p' "$work/check-$label.out" |
        sed 's/<[^>]*>//g; s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&amp;/\&/g')
    if [ -z "$verdict" ]; then
        if grep -q 'SELFCHECK' "$page"; then
            fail "$label: the self-check did not report (see the log below)"
            sed 's/^/  log: /' "$work/check-$label.log" | grep -v 'dbus\|vaapi\|sandbox\|ScreenSaver' | tail -n 20 || true
        else
            fail "$label: $page has no self-check: it was rendered before the self-check existed; regenerate the report (scripts/bench.sh, or the report binary on its criterion tree)"
        fi
        continue
    fi
    printf '%s\n' "$verdict" | sed "s/^/  [$label] /"
    case $verdict in
        "SELFCHECK PASS"*) ;;
        *) fail "$label: self-check failed" ;;
    esac
done

# Screenshots of the first screen (their runs' logs are checked too).
browse shot-desktop 1280,900 "" --screenshot="$shots/$name-desktop.png"
browse shot-390 390,844 "?frame=390x844" --screenshot="$shots/$name-390.png"
for s in "$shots/$name-desktop.png" "$shots/$name-390.png"; do
    if [ -s "$s" ]; then
        echo "  screenshot: ${s#"$PWD"/}"
    else
        fail "no screenshot $s"
    fi
done

# 2. Chromium's log: uncaught errors and failed loads reported by the page.
for log in "$work"/*.log; do
    bad=$(grep -E ':CONSOLE[^]]*\] "(Uncaught|Failed to load|Not allowed to load)' "$log" || true)
    if [ -n "$bad" ]; then
        fail "page errors in $(basename "$log" .log):"
        printf '%s\n' "$bad" | sed 's/^/  /'
    fi
done

# 3. Relative links and sources exist; nothing from the network.
links=0
while IFS= read -r ref; do
    case $ref in
        '#'* | '') continue ;;
        http://* | https://* | //*) fail "external reference: $ref" ;;
        data:* | mailto:*) ;;
        *)
            links=$((links + 1))
            target=${ref%%[?#]*}
            target=$(printf '%s' "$target" | sed 's/%20/ /g; s/%25/%/g')
            [ -e "$dir/$target" ] || fail "relative link without a file: $ref"
            ;;
    esac
done < <(grep -oE ' (href|src)="[^"]*"' "$page" | sed -E 's/^ (href|src)="//; s/"$//' | sort -u)
echo "  $links relative links and sources: checked"

ms=$((($(date +%s%N) - start) / 1000000))
elapsed=$(printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)))
if [ "$failures" -gt 0 ]; then
    echo "browser-check: $failures failure(s) in $page (${elapsed}s)"
    exit 1
fi
echo "browser-check: $page passed (${elapsed}s)"
