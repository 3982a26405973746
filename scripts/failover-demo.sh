#!/usr/bin/env bash
# $(nsx …) expands to a command prefix, split into words on purpose.
# shellcheck disable=SC2046
# The failover drill, end to end, on the topology of topology/local.topology as an instance of its own: the replicated
# store (etcd on three sites; PostgreSQL under Patroni, a primary and a synchronous standby in the other region; per
# region Redis with a replica, watched by the sentinels), each region's silos and API, the front door in front of the
# APIs (a pair of HAProxy instances, scripts/lib/front-door.sh), and terminals paying from accounts of both regions as
# plain clients of the front door (one address per region, no failover of their own). In the middle of the load the
# whole region-a is cut off, its store members included; later it is reconnected; then the front door instance holding
# region-a's address is killed. The script prints the terminals' timeline, then checks the ledger with SQL: RTO, RPO,
# no double debit, who decided what, and how often the front door marked region-a's API down and up.
#
#   scripts/failover-demo.sh                    (as root: a network namespace per site; the cut is `ip link set down`)
#   DEMO_PRIMARY=pg-b scripts/failover-demo.sh  (the database primary in region-b when region-a is cut)
#   DEMO_SECONDS=60 CUT_AT=15 RESTORE_AT=35 FRONT_DOOR_KILL_AT=48 scripts/failover-demo.sh
#   DEMO_PREBUILT=1 scripts/failover-demo.sh    (runs what `dotnet build Payments.sln -c Release` left in each project's
#                                                bin/Release, as scripts/test.sh has, instead of building its own copy)
#   DEMO_NETNS=payd DEMO_LOG_DIR=.data/demo-logs (the namespaces' prefix and the logs' folder; these are the defaults)
#
# It ends with the line "figures: name=value ..." (RTO, return, RPO and the other checks' counts, the front door's
# marks), which tests/Integration.Tests/Failover/FailoverDemoTests.cs reads: CI runs the demo through that test.
#
# As root it creates a network namespace per site of the topology (payd-region-a, payd-region-b, payd-witness), each
# holding all of that site's members (PostgreSQL node and Patroni, etcd member, Redis nodes and sentinel, silos, API)
# on the site's address; payd-net (a bridge and the terminals); and payd-fd1, payd-fd2, the front door's two nodes
# (HAProxy and keepalived holding each region's virtual IP), outside every region as a global load balancer is. They
# are joined by veth pairs on 10.77.31.0/24, so cutting region-a's link cuts its database too. It deletes them at the
# end. As another user every process runs on 127.0.0.1 (ports shifted to a free offset), the cut is SIGSTOP of
# region-a's processes (a frozen region, like a partition) and the front door's two instances share their addresses
# (SO_REUSEPORT). Nothing here touches the servers of scripts/up.sh. It stops by itself and cleans up after itself.
set -euo pipefail

DEMO_SECONDS="${DEMO_SECONDS:-60}"
CUT_AT="${CUT_AT:-15}"
RESTORE_AT="${RESTORE_AT:-35}"
FRONT_DOOR_KILL_AT="${FRONT_DOOR_KILL_AT:-48}"
RUN_ID="demo$(date +%H%M%S)"
NS="${DEMO_NETNS:-payd}"
NETNS=0
# FAILOVER_DEMO_LOOPBACK=1 runs the loopback variant even as root.
[[ "$(id -u)" -eq 0 && "${FAILOVER_DEMO_LOOPBACK:-0}" != 1 ]] && NETNS=1
export PAYMENTS_INSTANCE="demo-$$"
if ((NETNS)); then
    # Each site has a namespace of its own: the topology's ports as they are, on the site's address.
    export PAYMENTS_NETNS="$NS" PAYMENTS_PORT_OFFSET=0
else
    export PAYMENTS_PORT_OFFSET=auto
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib/topology.sh"
source "$ROOT_DIR/scripts/lib/front-door.sh"
BUILD_DIR="$ROOT_DIR/.artifacts/demo"
LOG_DIR="$(realpath -m "${DEMO_LOG_DIR:-$ROOT_DIR/.data/demo-logs}")"
# The programs run: set by build().
SILO_DLL="" API_DLL="" DRILL_DLL=""
SERVICES="$ROOT_DIR/scripts/services.sh"
DEMO_PRIMARY="${DEMO_PRIMARY:-$(members postgres region-a | head -n1)}"
HUB_IP=10.77.31.1
# The front door's two nodes, and each region's front door address (a VRRP virtual IP, port 80).
FRONT_DOOR_NODES="10.77.31.21 10.77.31.22"
declare -A FRONT_DOOR=()
WORK_DIR=""
PIDS=()
declare -A SITE_PIDS=()

