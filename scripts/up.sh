#!/usr/bin/env bash
# Brings both regions up on this machine and leaves them serving: PostgreSQL, one Redis per region, two silos
# per region and one API per region (region-a http://127.0.0.1:5080, region-b http://127.0.0.1:5081).
# Stop everything with scripts/down.sh. Logs are in .data/logs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/topology.sh"
cd "$ROOT_DIR"

"$ROOT_DIR/scripts/services.sh" start
mkdir -p "$RUN_DIR" "$LOG_DIR"
for entry in "${APIS[@]}" "${SILOS[@]}"; do
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

cat <<'TXT'

Payments is up: region-a API http://127.0.0.1:5080, region-b API http://127.0.0.1:5081 (dev keys).
Try it:
  curl -s -X POST http://127.0.0.1:5080/v1/accounts -H 'Authorization: Bearer dev-admin-key' \
       -H 'Content-Type: application/json' \
       -d '{"accountId":"acc-0001","region":"region-a","currency":"EUR","initialBalance":100000}'
  curl -s -X POST http://127.0.0.1:5080/v1/accounts/acc-0001/payments -H 'Authorization: Bearer dev-terminal-key' \
       -H 'Content-Type: application/json' -H 'Idempotency-Key: pay-0001' \
       -d '{"amount":1250,"currency":"EUR","merchant":"Boulangerie du Port","mcc":"5411"}'
Orleans Dashboard of region-a: http://127.0.0.1:8091/dashboard (sign in with dev-admin-key); metrics:
  curl -s http://127.0.0.1:5080/metrics -H 'Authorization: Bearer dev-admin-key'
Stop everything: scripts/down.sh
TXT
