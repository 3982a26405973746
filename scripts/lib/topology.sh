# The local topology (topology/local.topology) as bash sees it, and the helpers the scripts share (sourced, not run).
#
#   PAYMENTS_INSTANCE     which instance: "dev" (scripts/up.sh, the default) or any other name (a test run, the
#                         demo); each has its own data folder .data/services/<instance>
#   PAYMENTS_PORT_OFFSET  added to every port of the topology (0 for dev); "auto" picks a free one (test runs)
#   PAYMENTS_NETNS        a prefix (e.g. "payd"): each site runs in network namespace <prefix>-<site> and listens on
#                         the site's address; unset, everything listens on 127.0.0.1
#   PAYMENTS_TOPOLOGY     another topology file (the three-region rendering test)

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOPOLOGY_FILE="${PAYMENTS_TOPOLOGY:-$ROOT_DIR/topology/local.topology}"
INSTANCE="${PAYMENTS_INSTANCE:-dev}"
PORT_OFFSET="${PAYMENTS_PORT_OFFSET:-0}"
NETNS_PREFIX="${PAYMENTS_NETNS:-}"
RUN_DIR="$ROOT_DIR/.data/run"
LOG_DIR="$ROOT_DIR/.data/logs"
BUILD_DIR="$ROOT_DIR/.artifacts/bin"

declare -A TOPO=()        # <name>.<key> -> value, <name>.site -> site
declare -A TOPO_KIND=()   # <kind> -> names in file order
declare -A TOPO_SETTING=()

load_topology() {
    [[ -f "$TOPOLOGY_FILE" ]] || { echo "topology: $TOPOLOGY_FILE is missing" >&2; return 1; }
    local kind name site rest pair
    while read -r kind name site rest; do
        [[ -z "$kind" || "$kind" == \#* ]] && continue
        if [[ "$kind" == setting ]]; then
            TOPO_SETTING[$name]="$site"
            continue
        fi
        TOPO_KIND[$kind]+="${TOPO_KIND[$kind]:+ }$name"
        TOPO[$name.site]="$site"
        for pair in $rest; do
            TOPO[$name.${pair%%=*}]="${pair#*=}"
        done
    done <"$TOPOLOGY_FILE"
}
load_topology

# members <kind> [site]: the names of that kind (of one site only, when given), in file order.
members() {
    local name
    for name in ${TOPO_KIND[$1]:-}; do
        [[ -z "${2:-}" || "${TOPO[$name.site]}" == "$2" ]] && printf '%s\n' "$name"
    done
    return 0
}

# The sites that run a cluster (every site but the witness).
regions() {
    local site
    for site in ${TOPO_KIND[site]}; do
        [[ "${TOPO[$site.witness]:-no}" == yes ]] || printf '%s\n' "$site"
    done
}

setting() { printf '%s\n' "${TOPO_SETTING[$1]:?topology: no setting $1 in $TOPOLOGY_FILE}"; }
site_of() { printf '%s\n' "${TOPO[$1.site]:?topology: no member $1}"; }

# port <member> <key>: the member's port, shifted by the instance's offset.
port() { printf '%s\n' "$((${TOPO[$1.$2]:?topology: $1 has no $2} + PORT_OFFSET))"; }

# host <member|site>: where it listens: its site's address in the demo's namespaces, 127.0.0.1 otherwise.
host() {
    local site="${TOPO[$1.site]:-$1}"
    if [[ -n "$NETNS_PREFIX" ]]; then printf '%s\n' "${TOPO[$site.address]}"; else printf '127.0.0.1\n'; fi
}

endpoint() { printf '%s:%s\n' "$(host "$1")" "$(port "$1" "$2")"; }

# in_site <member|site> <command...>: runs the command inside the site's namespace (demo) or as it is.
in_site() {
    local site="${TOPO[$1.site]:-$1}"
    shift
    if [[ -n "$NETNS_PREFIX" ]]; then ip netns exec "$NETNS_PREFIX-$site" "$@"; else "$@"; fi
}

# ---------- the connection strings every process uses ----------

# One multi-host Npgsql string over every PostgreSQL node: a promotion needs no change anywhere. TCP keepalives break
# a connection to a primary cut off the network in seconds (a commit on it is never cancelled, see docs/failover.md).
# postgres_connection [database] [site]: given a site, its own nodes come first. Npgsql asks the hosts in order
# whenever its knowledge of a host's role is older than Host Recheck Seconds, and a host cut off the network costs
# every connection opened then the connect timeout; a region's processes listing their own node first never wait on
# the other region's node while theirs is the primary, and find it first once it is promoted.
postgres_connection() {
    local database="${1:-$(setting database)}" site="${2:-}" hosts="" node
    for node in $( (members postgres "$site"; members postgres) | awk '!seen[$0]++'); do
        hosts+="${hosts:+,}$(endpoint "$node" port)"
    done
    printf 'Host=%s;Username=postgres;Database=%s;Target Session Attributes=primary;Host Recheck Seconds=%s;Timeout=%s;TCP Keepalive Time=5;TCP Keepalive Interval=1\n' \
        "$hosts" "$database" "$(setting npgsql-host-recheck)" "$(setting npgsql-connect-timeout)"
}

# A region's Redis through the sentinels (StackExchange.Redis follows their promotions).
redis_connection() {
    local endpoints="" sentinel
    for sentinel in $(members sentinel); do
        endpoints+="$(endpoint "$sentinel" port),"
    done
    printf '%sserviceName=%s\n' "$endpoints" "$1"
}

# ---------- processes started by the scripts ----------

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
