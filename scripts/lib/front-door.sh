# The front door: HAProxy with one frontend per region (the region's API first, the other regions' APIs as backup),
# run as a pair of instances so that losing one loses no address. Sourced by up.sh and failover-demo.sh; run as a
# command by the integration tests:
#
#   scripts/lib/front-door.sh install
#   scripts/lib/front-door.sh haproxy-config <stats host:port> "<region>=<host:port> ..." "<region>=<api host:port> ..."
#
# install puts HAProxy on the machine when it is missing; haproxy-config prints the configuration of one instance: a
# frontend per region listening where the first list says, its servers the APIs of the second list. Two kinds of pair:
# - on loopback (up.sh, the tests): two instances bound to the same addresses (HAProxy sets SO_REUSEPORT), each with
#   its own stats port; the kernel spreads new connections over the live ones, so a client keeps one address;
# - in network namespaces (failover-demo.sh): two nodes running HAProxy and keepalived, which hold each region's
#   address (a VRRP virtual IP) on one node and move it to the other when that node or its HAProxy fails.
# The reasoning behind the timings is in docs/adr/0015-front-door.md.

FRONT_DOOR_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/front-door" && pwd)"
FRONT_DOOR_ADR="0015-front-door.md"

# front_door_install [keepalived]: installs HAProxy (and keepalived) with apt-get when missing.
front_door_install() {
    local missing=()
    command -v haproxy >/dev/null || missing+=(haproxy)
    [[ "${1:-}" == keepalived ]] && ! command -v keepalived >/dev/null && missing+=(keepalived)
    ((${#missing[@]})) || return 0
    [[ "$(id -u)" -eq 0 ]] || { echo "install first: sudo apt-get install -y ${missing[*]}" >&2; return 1; }
    echo "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# render <template> KEY=VALUE...: the template with every @KEY@ replaced by its value.
render() {
    local template="$1" text pair
    shift
    text="$(cat "$FRONT_DOOR_DIR/$template")"
    for pair in "$@"; do
        text="${text//@${pair%%=*}@/${pair#*=}}"
    done
    printf '%s\n' "$text"
}

# front_door_haproxy_config <stats host:port> "<region>=<listen> ..." "<region>=<api> ...": one instance's configuration.
front_door_haproxy_config() {
    local stats="$1" frontends="$2" apis="$3" frontend api
    render haproxy.cfg.in "ADR=$FRONT_DOOR_ADR" "STATS=$stats"
    for frontend in $frontends; do
        local region="${frontend%%=*}" checked="" unchecked=""
        for api in $apis; do
            unchecked+="    server ${api%%=*} ${api#*=}"$'\n'
            if [[ "${api%%=*}" == "$region" ]]; then
                checked+="    server $region ${api#*=} check"$'\n'
            else
                checked+="    server ${api%%=*} ${api#*=} check backup"$'\n'
            fi
        done
        render region.cfg.in "REGION=$region" "LISTEN=${frontend#*=}" "SERVERS=${checked%$'\n'}" "FAIL_OPEN_SERVERS=${unchecked%$'\n'}"
    done
}

# front_door_keepalived_config <node 1|2> <interface> <own ip> <peer ip> <stats port> "<region>=<virtual ip/prefix> ...":
# node n has the higher priority for the n-th region's address (which only decides who takes it when both start at
# once: with nopreempt, an address stays where it is while its holder lives).
front_door_keepalived_config() {
    local node="$1" interface="$2" self="$3" peer="$4" stats_port="$5" vips="$6" vip index=0
    render keepalived.conf.in "ADR=$FRONT_DOOR_ADR" "NODE=$node" "CHECK=/usr/bin/curl -fsS -m 1 -o /dev/null http://127.0.0.1:$stats_port/health/ready"
    for vip in $vips; do
        index=$((index + 1))
        local preferred=$(((index - 1) % 2 + 1))
        render vrrp-instance.conf.in "REGION=${vip%%=*}" "PREFERRED=$preferred" "INTERFACE=$interface" \
            "VRID=$((50 + index))" "PRIORITY=$((preferred == node ? 150 : 100))" "SELF=$self" "PEER=$peer" "VIP=${vip#*=}"
    done
}

# front_door_check <config file>: HAProxy's own validation of a configuration.
front_door_check() {
    haproxy -c -q -f "$1" || { echo "front door: invalid HAProxy configuration $1" >&2; return 1; }
}

# front_door_start_loopback <run dir> <log dir> "<region>=<listen> ..." "<region>=<api> ..." <name>=<stats port>...:
# one HAProxy instance per name, all bound to the same frontend addresses; <name>.cfg and <name>.pid in the run dir.
front_door_start_loopback() {
    local run_dir="$1" log_dir="$2" frontends="$3" apis="$4" instance
    shift 4
    for instance in "$@"; do
        local name="${instance%%=*}"
        front_door_haproxy_config "127.0.0.1:${instance#*=}" "$frontends" "$apis" >"$run_dir/$name.cfg"
        front_door_check "$run_dir/$name.cfg" || return 1
        nohup haproxy -db -f "$run_dir/$name.cfg" >"$log_dir/$name.log" 2>&1 &
        echo $! >"$run_dir/$name.pid"
    done
}

# front_door_start_vrrp_pair <hub namespace> <bridge> <namespace prefix> "<node ip> <node ip>" <prefix length>
#     "<region>=<virtual ip> ..." "<region>=<api> ..." <work dir> <log dir>
# Two front door nodes, namespaces <prefix>1 and <prefix>2 joined to the bridge of the hub namespace, each running
# HAProxy (stats on its own 127.0.0.1:8404) and keepalived, which hold the regions' virtual IPs between them (port
# 80). The pids started are appended to FRONT_DOOR_PIDS, per node to FRONT_DOOR_NODE_PIDS[n] ("haproxy keepalived").
declare -a FRONT_DOOR_PIDS=()
declare -A FRONT_DOOR_NODE_PIDS=()
front_door_start_vrrp_pair() {
    local hub="$1" bridge="$2" prefix="$3" nodes="$4" length="$5" vips="$6" apis="$7" work_dir="$8" log_dir="$9"
    local -a ips
    read -r -a ips <<<"$nodes"
    local frontends="" keepalived_vips="" vip n
    for vip in $vips; do
        frontends+=" ${vip%%=*}=${vip#*=}:80"
        keepalived_vips+=" $vip/$length"
    done
    for n in 1 2; do
        local ns="$prefix$n" self="${ips[$((n - 1))]}" peer="${ips[$((2 - n))]}"
        ip netns del "$ns" 2>/dev/null || true
        ip netns add "$ns"
        ip -n "$ns" link set lo up
        ip -n "$hub" link add "v${prefix##*-}$n" type veth peer name eth0 netns "$ns"
        ip -n "$hub" link set "v${prefix##*-}$n" master "$bridge" up
        ip -n "$ns" addr add "$self/$length" dev eth0
        ip -n "$ns" link set eth0 up
        # HAProxy binds every region's virtual IP on both nodes, also the ones its peer holds for now.
        ip netns exec "$ns" sysctl -qw net.ipv4.ip_nonlocal_bind=1
        front_door_haproxy_config "127.0.0.1:8404" "$frontends" "$apis" >"$work_dir/front-door-$n.cfg"
        front_door_check "$work_dir/front-door-$n.cfg" || return 1
        front_door_keepalived_config "$n" eth0 "$self" "$peer" 8404 "$keepalived_vips" >"$work_dir/keepalived-$n.conf"
        ip netns exec "$ns" haproxy -db -f "$work_dir/front-door-$n.cfg" >"$log_dir/front-door-$n.log" 2>&1 &
        FRONT_DOOR_NODE_PIDS[$n]="$!"
        FRONT_DOOR_PIDS+=("$!")
        disown "$!"
    done
    # Both keepalived at once and only once both HAProxy instances answer (until then a node would refuse every
    # address), so that each address goes to the node with the higher priority for it.
    for n in 1 2; do
        local tries=0
        until ip netns exec "$prefix$n" curl -fsS -m 1 -o /dev/null http://127.0.0.1:8404/health/ready; do
            ((++tries < 40)) || { echo "front door $n: HAProxy not ready (log: $log_dir/front-door-$n.log)" >&2; return 1; }
            sleep 0.25
        done
    done
    for n in 1 2; do
        ip netns exec "$prefix$n" keepalived --dont-fork --log-console --no-syslog --vrrp --use-file "$work_dir/keepalived-$n.conf" \
            --pid "$work_dir/keepalived-$n.pid" --vrrp_pid "$work_dir/keepalived-vrrp-$n.pid" >"$log_dir/keepalived-$n.log" 2>&1 &
        FRONT_DOOR_NODE_PIDS[$n]+=" $!"
        FRONT_DOOR_PIDS+=("$!")
        disown "$!"
    done
}

# front_door_holder <namespace prefix> <virtual ip>: the node (1 or 2) that holds the address now, or nothing.
front_door_holder() {
    local n
    for n in 1 2; do
        ip -n "$1$n" -o addr show dev eth0 2>/dev/null | grep -q " $2/" && { echo "$n"; return 0; }
    done
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    case "${1:-}" in
        install) front_door_install ;;
        haproxy-config) shift; front_door_haproxy_config "$@" ;;
        *) echo "usage: $0 install | haproxy-config <stats host:port> \"<region>=<listen> ...\" \"<region>=<api> ...\"" >&2; exit 2 ;;
    esac
fi
