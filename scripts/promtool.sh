#!/usr/bin/env bash
# Makes sure promtool is installed for the rules checks (tests/K8s.Tests/PrometheusRulesTests:
# `promtool check rules` and `promtool test rules` on ops/prometheus) and prints its path.
# Debian/Ubuntu: promtool comes with the `prometheus` package, installed with apt-get when missing
# (as root); elsewhere it says what to install. Only promtool is used: the Prometheus server the
# package brings is never started by the tests. Idempotent.
set -euo pipefail

found="$(command -v promtool || true)"
if [[ -z "$found" ]]; then
    command -v apt-get >/dev/null 2>&1 || { echo "promtool is missing: install Prometheus' promtool by hand" >&2; exit 1; }
    [[ "$(id -u)" -eq 0 ]] || { echo "promtool is missing: sudo apt-get install -y prometheus" >&2; exit 1; }
    echo "installing promtool (apt-get install prometheus)..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >/dev/null
    found="$(command -v promtool)"
fi
echo "$found"
