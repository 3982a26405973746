#!/usr/bin/env bash
# $(nsx …) and $(pg_user) expand to command prefixes, split into words on purpose.
# shellcheck disable=SC2046
# The failover drill, end to end: both regions (2 silos + 1 API each, each region with its own Redis), a PostgreSQL
# of its own, the front door (a pair of HAProxy instances, scripts/lib/front-door.sh) and terminals paying from
# accounts of both regions as plain clients of the front door. In the middle of the load region-a is cut off, later it
# is reconnected, and then the front door instance carrying region-a's address is killed; the script prints the
# terminals' timeline, then checks the ledger with SQL: RTO, RPO, no double debit, and who decided what.
#
#   scripts/failover-demo.sh            (as root: each region in its own network namespace, the cut is `ip link set down`)
#   DEMO_SECONDS=60 CUT_AT=15 RESTORE_AT=35 FRONT_DOOR_KILL_AT=48 scripts/failover-demo.sh
#
# As root it creates the namespaces payd-net (a bridge and the terminals), payd-data (PostgreSQL), payd-a and payd-b
# (a region each), payd-fd1 and payd-fd2 (the front door's two nodes, HAProxy and keepalived holding each region's
# virtual IP), joined by veth pairs on 10.77.31.0/24, and deletes them at the end. As another user every process
# runs on 127.0.0.1, the cut is SIGSTOP of region-a's processes (a frozen region, like a partition) and the front
# door's two instances share its addresses (SO_REUSEPORT). Nothing here touches the shared development servers of
# scripts/services.sh. It stops by itself and cleans up after itself.
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="$ROOT_DIR/.artifacts/demo"
LOG_DIR="$ROOT_DIR/.data/demo-logs"
DEMO_SECONDS="${DEMO_SECONDS:-60}"
CUT_AT="${CUT_AT:-15}"
RESTORE_AT="${RESTORE_AT:-35}"
FRONT_DOOR_KILL_AT="${FRONT_DOOR_KILL_AT:-48}"
RUN_ID="demo$(date +%H%M%S)"
WORK_DIR=""
PG_BIN=""
PIDS=()
declare -A REGION_PIDS=([a]="" [b]="")
NETNS=0
# FAILOVER_DEMO_LOOPBACK=1 runs the loopback variant even as root.
[[ "$(id -u)" -eq 0 && "${FAILOVER_DEMO_LOOPBACK:-0}" != 1 ]] && NETNS=1

source "$ROOT_DIR/scripts/lib/front-door.sh"
log() { printf '%s %s\n' "$(date -u +%H:%M:%S.%3N)" "$*"; }
fail() { log "failover-demo: $*" >&2; exit 1; }

# ---------- addresses: a namespace per region as root, loopback (free ports) otherwise ----------

declare -A PORT
if ((NETNS)); then
    NET=10.77.31
    HUB_IP="$NET.1" DATA_IP="$NET.10" A_IP="$NET.11" B_IP="$NET.12"
    # The front door's two nodes, and the address of each region's front door (a VRRP virtual IP, port 80).
    FRONT_DOOR_NODES="$NET.21 $NET.22" FRONT_DOOR_A="$NET.100" FRONT_DOOR_B="$NET.101"
    PORT=([pg]=5432 [redis-a]=6379 [redis-b]=6379 [api-a]=5080 [api-b]=5081)
    for name in a1 a2 b1 b2; do
        PORT[silo-$name]=11111 PORT[gw-$name]=30000 PORT[http-$name]=8090
        [[ $name == *2 ]] && PORT[silo-$name]=11112 PORT[gw-$name]=30001 PORT[http-$name]=8091
    done
else
    HUB_IP=127.0.0.1 DATA_IP=127.0.0.1 A_IP=127.0.0.1 B_IP=127.0.0.1
    for name in pg redis-a redis-b api-a api-b silo-a1 silo-a2 silo-b1 silo-b2 gw-a1 gw-a2 gw-b1 gw-b2 http-a1 http-a2 http-b1 http-b2 \
        fd-a fd-b fd-stats1 fd-stats2; do
        PORT[$name]="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    done
    FRONT_DOOR_A="127.0.0.1:${PORT[fd-a]}" FRONT_DOOR_B="127.0.0.1:${PORT[fd-b]}"
