#!/usr/bin/env bash
# Starts, stops and inspects the real servers Payments runs against on a developer machine or in CI:
# one PostgreSQL 15+ (shared by the regions) and one Redis 7 per region, all under <repo>/.data,
# all listening on 127.0.0.1 only. No system service, no Docker.
#
#   scripts/services.sh start | stop | status | reset
#   scripts/services.sh start-postgres | stop-postgres
#
# stop-postgres stops whichever PostgreSQL serves the port, also one another checkout started (tests use it to
# inject an outage into the shared server), and notes its data folder so that start-postgres or start, from any
# checkout, starts that same server again rather than a new empty one.
#   scripts/services.sh start-redis a|b | stop-redis a|b
#
# Missing binaries are installed with apt-get (as root) or named for you to install (otherwise).
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="$ROOT_DIR/.data"
PG_DATA=""         # set by locate_pg_dirs
PG_SOCKET_DIR=""   # set by locate_pg_dirs
PG_HOST=127.0.0.1
PG_PORT=55432
PG_USER=postgres
PG_DATABASE=payments
PG_MIN_VERSION=15
REDIS_HOST=127.0.0.1
TIMEOUT_SECONDS="${SERVICES_TIMEOUT_SECONDS:-60}"
APT_UPDATED=0
PG_BIN=""

