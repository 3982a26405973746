#!/usr/bin/env bash
# Brings both regions up on this machine and leaves them serving, as topology/local.topology describes them: etcd,
# PostgreSQL under Patroni (a primary and a synchronous standby), per region a Redis primary and replica watched by
# sentinels, two silos and one API (region-a http://127.0.0.1:5080, region-b http://127.0.0.1:5081), and the front
# door in front of the APIs (two HAProxy instances; region-a http://127.0.0.1:8080, region-b http://127.0.0.1:8081).
# Stop everything with scripts/down.sh. Logs are in .data/logs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/topology.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/front-door.sh"
cd "$ROOT_DIR"

"$ROOT_DIR/scripts/services.sh" start
front_door_install
mkdir -p "$RUN_DIR" "$LOG_DIR"
for name in $(members front-door) $(members api) $(members silo); do
    stop_process "$name"
done

echo "building..."
dotnet build Silo/Silo.csproj -c Release -o "$BUILD_DIR/silo" -v quiet -nologo >"$LOG_DIR/build.log" 2>&1 \
    || { cat "$LOG_DIR/build.log"; exit 1; }
dotnet build Client.Api/Client.Api.csproj -c Release -o "$BUILD_DIR/api" -v quiet -nologo >>"$LOG_DIR/build.log" 2>&1 \
    || { cat "$LOG_DIR/build.log"; exit 1; }

for name in $(members silo); do
    region="$(site_of "$name")"
    ASPNETCORE_ENVIRONMENT=Development \
    Payments__Region="$region" \
    ConnectionStrings__Postgres="$(postgres_connection "" "$region")" \
    ConnectionStrings__Redis="$(redis_connection "$region")" \
    Orleans__SiloPort="$(port "$name" silo)" Orleans__GatewayPort="$(port "$name" gateway)" \
    Urls="http://127.0.0.1:$(port "$name" http)" \
        nohup dotnet "$BUILD_DIR/silo/Payments.Silo.dll" --contentRoot "$BUILD_DIR/silo" >"$LOG_DIR/$name.log" 2>&1 &
    echo $! >"$RUN_DIR/$name.pid"
done

# env(1): the region names in these variable names hold a '-', which a shell assignment refuses.
clusters=()
for region in $(regions); do
    clusters+=("Payments__Clusters__${region}__Redis=$(redis_connection "$region")")
done
for name in $(members api); do
    env ASPNETCORE_ENVIRONMENT=Development \
        Payments__Region="$(site_of "$name")" \
        "${clusters[@]}" \
        ConnectionStrings__Postgres="$(postgres_connection "" "$(site_of "$name")")" \
        Urls="http://127.0.0.1:$(port "$name" http)" \
        nohup dotnet "$BUILD_DIR/api/Payments.Client.Api.dll" --contentRoot "$BUILD_DIR/api" >"$LOG_DIR/$name.log" 2>&1 &
    echo $! >"$RUN_DIR/$name.pid"
done

for name in $(members silo) $(members api); do
    wait_ready "$name" "http://127.0.0.1:$(port "$name" http)/health/ready"
done

front_doors="" apis="" instances=()
for name in $(members api); do
    front_doors+=" $(site_of "$name")=127.0.0.1:$(port "$name" front-door)"
    apis+=" $(site_of "$name")=127.0.0.1:$(port "$name" http)"
done
for name in $(members front-door); do
    instances+=("$name=$(port "$name" stats)")
done
front_door_start_loopback "$RUN_DIR" "$LOG_DIR" "$front_doors" "$apis" "${instances[@]}"
for name in $(members front-door); do
    wait_ready "$name" "http://127.0.0.1:$(port "$name" stats)/health/ready"
done

printf "\nPayments is up (dev keys). Clients use the front door (each region's API, the other region's as backup):\n"
for name in $(members api); do
    printf '  %s http://127.0.0.1:%s (API http://127.0.0.1:%s)\n' "$(site_of "$name")" "$(port "$name" front-door)" "$(port "$name" http)"
done
for name in $(members front-door); do
    printf '  %s stats: http://127.0.0.1:%s\n' "$name" "$(port "$name" stats)"
done
cat <<'TXT'
Try it:
  curl -s -X POST http://127.0.0.1:5080/v1/accounts -H 'Authorization: Bearer dev-admin-key' \
       -H 'Content-Type: application/json' \
       -d '{"accountId":"acc-0001","region":"region-a","currency":"EUR","initialBalance":100000}'
  curl -s -X POST http://127.0.0.1:5080/v1/accounts/acc-0001/payments -H 'Authorization: Bearer dev-terminal-key' \
       -H 'Content-Type: application/json' -H 'Idempotency-Key: pay-0001' \
       -d '{"amount":1250,"currency":"EUR","merchant":"Boulangerie du Port","mcc":"5411"}'
Orleans Dashboard of region-a: http://127.0.0.1:8091/dashboard (sign in with dev-admin-key); metrics:
  curl -s http://127.0.0.1:5080/metrics -H 'Authorization: Bearer dev-admin-key'
Who is the database primary: scripts/services.sh status (or patronictl, see docs/operations.md)
Stop everything: scripts/down.sh
TXT