fi
POSTGRES="Host=$DATA_IP;Port=${PORT[pg]};Username=postgres;Database=payments"

# $(nsx NAME) prefixes a command so that it runs in namespace payd-NAME (as root), or as it is on loopback. A plain
# prefix rather than a function: a process started with & then has its own pid in $!, which the cut may SIGSTOP.
nsx() { if ((NETNS)); then printf 'ip netns exec payd-%s' "$1"; fi; }
# initdb and the PostgreSQL server refuse to run as root.
pg_user() { if [[ "$(id -u)" -eq 0 ]]; then printf 'runuser -u postgres --'; fi; }

# ---------- cleanup: everything started here, by pid, and the namespaces ----------

cleanup() {
    set +e
    for pid in "${PIDS[@]}"; do
        kill -CONT "$pid" 2>/dev/null
        kill -TERM "$pid" 2>/dev/null
    done
    sleep 2
    for pid in "${PIDS[@]}"; do
        kill -KILL "$pid" 2>/dev/null
    done
    if [[ -n "$PG_BIN" && -n "$WORK_DIR" && -f "$WORK_DIR/pg/postmaster.pid" ]]; then
        $(nsx data) $(pg_user) "$PG_BIN/pg_ctl" -D "$WORK_DIR/pg" -m immediate stop >/dev/null 2>&1
    fi
    if ((NETNS)); then
        for ns in a b data fd1 fd2 net; do
            ip netns del "payd-$ns" 2>/dev/null
        done
    fi
    [[ -n "$WORK_DIR" ]] && rm -rf "$WORK_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------- prerequisites ----------

find_pg_bin() {
    local dir
    for dir in $(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -t/ -k5,5 -nr) \
        "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"; do
        [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && { printf '%s\n' "$dir"; return 0; }
    done
    return 1
}

ensure_tools() {
    local missing=()
    find_pg_bin >/dev/null || missing+=(postgresql)
    command -v redis-server >/dev/null || missing+=(redis-server)
    command -v psql >/dev/null || missing+=(postgresql-client)
    ((NETNS)) && ! command -v ip >/dev/null && missing+=(iproute2)
    ((NETNS)) && ! command -v keepalived >/dev/null && missing+=(keepalived)
    command -v haproxy >/dev/null || missing+=(haproxy)
    if ((${#missing[@]})); then
        [[ "$(id -u)" -eq 0 ]] || fail "install first: sudo apt-get install -y ${missing[*]}"
        log "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    fi
    PG_BIN="$(find_pg_bin)" || fail "no PostgreSQL server binaries found"
    command -v dotnet >/dev/null || fail "the .NET SDK (dotnet) is required"
}

build() {
    log "building the silo, the API and the drill (Release) into $BUILD_DIR"
    local project
    for project in Silo/Silo.csproj:silo Client.Api/Client.Api.csproj:api Drill/Drill.csproj:drill; do
        dotnet build "$ROOT_DIR/${project%%:*}" -c Release -o "$BUILD_DIR/${project##*:}" -nologo -v quiet \
            >"$LOG_DIR/build-${project##*:}.log" 2>&1 || { tail -n 30 "$LOG_DIR/build-${project##*:}.log"; fail "build failed"; }
    done
}

# ---------- the network: a bridge in payd-net, one veth pair per namespace ----------

make_network() {
    ((NETNS)) || { log "not root: every process on 127.0.0.1; the cut freezes region-a (SIGSTOP)"; return 0; }
    local ns
    for ns in net data a b; do
        ip netns del "payd-$ns" 2>/dev/null || true
        ip netns add "payd-$ns"
        ip -n "payd-$ns" link set lo up
    done
    ip -n payd-net link add br0 type bridge
    ip -n payd-net addr add "$HUB_IP/24" dev br0
    ip -n payd-net link set br0 up
    local entry name address
    for entry in "data $DATA_IP" "a $A_IP" "b $B_IP"; do
        read -r name address <<<"$entry"
        # Both ends are created inside namespaces of this script: nothing is added to the host's network.
        ip -n payd-net link add "v$name" type veth peer name eth0 netns "payd-$name"
        ip -n payd-net link set "v$name" master br0 up
        ip -n "payd-$name" addr add "$address/24" dev eth0
        ip -n "payd-$name" link set eth0 up
    done
    log "network: payd-net bridge $HUB_IP, payd-data $DATA_IP, payd-a $A_IP, payd-b $B_IP (10.77.31.0/24)"
}

# ---------- the servers ----------

start_postgres() {
    mkdir -p "$WORK_DIR/pg"
    [[ "$(id -u)" -eq 0 ]] && chown postgres:postgres "$WORK_DIR/pg"
    chmod 700 "$WORK_DIR/pg"
    $(pg_user) "$PG_BIN/initdb" -D "$WORK_DIR/pg" --auth=trust -U postgres --encoding=UTF8 --locale=C >"$LOG_DIR/initdb.log" 2>&1 \
        || { cat "$LOG_DIR/initdb.log"; fail "initdb failed"; }
    # initdb trusts local connections only; the regions connect over the demo's own subnet.
    echo "host all all ${HUB_IP%.*}.0/24 trust" | $(pg_user) tee -a "$WORK_DIR/pg/pg_hba.conf" >/dev/null
    $(nsx data) $(pg_user) "$PG_BIN/pg_ctl" -D "$WORK_DIR/pg" -l "$WORK_DIR/pg/server.log" -w \
        -o "-c listen_addresses=$DATA_IP -c port=${PORT[pg]} -c unix_socket_directories=$WORK_DIR/pg -c max_connections=200" \
        start >/dev/null || { tail -n 20 "$WORK_DIR/pg/server.log"; fail "PostgreSQL did not start"; }
    sql -d postgres -c "CREATE DATABASE payments" >/dev/null
    log "postgres: $DATA_IP:${PORT[pg]} (its own, in $WORK_DIR)"
}

sql() { $(nsx net) psql -X -q -v ON_ERROR_STOP=1 -h "$DATA_IP" -p "${PORT[pg]}" -U postgres "$@"; }

start_redis() {
    local region="$1" address="$2"
    mkdir -p "$WORK_DIR/redis-$region"
    $(nsx "$region") redis-server --bind "$address" --port "${PORT[redis-$region]}" --dir "$WORK_DIR/redis-$region" \
        --save "" --appendonly yes --protected-mode no >"$LOG_DIR/redis-$region.log" 2>&1 &
    PIDS+=($!)
    disown $!
    REGION_PIDS[$region]+=" $!"
    log "redis-$region: $address:${PORT[redis-$region]}"
}

# start_dotnet <namespace> <name> <dll> <environment...>
start_dotnet() {
    local ns="$1" name="$2" dll="$3"
    shift 3
    $(nsx "$ns") env "$@" dotnet "$dll" --contentRoot "$(dirname "$dll")" >"$LOG_DIR/$name.log" 2>&1 &
    PIDS+=($!)
    disown $!
    REGION_PIDS[$ns]+=" $!"
}

wait_ready() {
    local ns="$1" name="$2" url="$3"
    for _ in $(seq 1 240); do
        $(nsx "$ns") curl -fsS -m 2 "$url" >/dev/null 2>&1 && { log "ready: $name"; return 0; }
        sleep 0.5
    done
    tail -n 20 "$LOG_DIR/$name.log" >&2
    fail "$name not ready after 120 s (log: $LOG_DIR/$name.log)"
}

# start_region <a|b> <address>: two silos and the API of region-<a|b>.
start_region() {
    local r="$1" address="$2" i
    for i in 1 2; do
        start_dotnet "$r" "silo-$r$i" "$BUILD_DIR/silo/Payments.Silo.dll" \
            Payments__Region="region-$r" Payments__ServiceId="$RUN_ID" \
            ConnectionStrings__Postgres="$POSTGRES" ConnectionStrings__Redis="$address:${PORT[redis-$r]}" \
            Orleans__AdvertisedIP="$address" Orleans__SiloPort="${PORT[silo-$r$i]}" Orleans__GatewayPort="${PORT[gw-$r$i]}" \
            Urls="http://$address:${PORT[http-$r$i]}"
        wait_ready "$r" "silo-$r$i" "http://$address:${PORT[http-$r$i]}/health/ready"
    done
    start_dotnet "$r" "api-$r" "$BUILD_DIR/api/Payments.Client.Api.dll" \
        ASPNETCORE_ENVIRONMENT=Development Payments__Region="region-$r" Payments__ServiceId="$RUN_ID" \
        Payments__Clusters__region-a__Redis="$A_IP:${PORT[redis-a]}" Payments__Clusters__region-b__Redis="$B_IP:${PORT[redis-b]}" \
        ConnectionStrings__Postgres="$POSTGRES" Urls="http://$address:${PORT[api-$r]}"
    wait_ready "$r" "api-$r" "http://$address:${PORT[api-$r]}/health/ready"
}

# ---------- the front door: outside both regions, as a global load balancer ----------

start_front_door() {
    local apis="region-a=$A_IP:${PORT[api-a]} region-b=$B_IP:${PORT[api-b]}"
    if ((NETNS)); then
        front_door_start_vrrp_pair payd-net br0 payd-fd "$FRONT_DOOR_NODES" 24 "region-a=$FRONT_DOOR_A region-b=$FRONT_DOOR_B" \
            "$apis" "$WORK_DIR" "$LOG_DIR" || fail "the front door did not start"
        PIDS+=("${FRONT_DOOR_PIDS[@]}")
        for _ in $(seq 1 40); do
            [[ -n "$(front_door_holder payd-fd "$FRONT_DOOR_A")" && -n "$(front_door_holder payd-fd "$FRONT_DOOR_B")" ]] && break
            sleep 0.25
        done
        log "front door: region-a http://$FRONT_DOOR_A on node $(front_door_holder payd-fd "$FRONT_DOOR_A"), region-b http://$FRONT_DOOR_B on node $(front_door_holder payd-fd "$FRONT_DOOR_B") (HAProxy + keepalived in payd-fd1, payd-fd2)"
    else
        front_door_start_loopback "$WORK_DIR" "$LOG_DIR" "region-a=$FRONT_DOOR_A region-b=$FRONT_DOOR_B" "$apis" \
            "front-door-1=${PORT[fd-stats1]}" "front-door-2=${PORT[fd-stats2]}" || fail "the front door did not start"
        local n
        for n in 1 2; do
            PIDS+=("$(cat "$WORK_DIR/front-door-$n.pid")")
            FRONT_DOOR_NODE_PIDS[$n]="$(cat "$WORK_DIR/front-door-$n.pid")"
            wait_ready net "front-door-$n" "http://127.0.0.1:${PORT[fd-stats$n]}/health/ready"
        done
        log "front door: region-a http://$FRONT_DOOR_A, region-b http://$FRONT_DOOR_B (two HAProxy instances on the same addresses)"
    fi
}

# Kills (SIGKILL) the HAProxy of the front door node that holds region-a's address; prints that node.
kill_front_door() {
    local node=1
    ((NETNS)) && node="$(front_door_holder payd-fd "$FRONT_DOOR_A")"
    kill -KILL "${FRONT_DOOR_NODE_PIDS[$node]%% *}"
    echo "$node"
}

# How often each front door instance marked region-a's own API down and up again, from HAProxy's log.
front_door_transitions() {
    local n
    for n in 1 2; do
        printf "   front door %s marked region-a's API: %s\n" "$n" \
            "$(grep -oE '^\[WARNING\].* Server region-a/region-a is (UP|DOWN)' "$LOG_DIR/front-door-$n.log" | awk '{print $NF}' | tr '\n' ' ')"
    done
}

# ---------- the cut ----------

cut_region_a() {
    if ((NETNS)); then
        ip -n payd-net link set va down
    else
        # shellcheck disable=SC2086 # a list of pids
        kill -STOP ${REGION_PIDS[a]}
    fi
}

restore_region_a() {
    if ((NETNS)); then
        ip -n payd-net link set va up
    else
        # shellcheck disable=SC2086 # a list of pids
        kill -CONT ${REGION_PIDS[a]}
    fi
}

regions_view() {
    local ns="$1" url="$2"
    $(nsx "$ns") curl -fsS -m 3 -H 'Authorization: Bearer dev-admin-key' "$url/v1/regions" 2>/dev/null |
        python3 -c 'import json,sys
for r in json.load(sys.stdin)["items"]:
    print("   %-9s breaker %-10s served by %-9s last probe %s ms" % (r["region"], r["breaker"], r["servedBy"], None if r["lastProbeLatencyMs"] is None else round(r["lastProbeLatencyMs"], 1)))' ||
        echo "   (no answer)"
}

# ---------- the checks, in SQL over the ledger and the terminals' answers ----------

check_ledger() {
    local outcomes="$1" cut="$2" restore="$3" killed="$4"
    sql -d payments -v run="$RUN_ID" -v cut="$cut" -v restore="$restore" -v killed="$killed" <<SQL
CREATE TEMP TABLE answers (account_id text, home_region text, payment_key text, amount bigint, result text,
    decided_by text, answered_by text, sent_at timestamptz, answered_at timestamptz, attempts int);
\copy answers FROM '$outcomes' WITH (FORMAT csv, HEADER true)
CREATE TEMP VIEW run_ledger AS SELECT * FROM ledger WHERE account_id LIKE :'run' || '-%';
\pset footer off
\echo '== what the terminals were answered (answered_by: the API the front door chose)'
SELECT home_region, result, decided_by, answered_by, count(*) AS payments, sum(CASE WHEN attempts > 1 THEN 1 ELSE 0 END) AS retried
FROM answers GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
\echo '== RTO: from the cut to the first region-a payment approved by region-b; return: from the reconnection to the first decided by region-a again'
SELECT round(extract(epoch FROM (SELECT min(answered_at) FROM answers WHERE home_region = 'region-a'
           AND decided_by = 'region-b' AND result = 'approved' AND answered_at > :'cut'::timestamptz) - :'cut'::timestamptz)::numeric, 2) AS rto_seconds,
       round(extract(epoch FROM (SELECT min(answered_at) FROM answers WHERE home_region = 'region-a'
           AND decided_by = 'region-a' AND answered_at > :'restore'::timestamptz) - :'restore'::timestamptz)::numeric, 2) AS return_seconds,
       round(extract(epoch FROM (SELECT min(answered_at) FROM answers WHERE home_region = 'region-a'
           AND answered_by = 'region-a' AND answered_at > :'restore'::timestamptz) - :'restore'::timestamptz)::numeric, 2) AS front_door_return_seconds;
\echo '== the front door instance killed: payments sent around the kill (from 2 s before to 5 s after) that needed a retry'
SELECT home_region, count(*) AS payments, sum(CASE WHEN attempts > 1 THEN 1 ELSE 0 END) AS retried,
       round(max(extract(epoch FROM answered_at - sent_at))::numeric, 2) AS longest_seconds
FROM answers WHERE sent_at BETWEEN :'killed'::timestamptz - interval '2 seconds' AND :'killed'::timestamptz + interval '5 seconds'
GROUP BY 1 ORDER BY 1;
\echo '== RPO: payments answered approved that the ledger does not hold as approved (must be 0)'
SELECT count(*) AS approved_missing FROM answers a
WHERE a.result = 'approved' AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.account_id = a.account_id
      AND l.entry_id = a.payment_key AND l.status = 'approved' AND l.amount = a.amount);
\echo '== no double debit: a key twice, a seq gap, a balance that does not follow from the row before (all must be 0)'
SELECT (SELECT count(*) FROM (SELECT 1 FROM run_ledger GROUP BY account_id, entry_id HAVING count(*) > 1) d) AS keys_twice,
       (SELECT count(*) FROM (SELECT 1 FROM run_ledger GROUP BY account_id HAVING count(*) <> max(seq)) g) AS accounts_with_seq_gaps,
       (SELECT count(*) FROM (SELECT seq, kind, status, amount, balance_after,
                                     lag(balance_after) OVER (PARTITION BY account_id ORDER BY seq) AS before FROM run_ledger) r
        WHERE NOT CASE WHEN kind = 'open' THEN seq = 1 AND balance_after = amount
                       WHEN kind = 'payment' AND status = 'approved' THEN balance_after = before - amount
                       WHEN kind = 'deposit' THEN balance_after = before + amount
                       ELSE balance_after = before END) AS balance_chain_breaks,
       (SELECT count(*) FROM run_ledger WHERE balance_after < 0) AS negative_balances;
\echo '== the ledger: who decided the region-a accounts, before / during / after the cut'
SELECT CASE WHEN l.created_at < :'cut'::timestamptz THEN '1 before' WHEN l.created_at < :'restore'::timestamptz THEN '2 cut'
            ELSE '3 after' END AS phase, l.decided_by, count(*) AS rows
FROM run_ledger l JOIN accounts a USING (account_id) WHERE a.home_region = 'region-a' AND l.kind = 'payment'
GROUP BY 1, 2 ORDER BY 1, 2;
SQL
}

# ---------- the drill ----------

main() {
    ensure_tools
    mkdir -p "$LOG_DIR" "$BUILD_DIR"
    rm -f "$LOG_DIR"/*.log
    build
    WORK_DIR="$(mktemp -d /tmp/payments-demo.XXXXXX)"
    chmod 755 "$WORK_DIR"
    make_network
    start_postgres
    start_redis a "$A_IP"
    start_redis b "$B_IP"
    start_region a "$A_IP"
    start_region b "$B_IP"
    start_front_door
    sleep 2
    log "region-b's API sees:"
    regions_view b "http://$B_IP:${PORT[api-b]}"

    local outcomes="$WORK_DIR/outcomes.csv"
    log "drill: ${DEMO_SECONDS} s of payments from 6 accounts per region, plain clients of the front door; cut region-a at" \
        "+${CUT_AT} s, reconnect at +${RESTORE_AT} s, kill the front door instance holding region-a's address at +${FRONT_DOOR_KILL_AT} s"
    $(nsx net) dotnet "$BUILD_DIR/drill/Payments.Drill.dll" \
        --front-door "region-a=http://$FRONT_DOOR_A" --front-door "region-b=http://$FRONT_DOOR_B" \
        --seconds "$DEMO_SECONDS" --accounts 6 --run-id "$RUN_ID" --outcomes "$outcomes" &
    local drill=$!
    PIDS+=("$drill")
    sleep "$CUT_AT"
    local cut_at restore_at
    cut_at="$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"
    cut_region_a
    log ">>> CUT: region-a is cut off (silos, API and Redis unreachable)"
    sleep 4
    log "region-b's API sees:"
    regions_view b "http://$B_IP:${PORT[api-b]}"
    sleep $((RESTORE_AT - CUT_AT - 4))
    restore_at="$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"
    restore_region_a
    log ">>> RESTORED: region-a is reachable again"
    sleep $((FRONT_DOOR_KILL_AT - RESTORE_AT))
    local killed_at node
    killed_at="$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"
    node="$(kill_front_door)"
    log ">>> FRONT DOOR: the HAProxy of node $node (holding region-a's address) is SIGKILLed"
    if ((NETNS)); then
        sleep 3
        log "region-a's address is now held by node $(front_door_holder payd-fd "$FRONT_DOOR_A")"
    fi
    wait "$drill" || fail "the drill failed"
    log "region-b's API sees:"
    regions_view b "http://$B_IP:${PORT[api-b]}"
    front_door_transitions
    cp "$outcomes" "$LOG_DIR/outcomes.csv"
    check_ledger "$outcomes" "$cut_at" "$restore_at" "$killed_at"
    log "done; logs in $LOG_DIR"
}

main "$@"
