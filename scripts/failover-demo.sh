#!/usr/bin/env bash
# $(nsx …) and $(pg_user) expand to command prefixes, split into words on purpose.
# shellcheck disable=SC2046
# The failover drill, end to end: the topology of topology/local.topology as an instance of its own (the replicated
# store: etcd on three sites, PostgreSQL under Patroni with its primary in region-a and its synchronous standby in
# region-b, Redis with sentinels; the silos and the API of each region), and terminals paying from accounts of both
# regions. In the middle of the load region-a is cut off, its database primary included; later it is reconnected; the
# script prints the terminals' timeline, then checks the ledger with SQL: RTO, RPO, no double debit, who decided what.
#
#   scripts/failover-demo.sh            (as root: each region in its own network namespace, the cut is `ip link set down`)
#   DEMO_SECONDS=60 CUT_AT=15 RESTORE_AT=35 scripts/failover-demo.sh
#
# As root it creates a network namespace per site of the topology, payd-region-a, payd-region-b and payd-witness, each
# holding all of that site's members (PostgreSQL node and Patroni, etcd member, Redis and sentinel, silos, API) on the
# site's address, and payd-net (a bridge and the terminals), joined by veth pairs on 10.77.31.0/24; cutting region-a's
# link cuts its database too. It deletes them at the end. As another user every process runs on 127.0.0.1 (ports
# shifted to a free offset) and the cut is SIGSTOP of region-a's processes (a frozen region, like a partition).
# Nothing here touches the servers of scripts/up.sh. It stops by itself and cleans up after itself.
set -euo pipefail

DEMO_SECONDS="${DEMO_SECONDS:-60}"
CUT_AT="${CUT_AT:-15}"
RESTORE_AT="${RESTORE_AT:-35}"
RUN_ID="demo$(date +%H%M%S)"
NETNS=0
# FAILOVER_DEMO_LOOPBACK=1 runs the loopback variant even as root.
[[ "$(id -u)" -eq 0 && "${FAILOVER_DEMO_LOOPBACK:-0}" != 1 ]] && NETNS=1
export PAYMENTS_INSTANCE="demo-$$"
if ((NETNS)); then
    # Each site has a namespace of its own: the topology's ports as they are, on the site's address.
    export PAYMENTS_NETNS=payd PAYMENTS_PORT_OFFSET=0
else
    export PAYMENTS_PORT_OFFSET=auto
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib/topology.sh"
BUILD_DIR="$ROOT_DIR/.artifacts/demo"
LOG_DIR="$ROOT_DIR/.data/demo-logs"
SERVICES="$ROOT_DIR/scripts/services.sh"
HUB_IP=10.77.31.1
PIDS=()
declare -A SITE_PIDS=()

log() { printf '%s %s\n' "$(date -u +%H:%M:%S.%3N)" "$*"; }
fail() { log "failover-demo: $*" >&2; exit 1; }

# $(nsx SITE) prefixes a command so that it runs in the site's namespace (as root), or as it is on loopback. A plain
# prefix rather than a function: a process started with & then has its own pid in $!, which the cut may SIGSTOP.
nsx() { if ((NETNS)); then printf 'ip netns exec payd-%s' "$1"; fi; }

# ---------- cleanup: everything started here, by pid, the servers' instance and the namespaces ----------

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
    "$SERVICES" destroy >/dev/null 2>&1
    if ((NETNS)); then
        for site in net $(members site); do
            ip netns del "payd-$site" 2>/dev/null
        done
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------- prerequisites (services.sh installs the servers) ----------

