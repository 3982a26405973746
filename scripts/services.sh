#!/usr/bin/env bash
# Starts, stops, inspects and breaks the real servers Payments runs against, as topology/local.topology describes them:
# an etcd member per site, PostgreSQL 15+ under Patroni (a primary and a synchronous standby in another region), and
# per region a Redis primary and replica watched by the sentinels of every site. No system service, no Docker.
#
#   scripts/services.sh start | stop | status | destroy | connections      (destroy: kill all, delete the data)
#   scripts/services.sh start-postgres | stop-postgres        every PostgreSQL node (an outage of the whole store)
#   scripts/services.sh start-redis a|b | stop-redis a|b      one region's Redis nodes
#   scripts/services.sh primary | redis-primary <region> | wait-replicated | switchover <node> | render <folder>
#   scripts/services.sh kill-postgres <node> | kill-patroni <node> | kill-redis <node> | kill-site <site> | site-pids <site>
#
# start starts whatever is not running (after a kill, a killed PostgreSQL node rejoins as a standby, rewound by
# pg_rewind; a killed Redis comes back as a replica of the current primary) and waits until the store is replicated.
# PAYMENTS_INSTANCE / PAYMENTS_PORT_OFFSET / PAYMENTS_NETNS (scripts/lib/topology.sh) choose the instance: the dev one
# of scripts/up.sh by default; a test run its own, on other ports and folders, destroyed at its end.
# PAYMENTS_FAIL_BOOTSTRAPS=N (fault injection, for the tests): the first N attempts to bootstrap the store run a
# post_bootstrap that fails, so that the retry of a failed bootstrap (bootstrap_primary) is exercised.
# Missing binaries are installed with apt-get (as root) or named for you to install (otherwise).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/topology.sh"

TIMEOUT_SECONDS="${SERVICES_TIMEOUT_SECONDS:-90}"
SHARED_BUFFERS="${PAYMENTS_PG_SHARED_BUFFERS:-1GB}"
PG_MIN_VERSION=15
LEADER_KEY=/service/payments/leader
APT_UPDATED=0
PG_BIN=""
DATA_DIR=""   # set by locate_data_dir
BOOTSTRAP_ATTEMPT=0   # set by bootstrap_primary while it bootstraps