log() { printf '%s %s\n' "$(date -u +%H:%M:%S.%3N)" "$*"; }
fail() { log "failover-demo: $*" >&2; exit 1; }
now() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }

# $(nsx SITE) prefixes a command so that it runs in the site's namespace (as root), or as it is on loopback. A plain
# prefix rather than a function: a process started with & then has its own pid in $!, which the cut may SIGSTOP.
nsx() { if ((NETNS)); then printf 'ip netns exec %s-%s' "$NS" "$1"; fi; }

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
    # The store's own logs outlive the instance, beside the demo's.
    for file in "$ROOT_DIR/.data/services/$PAYMENTS_INSTANCE"/*/*.log; do
        [[ -f "$file" ]] && cp "$file" "$LOG_DIR/store-$(basename "$(dirname "$file")")-$(basename "$file")"
    done
    "$SERVICES" destroy >/dev/null 2>&1
    if ((NETNS)); then
        for site in net fd1 fd2 $(members site); do
            ip netns del "$NS-$site" 2>/dev/null
        done
    fi
    [[ -n "$WORK_DIR" ]] && rm -rf "$WORK_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------- prerequisites (services.sh installs the store's servers) ----------

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
    if ((NETNS)); then front_door_install keepalived; else front_door_install; fi
    command -v dotnet >/dev/null || fail "the .NET SDK (dotnet) is required"
}

build() {
    if [[ "${DEMO_PREBUILT:-0}" == 1 ]]; then
        SILO_DLL="$(prebuilt Silo Payments.Silo.dll)"
        API_DLL="$(prebuilt Client.Api Payments.Client.Api.dll)"
        DRILL_DLL="$(prebuilt Drill Payments.Drill.dll)"
        log "running the Release builds already there: $(dirname "$SILO_DLL"), $(dirname "$API_DLL"), $(dirname "$DRILL_DLL")"
        return 0
    fi
    log "building the silo, the API and the drill (Release) into $BUILD_DIR"
    mkdir -p "$BUILD_DIR"
    local project
    for project in Silo/Silo.csproj:silo Client.Api/Client.Api.csproj:api Drill/Drill.csproj:drill; do
        dotnet build "$ROOT_DIR/${project%%:*}" -c Release -o "$BUILD_DIR/${project##*:}" -nologo -v quiet \
            >"$LOG_DIR/build-${project##*:}.log" 2>&1 || { tail -n 30 "$LOG_DIR/build-${project##*:}.log"; fail "build failed"; }
    done
    SILO_DLL="$BUILD_DIR/silo/Payments.Silo.dll" API_DLL="$BUILD_DIR/api/Payments.Client.Api.dll" DRILL_DLL="$BUILD_DIR/drill/Payments.Drill.dll"
}

# prebuilt <project folder> <dll>: the dll that `dotnet build -c Release` put in the project's bin/Release/<framework>.
prebuilt() {
    local dll
    dll="$(find "$ROOT_DIR/$1/bin/Release" -maxdepth 2 -name "$2" -print -quit 2>/dev/null)"
    [[ -n "$dll" ]] || fail "DEMO_PREBUILT=1 but no $1/bin/Release/*/$2: run dotnet build Payments.sln -c Release first"
    printf '%s\n' "$dll"
}

# ---------- the network: a bridge in payd-net, one veth pair per site ----------

make_network() {
    ((NETNS)) || { log "not root: every process on 127.0.0.1; the cut freezes region-a (SIGSTOP)"; return 0; }
    local site
    for site in net $(members site); do
        ip netns del "$NS-$site" 2>/dev/null || true
        ip netns add "$NS-$site"
        ip -n "$NS-$site" link set lo up
    done
    ip -n "$NS-net" link add br0 type bridge
    ip -n "$NS-net" addr add "$HUB_IP/24" dev br0
    ip -n "$NS-net" link set br0 up
    for site in $(members site); do
        # Both ends are created inside namespaces of this script: nothing is added to the host's network.
        ip -n "$NS-net" link add "v$site" type veth peer name eth0 netns "$NS-$site"
        ip -n "$NS-net" link set "v$site" master br0 up
        ip -n "$NS-$site" addr add "$(host "$site")/24" dev eth0
        ip -n "$NS-$site" link set eth0 up
    done
    log "network: $NS-net bridge $HUB_IP; $(for site in $(members site); do printf '%s-%s %s; ' "$NS" "$site" "$(host "$site")"; done)"
}