ensure_tools() {
    local missing=()
    command -v psql >/dev/null || missing+=(postgresql-client)
    ((NETNS)) && ! command -v ip >/dev/null && missing+=(iproute2)
    if ((${#missing[@]})); then
        [[ "$(id -u)" -eq 0 ]] || fail "install first: sudo apt-get install -y ${missing[*]}"
        log "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    fi
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

# ---------- the network: a bridge in payd-net, one veth pair per site ----------

make_network() {
    ((NETNS)) || { log "not root: every process on 127.0.0.1; the cut freezes region-a (SIGSTOP)"; return 0; }
    local site
    for site in net $(members site); do
        ip netns del "payd-$site" 2>/dev/null || true
        ip netns add "payd-$site"
        ip -n "payd-$site" link set lo up
    done
    ip -n payd-net link add br0 type bridge
    ip -n payd-net addr add "$HUB_IP/24" dev br0
    ip -n payd-net link set br0 up
    for site in $(members site); do
        # Both ends are created inside namespaces of this script: nothing is added to the host's network.
        ip -n payd-net link add "v$site" type veth peer name eth0 netns "payd-$site"
        ip -n payd-net link set "v$site" master br0 up
        ip -n "payd-$site" addr add "$(host "$site")/24" dev eth0
        ip -n "payd-$site" link set eth0 up
    done
    log "network: payd-net bridge $HUB_IP; $(for site in $(members site); do printf 'payd-%s %s; ' "$site" "$(host "$site")"; done)"
}

# ---------- the servers and both regions ----------

# The servers' connection strings, once services.sh has resolved the instance's ports.
start_servers() {
    local started
    started="$("$SERVICES" start)" || fail "the servers did not start"
    printf '%s\n' "$started" | sed 's/^/  /'
    PORT_OFFSET="$(printf '%s\n' "$started" | sed -n 's/^port offset: //p')"
    POSTGRES="$(postgres_connection)"
}

sql() {
    local hosts="" ports="" node
    for node in $(members postgres); do hosts+="${hosts:+,}$(host "$node")"; ports+="${ports:+,}$(port "$node" port)"; done
    $(nsx net) psql -X -q -v ON_ERROR_STOP=1 "host=$hosts port=$ports user=postgres target_session_attrs=read-write dbname=$(setting database)" "$@"
}

# start_dotnet <site> <name> <dll> <environment...>
start_dotnet() {
    local site="$1" name="$2" dll="$3"
    shift 3
    $(nsx "$site") env "$@" dotnet "$dll" --contentRoot "$(dirname "$dll")" >"$LOG_DIR/$name.log" 2>&1 &
    PIDS+=($!)
    disown $!
    SITE_PIDS[$site]+=" $!"
}

wait_up() {
    local site="$1" name="$2" url="$3"
    for _ in $(seq 1 240); do
        $(nsx "$site") curl -fsS -m 2 "$url" >/dev/null 2>&1 && { log "ready: $name"; return 0; }
        sleep 0.5
    done
    tail -n 20 "$LOG_DIR/$name.log" >&2
    fail "$name not ready after 120 s (log: $LOG_DIR/$name.log)"
}

# start_region <region>: its silos and its API, as the topology lists them.
start_region() {
    local region="$1" name clusters=() other
    for name in $(members silo "$region"); do
        start_dotnet "$region" "$name" "$BUILD_DIR/silo/Payments.Silo.dll" \
            Payments__Region="$region" Payments__ServiceId="$RUN_ID" \
            ConnectionStrings__Postgres="$POSTGRES" ConnectionStrings__Redis="$(redis_connection "$region")" \
            Orleans__AdvertisedIP="$(host "$name")" Orleans__SiloPort="$(port "$name" silo)" Orleans__GatewayPort="$(port "$name" gateway)" \
            Urls="http://$(endpoint "$name" http)"
        wait_up "$region" "$name" "http://$(endpoint "$name" http)/health/ready"
    done
    for other in $(regions); do clusters+=("Payments__Clusters__${other}__Redis=$(redis_connection "$other")"); done
    for name in $(members api "$region"); do
        start_dotnet "$region" "$name" "$BUILD_DIR/api/Payments.Client.Api.dll" \
            ASPNETCORE_ENVIRONMENT=Development Payments__Region="$region" Payments__ServiceId="$RUN_ID" "${clusters[@]}" \
            ConnectionStrings__Postgres="$POSTGRES" Urls="http://$(endpoint "$name" http)"
        wait_up "$region" "$name" "http://$(endpoint "$name" http)/health/ready"
    done
}

api_url() { printf 'http://%s\n' "$(endpoint "$(members api "$1" | head -n1)" http)"; }

# ---------- the cut ----------

cut_region_a() {
    if ((NETNS)); then
        ip -n payd-net link set vregion-a down
    else
        # shellcheck disable=SC2086 # lists of pids
        kill -STOP ${SITE_PIDS[region-a]} $("$SERVICES" site-pids region-a)
    fi
}

restore_region_a() {
    if ((NETNS)); then
        ip -n payd-net link set vregion-a up
    else
        # shellcheck disable=SC2086 # lists of pids
        kill -CONT ${SITE_PIDS[region-a]} $("$SERVICES" site-pids region-a)
    fi
}

regions_view() {
    local site="$1" url="$2"
    $(nsx "$site") curl -fsS -m 3 -H 'Authorization: Bearer dev-admin-key' "$url/v1/regions" 2>/dev/null |
        python3 -c 'import json,sys
for r in json.load(sys.stdin)["items"]:
    print("   %-9s breaker %-10s served by %-9s last probe %s ms" % (r["region"], r["breaker"], r["servedBy"], None if r["lastProbeLatencyMs"] is None else round(r["lastProbeLatencyMs"], 1)))' ||
        echo "   (no answer)"
}

# ---------- the checks, in SQL over the ledger and the terminals' answers ----------

check_ledger() {
    local outcomes="$1" cut="$2" restore="$3"
    sql -v run="$RUN_ID" -v cut="$cut" -v restore="$restore" <<SQL
CREATE TEMP TABLE answers (account_id text, home_region text, payment_key text, amount bigint, result text,
    decided_by text, answered_by text, sent_at timestamptz, answered_at timestamptz, attempts int);
\copy answers FROM '$outcomes' WITH (FORMAT csv, HEADER true)
CREATE TEMP VIEW run_ledger AS SELECT * FROM ledger WHERE account_id LIKE :'run' || '-%';
\pset footer off
\echo '== what the terminals were answered'
SELECT home_region, result, decided_by, count(*) AS payments, sum(CASE WHEN attempts > 1 THEN 1 ELSE 0 END) AS retried
FROM answers GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
\echo '== RTO: from the cut to the first region-a payment approved by region-b; return: from the reconnection to the first decided by region-a again'
SELECT round(extract(epoch FROM (SELECT min(answered_at) FROM answers WHERE home_region = 'region-a'
           AND decided_by = 'region-b' AND result = 'approved' AND answered_at > :'cut'::timestamptz) - :'cut'::timestamptz)::numeric, 2) AS rto_seconds,
       round(extract(epoch FROM (SELECT min(answered_at) FROM answers WHERE home_region = 'region-a'
           AND decided_by = 'region-a' AND answered_at > :'restore'::timestamptz) - :'restore'::timestamptz)::numeric, 2) AS return_seconds;
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
    make_network
    start_servers
    "$SERVICES" switchover "$(members postgres region-a | head -n1)" >/dev/null
    log "store: $("$SERVICES" status | paste -sd';' | sed 's/;/; /g')"
    start_region region-a
    start_region region-b
    sleep 2
    log "region-b's API sees:"
    regions_view region-b "$(api_url region-b)"

    local outcomes work
    work="$(mktemp -d /tmp/payments-demo.XXXXXX)"
    chmod 755 "$work"
    outcomes="$work/outcomes.csv"
    log "drill: ${DEMO_SECONDS} s of payments from 6 accounts per region; cut region-a at +${CUT_AT} s, reconnect at +${RESTORE_AT} s"
    $(nsx net) dotnet "$BUILD_DIR/drill/Payments.Drill.dll" \
        --api "region-a=$(api_url region-a)" --api "region-b=$(api_url region-b)" \
        --seconds "$DEMO_SECONDS" --accounts 6 --run-id "$RUN_ID" --outcomes "$outcomes" &
    local drill=$!
    PIDS+=("$drill")
    sleep "$CUT_AT"
    local cut_at restore_at
    cut_at="$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"
    cut_region_a
    log ">>> CUT: region-a is cut off (its PostgreSQL primary, etcd member, Redis, sentinel, silos and API unreachable)"
    sleep 4
    log "region-b's API sees:"
    regions_view region-b "$(api_url region-b)"
    sleep $((RESTORE_AT - CUT_AT - 4))
    log "store during the cut: primary $("$SERVICES" primary 2>/dev/null || echo none)"
    restore_at="$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"
    restore_region_a
    log ">>> RESTORED: region-a is reachable again"
    wait "$drill" || fail "the drill failed"
    log "region-b's API sees:"
    regions_view region-b "$(api_url region-b)"
    log "store after the reconnection: $("$SERVICES" status | head -n "$(members postgres | wc -l)" | paste -sd';' | sed 's/;/; /g')"
    cp "$outcomes" "$LOG_DIR/outcomes.csv"
    check_ledger "$outcomes" "$cut_at" "$restore_at"
    rm -rf "$work"
    log "done; logs in $LOG_DIR and $ROOT_DIR/.data/services/$PAYMENTS_INSTANCE (deleted on exit)"
}

main "$@"
