# The local topology of both regions and the helpers to start it, shared by up.sh, down.sh and bench.sh (sourced, not run).
# Region a: Redis 6380, silos 11111/30000 (http 8091) and 11112/30001 (http 8092), API 5080.
# Region b: Redis 6381, silos 11121/30010 (http 8093) and 11122/30011 (http 8094), API 5081.
# Front door: region-a 8080, region-b 8081 (two HAProxy instances, stats 8404 and 8405).
# PostgreSQL 55432, shared.

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR="$ROOT_DIR/.data/run"
LOG_DIR="$ROOT_DIR/.data/logs"
BUILD_DIR="$ROOT_DIR/.artifacts/bin"
POSTGRES="Host=127.0.0.1;Port=55432;Username=postgres;Database=payments"

# name region silo-port gateway-port http-port redis-port
SILOS=(
    "silo-a1 region-a 11111 30000 8091 6380"
    "silo-a2 region-a 11112 30001 8092 6380"
    "silo-b1 region-b 11121 30010 8093 6381"
    "silo-b2 region-b 11122 30011 8094 6381"
)
# name region http-port
APIS=(
    "api-a region-a 5080"
    "api-b region-b 5081"
)
# The front door (scripts/lib/front-door.sh): each region's address, and the stats port of each of its two instances.
FRONT_DOORS="region-a=127.0.0.1:8080 region-b=127.0.0.1:8081"
FRONT_DOOR_STATS_PORTS=(8404 8405)

# Stops the process recorded in $RUN_DIR/$1.pid, gracefully first.
stop_process() {
    local pidfile="$RUN_DIR/$1.pid"
    [[ -f "$pidfile" ]] || return 0
    local pid
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
}

# wait_ready <name> <url> [log file] [seconds]: polls url until it answers; on timeout prints the log's tail.
wait_ready() {
    local name="$1" url="$2" log="${3:-$LOG_DIR/$1.log}" seconds="${4:-60}"
    for _ in $(seq 1 $((seconds * 2))); do
        if curl -fsS "$url" >/dev/null 2>&1; then
            echo "ready: $name ($url)"
            return 0
        fi
        sleep 0.5
    done
    echo "not ready after $seconds s: $name; last lines of $log:" >&2
    tail -n 20 "$log" >&2
    return 1
}