# ---------- the store and both regions ----------

start_servers() {
    local started
    started="$("$SERVICES" start)" || fail "the servers did not start"
    printf '%s\n' "$started" | sed 's/^/  /'
    PORT_OFFSET="$(printf '%s\n' "$started" | sed -n 's/^port offset: //p')"
    "$SERVICES" switchover "$DEMO_PRIMARY" >/dev/null || fail "could not make $DEMO_PRIMARY the primary"
    log "store: $("$SERVICES" status | paste -sd';' | sed 's/;/; /g')"
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
        start_dotnet "$region" "$name" "$SILO_DLL" \
            Payments__Region="$region" Payments__ServiceId="$RUN_ID" \
            ConnectionStrings__Postgres="$(postgres_connection "" "$region")" ConnectionStrings__Redis="$(redis_connection "$region")" \
            Orleans__AdvertisedIP="$(host "$name")" Orleans__SiloPort="$(port "$name" silo)" Orleans__GatewayPort="$(port "$name" gateway)" \
            Urls="http://$(endpoint "$name" http)"
        wait_up "$region" "$name" "http://$(endpoint "$name" http)/health/ready"
    done
    for other in $(regions); do clusters+=("Payments__Clusters__${other}__Redis=$(redis_connection "$other")"); done
    for name in $(members api "$region"); do
        start_dotnet "$region" "$name" "$API_DLL" \
            ASPNETCORE_ENVIRONMENT=Development Payments__Region="$region" Payments__ServiceId="$RUN_ID" "${clusters[@]}" \
            ConnectionStrings__Postgres="$(postgres_connection "" "$region")" Urls="http://$(endpoint "$name" http)"
        wait_up "$region" "$name" "http://$(endpoint "$name" http)/health/ready"
    done
}

api_url() { printf 'http://%s\n' "$(endpoint "$(members api "$1" | head -n1)" http)"; }

# ---------- the front door: outside every region, as a global load balancer ----------

start_front_door() {
    local apis="" frontends="" name region
    for name in $(members api); do apis+=" $(site_of "$name")=$(endpoint "$name" http)"; done
    if ((NETNS)); then
        local index=100
        for region in $(regions); do
            FRONT_DOOR[$region]="${HUB_IP%.*}.$index"
            frontends+=" $region=${FRONT_DOOR[$region]}"
            index=$((index + 1))
        done
        front_door_start_vrrp_pair "$NS-net" br0 "$NS-fd" "$FRONT_DOOR_NODES" 24 "$frontends" "$apis" "$WORK_DIR" "$LOG_DIR" ||
            fail "the front door did not start"
        PIDS+=("${FRONT_DOOR_PIDS[@]}")
        local held tries=0
        until ((tries++ >= 40)); do
            held=0
            for region in $(regions); do [[ -n "$(front_door_holder "$NS-fd" "${FRONT_DOOR[$region]}")" ]] && held=$((held + 1)); done
            ((held == $(regions | wc -l))) && break
            sleep 0.25
        done
        log "front door (HAProxy + keepalived in $NS-fd1, $NS-fd2):$(for region in $(regions); do
            printf ' %s http://%s on node %s;' "$region" "${FRONT_DOOR[$region]}" "$(front_door_holder "$NS-fd" "${FRONT_DOOR[$region]}")"; done)"
    else
        local instances=()
        for name in $(members api); do
            FRONT_DOOR[$(site_of "$name")]="127.0.0.1:$(port "$name" front-door)"
            frontends+=" $(site_of "$name")=${FRONT_DOOR[$(site_of "$name")]}"
        done
        for name in $(members front-door); do instances+=("$name=$(port "$name" stats)"); done
        front_door_start_loopback "$WORK_DIR" "$LOG_DIR" "$frontends" "$apis" "${instances[@]}" || fail "the front door did not start"
        local n=0
        for name in $(members front-door); do
            n=$((n + 1))
            PIDS+=("$(cat "$WORK_DIR/$name.pid")")
            FRONT_DOOR_NODE_PIDS[$n]="$(cat "$WORK_DIR/$name.pid")"
            wait_up net "$name" "http://127.0.0.1:$(port "$name" stats)/health/ready"
        done
        log "front door:$(for region in $(regions); do printf ' %s http://%s;' "$region" "${FRONT_DOOR[$region]}"; done) (two HAProxy instances on the same addresses)"
    fi
}

