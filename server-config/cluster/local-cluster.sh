#!/usr/bin/env bash
# local-cluster.sh: a local cluster of the push server, N Payara Micro instances on 127.0.0.1 forming
# one Hazelcast data grid (tcpip discovery over the members' own ports, never multicast).
#
#   server-config/cluster/local-cluster.sh start N [options]
#   server-config/cluster/local-cluster.sh status [--run-dir DIR]
#   server-config/cluster/local-cluster.sh stop [--run-dir DIR]
#
# start launches members m1..mN with push-web/target/push-web.war at context root /, then waits until
# each answers GET /1/time/get and each has logged a data grid of N members; if that fails it prints the
# end of every log and stops them again. stop ends exactly the processes start recorded (the PID files
# in the run directory, each checked against its command line first): SIGTERM, then SIGKILL to any still
# running after 60 s. status shows each member's PID, addresses, whether it answers and the data grid
# size it logged last.
#
# A cluster of more than one member needs a SHARED MESSAGE STORE: Redis (--store) or a shared
# database (Payara's default datasource pointed at PostgreSQL or MariaDB, e.g.
# --micro "--postbootcommandfile server-config/jdbc/postgresql.asadmin" with the JDBC driver added by
# --addLibs). Without one, every member stores messages in its own H2 database under its root
# directory, and a message stored through one member cannot be fetched through another.
#
# Options of start:
#   --store URIS          Redis for the messages: push.store=redis, push.redis.servers=URIS. URIS is a
#                         comma-separated list of redis://host:port[/db] (named r1, r2, ...) or of
#                         name=redis://... as push.redis.servers takes them
#   --http-port P         HTTP port of m1; member i gets P+i-1 (default 8080). Each member's listeners of
#                         our own are where the defaults put them: WebSocket on its HTTP port + 1000, HTTP
#                         on + 2000, TCP on + 3000 (m1: 9080, 10080, 11080), and /1/server/get names them
#   --hazelcast-port P    Hazelcast port of m1; member i gets P+i-1 (default 5701)
#   --tcp-port P          TCP subscribe port (push.tcp.bind) of m1 instead of the default; member i gets P+i-1
#   --free-ports          free ports picked at random instead of the ones above (an HTTP port whose
#                         + 1000, + 2000 and + 3000 are free too)
#   --public-websocket H:P  the address /1/server/get?p=1 names for m1 (push.public.websocket); member i
#                         gets H:P+i-1. Behind a proxy that gives every member a port of its own (see
#                         server-config/nginx/push.conf); unset, each member names its WebSocket listener
#   --proxies CIDRS       push.proxies of every member: the proxies whose X-Forwarded-For/Forwarded is
#                         believed (127.0.0.1 for an nginx on this host, see server-config/nginx/push.conf)
#   --jvm "OPTS"          JVM options of each member (default "-Xmx512m"; on a small machine
#                         "-Xmx384m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC" boots about twice as fast)
#   --micro "OPTS"        more Payara Micro options for each member (--systemproperties FILE,
#                         --postbootcommandfile FILE, --addLibs DIR, ...)
#   --timeout S           how long start waits for the members (default 300)
# Options of every command:
#   --run-dir DIR         logs (mI.log), PIDs (mI.pid) and root directories (mI/) of the members, and the
#                         cluster's name (default: target/local-cluster in the repository)
#
# Needs: mvn -B -pl push-web -am package -DskipTests (the WAR) and Payara Micro, from
# push-web/target/payara-micro.jar (copied there by mvn verify) or the local Maven repository.
# Every member listens on 127.0.0.1 only; serving other hosts needs other --interfaces, HTTP listener
# address, Hazelcast member list and bind settings than these.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RUN_DIR="$ROOT/target/local-cluster"
STOP_GRACE=60

