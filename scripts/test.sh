#!/usr/bin/env bash
# Runs every test of Spillway on a fresh Debian machine with Java 17 and Maven:
# installs what the tests need (Debian's chromium and chromium-driver for the browser tests, curl
# for the client-conformance test, Node.js and npm for tus-js-client) when missing, installs the
# pinned tus-js-client from the npm registry (npm ci in servlet-filter/src/test/node),
# mounts a small tmpfs for the real disk-full test when running as root (skipped otherwise),
# then runs the whole Maven build with its tests, and lists every skipped test with its reason
# (from the surefire and failsafe reports), so that a skip is never silent.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

need_install=()
command -v chromium >/dev/null 2>&1 || need_install+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_install+=(chromium-driver)
command -v curl >/dev/null 2>&1 || need_install+=(curl)
command -v node >/dev/null 2>&1 || need_install+=(nodejs)
command -v npm >/dev/null 2>&1 || need_install+=(npm)
if [ "${#need_install[@]}" -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_install[@]}" >/dev/null
fi

# Every test the reports mark skipped, with the reason its assumption gave.
report_skipped_tests() {
  local reports
  reports="$(find . -path '*/target/*-reports/TEST-*.xml' 2>/dev/null)"
  [ -n "$reports" ] || return 0
  # shellcheck disable=SC2086
  awk '
    /<testcase / {
      match($0, /name="[^"]*"/); name = substr($0, RSTART + 6, RLENGTH - 7)
      match($0, /classname="[^"]*"/); class = substr($0, RSTART + 11, RLENGTH - 12)
    }
    /<skipped/ {
      reason = $0
      if (reason ~ /message="/) { sub(/.*message="/, "", reason); sub(/".*/, "", reason) }
      else { sub(/.*CDATA\[/, "", reason); sub(/.*Assumption failed: /, "", reason) }
      skipped[++count] = "  " class "." name ": " reason
    }
    END {
      printf "%d test(s) skipped\n", count
      for (i = 1; i <= count; i++) print skipped[i]
    }' $reports
}

small_fs=""
cleanup() {
  status=$?
  report_skipped_tests || true
  if [ -n "$small_fs" ]; then
    umount "$small_fs" 2>/dev/null || true
    rmdir "$small_fs" 2>/dev/null || true
  fi
  exit "$status"
}
trap cleanup EXIT

if [ -z "${SPILLWAY_SMALL_FS:-}" ] && [ "$(id -u)" -eq 0 ]; then
  small_fs="$(mktemp -d /tmp/spillway-small-fs.XXXXXX)"
  if mount -t tmpfs -o size=64m,mode=0700 tmpfs "$small_fs" 2>/dev/null; then
    export SPILLWAY_SMALL_FS="$small_fs"
  else
    rmdir "$small_fs"
    small_fs=""
  fi
fi

npm ci --prefix servlet-filter/src/test/node --no-audit --no-fund --loglevel=error

export CI="${CI:-true}"
mvn -B verify "$@"