# Kills (SIGKILL) the HAProxy of the front door node that holds region-a's address; prints that node.
kill_front_door() {
    local node=1
    ((NETNS)) && node="$(front_door_holder "$NS-fd" "${FRONT_DOOR[region-a]}")"
    kill -KILL "${FRONT_DOOR_NODE_PIDS[$node]%% *}"
    echo "$node"
}

# The marks of front door instance <n> on region-a's own API, in order ("DOWN UP"), from its HAProxy log.
front_door_marks() {
    { grep -oE '^\[WARNING\].* Server region-a/region-a is (UP|DOWN)' "$LOG_DIR/front-door-$1.log" || true; } | awk '{print $NF}' | paste -sd' '
}

# How often each front door instance marked region-a's own API down and up again.
front_door_transitions() {
    local n
    for n in 1 2; do
        printf "   front-door-%s marked region-a's API: %s\n" "$n" "$(front_door_marks "$n")"
    done
}

# ---------- the cut ----------

cut_region_a() {
    if ((NETNS)); then
        ip -n "$NS-net" link set vregion-a down
    else
        # shellcheck disable=SC2086 # lists of pids
        kill -STOP ${SITE_PIDS[region-a]} $("$SERVICES" site-pids region-a)
    fi
}

restore_region_a() {
    if ((NETNS)); then
        ip -n "$NS-net" link set vregion-a up
    else
        # shellcheck disable=SC2086 # lists of pids
        kill -CONT ${SITE_PIDS[region-a]} $("$SERVICES" site-pids region-a)
    fi
}

