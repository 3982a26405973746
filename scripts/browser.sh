#!/usr/bin/env bash
# Makes sure a headless-capable Chromium is installed for the browser tests (tests/Integration.Tests, the
# dashboard and OpenAPI pages) and prints its path. Debian/Ubuntu: installs the `chromium` package with
# apt-get when it is missing (as root); elsewhere it says what to install. Idempotent.
set -euo pipefail

find_chromium() {
    command -v chromium || command -v chromium-browser || command -v google-chrome || true
}

found="$(find_chromium)"
if [[ -z "$found" ]]; then
    command -v apt-get >/dev/null 2>&1 || { echo "chromium is missing: install Chromium or Chrome by hand" >&2; exit 1; }
    [[ "$(id -u)" -eq 0 ]] || { echo "chromium is missing: sudo apt-get install -y chromium" >&2; exit 1; }
    echo "installing chromium (apt-get)..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >/dev/null
    found="$(find_chromium)"
fi
echo "$found"