usage() { sed -n '2,45p' "$0"; exit 2; }
fail() { echo "local-cluster: $*" >&2; exit 1; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Sets PICKED to a port of 127.0.0.1 that nothing listens on and that no earlier call picked.
PICKED="" PICKED_ALL=" "
pick_free_port() {
  for _ in $(seq 1 100); do
    PICKED=$(( 20000 + RANDOM % 12000 ))
    [[ "$PICKED_ALL" == *" $PICKED "* ]] || port_in_use $PICKED || { PICKED_ALL+="$PICKED "; return; }
  done
  fail "no free port found"
}

# Sets PICKED to a free HTTP port whose listeners of our own (+ 1000, + 2000, + 3000) are free too.
pick_free_http_port() {
  local p q ok
  for _ in $(seq 1 100); do
    p=$(( 20000 + RANDOM % 30000 )) ok=true
    for q in $p $((p + 1000)) $((p + 2000)) $((p + 3000)); do
      if port_in_use "$q" || [[ "$PICKED_ALL" == *" $q "* ]]; then ok=false; fi
    done
    if $ok; then
      PICKED=$p PICKED_ALL+="$p $((p + 1000)) $((p + 2000)) $((p + 3000)) "
      return
    fi
  done
  fail "no free HTTP port with free listener ports found"
}

# The PID of member $1 if that process still runs with this cluster's name on its command line (so that
# a PID the system has reused for something else is never signalled).
member_pid() {
  local pidfile="$RUN_DIR/$1.pid" pid
  [ -f "$pidfile" ] && [ -f "$RUN_DIR/cluster-name" ] || return 1
  pid=$(cat "$pidfile")
  [ -r "/proc/$pid/cmdline" ] && tr '\0' '\n' < "/proc/$pid/cmdline" | grep -qxF "$(cat "$RUN_DIR/cluster-name")" \
    && echo "$pid"
}

members() {
  local f
  for f in "$RUN_DIR"/m*.pid; do [ -e "$f" ] && basename "$f" .pid; done | sort -V
}

member_answers() {
  curl -s -m 2 "http://127.0.0.1:$1/1/time/get" 2>/dev/null | grep -q '"ret":0'
}

# The data grid size member $1 logged last (Payara prints its view after every membership change).
grid_size() {
  grep -o 'DG Size: [0-9]*' "$RUN_DIR/$1.log" 2>/dev/null | tail -1 | grep -o '[0-9]*$' || echo 0
}

stop_members() {
  local m pid running=()
  for m in $(members); do
    if pid=$(member_pid "$m"); then kill "$pid" 2>/dev/null || true; running+=("$m:$pid"); fi
  done
  local deadline=$(( $(date +%s) + STOP_GRACE )) entry
  for entry in "${running[@]}"; do
    m=${entry%%:*} pid=${entry#*:}
    while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt $deadline ]; do sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$m (pid $pid) still running after ${STOP_GRACE} s: SIGKILL"
      kill -9 "$pid" 2>/dev/null || true
    fi
    echo "stopped $m (pid $pid)"
  done
  rm -f "$RUN_DIR"/m*.pid
}

start() {
  local size=$1; shift
  [[ "$size" =~ ^[1-9][0-9]*$ ]] || fail "start needs a number of members, not '$size'"
  local store="" http_port=8080 hz_port=5701 tcp_port="" free=false public="" proxies="" jvm="-Xmx512m" micro="" timeout=300
  while [ $# -gt 0 ]; do
    case "$1" in
      --store) store=$2; shift 2;;
      --http-port) http_port=$2; shift 2;;
      --hazelcast-port) hz_port=$2; shift 2;;
      --tcp-port) tcp_port=$2; shift 2;;
      --free-ports) free=true; shift;;
      --public-websocket) public=$2; shift 2;;
      --proxies) proxies=$2; shift 2;;
      --jvm) jvm=$2; shift 2;;
      --micro) micro=$2; shift 2;;
      --timeout) timeout=$2; shift 2;;
      --run-dir) RUN_DIR=$2; shift 2;;
      *) usage;;
    esac
  done
  mkdir -p "$RUN_DIR"
  RUN_DIR="$(cd "$RUN_DIR" && pwd)"
  local m
  for m in $(members); do
    member_pid "$m" >/dev/null && fail "$m of a cluster in $RUN_DIR still runs: stop it first"
  done

  local war="$ROOT/push-web/target/push-web.war"
  [ -f "$war" ] || fail "no $war: mvn -B -pl push-web -am package -DskipTests"
  local version micro_jar
  version=$(sed -n 's:.*<payara.version>\(.*\)</payara.version>.*:\1:p' "$ROOT/pom.xml")
  micro_jar="$ROOT/push-web/target/payara-micro.jar"
  [ -f "$micro_jar" ] || micro_jar="$HOME/.m2/repository/fish/payara/extras/payara-micro/$version/payara-micro-$version.jar"
  [ -f "$micro_jar" ] || fail "no Payara Micro $version jar: run mvn -B verify once"

  local -a http hz tcp
  local i p
  for i in $(seq 1 "$size"); do
    if $free; then
      pick_free_http_port; http[i]=$PICKED
      pick_free_port; hz[i]=$PICKED
      tcp[i]=$(( http[i] + 3000 ))
    else
      http[i]=$(( http_port + i - 1 )) hz[i]=$(( hz_port + i - 1 ))
      tcp[i]=$(( ${tcp_port:-$(( http_port + 3000 ))} + i - 1 ))
      for p in "${http[i]}" "${hz[i]}" $(( http[i] + 1000 )) $(( http[i] + 2000 )) "${tcp[i]}"; do
        port_in_use "$p" && fail "port $p of 127.0.0.1 is in use (choose other ports or --free-ports)"
      done
    fi
  done
  local member_list=""
  for i in $(seq 1 "$size"); do member_list+="${member_list:+,}127.0.0.1:${hz[i]}"; done

  local -a store_props=()
  if [ -n "$store" ]; then
    local servers="" n=0 uri
    IFS=, read -ra uris <<< "$store"
    for uri in "${uris[@]}"; do
      n=$((n + 1))
      [[ "$uri" == *=* ]] || uri="r$n=$uri"
      servers+="${servers:+,}$uri"
    done
    store_props=(-Dpush.store=redis "-Dpush.redis.servers=$servers")
  elif [ "$size" -gt 1 ]; then
    echo "local-cluster: no --store: unless --micro points the default datasource at a shared database, each member" >&2
    echo "  keeps messages in its own H2 database and a message stored through one cannot be fetched through another" >&2
  fi

  local cluster_name
  cluster_name="push-local-$(date +%s)-$$"
  rm -rf "$RUN_DIR"/m[0-9]* "$RUN_DIR/cluster-name"
  echo "$cluster_name" > "$RUN_DIR/cluster-name"
  local public_host="" public_port=""
  if [ -n "$public" ]; then public_host=${public%:*} public_port=${public##*:}; fi

  for i in $(seq 1 "$size"); do
    m="m$i"
    mkdir -p "$RUN_DIR/$m/tmp"
    local public_ws="127.0.0.1:$(( http[i] + 1000 ))"
    local -a listener_props=()
    if [ -n "$public" ]; then
      public_ws="$public_host:$(( public_port + i - 1 ))"
      listener_props+=("-Dpush.public.websocket=$public_ws")
    fi
    [ -n "$tcp_port" ] && listener_props+=("-Dpush.tcp.bind=127.0.0.1:${tcp[i]}")
    [ -n "$proxies" ] && listener_props+=("-Dpush.proxies=$proxies")
    # The heartbeat settings make a member that stopped answering leave the data grid after 5 s (Hazelcast's
    # default is 60 s; a killed process on this host is noticed sooner, from its refused connections). The
    # merge settings bring a member that was cut off (e.g. paused) back within seconds instead of 5 minutes.
    # --nohostaware: host-aware partitioning keeps backups off members of the same address, which on one
    # host would be every member.
    # shellcheck disable=SC2086
    nohup java $jvm -Djava.io.tmpdir="$RUN_DIR/$m/tmp" -Djava.net.preferIPv4Stack=true \
        -Dhazelcast.socket.bind.any=false -Dh2.bindAddress=127.0.0.1 -Dhazelcast.phone.home.enabled=false \
        -Dhazelcast.heartbeat.interval.seconds=1 -Dhazelcast.max.no.heartbeat.seconds=5 \
        -Dhazelcast.merge.first.run.delay.seconds=10 -Dhazelcast.merge.next.run.delay.seconds=5 \
        -Dpush.node.name=$m "${listener_props[@]}" "${store_props[@]}" \
        -jar "$micro_jar" --deploy "$war" --contextroot / --name $m --rootdir "$RUN_DIR/$m/root" \
        --port ${http[i]} --interfaces 127.0.0.1 --prebootcommandfile "$ROOT/server-config/micro/loopback.asadmin" \
        --clustername "$cluster_name" --clustermode "tcpip:$member_list" --startport ${hz[i]} \
        --nohostaware --disablephonehome $micro \
        < /dev/null > "$RUN_DIR/$m.log" 2>&1 &
    echo $! > "$RUN_DIR/$m.pid"
    echo "$m: pid $!, http 127.0.0.1:${http[i]} (listeners of our own: websocket $(( http[i] + 1000 )), http $(( http[i] + 2000 )), tcp ${tcp[i]}), hazelcast ${hz[i]}, /1/server/get names $public_ws, log $RUN_DIR/$m.log"
  done

  local started deadline pending
  started=$(date +%s) deadline=$(( $(date +%s) + timeout ))
  while :; do
    pending=""
    for i in $(seq 1 "$size"); do
      m="m$i"
      member_pid "$m" >/dev/null || { tail_logs; stop_members; fail "$m exited while starting (log $RUN_DIR/$m.log)"; }
      if ! member_answers "${http[i]}" || [ "$(grid_size "$m")" != "$size" ]; then pending+=" $m"; fi
    done
    [ -z "$pending" ] && break
    if [ "$(date +%s)" -ge $deadline ]; then
      tail_logs; stop_members; fail "not ready after $timeout s:$pending"
    fi
    sleep 1
  done
  echo "cluster $cluster_name: $size member(s) answer and see each other after $(( $(date +%s) - started )) s"
}

