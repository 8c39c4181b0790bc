#!/usr/bin/env bash
# The multi-host cluster on one machine (docs/operations.md, "The cluster test"): every
# role of the same binary on its own "host", a network namespace, linked through a bridge
# in a "switch" namespace, over real TCP with CurveZMQ:
#
#   dist   10.251.0.10  headroom distribution
#   det1   10.251.0.21  headroom detector, warn mode, owns px-a and px-b
#   det2   10.251.0.22  headroom detector, auto mode, owns px-c
#   relay1 10.251.0.31  headroom relay px-a -> det1   (+ a misconfigured node for px-c -> det1)
#   relay2 10.251.0.32  headroom relay px-b -> det1
#   relay3 10.251.0.33  headroom relay px-c -> det2
#
# Device clients are curl in each relay's namespace, through its relay, with
# Proxy-Authorization: Basic DEVICE:x. It checks: every node registers; warnings (det1)
# and adjustments (det2) arrive at the distribution system, each proxy's from exactly one
# detector, and det1 refuses the node announcing px-c; a relay host whose link is cut is
# marked stale and recovers; a detector SIGKILLed with an undelivered notification in its
# outbox delivers it after it is started again.
#
# Nothing is created outside the namespaces (the veth pairs are made between namespaces,
# never in the root one), the namespaces have no route out, and everything made is
# removed on exit, also on failure or interruption. Without the right to create
# namespaces it prints SKIPPED and exits 77 (CTest's SKIP_RETURN_CODE).
#
# Usage: cluster_test.sh HEADROOM_BINARY
set -uo pipefail

HEADROOM=${1:?usage: cluster_test.sh HEADROOM_BINARY}
HEADROOM=$(readlink -f "$HEADROOM")
SKIP=77
P="hrc$$-"           # every namespace's name starts with this
NET=10.251.0         # a /24 inside the namespaces only
TOKEN="cluster-test-token-0123456789"
T0=$(date +%s)
DEADLINE=$((T0 + 170))  # CTest's timeout is 180 s

log() { printf '[%3ds] %s\n' "$(($(date +%s) - T0))" "$*"; }
fail() {
  log "FAILED: $*"
  exit 1
}

# -- the right to make namespaces, or a visible skip ----------------------------------

for tool in ip curl jq sqlite3; do
  command -v "$tool" >/dev/null || {
    echo "SKIPPED: the cluster test needs $tool (apt-get install iproute2 curl jq sqlite3)"
    exit $SKIP
  }
done
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIPPED: the cluster test needs root to create network namespaces (ip netns add)"
  exit $SKIP
fi
if ! ip netns add "${P}probe" 2>/dev/null; then
  echo "SKIPPED: this machine does not allow network namespaces (ip netns add failed)"
  exit $SKIP
fi
ip netns del "${P}probe"

# -- cleanup, whatever happens ----------------------------------------------------------

