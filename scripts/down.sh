#!/usr/bin/env bash
# Stops what scripts/up.sh started: the front door, APIs, silos, then Patroni and PostgreSQL, Redis, the sentinels
# and etcd. Data stays in .data/services/dev.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/topology.sh"
for name in $(members front-door) $(members api) $(members silo); do
    stop_process "$name"
done
"$ROOT_DIR/scripts/services.sh" stop
