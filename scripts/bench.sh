#!/usr/bin/env bash
# One command for docs/benchmarks.md: builds Release, runs the in-process benchmark, starts a region (silos + API) and
# the conventional baseline on this machine, drives both with the load generator, checks the invariants in their
# databases, rewrites the load generator's sections of docs/benchmarks.md (the comparison's, then the events figure's:
# the feed and the webhooks while payments run), and stops everything it started. About 17 minutes. Everything listens
# on 127.0.0.1; the load stops by itself.
#
#   scripts/bench.sh
#   BENCH_NOTE="a quiet machine." BENCH_SILOS=2 BENCH_DURATION=30 scripts/bench.sh
#   BENCH_BASELINE=0 BENCH_INPROCESS=0 BENCH_LOADGEN_ARGS="--open-rate 1500 --doc /tmp/profile.md" scripts/bench.sh
#
# BENCH_BASELINE=0 / BENCH_INPROCESS=0 / BENCH_EVENTS=0 leave out the baseline / the in-process run / the events
# figure (a profile of Payments alone);
# BENCH_LOADGEN_ARGS are added last to the load generator's options (a later option wins). Each run also leaves
# PostgreSQL's per-statement figures (pg_stat_statements) of the measured load in .artifacts/bench/logs.
#
# The benchmark region has its own ServiceId and databases (payments_loadgen, payments_baseline, payments_inprocess,
# dropped and created anew each run), so it never joins or touches a region that scripts/up.sh started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/topology.sh"
cd "$ROOT_DIR"

OUT="$ROOT_DIR/.artifacts/bench"
BIN="$OUT/bin"
LOGS="$OUT/logs"
NOTE="${BENCH_NOTE:-nothing else was known to run.}"
SILO_COUNT="${BENCH_SILOS:-1}"
DURATION="${BENCH_DURATION:-20}"
WITH_BASELINE="${BENCH_BASELINE:-1}"
WITH_INPROCESS="${BENCH_INPROCESS:-1}"
WITH_EVENTS="${BENCH_EVENTS:-1}"
read -r -a EXTRA_LOADGEN_ARGS <<<"${BENCH_LOADGEN_ARGS:-}"
SERVICE_ID="payments-bench-$$"
# The API runs as in production (the Production environment refuses the dev keys), with keys made for this run.
ADMIN_KEY="bench-admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
TERMINAL_KEY="bench-terminal-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# One terminal key stands for every terminal of the load, so its per-key rate limit (Payments:Security:RateLimits,
# 2,000/s in production) is raised for the run; the limiter itself stays on.
RATE_LIMIT="${BENCH_RATE_LIMIT:-1000000}"

STARTED=()
stop_started() {
    local pid
    for pid in "${STARTED[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${STARTED[@]}"; do
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    done
}
trap 'stop_started; "$ROOT_DIR/scripts/services.sh" destroy >/dev/null' EXIT

