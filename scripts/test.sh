#!/usr/bin/env bash
# Runs every test of Spillway on a fresh Debian machine with Java 17 and Maven:
# installs what the browser tests need (Debian's chromium and chromium-driver) when missing,
# then runs the whole Maven build with its tests.
set -euo pipefail
cd "$(dirname "$0")/.."

need_install=()
command -v chromium >/dev/null 2>&1 || need_install+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_install+=(chromium-driver)
if [ "${#need_install[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_install[@]}" >/dev/null
  else
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_install[@]}" >/dev/null
  fi
fi

exec mvn -B verify "$@"
