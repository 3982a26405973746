#!/usr/bin/env bash
# Stops what scripts/up.sh started: APIs, silos, then PostgreSQL and Redis. Data stays in .data/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/topology.sh"
for entry in "${APIS[@]}" "${SILOS[@]}"; do
    stop_process "${entry%% *}"
done
"$ROOT_DIR/scripts/services.sh" stop