# The replicated store of scripts/services.sh (a primary and its synchronous standby, as production runs), the same for
# Payments and the baseline, through the same multi-host connection string: an instance of the benchmark's own (its
# ports and folder, never scripts/up.sh's), destroyed at the end. PostgreSQL allows 200 connections and other work
# shares it: each pool is capped (a silo has two: ledger and storage).
export PAYMENTS_INSTANCE="bench-$$" PAYMENTS_PORT_OFFSET=auto
PORT_OFFSET="$("$ROOT_DIR/scripts/services.sh" start | tee /dev/stderr | sed -n 's/^port offset: //p')"
[[ -n "$PORT_OFFSET" ]] || { echo "the benchmark's servers did not start" >&2; exit 1; }
PAYMENTS_DB="$(postgres_connection payments_loadgen);Maximum Pool Size=40"
BASELINE_DB="$(postgres_connection payments_baseline);Maximum Pool Size=40"
INPROCESS_DB="$(postgres_connection payments_inprocess);Maximum Pool Size=40"
REDIS="$(redis_connection region-a)"
# The benchmark's own postmasters: the load generator counts their processes' CPU, not other instances' on the machine.
INSTANCE_DIR="$(readlink -f "$ROOT_DIR/.data/services/$PAYMENTS_INSTANCE")"
POSTMASTERS="$(for node in $(members postgres); do head -n1 "$INSTANCE_DIR/$node/data/postmaster.pid"; done | paste -sd, -)"
primary_sql() { psql -X -q -h "$(host pg-a)" -p "$(port pg-a port)" -U postgres "$@"; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

rm -rf "$LOGS"
mkdir -p "$BIN" "$LOGS"

echo "building (Release)..."
for project in Silo/Silo.csproj Client.Api/Client.Api.csproj bench/Baseline/Baseline.csproj \
    bench/LoadGen/LoadGen.csproj bench/InProcess/InProcess.csproj; do
    name="$(basename "$project" .csproj | tr '[:upper:]' '[:lower:]')"
    dotnet build "$project" -c Release -o "$BIN/$name" -nologo -v quiet >>"$LOGS/build.log" 2>&1 \
        || { tail -n 40 "$LOGS/build.log"; exit 1; }
done
loadgen() { timeout 900 dotnet "$BIN/loadgen/Payments.LoadGen.dll" "$@"; }

rm -f "$OUT/inprocess.json"
if [[ "$WITH_INPROCESS" == 1 ]]; then
    echo "== in process: grains and the PostgreSQL ledger, no HTTP"
    loadgen reset-database --postgres "$INPROCESS_DB"
    timeout 600 dotnet "$BIN/inprocess/Payments.InProcess.dll" --postgres "$INPROCESS_DB" --duration "$DURATION" \
        --json "$OUT/inprocess.json" 2>&1 | tee "$LOGS/inprocess.log" | grep -v -E '^(info|      )' || true
fi

# A silo of region-a: start_silo <n> <ServiceId> <npgsql> [VAR=value ...] (more environment for it). It becomes
# silo<n> in the CPU figures; one at a time, since the first silo applies the migrations.
start_silo() {
    local n="$1" service_id="$2" database="$3" silo_http
    shift 3
    silo_http="$(free_port)"
    env "$@" Payments__Region=region-a Payments__ServiceId="$service_id" \
        ConnectionStrings__Postgres="$database" ConnectionStrings__Redis="$REDIS" \
        Orleans__SiloPort="$(free_port)" Orleans__GatewayPort="$(free_port)" Urls="http://127.0.0.1:$silo_http" \
        dotnet "$BIN/silo/Payments.Silo.dll" --contentRoot "$BIN/silo" >"$LOGS/silo$n.log" 2>&1 &
    STARTED+=("$!")
    PROCESSES+="silo$n=$!,"
    wait_ready "silo$n" "http://127.0.0.1:$silo_http/health/ready" "$LOGS/silo$n.log" 120
}

# Region-a's API, as in production (the Production environment refuses the dev keys), with keys made for this run:
# start_api <ServiceId> <npgsql> <log name>; sets API_PORT and API_PID.
start_api() {
    API_PORT="$(free_port)"
    # env(1): the region name in the variable name holds a '-', which a shell assignment refuses.
    env ASPNETCORE_ENVIRONMENT=Production Payments__Region=region-a Payments__ServiceId="$1" \
        Payments__Clusters__region-a__Redis="$REDIS" ConnectionStrings__Postgres="$2" \
        Payments__ApiKeys__0__Name=bench-admin Payments__ApiKeys__0__Key="$ADMIN_KEY" Payments__ApiKeys__0__Role=admin \
        Payments__ApiKeys__1__Name=bench-terminal Payments__ApiKeys__1__Key="$TERMINAL_KEY" Payments__ApiKeys__1__Role=terminal \
        Payments__Security__RateLimits__Admin="$RATE_LIMIT" Payments__Security__RateLimits__Terminal="$RATE_LIMIT" \
        Urls="http://127.0.0.1:$API_PORT" \
        dotnet "$BIN/client.api/Payments.Client.Api.dll" --contentRoot "$BIN/client.api" >"$LOGS/$3.log" 2>&1 &
    API_PID="$!"
    STARTED+=("$API_PID")
    PROCESSES+="api=$API_PID,"
}

echo "== starting region-a ($SILO_COUNT silo(s) + API in Production, ServiceId $SERVICE_ID) and the baseline"
loadgen reset-database --postgres "$PAYMENTS_DB"
PROCESSES=""
for i in $(seq 1 "$SILO_COUNT"); do
    start_silo "$i" "$SERVICE_ID" "$PAYMENTS_DB"
done
start_api "$SERVICE_ID" "$PAYMENTS_DB" api
# What the comparison started (region-a's silos and API, the baseline): stopped before the events figure.
COMPARE_PIDS=("${STARTED[@]}")

BASELINE_ARGS=()
if [[ "$WITH_BASELINE" == 1 ]]; then
    loadgen reset-database --postgres "$BASELINE_DB"
    BASELINE_PORT="$(free_port)"
    ConnectionStrings__Postgres="$BASELINE_DB" Urls="http://127.0.0.1:$BASELINE_PORT" \
        Baseline__AdminKey="$ADMIN_KEY" Baseline__TerminalKey="$TERMINAL_KEY" \
        dotnet "$BIN/baseline/Payments.Baseline.dll" --contentRoot "$BIN/baseline" >"$LOGS/baseline.log" 2>&1 &
    STARTED+=("$!")
    COMPARE_PIDS+=("$!")
    PROCESSES+="baseline=$!"
    BASELINE_ARGS=(--baseline "http://127.0.0.1:$BASELINE_PORT" --baseline-db "$BASELINE_DB")
fi

wait_ready api "http://127.0.0.1:$API_PORT/health/ready" "$LOGS/api.log" 120
[[ "$WITH_BASELINE" != 1 ]] || wait_ready baseline "http://127.0.0.1:$BASELINE_PORT/health/ready" "$LOGS/baseline.log" 120
primary_sql -d payments_loadgen -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset();" >/dev/null

echo "== load: Payments, then the baseline"
status=0
loadgen compare \
    --payments "http://127.0.0.1:$API_PORT" --payments-db "$PAYMENTS_DB" \
    "${BASELINE_ARGS[@]}" \
    --duration "$DURATION" --inprocess-json "$OUT/inprocess.json" \
    --admin-key "$ADMIN_KEY" --terminal-key "$TERMINAL_KEY" \
    --doc docs/benchmarks.md --json "$OUT/loadgen.json" --processes "$PROCESSES" \
    --postmasters "$POSTMASTERS" --note "$NOTE" --command "scripts/bench.sh (BENCH_SILOS=$SILO_COUNT BENCH_DURATION=$DURATION)" \
    --topology "region-a as separate Release processes: $SILO_COUNT silo(s) (Redis membership and reminders, AdoNet account storage and the ledger on PostgreSQL database payments_loadgen) and 1 API (Orleans client, Kestrel, Production environment); the baseline: 1 ASP.NET Core process on database payments_baseline; the same replicated PostgreSQL for both (Patroni: a primary and a synchronous standby on this machine, fsync and synchronous_commit on: a commit returns once the standby has flushed it; Redis through Sentinel)." \
    "${EXTRA_LOADGEN_ARGS[@]}" || status=$?
# What each statement cost PostgreSQL over the whole load (both systems' databases; the accounts' opening included).
primary_sql -d payments_loadgen -c "SELECT d.datname, s.calls, round(s.total_exec_time::numeric, 0) AS total_ms,
    round((s.total_exec_time / s.calls * 1000)::numeric, 0) AS mean_us, s.rows, left(regexp_replace(s.query, '\s+', ' ', 'g'), 110) AS query
    FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid ORDER BY s.total_exec_time DESC LIMIT 25" \
    >"$LOGS/pg_stat_statements.txt" 2>&1 || true

# The events figure (#15): the feed and the webhooks while payments run, on a region of its own (a new ServiceId and
# database) whose silo runs in the Development environment, the only one whose webhooks may go to a receiver on
# 127.0.0.1 (the load generator's); its API stays in Production.
if [[ "$WITH_EVENTS" == 1 ]]; then
    echo "== events: the feed and the webhooks while payments run"
    for pid in "${COMPARE_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${COMPARE_PIDS[@]}"; do
        timeout 30 tail --pid="$pid" -f /dev/null || kill -KILL "$pid" 2>/dev/null || true
    done
    EVENTS_DB="$(postgres_connection payments_events);Maximum Pool Size=40"
    loadgen reset-database --postgres "$EVENTS_DB"
    PROCESSES=""
    start_silo events "$SERVICE_ID-events" "$EVENTS_DB" ASPNETCORE_ENVIRONMENT=Development \
        Payments__Webhooks__SecretKey="$(head -c 32 /dev/urandom | base64)"
    start_api "$SERVICE_ID-events" "$EVENTS_DB" api-events
    wait_ready api "http://127.0.0.1:$API_PORT/health/ready" "$LOGS/api-events.log" 120
    loadgen events --payments "http://127.0.0.1:$API_PORT" --payments-db "$EVENTS_DB" \
        --admin-key "$ADMIN_KEY" --terminal-key "$TERMINAL_KEY" --duration "$DURATION" --doc docs/benchmarks.md \
        --note "$NOTE" --command "scripts/bench.sh (BENCH_DURATION=$DURATION)" || status=$?
fi
echo "logs: $LOGS"
exit "$status"
