#!/usr/bin/env bash
# Brings both regions up on this machine and leaves them serving: PostgreSQL, one Redis per region, two silos
# per region, one API per region (region-a http://127.0.0.1:5080, region-b http://127.0.0.1:5081) and the front
# door in front of them (region-a http://127.0.0.1:8080, region-b http://127.0.0.1:8081).
# Stop everything with scripts/down.sh. Logs are in .data/logs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/topology.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/front-door.sh"
cd "$ROOT_DIR"

"$ROOT_DIR/scripts/services.sh" start
front_door_install
mkdir -p "$RUN_DIR" "$LOG_DIR"
for entry in "${APIS[@]}" "${SILOS[@]}" front-door-1 front-door-2; do
    stop_process "${entry%% *}"
done

echo "building..."
dotnet build Silo/Silo.csproj -c Release -o "$BUILD_DIR/silo" -v quiet -nologo >"$LOG_DIR/build.log" 2>&1 \
    || { cat "$LOG_DIR/build.log"; exit 1; }
dotnet build Client.Api/Client.Api.csproj -c Release -o "$BUILD_DIR/api" -v quiet -nologo >>"$LOG_DIR/build.log" 2>&1 \
    || { cat "$LOG_DIR/build.log"; exit 1; }

for entry in "${SILOS[@]}"; do
    read -r name region silo_port gateway_port http_port redis_port <<<"$entry"
    ASPNETCORE_ENVIRONMENT=Development \
    Payments__Region="$region" \
    ConnectionStrings__Postgres="$POSTGRES" \
    ConnectionStrings__Redis="127.0.0.1:$redis_port" \
    Orleans__SiloPort="$silo_port" Orleans__GatewayPort="$gateway_port" \
    Urls="http://127.0.0.1:$http_port" \
        nohup dotnet "$BUILD_DIR/silo/Payments.Silo.dll" --contentRoot "$BUILD_DIR/silo" >"$LOG_DIR/$name.log" 2>&1 &
    echo $! >"$RUN_DIR/$name.pid"
done

for entry in "${APIS[@]}"; do
    read -r name region http_port <<<"$entry"
    # env(1): the region names in these variable names hold a '-', which a shell assignment refuses.
    env ASPNETCORE_ENVIRONMENT=Development \
        Payments__Region="$region" \
        Payments__Clusters__region-a__Redis="127.0.0.1:6380" \
        Payments__Clusters__region-b__Redis="127.0.0.1:6381" \
        ConnectionStrings__Postgres="$POSTGRES" \
        Urls="http://127.0.0.1:$http_port" \
        nohup dotnet "$BUILD_DIR/api/Payments.Client.Api.dll" --contentRoot "$BUILD_DIR/api" >"$LOG_DIR/$name.log" 2>&1 &
    echo $! >"$RUN_DIR/$name.pid"
done

for entry in "${SILOS[@]}"; do
    read -r name _ _ _ http_port _ <<<"$entry"
    wait_ready "$name" "http://127.0.0.1:$http_port/health/ready"
done
for entry in "${APIS[@]}"; do
    read -r name _ http_port <<<"$entry"
    wait_ready "$name" "http://127.0.0.1:$http_port/health/ready"
done

api_addresses=""
for entry in "${APIS[@]}"; do
    read -r _ region http_port <<<"$entry"
    api_addresses+=" $region=127.0.0.1:$http_port"
done
front_door_start_loopback "$RUN_DIR" "$LOG_DIR" "$FRONT_DOORS" "$api_addresses" "${FRONT_DOOR_STATS_PORTS[@]}"
for n in "${!FRONT_DOOR_STATS_PORTS[@]}"; do
    wait_ready "front-door-$((n + 1))" "http://127.0.0.1:${FRONT_DOOR_STATS_PORTS[$n]}/health/ready"
done

printf "\nPayments is up (dev keys). Clients use the front door (each region's API, the other region's as backup):\n"
for front_door in $FRONT_DOORS; do
    printf '  %s http://%s\n' "${front_door%%=*}" "${front_door#*=}"
done
printf "  stats pages of its two HAProxy instances: %s\n" "$(printf 'http://127.0.0.1:%s ' "${FRONT_DOOR_STATS_PORTS[@]}")"
printf 'The APIs themselves:'
for entry in "${APIS[@]}"; do
    read -r _ region http_port <<<"$entry"
    printf ' %s http://127.0.0.1:%s' "$region" "$http_port"
done
cat <<'TXT'

Try it:
  curl -s -X POST http://127.0.0.1:8080/v1/accounts -H 'Authorization: Bearer dev-admin-key' \
       -H 'Content-Type: application/json' \
       -d '{"accountId":"acc-0001","region":"region-a","currency":"EUR","initialBalance":100000}'
  curl -s -X POST http://127.0.0.1:8080/v1/accounts/acc-0001/payments -H 'Authorization: Bearer dev-terminal-key' \
       -H 'Content-Type: application/json' -H 'Idempotency-Key: pay-0001' \
       -d '{"amount":1250,"currency":"EUR","merchant":"Boulangerie du Port","mcc":"5411"}'
Orleans Dashboard of region-a: http://127.0.0.1:8091/dashboard (sign in with dev-admin-key); metrics:
  curl -s http://127.0.0.1:5080/metrics -H 'Authorization: Bearer dev-admin-key'
Stop everything: scripts/down.sh
TXT
