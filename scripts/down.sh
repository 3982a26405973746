#!/usr/bin/env bash
# Stops what scripts/up.sh started: the front door, APIs, silos, then PostgreSQL and Redis. Data stays in .data/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/topology.sh"
for entry in front-door-1 front-door-2 "${APIS[@]}" "${SILOS[@]}"; do
    stop_process "${entry%% *}"
done
"$ROOT_DIR/scripts/services.sh" stop