WORK=$(mktemp -d /tmp/headroom-cluster.XXXXXX)
NAMESPACES=()
declare -A PIDS=()  # name -> pid of a process started in a namespace

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[$name]}" 2>/dev/null; done
  sleep 0.5
  for name in "${!PIDS[@]}"; do kill -KILL "${PIDS[$name]}" 2>/dev/null; done
  # Any process left in one of our namespaces (a curl) goes too, so the namespace can go.
  for ns in "${NAMESPACES[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  done
  wait 2>/dev/null
  for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null; done
  local left
  left=$(ip netns list | grep -c "^${P}" || true)
  [ "$left" -eq 0 ] || echo "cleanup: $left namespaces named ${P}* are left" >&2
  if [ $status -ne 0 ]; then
    for f in "$WORK"/*.log; do
      [ -f "$f" ] || continue
      echo "---- $(basename "$f") (last 30 lines)"
      tail -n 30 "$f"
    done
  fi
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# -- the network: a switch namespace with a bridge, one namespace per host --------------

ns_add() {
  ip netns add "$1" || fail "ip netns add $1"
  NAMESPACES+=("$1")
  ip -n "$1" link set lo up
}
in_ns() {
  local ns=$1
  shift
  ip netns exec "${P}$ns" "$@"
}

SW="${P}sw"
ns_add "$SW"
ip -n "$SW" link add br0 type bridge
ip -n "$SW" link set br0 up

declare -A ADDR=([dist]=$NET.10 [det1]=$NET.21 [det2]=$NET.22
                 [relay1]=$NET.31 [relay2]=$NET.32 [relay3]=$NET.33)
for host in dist det1 det2 relay1 relay2 relay3; do
  ns_add "${P}$host"
  # The pair is made between the two namespaces: nothing appears in the root namespace.
  ip link add eth0 netns "${P}$host" type veth peer name "p-$host" netns "$SW" ||
    fail "veth for $host"
  ip -n "$SW" link set "p-$host" master br0 up
  ip -n "${P}$host" addr add "${ADDR[$host]}/24" dev eth0
  ip -n "${P}$host" link set eth0 up
done
log "network: ${#NAMESPACES[@]} namespaces, bridge in $SW"

# -- keys: one pair per detector and per node; each detector allows its own nodes -------

cd "$WORK"
for who in det1 det2 relay1 relay2 relay3 rogue; do
  "$HEADROOM" keygen "$WORK/$who" >/dev/null 2>&1 || fail "keygen $who"
done
cat relay1.pub relay2.pub rogue.pub >det1.allow
cat relay3.pub >det2.allow

# -- the fleet: three proxies; five devices each due at T1, five more on px-a at T2 ----

HOUR=$(($(date +%s) / 3600 * 3600))
T1=$((HOUR + 3 * 3600))
T2=$((HOUR + 6 * 3600))
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
{
  printf '{"proxies": [{"id": "px-a", "capacity": 3}, {"id": "px-b", "capacity": 3}, '
  printf '{"id": "px-c", "capacity": 3}],\n'
  printf ' "customers": [{"id": "c1", "services": ["software_distribution"]}],\n'
  printf ' "packages": [{"id": "fw-1", "version": "1", "size_bytes": 1000000}],\n'
  sep=""
  printf ' "devices": ['
  for p in a b c; do
    for i in 1 2 3 4 5 6 7 8 9 10; do
      printf '%s{"id": "%s%d", "customer": "c1", "monitoring_mode": "proxy", "proxy": "px-%s"}' \
        "$sep" "$p" "$i" "$p"
      sep=", "
    done
  done
  printf '],\n "jobs": ['
  sep=""
  for p in a b c; do
    for i in 1 2 3 4 5; do
      printf '%s{"id": "j-%s%d", "device": "%s%d", "package": "fw-1", "start": "%s", "duration_s": 1800}' \
        "$sep" "$p" "$i" "$p" "$i" "$(iso $T1)"
      sep=", "
    done
  done
  for i in 6 7 8 9 10; do
    printf ', {"id": "j-a%d", "device": "a%d", "package": "fw-1", "start": "%s", "duration_s": 1800}' \
      "$i" "$i" "$(iso $T2)"
  done
  printf ']}\n'
} >fleet.json

# -- configuration files, one per role and host ----------------------------------------

cat >dist.toml <<EOF
[server]
listen = "0.0.0.0:8080"
[store]
data_dir = "$WORK/dist-data"
[auth]
api_token = "$TOKEN"
EOF
detector_toml() {  # NAME ID MODE PROXIES
  cat >"$1.toml" <<EOF
[detector]
id = "$2"
mode = "$3"
data_dir = "$WORK/$1-data"
status = "127.0.0.1:9300"
[bus]
listen = "tcp://${ADDR[$1]}:5555"
heartbeat_interval_ms = 300
heartbeat_timeout_ms = 1500
key_file = "$WORK/$1.key"
allowlist_file = "$WORK/$1.allow"
[distribution]
url = "http://${ADDR[dist]}:8080"
api_token = "$TOKEN"
timeout_ms = 1000
[fetch]
interval_ms = 1000
backoff_min_ms = 200
backoff_max_ms = 1000
breaker_failures = 1000
[detection]
shards = 1
proxies = $4
[notify]
backoff_min_ms = 200
backoff_max_ms = 1000
EOF
}
detector_toml det1 det-1 warn '["px-a", "px-b"]'
detector_toml det2 det-2 auto '["px-c"]'
relay_toml() {  # NAME HOST PROXY DETECTOR KEY LISTEN_PORT ADMIN_PORT NODE_ID
  cat >"$1.toml" <<EOF
[relay]
listen = "${ADDR[$2]}:$6"
admin = "127.0.0.1:$7"
proxy_id = "$3"
node_id = "$8"
detector = "tcp://${ADDR[$4]}:5555"
[admission]
capacity = 3
[upstreams]
allow = ["${ADDR[dist]}:8080", "${ADDR[$2]}:9"]
[bus]
heartbeat_interval_ms = 300
heartbeat_timeout_ms = 1500
spool_dir = "$WORK/spool"
key_file = "$WORK/$5.key"
detector_key_file = "$WORK/$4.pub"
EOF
}
relay_toml relay1 relay1 px-a det1 relay1 3128 9128 node-a
relay_toml relay2 relay2 px-b det1 relay2 3128 9128 node-b
relay_toml relay3 relay3 px-c det2 relay3 3128 9128 node-c
# Misconfigured: relays px-c, which det2 owns, but reports to det1 (with a valid key).
relay_toml rogue relay1 px-c det1 rogue 3129 9129 rogue-c

# -- starting and stopping the roles ---------------------------------------------------

start() {  # NAME HOST ARGS...: runs `headroom ARGS` in HOST's namespace, output to NAME.log
  local name=$1 host=$2
  shift 2
  ip netns exec "${P}$host" "$HEADROOM" "$@" >"$WORK/$name.log" 2>&1 &
  PIDS[$name]=$!
}
api() {  # PATH: GET from the distribution system, from inside its namespace
  in_ns dist curl -sS --max-time 5 -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:8080$1"
}
status_of() {  # DETECTOR: its /status
  in_ns "$1" curl -sS --max-time 3 http://127.0.0.1:9300/status 2>/dev/null
}
# eventually SECONDS WHAT COMMAND...: retries COMMAND every half second.
eventually() {
  local seconds=$1 what=$2
  shift 2
  local until=$(($(date +%s) + seconds))
  [ $until -le $DEADLINE ] || until=$DEADLINE
  while ! "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt $until ] || fail "not within ${seconds}s: $what"
    sleep 0.5
  done
  log "ok: $what"
}
device() {  # RELAY_HOST PORT DEVICE: one short request through the relay, as that device
  local code
  code=$(in_ns "$1" curl -sS -o /dev/null -w '%{http_code}' --max-time 5 \
    -x "http://${ADDR[$1]}:$2" -U "$3:x" "http://${ADDR[dist]}:8080/healthz")
  [ "$code" = 200 ] || fail "device $3 through $1:$2 got HTTP $code"
}

start dist dist distribution --config "$WORK/dist.toml"
eventually 20 "distribution system answers" api /healthz
api /healthz | jq -e '.status == "ok"' >/dev/null || fail "distribution /healthz"
in_ns dist curl -sS --fail --max-time 20 -X PUT -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' --data-binary @fleet.json \
  http://127.0.0.1:8080/api/v1/fleet >fleet-answer.json || fail "importing the fleet"
log "fleet imported: $(jq -c . fleet-answer.json | cut -c1-120)"

start det1 det1 detector --config "$WORK/det1.toml"
start det2 det2 detector --config "$WORK/det2.toml"
start relay1 relay1 relay --config "$WORK/relay1.toml"
start relay2 relay2 relay --config "$WORK/relay2.toml"
start relay3 relay3 relay --config "$WORK/relay3.toml"
start rogue relay1 relay --config "$WORK/rogue.toml"

# -- every node registers with the detector owning its proxy ----------------------------

live_nodes() {  # DETECTOR N: N live nodes, none stale
  status_of "$1" | jq -e ".nodes.live == $2 and .nodes.stale == 0"
}
proxies_are() {  # DETECTOR JSON_ARRAY: the proxies it models, not stale
  status_of "$1" | jq -e "([.proxies[] | select(.stale | not) | .id] | sort) == $2"
}
eventually 30 "det1 has node-a and node-b live" live_nodes det1 2
eventually 30 "det2 has node-c live" live_nodes det2 1
eventually 10 "det1 models px-a and px-b" proxies_are det1 '["px-a","px-b"]'
eventually 10 "det2 models px-c" proxies_are det2 '["px-c"]'

# -- devices behind each relay; warnings (det1) and adjustments (det2) arrive -----------

for i in 1 2 3 4 5; do
  device relay1 3128 "a$i"
  device relay2 3128 "b$i"
  device relay3 3128 "c$i"
done
device relay1 3129 c1  # through the misconfigured node: det1 must ignore it
log "15 devices relayed, 1 through the misconfigured node"

refused_rogue() {
  status_of det1 | jq -e '.refused_nodes["rogue-c"] == ["px-c"] and .refused_announcements >= 1'
}
eventually 20 "det1 refuses the node announcing px-c (owned by det2)" refused_rogue
in_ns det1 curl -sS http://127.0.0.1:9300/metrics | grep -q '^headroom_detector_nodes_refused 1' ||
  fail "det1 /metrics does not count the refused node"

warned() {  # PROXY: the latest notification for PROXY, from det-1, has a window at T1
  api "/api/v1/notifications?proxy=$1" | jq -e --arg t "$(iso $T1)" \
    '.items[0] | .detector == "det-1" and (.windows | any(.start == $t and .peak == 5))'
}
eventually 40 "warning for px-a arrives from det-1" warned px-a
eventually 20 "warning for px-b arrives from det-1" warned px-b
adjusted() {  # an adjustment from det-2 moved jobs of px-c
  api /api/v1/adjustments | jq -e '[.items[] | select(.actor == "det-2") | .applied] | add > 0'
}
eventually 40 "adjustment of px-c arrives from det-2 and is applied" adjusted
moved_jobs=$(api "/api/v1/jobs?proxy=px-c&limit=100" | jq --arg t "$(iso $T1)" \
  '[.items[] | select(.start != $t)] | length')
[ "$moved_jobs" -ge 2 ] || fail "det-2's adjustment moved $moved_jobs jobs of px-c, expected >= 2"
log "ok: det-2 moved $moved_jobs jobs of px-c off $(iso $T1)"

one_detector_per_proxy() {
  api "/api/v1/notifications?limit=1000" | jq -e '
    [.items[] | {proxy, detector}] | unique | group_by(.proxy)
    | all(length == 1)
      and all(.[]; .[0] | (.proxy == "px-c") == (.detector == "det-2"))'
}
one_detector_per_proxy || fail "a proxy has notifications from two detectors, or the wrong one"
log "ok: each proxy's notifications come from exactly one detector (px-c none from det-1)"
# Each detector reports its own proxies' topology without erasing the other's.
whole_topology() {
  api /api/v1/topology | jq -e '([.proxies[].id] | sort) == ["px-a","px-b","px-c"]
    and (.proxies | all(.devices | length == 5))'
}
eventually 10 "the distribution system holds both detectors' topology" whole_topology

# -- a relay host's link is cut: stale; back: live again --------------------------------

ip -n "${P}relay2" link set eth0 down
log "relay2's link cut"
stale_b() { status_of det1 | jq -e '(.proxies[] | select(.id == "px-b") | .stale) and .nodes.stale == 1'; }
eventually 20 "det1 marks px-b stale" stale_b
ip -n "${P}relay2" link set eth0 up
log "relay2's link restored"
eventually 40 "px-b is live again" live_nodes det1 2

# -- a detector host restarted with an undelivered notification -------------------------

# The distribution system's link is cut, so every delivery fails; devices a6..a10 (due at
# T2) appear behind relay1, and det1 detects the new window from its last good snapshot.
ip -n "${P}dist" link set eth0 down
log "the distribution system's link cut"
# Their requests go to a closed port on relay1's own host (allowed below): refused at once
# rather than waiting for the unreachable distribution system; the relay has seen them.
for i in 6 7 8 9 10; do
  in_ns relay1 curl -sS -o /dev/null --max-time 2 -x "http://${ADDR[relay1]}:3128" \
    -U "a$i:x" "http://${ADDR[relay1]}:9/" 2>/dev/null
done
# The entry in det1's outbox (SQLite, read beside the running detector) that carries the
# T2 window: its sent_at identifies it at the distribution system later.
OUTBOX="$WORK/det1-data/outbox.sqlite3"
pending_sent_at() {
  sqlite3 -readonly "$OUTBOX" \
    "SELECT body FROM entries WHERE proxy = 'px-a' AND body LIKE '%\"$(iso $T2)\"%' ORDER BY seq" |
    tail -n 1 | grep . | jq -er '.sent_at'
}
eventually 30 "det1's outbox holds the T2 window of px-a it cannot deliver" pending_sent_at
PENDING=$(pending_sent_at)
kill -KILL "${PIDS[det1]}"
wait "${PIDS[det1]}" 2>/dev/null
log "det1 SIGKILLed with the notification sent_at $PENDING undelivered"
[ "$(pending_sent_at)" = "$PENDING" ] || fail "the outbox lost the entry at the kill"
start det1 det1 detector --config "$WORK/det1.toml"
eventually 20 "det1 is back with its outbox" bash -c \
  "ip netns exec ${P}det1 curl -sS --max-time 3 http://127.0.0.1:9300/status | jq -e '.outbox.depth >= 1'"
ip -n "${P}dist" link set eth0 up
log "the distribution system's link restored"
delivered_from_before() {
  api "/api/v1/notifications?proxy=px-a&limit=100" | jq -e --arg t "$(iso $T2)" --arg s "$PENDING" '
    any(.items[]; .detector == "det-1" and .sent_at == $s and (.windows | any(.start == $t)))'
}
eventually 40 "the notification stored before the kill reaches the distribution system" \
  delivered_from_before
eventually 20 "det1's nodes re-register after its restart" live_nodes det1 2

log "PASSED in $(($(date +%s) - T0))s"