usage() {
    cat >&2 <<EOF
usage: scripts/services.sh <command>
  start                 install what is missing, start PostgreSQL and both Redis servers, wait for them
  stop                  stop all of them
  status                print running/stopped per service (exit 3 when any is stopped)
  reset                 stop, then delete their data under .data/
  start-postgres        start PostgreSQL only        stop-postgres    stop PostgreSQL only (even another checkout's)
  start-redis a|b       start one region's Redis     stop-redis a|b   stop one region's Redis
EOF
    exit 2
}

say() { printf '%s\n' "$*"; }
fail() { printf 'services.sh: %s\n' "$*" >&2; exit 1; }

is_root() { [[ "$(id -u)" -eq 0 ]]; }

# initdb refuses to run as root, and a server started by root would own files postgres cannot use.
as_postgres() {
    if is_root; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Serialises concurrent invocations (two test runs starting the servers at once).
take_lock() {
    mkdir -p "$DATA_DIR"
    exec 9>"$DATA_DIR/.services.lock"
    flock -w "$TIMEOUT_SECONDS" 9 || fail "another services.sh holds $DATA_DIR/.services.lock"
}

apt_install() {
    local package="$1"
    if ! is_root; then
        fail "'$package' is not installed; install it with: sudo apt-get install -y $package"
    fi
    command -v apt-get >/dev/null 2>&1 || fail "'$package' is missing and this machine has no apt-get; install it by hand"
    if [[ "$APT_UPDATED" -eq 0 ]]; then
        say "installing $package (apt-get update)..."
        DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
        APT_UPDATED=1
    fi
    say "installing $package (apt-get install)..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$package" >/dev/null
}

# Finds the directory holding initdb/pg_ctl/pg_isready/psql of a PostgreSQL >= PG_MIN_VERSION.
find_pg_bin() {
    local candidate version dir
    local -a candidates=()
    if command -v initdb >/dev/null 2>&1; then
        candidates+=("$(dirname "$(readlink -f "$(command -v initdb)")")")
    fi
    # Debian keeps the server binaries off PATH, one folder per major version; newest first.
    while IFS= read -r dir; do
        candidates+=("$dir")
    done < <(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -t/ -k5,5 -nr)
    for candidate in "${candidates[@]}"; do
        [[ -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]] || continue
        version="$("$candidate/initdb" --version | sed -E 's/.* ([0-9]+)[.0-9]*.*/\1/')"
        if [[ "$version" =~ ^[0-9]+$ && "$version" -ge "$PG_MIN_VERSION" ]]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

ensure_postgres_binaries() {
    if [[ -n "$PG_BIN" ]]; then
        return 0
    fi
    if ! PG_BIN="$(find_pg_bin)"; then
        apt_install postgresql
        PG_BIN="$(find_pg_bin)" || fail "no PostgreSQL >= $PG_MIN_VERSION found after installing 'postgresql'"
    fi
    if is_root && ! id -u postgres >/dev/null 2>&1; then
        fail "running as root needs the 'postgres' OS user (initdb refuses root); install 'postgresql' or run as a normal user"
    fi
}

ensure_redis_binaries() {
    if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
        apt_install redis-server
    fi
    command -v redis-server >/dev/null 2>&1 || fail "redis-server still missing after installing 'redis-server'"
}

# wait_until <command...>: polls the command until it succeeds or TIMEOUT_SECONDS pass.
wait_until() {
    local deadline=$((SECONDS + TIMEOUT_SECONDS))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            return 1
        fi
        sleep 0.2
    done
}

# ---------- PostgreSQL ----------

path_key() { printf '%s' "$ROOT_DIR" | cksum | cut -d' ' -f1; }

# Sets PG_DATA and PG_SOCKET_DIR. As root the server runs as 'postgres', which must be able to reach
# them: a checkout inside a private folder (/root/...) keeps its PostgreSQL files under /var/tmp
# instead, with .data/pg a symlink to them.
locate_pg_dirs() {
    local home="$DATA_DIR"
    if is_root && id -u postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$DATA_DIR"; then
        home="/var/tmp/payments-services-$(path_key)"
    fi
    PG_DATA="$home/pg"
    PG_SOCKET_DIR="$home/pg-socket"
    # A Unix socket path is limited to 107 bytes; a deep checkout falls back to a short private folder.
    if ((${#PG_SOCKET_DIR} + 20 > 100)); then
        PG_SOCKET_DIR="/tmp/payments-pg-$(path_key)"
    fi
}

pg_ready() {
    "$PG_BIN/pg_isready" -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -t 2
}

pg_running() {
    [[ -f "$PG_DATA/PG_VERSION" ]] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

# Machine-wide, keyed by port: the data folder of the server stop-postgres stopped, for the next start.
pg_stopped_marker() { printf '%s\n' "${TMPDIR:-/tmp}/payments-services-postgres-$PG_PORT.stopped"; }

pg_psql() {
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$@"
}

pg_init_if_needed() {
    mkdir -p "$PG_DATA" "$PG_SOCKET_DIR"
    if [[ "$PG_DATA" != "$DATA_DIR/pg" && ( ! -e "$DATA_DIR/pg" || -L "$DATA_DIR/pg" ) ]]; then
        ln -sfn "$PG_DATA" "$DATA_DIR/pg"
    fi
    if is_root; then
        chown postgres:postgres "$PG_DATA" "$PG_SOCKET_DIR"
        as_postgres test -w "$PG_DATA" ||
            fail "the postgres OS user cannot reach $PG_DATA (a parent folder is not searchable by others); move the checkout or run as a normal user"
    fi
    chmod 700 "$PG_DATA"
    if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
        say "postgres: initdb $PG_DATA"
        as_postgres "$PG_BIN/initdb" -D "$PG_DATA" --auth=trust -U "$PG_USER" \
            --encoding=UTF8 --locale=C --data-checksums >"$DATA_DIR/pg-initdb.log" 2>&1 ||
            { cat "$DATA_DIR/pg-initdb.log" >&2; fail "initdb failed"; }
        printf "\ninclude 'payments.conf'\n" | as_postgres tee -a "$PG_DATA/postgresql.conf" >/dev/null
    fi
    # Rewritten on every start so that a change here reaches existing data folders too.
    as_postgres tee "$PG_DATA/payments.conf" >/dev/null <<EOF
# Written by scripts/services.sh on every start; edit the script, not this file.
listen_addresses = '$PG_HOST'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
max_connections = 200
# A payments ledger: a commit the server acknowledged must survive a crash.
fsync = on
synchronous_commit = on
full_page_writes = on
# Sized for a ledger that takes thousands of rows a second: the hot part of its indexes stays in memory, and
# checkpoints (each followed by a burst of full-page images in the WAL) come every few minutes, not every few seconds.
shared_buffers = 1GB
max_wal_size = 4GB
EOF
}

start_postgres() {
    ensure_postgres_binaries
    if pg_running && pg_ready; then
        say "postgres: already running on $PG_HOST:$PG_PORT"
    elif pg_ready; then
        # Another checkout's server (or a hand-started one) holds the port: use it rather than fail.
        say "postgres: $PG_HOST:$PG_PORT is served by another PostgreSQL (not $PG_DATA); using it"
    elif [[ -f "$(pg_stopped_marker)" ]]; then
        start_stopped_postgres
    else
        pg_init_if_needed
        if ! pg_running; then
            # 9>&-: the server must not inherit (and so keep holding) this script's lock.
            as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t "$TIMEOUT_SECONDS" start >/dev/null 9>&- ||
                { tail -n 30 "$PG_DATA/server.log" >&2 || true; fail "PostgreSQL did not start"; }
        fi
        wait_until pg_ready ||
            { tail -n 30 "$PG_DATA/server.log" >&2 || true; fail "PostgreSQL did not answer on $PG_HOST:$PG_PORT within ${TIMEOUT_SECONDS}s"; }
        say "postgres: started on $PG_HOST:$PG_PORT (data $PG_DATA)"
    fi
    if [[ "$(pg_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'")" != "1" ]]; then
        pg_psql -d postgres -c "CREATE DATABASE $PG_DATABASE" >/dev/null
        say "postgres: created database $PG_DATABASE"
    fi
}

# Starts again the server stop-postgres stopped (maybe another checkout's), with its own configuration.
start_stopped_postgres() {
    local data
    data="$(<"$(pg_stopped_marker)")"
    [[ -f "$data/PG_VERSION" ]] || fail "$(pg_stopped_marker) names $data, which holds no PostgreSQL data"
    as_postgres "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t "$TIMEOUT_SECONDS" start >/dev/null 9>&- ||
        { tail -n 30 "$data/server.log" >&2 || true; fail "PostgreSQL ($data) did not start"; }
    wait_until pg_ready || fail "PostgreSQL ($data) did not answer on $PG_HOST:$PG_PORT within ${TIMEOUT_SECONDS}s"
    rm -f "$(pg_stopped_marker)"
    say "postgres: started again on $PG_HOST:$PG_PORT (data $data)"
}

# any: also stop a server that another checkout started (the outage of stop-postgres); plain 'stop' leaves it.
stop_postgres() {
    local scope="${1:-own}" data
    if [[ -z "$PG_BIN" ]] && ! PG_BIN="$(find_pg_bin)"; then
        say "postgres: stopped (not installed)"
        return 0
    fi
    if pg_running; then
        data="$PG_DATA"
    elif [[ "$scope" == any ]] && pg_ready; then
        data="$(pg_psql -d postgres -tAc 'SHOW data_directory')"
    else
        say "postgres: already stopped"
        return 0
    fi
    if [[ "$scope" == any ]]; then
        printf '%s\n' "$data" >"$(pg_stopped_marker)"
    fi
    as_postgres "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t "$TIMEOUT_SECONDS" stop >/dev/null
    say "postgres: stopped (data $data)"
}

status_postgres() {
    if [[ -z "$PG_BIN" ]] && ! PG_BIN="$(find_pg_bin)"; then
        say "postgres: stopped (not installed)"
        return 1
    fi
    if pg_running && pg_ready; then
        say "postgres: running on $PG_HOST:$PG_PORT"
    elif pg_ready; then
        say "postgres: running on $PG_HOST:$PG_PORT (another checkout's server)"
    else
        say "postgres: stopped"
        return 1
    fi
}

# ---------- Redis (one per region) ----------

redis_port() {
    case "$1" in
        a) printf '6380\n' ;;
        b) printf '6381\n' ;;
        *) fail "unknown region '$1' (expected a or b)" ;;
    esac
}

redis_dir() { printf '%s\n' "$DATA_DIR/redis-$1"; }

redis_ready() {
    [[ "$(redis-cli -h "$REDIS_HOST" -p "$1" ping 2>/dev/null)" == "PONG" ]]
}

redis_served_dir() {
    redis-cli -h "$REDIS_HOST" -p "$1" config get dir 2>/dev/null | sed -n 2p
}

redis_pid() {
    local pidfile
    pidfile="$(redis_dir "$1")/redis.pid"
    [[ -s "$pidfile" ]] || return 1
    local pid
    pid="$(<"$pidfile")"
    kill -0 "$pid" 2>/dev/null || return 1
    printf '%s\n' "$pid"
}

start_redis() {
    local region="$1" port dir
    port="$(redis_port "$region")"
    dir="$(redis_dir "$region")"
    ensure_redis_binaries
    if redis_ready "$port"; then
        local serving
        serving="$(redis_served_dir "$port")"
        if [[ "$serving" == "$dir" ]]; then
            say "redis-$region: already running on $REDIS_HOST:$port"
        else
            say "redis-$region: $REDIS_HOST:$port is served by another Redis (dir ${serving:-unknown}); using it"
        fi
        return 0
    fi
    mkdir -p "$dir"
    redis-server --bind "$REDIS_HOST" --port "$port" --protected-mode yes \
        --dir "$dir" --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
        --appendonly yes --appendfsync everysec >/dev/null 9>&- ||
        fail "redis-server for region $region did not start (see $dir/redis.log)"
    wait_until redis_ready "$port" ||
        { tail -n 20 "$dir/redis.log" >&2 || true; fail "Redis $region did not answer on $REDIS_HOST:$port within ${TIMEOUT_SECONDS}s"; }
    say "redis-$region: started on $REDIS_HOST:$port (data $dir)"
}

stop_redis() {
    local region="$1" port dir pid serving
    port="$(redis_port "$region")"
    dir="$(redis_dir "$region")"
    if ! command -v redis-cli >/dev/null 2>&1; then
        say "redis-$region: stopped (not installed)"
        return 0
    fi
    pid="$(redis_pid "$region" || true)"
    if redis_ready "$port"; then
        serving="$(redis_served_dir "$port")"
        if [[ "$serving" != "$dir" ]]; then
            say "redis-$region: $REDIS_HOST:$port is another Redis (dir ${serving:-unknown}); left running"
            return 0
        fi
        # The append-only file is flushed on a clean shutdown; 'nosave' only skips the RDB snapshot.
        redis-cli -h "$REDIS_HOST" -p "$port" shutdown nosave >/dev/null 2>&1 || true
    elif [[ -z "$pid" ]]; then
        say "redis-$region: already stopped"
        return 0
    fi
    if [[ -n "$pid" ]] && ! wait_until bash -c "! kill -0 $pid 2>/dev/null"; then
        kill -TERM "$pid" 2>/dev/null || true
    fi
    wait_until bash -c "! redis-cli -h $REDIS_HOST -p $port ping" ||
        fail "Redis $region still answers on $REDIS_HOST:$port"
    say "redis-$region: stopped"
}

status_redis() {
    local region="$1" port
    port="$(redis_port "$region")"
    if command -v redis-cli >/dev/null 2>&1 && redis_ready "$port"; then
        say "redis-$region: running on $REDIS_HOST:$port"
    else
        say "redis-$region: stopped"
        return 1
    fi
}

# ---------- commands ----------

cmd_start() {
    start_postgres
    start_redis a
    start_redis b
    say "postgres connection string: Host=$PG_HOST;Port=$PG_PORT;Username=$PG_USER;Database=$PG_DATABASE"
    say "redis region-a: $REDIS_HOST:$(redis_port a)"
    say "redis region-b: $REDIS_HOST:$(redis_port b)"
}

cmd_stop() {
    stop_redis a
    stop_redis b
    stop_postgres
}

cmd_status() {
    local code=0
    status_postgres || code=3
    status_redis a || code=3
    status_redis b || code=3
    return "$code"
}

cmd_reset() {
    cmd_stop
    rm -rf "$PG_DATA" "$PG_SOCKET_DIR" "$DATA_DIR/pg" "$DATA_DIR/pg-initdb.log" "$(redis_dir a)" "$(redis_dir b)"
    rmdir "$(dirname "$PG_DATA")" 2>/dev/null || true
    say "reset: deleted PostgreSQL and Redis data under $DATA_DIR"
}

main() {
    [[ $# -ge 1 ]] || usage
    local command="$1"
    shift
    case "$command" in
        start | stop | status | reset | start-postgres | stop-postgres) [[ $# -eq 0 ]] || usage ;;
        start-redis | stop-redis) [[ $# -eq 1 ]] || usage ;;
        *) usage ;;
    esac
    take_lock
    locate_pg_dirs
    case "$command" in
        start) cmd_start ;;
        stop) cmd_stop ;;
        status) cmd_status ;;
        reset) cmd_reset ;;
        start-postgres) start_postgres ;;
        stop-postgres) stop_postgres any ;;
        start-redis) start_redis "$1" ;;
        stop-redis) stop_redis "$1" ;;
    esac
}

main "$@"