usage() {
    sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

say() { printf '%s\n' "$*"; }
fail() { printf 'services.sh: %s\n' "$*" >&2; exit 1; }
is_root() { [[ "$(id -u)" -eq 0 ]]; }

# A command prefix that runs as the postgres OS user when root (initdb and the server refuse root); exec all the way
# down, so that $! of a backgrounded command is the server's own pid.
as_postgres() {
    if is_root; then
        printf 'setpriv --reuid=postgres --regid=postgres --init-groups env HOME=%s' "$(getent passwd postgres | cut -d: -f6)"
    fi
}

# A command prefix that runs in the member's site (its network namespace in the demo); also exec.
in_site() {
    if [[ -n "$NETNS_PREFIX" ]]; then printf 'ip netns exec %s-%s' "$NETNS_PREFIX" "${TOPO[$1.site]:-$1}"; fi
}

apt_install() {
    is_root || fail "missing: $*; install with: sudo apt-get install -y $*"
    command -v apt-get >/dev/null 2>&1 || fail "missing: $* and this machine has no apt-get; install them by hand"
    if [[ "$APT_UPDATED" -eq 0 ]]; then
        say "installing $* (apt-get update)..."
        DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
        APT_UPDATED=1
    fi
    say "installing $* (apt-get install)..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

# Finds the directory holding initdb/pg_ctl/pg_rewind of a PostgreSQL >= PG_MIN_VERSION (Debian keeps them off PATH).
find_pg_bin() {
    local candidate version
    local -a candidates=()
    command -v initdb >/dev/null 2>&1 && candidates+=("$(dirname "$(readlink -f "$(command -v initdb)")")")
    while IFS= read -r candidate; do
        candidates+=("$candidate")
    done < <(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -t/ -k5,5 -nr)
    for candidate in "${candidates[@]}"; do
        [[ -x "$candidate/initdb" && -x "$candidate/pg_ctl" && -x "$candidate/pg_rewind" ]] || continue
        version="$("$candidate/initdb" --version | sed -E 's/.* ([0-9]+)[.0-9]*.*/\1/')"
        if [[ "$version" =~ ^[0-9]+$ && "$version" -ge "$PG_MIN_VERSION" ]]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

ensure_binaries() {
    local -a missing=()
    find_pg_bin >/dev/null || missing+=(postgresql)
    command -v patroni >/dev/null 2>&1 || missing+=(patroni)
    command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
    command -v etcdctl >/dev/null 2>&1 || missing+=(etcd-client)
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    command -v redis-sentinel >/dev/null 2>&1 || missing+=(redis-sentinel)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    command -v ss >/dev/null 2>&1 || missing+=(iproute2)
    ((${#missing[@]} == 0)) || apt_install "${missing[@]}"
    # Debian's etcd-server package starts a system etcd on 127.0.0.1:2379, etcd-a's client port in the dev topology;
    # the scripts run etcd members of their own, so the one just installed is stopped and left disabled.
    if [[ " ${missing[*]} " == *" etcd-server "* ]] && command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet etcd 2>/dev/null; then
        systemctl disable --now etcd >/dev/null 2>&1 && say "stopped and disabled the etcd system service that etcd-server started"
    fi
    PG_BIN="$(find_pg_bin)" || fail "no PostgreSQL >= $PG_MIN_VERSION found after installing 'postgresql'"
    if is_root && ! id -u postgres >/dev/null 2>&1; then
        fail "running as root needs the 'postgres' OS user (initdb refuses root); install 'postgresql' or run as a normal user"
    fi
}

# Patroni 3.0 does not check it: a primary must be able to retry the store twice and still renew its key in time.
check_patroni_timing() {
    local ttl loop retry
    ttl="$(setting patroni-ttl)" loop="$(setting patroni-loop-wait)" retry="$(setting patroni-retry-timeout)"
    ((loop + 2 * retry <= ttl)) ||
        fail "$TOPOLOGY_FILE: patroni loop_wait ($loop) + 2 × retry_timeout ($retry) must not exceed ttl ($ttl)"
}

# wait_until <seconds> <command...>: polls the command until it succeeds.
wait_until() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

alive() { [[ -s "$1" ]] && kill -0 "$(<"$1")" 2>/dev/null; }

# ensure_ports_free <member> <key...>: a member about to start must find its ports free. Another process on one of
# them (another checkout's servers, an older script's PostgreSQL) would otherwise be taken for this member.
ensure_ports_free() {
    local member="$1" key number
    shift
    for key in "$@"; do
        number="$(port "$member" "$key")"
        if $(in_site "$member") ss -Hltn "sport = :$number" 2>/dev/null | grep -q .; then
            fail "$member: port $number is taken by another process (another checkout's servers?); stop it, or start another instance (PAYMENTS_INSTANCE, PAYMENTS_PORT_OFFSET=auto)"
        fi
    done
}

# ---------- the instance: its folder and its ports ----------

path_key() { printf '%s' "$ROOT_DIR/$INSTANCE" | cksum | cut -d' ' -f1; }

# As root the servers run as 'postgres', which must reach their folders: a checkout in a private folder (/root/...)
# keeps them under /var/tmp instead, with .data/services/<instance> a symlink to them.
locate_data_dir() {
    local link="$ROOT_DIR/.data/services/$INSTANCE"
    mkdir -p "$ROOT_DIR/.data/services"
    if [[ -L "$link" ]]; then
        DATA_DIR="$(readlink "$link")"
    elif is_root && id -u postgres >/dev/null 2>&1 && ! setpriv --reuid=postgres --regid=postgres --init-groups test -x "$ROOT_DIR/.data/services"; then
        DATA_DIR="/var/tmp/payments-services-$(path_key)"
        ln -sfn "$DATA_DIR" "$link"
    else
        DATA_DIR="$link"
    fi
    mkdir -p "$DATA_DIR"
    chmod 755 "$DATA_DIR"
}

# Serialises invocations on one instance (a test's kill and its restart, two shells).
take_lock() {
    exec 9>"$DATA_DIR/.lock"
    flock -w "$TIMEOUT_SECONDS" 9 || fail "another services.sh holds $DATA_DIR/.lock"
}

all_ports() {
    local key
    for key in "${!TOPO[@]}"; do
        [[ "${TOPO[$key]}" =~ ^[0-9]+$ ]] && printf '%s\n' "$((TOPO[$key] + PORT_OFFSET))"
    done
}

# auto: the instance keeps the offset it got first; otherwise the first multiple of 1000 whose ports are all free and
# that no other instance on this machine holds (reservations in /tmp name the folder that holds them).
resolve_port_offset() {
    [[ "$PORT_OFFSET" == auto ]] || return 0
    if [[ -s "$DATA_DIR/port-offset" ]]; then
        PORT_OFFSET="$(<"$DATA_DIR/port-offset")"
        return 0
    fi
    exec 8>/tmp/payments-port-offsets.lock
    flock -w "$TIMEOUT_SECONDS" 8 || fail "could not lock /tmp/payments-port-offsets.lock"
    local offset reservation listening
    listening="$(ss -Hltn 2>/dev/null | awk '{ n = split($4, a, ":"); print a[n] }' | sort -u)"
    for offset in 1000 2000 3000 4000 5000 6000 7000 8000 9000; do
        reservation="/tmp/payments-port-offset-$offset"
        if [[ -s "$reservation" && -d "$(<"$reservation")" && "$(<"$reservation")" != "$DATA_DIR" ]]; then
            continue
        fi
        PORT_OFFSET="$offset"
        if all_ports | grep -qxF -f - <(printf '%s\n' "$listening"); then
            continue
        fi
        printf '%s\n' "$DATA_DIR" >"$reservation"
        printf '%s\n' "$offset" >"$DATA_DIR/port-offset"
        exec 8>&-
        return 0
    done
    fail "no free port offset (1000..9000) for instance $INSTANCE"
}

release_port_offset() {
    local reservation="/tmp/payments-port-offset-$PORT_OFFSET"
    [[ -s "$reservation" && "$(<"$reservation")" == "$DATA_DIR" ]] && rm -f "$reservation"
    return 0
}

# ---------- etcd: one member per site ----------

etcd_endpoints() {
    local member list=""
    for member in $(members etcd); do list+="${list:+,}http://$(endpoint "$member" client)"; done
    printf '%s\n' "$list"
}

etcdctl_run() { $(in_site "$(members etcd | head -n1)") env ETCDCTL_API=3 etcdctl --endpoints="$(etcd_endpoints)" --command-timeout=3s "$@"; }

# Patroni's keys live in etcd's v2 keyspace (see write_patroni_config): etcdctl in its v2 mode reaches them.
etcdctl_keys() { $(in_site "$(members etcd | head -n1)") env ETCDCTL_API=2 etcdctl --endpoints="$(etcd_endpoints)" --total-timeout=3s "$@"; }

start_etcd() {
    local member="$1" dir="$DATA_DIR/$1"
    alive "$dir/pid" && return 0
    ensure_ports_free "$member" client peer
    mkdir -p "$dir"
    # Heartbeats every 100 ms, a leader lost after 1 s (etcd's tuning guide: 10 × heartbeat). Patroni gives each
    # member retry_timeout / 3 = 1 s per request: an election slower than that, after the loss of the region holding
    # etcd's leader, made the primary of the other region demote itself (ADR 0017).
    # --pre-vote (off by default in etcd 3.4): a member cut off from the others keeps campaigning and raising its term;
    # without a pre-vote its return deposes the leader, and the new primary demoted itself 4 s after region-a came back
    # in the failover demo. It also keeps a member that missed a few heartbeats on a loaded machine from starting an
    # election the others, still hearing their leader, would not join.
    # --enable-v2: Patroni talks to etcd's v2 API (see write_patroni_config).
    $(in_site "$member") etcd --name "$member" --data-dir "$dir/data" --pre-vote --enable-v2=true \
        --listen-client-urls "http://$(endpoint "$member" client)" --advertise-client-urls "http://$(endpoint "$member" client)" \
        --listen-peer-urls "http://$(endpoint "$member" peer)" --initial-advertise-peer-urls "http://$(endpoint "$member" peer)" \
        --initial-cluster "$(etcd_initial_cluster)" --initial-cluster-token "payments-$INSTANCE" --initial-cluster-state new \
        --heartbeat-interval 100 --election-timeout 1000 </dev/null >>"$dir/etcd.log" 2>&1 9>&- 8>&- &
    printf '%s\n' "$!" >"$dir/pid"
    say "etcd $member: started on $(endpoint "$member" client)"
}

# ---------- PostgreSQL under Patroni ----------

pg_hba_networks() {
    local site
    printf '127.0.0.1/32\n'
    if [[ -n "$NETNS_PREFIX" ]]; then
        site="$(members site | head -n1)"
        printf '%s.0/24\n' "${TOPO[$site.address]%.*}"
    fi
}

# The post_bootstrap line of an attempt that PAYMENTS_FAIL_BOOTSTRAPS says must fail (Patroni runs it with a connection
# string; /bin/false fails whatever it gets), else nothing.
failing_post_bootstrap() {
    if ((BOOTSTRAP_ATTEMPT > 0 && BOOTSTRAP_ATTEMPT <= ${PAYMENTS_FAIL_BOOTSTRAPS:-0})); then
        printf '  post_bootstrap: /bin/false\n'
    fi
}

write_patroni_config() {
    local node="$1" dir="$DATA_DIR/$1" etcd_hosts="" member network
    for member in $(members etcd); do etcd_hosts+="${etcd_hosts:+,}$(endpoint "$member" client)"; done
    {
        cat <<EOF
# Written by scripts/services.sh from topology/local.topology on every start; edit those, not this file.
scope: payments
namespace: /service/
name: $node
restapi:
  listen: $(endpoint "$node" rest)
  connect_address: $(endpoint "$node" rest)
# etcd's v2 API, not etcd3: Patroni 3.0.2's etcd3 client renews a leader key whose lease expired with an
# unconditional put, and a former primary cut off with a minority reads its own stale view (serializable reads) and
# takes the key back from the promoted standby when it reconnects: the failover demo lost the standby's commits so.
# The v2 client renews only with a compare-and-swap on its own name (fixed for etcd3 in Patroni 3.0.3; ADR 0017).
etcd:
  hosts: $etcd_hosts
bootstrap:
$(failing_post_bootstrap)
  dcs:
    ttl: $(setting patroni-ttl)
    loop_wait: $(setting patroni-loop-wait)
    retry_timeout: $(setting patroni-retry-timeout)
    # A crashed primary fails over at once rather than being restarted in place.
    primary_start_timeout: 0
    # Only a node that was the synchronous standby may be promoted: every acknowledged commit is on it.
    synchronous_mode: true
    synchronous_mode_strict: false
    synchronous_node_count: 1
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        max_connections: 200
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 256MB
        # A ledger: a commit returns once its WAL is flushed here and on the synchronous standby.
        fsync: "on"
        synchronous_commit: "on"
        full_page_writes: "on"
        # A lost standby is noticed in 2 s, not the default minute during which every commit waits (ADR 0017).
        wal_sender_timeout: 2s
        wal_receiver_timeout: 5s
        wal_receiver_status_interval: 1s
        max_wal_size: 4GB
        # Never 0 < statement_timeout: a cancelled wait for the standby commits locally (see docs/failover.md).
        statement_timeout: 0
  initdb:
    - encoding: UTF8
    - locale: C
    - data-checksums
postgresql:
  listen: $(endpoint "$node" port)
  connect_address: $(endpoint "$node" port)
  data_dir: $dir/data
  bin_dir: $PG_BIN
  pgpass: $dir/pgpass
  authentication:
    superuser:
      username: postgres
    replication:
      username: postgres
    rewind:
      username: postgres
  parameters:
    unix_socket_directories: $dir
    shared_buffers: $SHARED_BUFFERS
    # Per-statement calls and time (the view pg_stat_statements, after CREATE EXTENSION): how the ledger's cost is profiled.
    shared_preload_libraries: pg_stat_statements
  pg_hba:
    - local all all trust
EOF
        for network in $(pg_hba_networks); do
            printf '    - host all all %s trust\n    - host replication all %s trust\n' "$network" "$network"
        done
    } >"$dir/patroni.yml"
}

# Runs in the background for as long as the node's Patroni runs. Patroni gone without being asked to stop (SIGKILL, a
# crash) leaves its PostgreSQL running as a primary nobody manages: in production Patroni's watchdog then resets the
# machine; here the guard stops that PostgreSQL at once and frees the leader key if it still names this node, so the
# standby is promoted without waiting for the key's ttl. A lost site kills its guard too: then the key expires.
guard_patroni() {
    set +e
    local node="$1" dir="$DATA_DIR/$1"
    $(in_site "$node") $(as_postgres) patroni "$dir/patroni.yml" </dev/null >>"$dir/patroni.log" 2>&1 &
    local patroni=$!
    printf '%s\n' "$patroni" >"$dir/patroni.pid"
    wait "$patroni"
    [[ -f "$dir/stopping" ]] && exit 0
    echo "$(date -u +%FT%T) guard: Patroni of $node is gone; stopping its PostgreSQL (watchdog)" >>"$dir/patroni.log"
    $(in_site "$node") $(as_postgres) "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >>"$dir/patroni.log" 2>&1
    etcdctl_keys rm --with-value "$node" "$LEADER_KEY" >>"$dir/patroni.log" 2>&1
}

start_patroni() {
    local node="$1" dir="$DATA_DIR/$1"
    alive "$dir/guard.pid" && alive "$dir/patroni.pid" && return 0
    ensure_ports_free "$node" port rest
    mkdir -p "$dir"
    rm -f "$dir/stopping"
    write_patroni_config "$node"
    if is_root; then chown -R postgres:postgres "$dir"; fi
    guard_patroni "$node" </dev/null >/dev/null 2>&1 9>&- 8>&- &
    printf '%s\n' "$!" >"$dir/guard.pid"
    wait_until 10 test -s "$dir/patroni.pid" || fail "Patroni of $node did not start (see $dir/patroni.log)"
    say "patroni $node: started (PostgreSQL $(endpoint "$node" port), REST $(endpoint "$node" rest))"
}

# rest_code <node> <path>: the HTTP status of Patroni's health endpoint (/primary, /replica, /sync), 000 when down.
rest_code() {
    $(in_site "$1") curl -s -o /dev/null -m 2 -w '%{http_code}' "http://$(endpoint "$1" rest)$2" 2>/dev/null || true
}

is_primary() { [[ "$(rest_code "$1" /primary)" == 200 ]]; }

primary_node() {
    local node
    for node in $(members postgres); do
        is_primary "$node" && { printf '%s\n' "$node"; return 0; }
    done
    return 1
}

# A primary, a synchronous standby, and every other node streaming as a replica.
replicated() {
    local node primary sync=0
    primary="$(primary_node)" || return 1
    for node in $(members postgres); do
        [[ "$node" == "$primary" ]] && continue
        [[ "$(rest_code "$node" /replica)" == 200 ]] || return 1
        [[ "$(rest_code "$node" /sync)" == 200 ]] && sync=1
    done
    ((sync == 1 || $(members postgres | wc -l) == 1))
}

pg_psql() {
    local node="$1"
    shift
    $(in_site "$node") "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$(host "$node")" -p "$(port "$node" port)" -U postgres "$@"
}

create_database() {
    local primary database
    database="$(setting database)"
    primary="$(primary_node)" || fail "no PostgreSQL primary"
    if [[ "$(pg_psql "$primary" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]]; then
        pg_psql "$primary" -d postgres -c "CREATE DATABASE $database" >/dev/null
        say "postgres: created database $database on $primary"
    fi
}

# Bootstrap is over, well or badly: the node holds the leader key (/primary), or its Patroni gave up and exited
# (Patroni 3.0 removes the initialize key and exits when its post-bootstrap fails).
bootstrap_settled() { is_primary "$1" || ! alive "$DATA_DIR/$1/patroni.pid"; }

# The first node initialises the cluster and becomes the primary (the others are then cloned from it). A failed
# bootstrap (seen once on a loaded machine) is tried again from scratch, up to 3 times: the cluster never took a write,
# so its data folder and its keys in etcd are thrown away. The log of each failed attempt is kept beside the node's.
bootstrap_primary() {
    local node="$1" dir="$DATA_DIR/$1" attempt
    for attempt in 1 2 3; do
        BOOTSTRAP_ATTEMPT="$attempt"
        start_patroni "$node"
        wait_until "$TIMEOUT_SECONDS" bootstrap_settled "$node"
        BOOTSTRAP_ATTEMPT=0
        is_primary "$node" && return 0
        tail -n 30 "$dir/patroni.log" >&2
        say "postgres: bootstrap of $node failed (attempt $attempt of 3); its log is $dir/patroni-bootstrap-$attempt.log"
        stop_patroni "$node" >/dev/null
        mv "$dir/patroni.log" "$dir/patroni-bootstrap-$attempt.log"
        rm -rf "$dir/data" "$dir"/data_*
        etcdctl_keys rm --recursive "${LEADER_KEY%/*}" >/dev/null 2>&1 || true
    done
    fail "$node did not bootstrap a cluster in 3 attempts (logs: $dir/patroni-bootstrap-*.log)"
}

start_postgres() {
    local node first
    first="$(members postgres | head -n1)"
    [[ -f "$DATA_DIR/$first/data/PG_VERSION" ]] || bootstrap_primary "$first"
    for node in $(members postgres); do start_patroni "$node"; done
    wait_replicated
    create_database
}

wait_replicated() {
    local node
    if ! wait_until "$TIMEOUT_SECONDS" replicated; then
        for node in $(members postgres); do tail -n 15 "$DATA_DIR/$node/patroni.log" >&2 || true; done
        fail "PostgreSQL not replicated within ${TIMEOUT_SECONDS}s (a primary and a streaming synchronous standby)"
    fi
    say "postgres: $(primary_node) is the primary, replicated synchronously"
}

# The replicas first, the primary last, so that stopping does not promote anyone.
stop_postgres() {
    local primary node
    primary="$(primary_node || true)"
    for node in $(members postgres | grep -vxF "${primary:-none}") $primary; do
        stop_patroni "$node"
    done
}

stop_patroni() {
    local node="$1" dir="$DATA_DIR/$1"
    if alive "$dir/patroni.pid"; then
        touch "$dir/stopping"
        kill -TERM "$(<"$dir/patroni.pid")" 2>/dev/null || true
        wait_until "$TIMEOUT_SECONDS" bash -c "! kill -0 $(<"$dir/patroni.pid") 2>/dev/null" || kill -KILL "$(<"$dir/patroni.pid")" 2>/dev/null || true
    fi
    # Patroni stops its PostgreSQL; one left behind (a killed Patroni whose guard was killed too) is stopped here.
    if [[ -f "$dir/data/postmaster.pid" ]] && kill -0 "$(head -n1 "$dir/data/postmaster.pid")" 2>/dev/null; then
        $(as_postgres) "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    say "patroni $node: stopped"
}

# A planned switchover (maintenance): Patroni hands the primary role to the synchronous standby <candidate>.
switchover() {
    local candidate="$1" primary
    primary="$(primary_node)" || fail "no PostgreSQL primary to switch over from"
    if [[ "$primary" == "$candidate" ]]; then
        say "postgres: $candidate is the primary already"
        return 0
    fi
    $(in_site "$candidate") patronictl -c "$DATA_DIR/$candidate/patroni.yml" switchover --leader "$primary" --candidate "$candidate" --force >/dev/null
    wait_until "$TIMEOUT_SECONDS" is_primary "$candidate" ||
        fail "$candidate did not become the primary"
    wait_replicated
}

postmaster_pid() { head -n1 "$DATA_DIR/$1/data/postmaster.pid" 2>/dev/null || true; }

# ---------- Redis and the sentinels ----------

# The Redis nodes of a region ("a" stands for region-a).
region_name() { if [[ -n "${TOPO[$1.site]:-}" ]]; then printf '%s\n' "$1"; else printf 'region-%s\n' "$1"; fi; }

sentinel_ask() {
    local sentinel answer
    for sentinel in $(members sentinel); do
        answer="$($(in_site "$sentinel") redis-cli -h "$(host "$sentinel")" -p "$(port "$sentinel" port)" "$@" 2>/dev/null | paste -sd' ')" || continue
        [[ -n "$answer" ]] && { printf '%s\n' "$answer"; return 0; }
    done
    return 1
}

# The region's current primary as "host port": the sentinels' view, or the region's first node before they run.
redis_primary_endpoint() {
    local first
    [[ -z "${RENDER_ONLY:-}" ]] && sentinel_ask sentinel get-master-addr-by-name "$1" && return 0
    first="$(members redis "$1" | head -n1)"
    printf '%s %s\n' "$(host "$first")" "$(port "$first" port)"
}

redis_primary_node() {
    local primary node
    primary="$(redis_primary_endpoint "$1")"
    for node in $(members redis "$1"); do
        [[ "$(host "$node") $(port "$node" port)" == "$primary" ]] && { printf '%s\n' "$node"; return 0; }
    done
    return 1
}

redis_ping() { [[ "$($(in_site "$1") redis-cli -h "$(host "$1")" -p "$(port "$1" port)" ping 2>/dev/null)" == PONG ]]; }

start_redis_node() {
    local node="$1" region dir="$DATA_DIR/$1" primary
    alive "$dir/pid" && return 0
    ensure_ports_free "$node" port
    region="$(site_of "$node")"
    primary="$(redis_primary_endpoint "$region")"
    mkdir -p "$dir"
    local -a replica=()
    [[ "$primary" == "$(host "$node") $(port "$node" port)" ]] || replica=(--replicaof ${primary})
    $(in_site "$node") redis-server --bind "$(host "$node")" --port "$(port "$node" port)" --protected-mode no \
        --dir "$dir" --appendonly yes --appendfsync everysec --save "" "${replica[@]}" \
        </dev/null >>"$dir/redis.log" 2>&1 9>&- 8>&- &
    printf '%s\n' "$!" >"$dir/pid"
    wait_until "$TIMEOUT_SECONDS" redis_ping "$node" || { tail -n 20 "$dir/redis.log" >&2; fail "Redis $node did not answer"; }
    say "redis $node ($region): started on $(endpoint "$node" port)${replica[*]:+, replica of ${primary// /:}}"
}

write_sentinel_config() {
    local sentinel="$1" region quorum
    quorum=$(($(members sentinel | wc -l) / 2 + 1))
    {
        printf 'bind %s\nport %s\nprotected-mode no\ndir %s\n' "$(host "$sentinel")" "$(port "$sentinel" port)" "$DATA_DIR/$sentinel"
        for region in $(regions); do
            printf 'sentinel monitor %s %s %s\n' "$region" "$(redis_primary_endpoint "$region")" "$quorum"
            printf 'sentinel down-after-milliseconds %s %s\n' "$region" "$(setting sentinel-down-after-ms)"
            printf 'sentinel failover-timeout %s 10000\nsentinel parallel-syncs %s 1\n' "$region" "$region"
        done
    } >"$DATA_DIR/$sentinel/sentinel.conf"
}

start_sentinel() {
    local sentinel="$1" dir="$DATA_DIR/$1"
    alive "$dir/pid" && return 0
    ensure_ports_free "$sentinel" port
    mkdir -p "$dir"
    # Written once: the sentinel rewrites its file with what it learns (the current primaries, the other sentinels).
    [[ -f "$dir/sentinel.conf" ]] || write_sentinel_config "$sentinel"
    $(in_site "$sentinel") redis-sentinel "$dir/sentinel.conf" </dev/null >>"$dir/sentinel.log" 2>&1 9>&- 8>&- &
    printf '%s\n' "$!" >"$dir/pid"
    say "sentinel $sentinel: started on $(endpoint "$sentinel" port)"
}

# A sentinel of the region knows its primary and at least one replica.
redis_watched() {
    local region="$1"
    sentinel_ask sentinel get-master-addr-by-name "$region" >/dev/null &&
        [[ "$(sentinel_ask sentinel replicas "$region" | wc -w)" -gt 0 ]]
}

start_redis_region() {
    local node
    for node in $(members redis "$1"); do start_redis_node "$node"; done
}

# SIGTERM: Redis flushes its append-only file on a clean shutdown.
stop_member() {
    local name="$1" pidfile="$DATA_DIR/$1/pid" pid
    alive "$pidfile" || { rm -f "$pidfile"; return 0; }
    pid="$(<"$pidfile")"
    kill -TERM "$pid" 2>/dev/null || true
    wait_until 30 bash -c "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
    say "$name: stopped"
}

# ---------- faults, for the tests and the demo ----------

kill_pid() { [[ -n "$2" ]] && kill -KILL "$2" 2>/dev/null && say "killed $1 (pid $2)" || say "$1 was not running"; }

kill_postgres() { kill_pid "PostgreSQL of $1" "$(postmaster_pid "$1")"; }

kill_patroni() { kill_pid "Patroni of $1" "$(cat "$DATA_DIR/$1/patroni.pid" 2>/dev/null)"; }

# Everything of the site at once, its guards first (a lost machine fences nothing): PostgreSQL and its backends,
# Patroni, etcd, Redis, sentinels.
kill_site() {
    local site="$1" node member postmaster
    for node in $(members postgres "$site"); do
        kill_pid "guard of $node" "$(cat "$DATA_DIR/$node/guard.pid" 2>/dev/null)"
        postmaster="$(postmaster_pid "$node")"
        kill_patroni "$node"
        if [[ -n "$postmaster" ]]; then
            kill -KILL "$postmaster" $(ps -o pid= --ppid "$postmaster") 2>/dev/null || true
            say "killed PostgreSQL of $node and its backends"
        fi
    done
    for member in $(members etcd "$site") $(members redis "$site") $(members sentinel "$site"); do
        kill_pid "$member" "$(cat "$DATA_DIR/$member/pid" 2>/dev/null)"
    done
}

# Every server process of the site (guards, Patroni, PostgreSQL with its backends, etcd, Redis, sentinels): the
# failover demo's loopback variant freezes them with SIGSTOP to stand for a cut-off site.
site_pids() {
    local site="$1" node member postmaster
    for node in $(members postgres "$site"); do
        cat "$DATA_DIR/$node/guard.pid" "$DATA_DIR/$node/patroni.pid" 2>/dev/null || true
        postmaster="$(postmaster_pid "$node")"
        [[ -n "$postmaster" ]] && { printf '%s\n' "$postmaster"; ps -o pid= --ppid "$postmaster" || true; }
    done
    for member in $(members etcd "$site") $(members redis "$site") $(members sentinel "$site"); do
        cat "$DATA_DIR/$member/pid" 2>/dev/null || true
    done
}

etcd_initial_cluster() {
    local member cluster=""
    for member in $(members etcd); do cluster+="${cluster:+,}$member=http://$(endpoint "$member" peer)"; done
    printf '%s\n' "$cluster"
}

# render <folder>: what every member would start with, written under <folder> and nothing started: each node's
# patroni.yml, each sentinel's sentinel.conf, etcd's initial cluster, the processes of scripts/up.sh, the connections.
cmd_render() {
    local member
    DATA_DIR="$1" RENDER_ONLY=1
    for member in $(members postgres) $(members sentinel); do mkdir -p "$DATA_DIR/$member"; done
    for member in $(members postgres); do write_patroni_config "$member"; done
    for member in $(members sentinel); do write_sentinel_config "$member"; done
    etcd_initial_cluster >"$DATA_DIR/etcd-initial-cluster"
    for member in $(members silo) $(members api); do
        printf '%s %s %s\n' "$member" "$(site_of "$member")" "$(endpoint "$member" http)"
    done >"$DATA_DIR/processes"
    print_connections >"$DATA_DIR/connections"
}

# ---------- commands ----------

print_connections() {
    local region
    say "port offset: $PORT_OFFSET"
    say "data folder: $DATA_DIR"
    say "postgres connection string: $(postgres_connection)"
    for region in $(regions); do
        say "redis $region: $(redis_connection "$region")"
    done
}

cmd_start() {
    local member region
    check_patroni_timing
    ensure_binaries
    # Every port first, so that a conflict starts nothing.
    for member in $(members etcd); do alive "$DATA_DIR/$member/pid" || ensure_ports_free "$member" client peer; done
    for member in $(members postgres); do alive "$DATA_DIR/$member/patroni.pid" || ensure_ports_free "$member" port rest; done
    for member in $(members redis) $(members sentinel); do alive "$DATA_DIR/$member/pid" || ensure_ports_free "$member" port; done
    for member in $(members etcd); do start_etcd "$member"; done
    wait_until "$TIMEOUT_SECONDS" etcdctl_run endpoint health ||
        { tail -n 20 "$DATA_DIR"/etcd-*/etcd.log >&2; fail "etcd has no healthy majority"; }
    start_postgres
    for region in $(regions); do start_redis_region "$region"; done
    for member in $(members sentinel); do start_sentinel "$member"; done
    for region in $(regions); do
        wait_until "$TIMEOUT_SECONDS" redis_watched "$region" || fail "the sentinels do not watch $region's Redis"
    done
    print_connections
}

cmd_stop() {
    local member
    stop_postgres
    for member in $(members sentinel) $(members redis) $(members etcd); do stop_member "$member"; done
}

cmd_status() {
    local code=0 node member role
    for node in $(members postgres); do
        role="stopped"
        [[ "$(rest_code "$node" /primary)" == 200 ]] && role="primary"
        [[ "$(rest_code "$node" /replica)" == 200 ]] && role="replica"
        [[ "$(rest_code "$node" /sync)" == 200 ]] && role="synchronous standby"
        [[ "$role" == stopped ]] && code=3
        say "postgres $node ($(site_of "$node")): $role on $(endpoint "$node" port)"
    done
    for member in $(members etcd) $(members redis) $(members sentinel); do
        if alive "$DATA_DIR/$member/pid"; then say "$member ($(site_of "$member")): running"; else say "$member: stopped"; code=3; fi
    done
    return "$code"
}

# Throwaway data: everything is killed rather than stopped, then deleted.
cmd_destroy() {
    local site
    for site in $(members site); do kill_site "$site" >/dev/null; done
    release_port_offset
    rm -rf "$DATA_DIR" "$ROOT_DIR/.data/services/$INSTANCE"
    say "destroyed instance $INSTANCE"
}

main() {
    [[ $# -ge 1 ]] || usage
    local command="$1"
    shift
    case "$command" in
        start | stop | status | destroy | connections | start-postgres | stop-postgres | primary | wait-replicated) [[ $# -eq 0 ]] || usage ;;
        start-redis | stop-redis | redis-primary | switchover | site-pids | render | kill-postgres | kill-patroni | kill-redis | kill-site) [[ $# -eq 1 ]] || usage ;;
        *) usage ;;
    esac
    if [[ "$command" == render ]]; then
        cmd_render "$1"
        return 0
    fi
    locate_data_dir
    take_lock
    resolve_port_offset
    [[ -z "$PG_BIN" ]] && PG_BIN="$(find_pg_bin || true)"
    case "$command" in
        start) cmd_start ;;
        stop) cmd_stop ;;
        status) cmd_status ;;
        destroy) cmd_destroy ;;
        connections) print_connections ;;
        start-postgres) ensure_binaries; start_postgres ;;
        stop-postgres) stop_postgres ;;
        primary) primary_node || fail "no PostgreSQL primary right now" ;;
        wait-replicated) wait_replicated ;;
        start-redis) start_redis_region "$(region_name "$1")" ;;
        stop-redis) for member in $(members redis "$(region_name "$1")"); do stop_member "$member"; done ;;
        redis-primary) redis_primary_node "$1" || fail "no Redis primary known for $1" ;;
        switchover) switchover "$1" ;;
        site-pids) site_pids "$1" ;;
        kill-postgres) kill_postgres "$1" ;;
        kill-patroni) kill_patroni "$1" ;;
        kill-redis) kill_pid "$1" "$(cat "$DATA_DIR/$1/pid" 2>/dev/null)" ;;
        kill-site) kill_site "$1" ;;
    esac
}

main "$@"