# In the background from the cut on: logs when a node outside region-a answers Patroni's /primary (the store takes
# writes again), and how long after the cut.
watch_promotion() {
    local cut_epoch="$1" node
    for _ in $(seq 1 120); do
        for node in $(members postgres); do
            [[ "$(site_of "$node")" == region-a ]] && continue
            if [[ "$($(nsx net) curl -s -o /dev/null -m 1 -w '%{http_code}' "http://$(endpoint "$node" rest)/primary")" == 200 ]]; then
                log "store: $node is the primary, $(awk -v a="$cut_epoch" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s after the cut"
                return 0
            fi
        done
        sleep 0.25
    done
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
    local outcomes="$1" cut="$2" restore="$3" killed="$4"
    sql -v run="$RUN_ID" -v cut="$cut" -v restore="$restore" -v killed="$killed" <<SQL
CREATE TEMP TABLE answers (account_id text, home_region text, payment_key text, amount bigint, result text,
    decided_by text, answered_by text, sent_at timestamptz, answered_at timestamptz, attempts int);
\copy answers FROM '$outcomes' WITH (FORMAT csv, HEADER true)
CREATE TEMP VIEW run_ledger AS SELECT * FROM ledger WHERE account_id LIKE :'run' || '-%';
CREATE TEMP VIEW approved_missing AS SELECT a.* FROM answers a
WHERE a.result = 'approved' AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.account_id = a.account_id
      AND l.entry_id = a.payment_key AND l.status = 'approved' AND l.amount = a.amount);
CREATE TEMP VIEW keys_twice AS SELECT account_id, entry_id FROM run_ledger GROUP BY account_id, entry_id HAVING count(*) > 1;
CREATE TEMP VIEW seq_gaps AS SELECT account_id FROM run_ledger GROUP BY account_id HAVING count(*) <> max(seq);
CREATE TEMP VIEW chain_breaks AS SELECT * FROM (SELECT account_id, seq, kind, status, amount, balance_after,
        lag(balance_after) OVER (PARTITION BY account_id ORDER BY seq) AS before FROM run_ledger) r
WHERE NOT CASE WHEN kind = 'open' THEN seq = 1 AND balance_after = amount
               WHEN kind = 'payment' AND status = 'approved' THEN balance_after = before - amount
               WHEN kind = 'deposit' THEN balance_after = before + amount
               ELSE balance_after = before END;
CREATE TEMP VIEW timing AS
SELECT round(extract(epoch FROM (SELECT min(answered_at) FROM answers WHERE home_region = 'region-a'
           AND decided_by = 'region-b' AND result = 'approved' AND answered_at > :'cut'::timestamptz) - :'cut'::timestamptz)::numeric, 2) AS rto_seconds,
       round(extract(epoch FROM (SELECT min(answered_at) FROM answers WHERE home_region = 'region-b'
           AND result = 'approved' AND sent_at > :'cut'::timestamptz) - :'cut'::timestamptz)::numeric, 2) AS region_b_own_seconds,
       round(extract(epoch FROM (SELECT min(answered_at) FROM answers WHERE home_region = 'region-a'
           AND decided_by = 'region-a' AND answered_at > :'restore'::timestamptz) - :'restore'::timestamptz)::numeric, 2) AS return_seconds,
       round(extract(epoch FROM (SELECT min(answered_at) FROM answers WHERE home_region = 'region-a'
           AND answered_by = 'region-a' AND answered_at > :'restore'::timestamptz) - :'restore'::timestamptz)::numeric, 2) AS front_door_return_seconds;
CREATE TEMP VIEW checks AS SELECT (SELECT count(*) FROM approved_missing) AS approved_missing,
       (SELECT count(*) FROM keys_twice) AS keys_twice, (SELECT count(*) FROM seq_gaps) AS accounts_with_seq_gaps,
       (SELECT count(*) FROM chain_breaks) AS balance_chain_breaks,
       (SELECT count(*) FROM run_ledger WHERE balance_after < 0) AS negative_balances;
\pset footer off
\echo '== what the terminals were answered (answered_by: the API the front door chose)'
SELECT home_region, result, decided_by, answered_by, count(*) AS payments, sum(CASE WHEN attempts > 1 THEN 1 ELSE 0 END) AS retried
FROM answers GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
\echo '== RTO: from the cut to the first region-a payment approved by region-b (and the first of region-b''s own); return: from the reconnection to the first decided by region-a again'
SELECT * FROM timing;
\echo '== the front door instance killed: payments sent around the kill (from 2 s before to 5 s after) that needed a retry'
SELECT home_region, count(*) AS payments, sum(CASE WHEN attempts > 1 THEN 1 ELSE 0 END) AS retried,
       round(max(extract(epoch FROM answered_at - sent_at))::numeric, 2) AS longest_seconds
FROM answers WHERE sent_at BETWEEN :'killed'::timestamptz - interval '2 seconds' AND :'killed'::timestamptz + interval '5 seconds'
GROUP BY 1 ORDER BY 1;
\echo '== RPO: payments answered approved that the ledger does not hold as approved (must be 0)'
SELECT approved_missing FROM checks;
\echo '== no double debit: a key twice, a seq gap, a balance that does not follow from the row before (all must be 0)'
SELECT keys_twice, accounts_with_seq_gaps, balance_chain_breaks, negative_balances FROM checks;
\echo '== the ledger: who decided the region-a accounts, before / during / after the cut'
SELECT CASE WHEN l.created_at < :'cut'::timestamptz THEN '1 before' WHEN l.created_at < :'restore'::timestamptz THEN '2 cut'
            ELSE '3 after' END AS phase, l.decided_by, count(*) AS rows
FROM run_ledger l JOIN accounts a USING (account_id) WHERE a.home_region = 'region-a' AND l.kind = 'payment'
GROUP BY 1, 2 ORDER BY 1, 2;
\pset tuples_only on
SELECT 'figures: ' || concat_ws(' ', 'rto_seconds=' || coalesce(rto_seconds::text, 'none'),
    'region_b_own_seconds=' || coalesce(region_b_own_seconds::text, 'none'), 'return_seconds=' || coalesce(return_seconds::text, 'none'),
    'front_door_return_seconds=' || coalesce(front_door_return_seconds::text, 'none'),
    'payments=' || (SELECT count(*) FROM answers), 'approved=' || (SELECT count(*) FROM answers WHERE result = 'approved'),
    'approved_missing=' || approved_missing, 'keys_twice=' || keys_twice, 'seq_gaps=' || accounts_with_seq_gaps,
    'chain_breaks=' || balance_chain_breaks, 'negative_balances=' || negative_balances)
FROM timing, checks;
SELECT 'violations: ' || concat_ws(', ',
    CASE WHEN EXISTS (SELECT 1 FROM approved_missing) THEN 'an approved payment is missing from the ledger' END,
    CASE WHEN EXISTS (SELECT 1 FROM keys_twice) THEN 'a key was written twice' END,
    CASE WHEN EXISTS (SELECT 1 FROM seq_gaps) THEN 'an account has a seq gap' END,
    CASE WHEN EXISTS (SELECT 1 FROM chain_breaks) THEN 'a balance does not follow from the row before' END,
    CASE WHEN NOT EXISTS (SELECT 1 FROM answers WHERE home_region = 'region-a' AND decided_by = 'region-b'
         AND result = 'approved' AND answered_at > :'cut'::timestamptz) THEN 'no region-a payment was approved by region-b after the cut' END);
SQL
}

# Prints the checks' report, then the line "figures: name=value ..." (the front door's marks and the instance killed,
# <killed node>, included); fails (exit 1) when an approved payment is missing, a key was written twice, an account has
# a seq gap or a balance that does not follow from the row before, or region-b approved none of region-a's payments.
check_and_report() {
    local report violations figures n
    report="$(check_ledger "$1" "$2" "$3" "$4")" || fail "the ledger checks did not run"
    printf '%s\n' "$report" | grep -v '^ *\(violations\|figures\):'
    figures="$(printf '%s\n' "$report" | sed -n 's/^ *\(figures: .*\)$/\1/p') front_door_killed=$5"
    for n in 1 2; do figures+=" front_door_$n=$(front_door_marks "$n" | tr ' ' ',')"; done
    violations="$(printf '%s\n' "$report" | sed -n 's/^ *violations: *//p')"
    [[ -z "$violations" ]] || { printf '%s\n' "$figures"; fail "$violations"; }
    log "checks passed: RPO 0, no key twice, no seq gap, every balance follows from the row before, region-a's accounts served by region-b after the cut"
    printf '%s\n' "$figures"
}

# ---------- the drill ----------

main() {
    ensure_tools
    mkdir -p "$LOG_DIR"
    rm -f "$LOG_DIR"/*.log
    build
    WORK_DIR="$(mktemp -d /tmp/payments-demo.XXXXXX)"
    chmod 755 "$WORK_DIR"
    make_network
    start_servers
    start_region region-a
    start_region region-b
    start_front_door
    sleep 2
    log "region-b's API sees:"
    regions_view region-b "$(api_url region-b)"

    local outcomes="$WORK_DIR/outcomes.csv" front_doors=() region
    for region in $(regions); do front_doors+=(--front-door "$region=http://${FRONT_DOOR[$region]}"); done
    log "drill: ${DEMO_SECONDS} s of payments from 6 accounts per region, plain clients of the front door; cut region-a at" \
        "+${CUT_AT} s, reconnect at +${RESTORE_AT} s, kill the front door instance holding region-a's address at +${FRONT_DOOR_KILL_AT} s"
    $(nsx net) dotnet "$DRILL_DLL" "${front_doors[@]}" \
        --seconds "$DEMO_SECONDS" --accounts 6 --run-id "$RUN_ID" --outcomes "$outcomes" > >(tee "$WORK_DIR/drill.log") &
    local drill=$!
    PIDS+=("$drill")
    # The times count from the first payment: opening the accounts takes a while on a loaded machine.
    local tries=0
    until grep -q "drill $RUN_ID:" "$WORK_DIR/drill.log" 2>/dev/null; do
        ((tries++ < 600)) && kill -0 "$drill" 2>/dev/null || fail "the drill did not start paying"
        sleep 0.2
    done
    sleep "$CUT_AT"
    local cut_at restore_at killed_at node
    cut_at="$(now)"
    cut_region_a
    log ">>> CUT: region-a is cut off (its PostgreSQL node, etcd member, Redis, sentinel, silos and API unreachable)"
    watch_promotion "$(date +%s.%N)" &
    PIDS+=($!)
    sleep 4
    log "region-b's API sees:"
    regions_view region-b "$(api_url region-b)"
    sleep $((RESTORE_AT - CUT_AT - 4))
    restore_at="$(now)"
    restore_region_a
    log ">>> RESTORED: region-a is reachable again"
    sleep $((FRONT_DOOR_KILL_AT - RESTORE_AT))
    killed_at="$(now)"
    node="$(kill_front_door)"
    log ">>> FRONT DOOR: the HAProxy of node $node (holding region-a's address) is SIGKILLed"
    if ((NETNS)); then
        sleep 3
        log "region-a's address is now held by node $(front_door_holder "$NS-fd" "${FRONT_DOOR[region-a]}")"
    fi
    wait "$drill" || fail "the drill failed"
    log "region-b's API sees:"
    regions_view region-b "$(api_url region-b)"
    log "store after the reconnection: $("$SERVICES" status | head -n "$(members postgres | wc -l)" | paste -sd';' | sed 's/;/; /g')"
    front_door_transitions
    cp "$outcomes" "$LOG_DIR/outcomes.csv"
    log "logs in $LOG_DIR (the store's: store-*.log)"
    check_and_report "$outcomes" "$cut_at" "$restore_at" "$killed_at" "$node"
}

main "$@"