tail_logs() {
  local m
  for m in $(members); do echo "---- last lines of $RUN_DIR/$m.log"; tail -15 "$RUN_DIR/$m.log"; done >&2
}

status() {
  [ -f "$RUN_DIR/cluster-name" ] || fail "no cluster in $RUN_DIR"
  echo "cluster $(cat "$RUN_DIR/cluster-name") in $RUN_DIR"
  local m pid port
  [ -n "$(members)" ] || echo "no member running"
  for m in $(members); do
    port=$(tr '\0' '\n' < "/proc/$(cat "$RUN_DIR/$m.pid")/cmdline" 2>/dev/null | grep -A1 -x -- --port | tail -1 || true)
    if pid=$(member_pid "$m"); then
      printf '%s: pid %s, http 127.0.0.1:%s, %s, data grid of %s\n' "$m" "$pid" "$port" \
        "$(member_answers "$port" && echo answers || echo 'does not answer')" "$(grid_size "$m")"
    else
      echo "$m: not running"
    fi
  done
}

[ $# -ge 1 ] || usage
command=$1; shift
case "$command" in
  start) [ $# -ge 1 ] || usage; start "$@";;
  stop|status)
    while [ $# -gt 0 ]; do
      case "$1" in --run-dir) RUN_DIR=$2; shift 2;; *) usage;; esac
    done
    [ -d "$RUN_DIR" ] || fail "no run directory $RUN_DIR"
    RUN_DIR="$(cd "$RUN_DIR" && pwd)"
    if [ "$command" = stop ]; then stop_members; else status; fi;;
  -h|--help) usage;;
  *) usage;;
esac
