#!/usr/bin/env bash
# run-scenario.sh: one benchmark run of the push server, recorded in push-web/src/load/runs/DATE.md
# (the summaries go by hand into push-web/src/load/results.md).
#
# It lives in server-config because a benchmark is operator tooling: it measures a server set up the
# way an operator runs it (Payara Micro with the WAR, loopback settings, stated JVM options), and an
# operator sizing a node runs it against their own settings. The load client it drives is built from
# push-web (profile load); nothing here is part of the server or of its tests.
#
#   server-config/bench/run-scenario.sh [run options] SCENARIO [load client options]
#
#   SCENARIO      idle | push | multi | offline (see `java -jar push-web/target/push-load.jar`)
#   --target T    push (default): Payara Micro with push-web/target/push-web.war, --nohazelcast, on a
#                 free loopback port; reference: the wsbench Netty server from ../shared/tools/wsbench
#                 (built once into $WSBENCH_JAR), for figures reported as ratios to it. Against the
#                 reference, multi POSTs each message to its broadcast URL (every subscriber gets it:
#                 pass --conns equal to --keys-per-push), and offline is refused (it stores nothing).
#   --public      push target, multi scenario: each message is a public push (POST /1/admin/push/public),
#                 which reaches every subscriber, as the reference's broadcast does (pass --conns equal
#                 to --keys-per-push, as against the reference)
#   --group       push target, multi scenario: the load client first adds every subscriber's key to the
#                 group "bench" (POST /1/admin/group/add), then each message is a group push (POST
#                 /1/admin/push/group?g=bench), which reaches every subscriber (pass --conns equal to
#                 --keys-per-push; at most push.limit.group-keys, 1000 by default)
#   --redis       push target: the Redis store (push.store=redis) on a redis-server of its own, taken
#                 from the embedded-redis jar in the local Maven repository (the tests' Redis), on a free
#                 loopback port, nothing saved to disk; the run reports the bytes Redis used before and
#                 after (INFO memory)
#   --own-ports   push target only: the server as it runs without settings, subscribers on the WebSocket
#                 listener of our own (Payara's HTTP port + 1000) and requests on the HTTP listener of our
#                 own (+ 2000); without it, both go to Payara's HTTP port (/sub and the HTTP interface's
#                 servlet), with the listeners of our own off, as a deployment that can open one port only
#   --tls         with --own-ports: the listeners of our own speak TLS (push.tls.keystore, a self-signed
#                 EC P-256 certificate made by keytool for the run); subscribers connect with wss:, requests
#                 go with https:, and the load client trusts that certificate (--trust). Not with --client wsbench
#   --jvm "OPTS"  server JVM options (default "-Xms1g -Xmx2g"), recorded with the result
#   --client-jvm "OPTS"  load client JVM options (default "-Xmx1g")
#   --pin         server on CPU 0, load client on CPU 1 (taskset; needs 2 CPUs)
#   --label TEXT  written into the result's heading (e.g. "smoke run, not a measurement")
#   --results F   where to append (default push-web/src/load/runs/YYYY-MM-DD.md, today's date, UTC);
#                 --no-record to skip
#   --max-time S  hard limit for the whole run (default 900); the client gets --max-time S-60
#   --client C    load (default): the project's load client; wsbench: the reference's own tools
#                 (../shared/tools/wsbench/bin/scenario.sh: its client processes and open-loop pusher),
#                 to check one client's figures against the other's. push scenario only; the options
#                 after SCENARIO are then scenario.sh's (-n subscribers, -r pushes/s, -d seconds,
#                 -W warm-up pushes, -z body bytes), and the script supplies the URLs (-w, -P), the
#                 server's PID (-S) and the pusher's options (-Q): its body wrapped in a JSON string
#                 (the push API takes JSON only) plus --pusher OPTS (default "--conns 64": connections,
#                 one push in flight on each). --expire E (default 0) goes into the push URL.
#
# Needs: mvn -B -pl push-web -am package -DskipTests              (push-web.war)
#        mvn -B -Pload -pl push-web -am package -DskipTests       (push-load.jar)
# Example: server-config/bench/run-scenario.sh --pin push --conns 1000 --rate 500 --duration 20 --expire 0
#
# Everything listens on and connects to 127.0.0.1 only. The server is stopped by the PID this script
# started, on exit, on Ctrl-C and after --max-time.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TARGET=push JVM="-Xms1g -Xmx2g" CLIENT_JVM="-Xmx1g" PIN=false LABEL="" RECORD=true MAXT=900 OWN_PORTS=false PUBLIC=false
GROUP=false REDIS=false TLS=false
CLIENT=load PUSHER="--conns 64" EXPIRE=0
RESULTS="$ROOT/push-web/src/load/runs/$(date -u +%Y-%m-%d).md"
WSBENCH_SRC="${WSBENCH_SRC:-$ROOT/../shared/tools/wsbench}"
WSBENCH_JAR="${WSBENCH_JAR:-/tmp/wsbench-ref/wsbench.jar}"
while [ $# -gt 0 ]; do
  case "$1" in
    --target) TARGET=$2; shift 2;;
    --jvm) JVM=$2; shift 2;;
    --client-jvm) CLIENT_JVM=$2; shift 2;;
    --pin) PIN=true; shift;;
    --own-ports) OWN_PORTS=true; shift;;
    --tls) TLS=true; shift;;
    --public) PUBLIC=true; shift;;
    --group) GROUP=true; shift;;
    --redis) REDIS=true; shift;;
    --label) LABEL=$2; shift 2;;
    --results) RESULTS=$2; shift 2;;
    --no-record) RECORD=false; shift;;
    --max-time) MAXT=$2; shift 2;;
    --client) CLIENT=$2; shift 2;;
    --pusher) PUSHER=$2; shift 2;;
    --expire) EXPIRE=$2; shift 2;;
    -h|--help) sed -n '2,56p' "$0"; exit 0;;
    *) break;;
  esac
done
[ $# -ge 1 ] || { sed -n '2,56p' "$0"; exit 2; }
if $TLS; then
  { $OWN_PORTS && [ "$TARGET" = push ] && [ "$CLIENT" = load ]; } \
    || { echo "--tls: push target, --own-ports and the load client only" >&2; exit 2; }
fi
SCENARIO=$1; shift
case "$SCENARIO" in idle|push|multi|offline) ;; *) echo "unknown scenario $SCENARIO" >&2; exit 2;; esac
case "$TARGET" in push|reference) ;; *) echo "unknown target $TARGET" >&2; exit 2;; esac
[ "$TARGET" = reference ] && [ "$SCENARIO" = offline ] && { echo "the reference server stores nothing: no offline scenario" >&2; exit 2; }
case "$CLIENT" in load) ;; wsbench) [ "$SCENARIO" = push ] || { echo "--client wsbench: push scenario only" >&2; exit 2; };;
  *) echo "unknown client $CLIENT" >&2; exit 2;; esac

LOAD_JAR="$ROOT/push-web/target/push-load.jar"
[ "$CLIENT" = wsbench ] || [ -f "$LOAD_JAR" ] || { echo "no $LOAD_JAR: mvn -B -Pload -pl push-web -am package -DskipTests" >&2; exit 2; }

build_wsbench() {
  [ -f "$WSBENCH_JAR" ] && return
  local build
  build=$(mktemp -d /tmp/wsbench-build.XXXXXX)
  cp -r "$WSBENCH_SRC/." "$build/"
  (cd "$build" && timeout 600 mvn -q -B package -DskipTests) || { echo "wsbench build failed in $build" >&2; exit 1; }
  mkdir -p "$(dirname "$WSBENCH_JAR")" && cp "$build/target/wsbench.jar" "$WSBENCH_JAR" && rm -rf "$build"
}

SERVER_PIN="" CLIENT_PIN=""
if $PIN; then
  if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then SERVER_PIN="taskset -c 0" CLIENT_PIN="taskset -c 1"
  else echo "--pin: taskset or a second CPU missing, not pinning" >&2; PIN=false; fi
fi

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 12000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo $p; return; }
  done
  echo "no free port found" >&2; exit 1
}

# a free port whose + 1000, + 2000 and + 3000 (where the server's listeners of our own go by default) are free too
free_port_with_derived() {
  local p q busy
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 12000 )) busy=false
    for q in $p $((p + 1000)) $((p + 2000)) $((p + 3000)); do
      (exec 3<>"/dev/tcp/127.0.0.1/$q") 2>/dev/null && busy=true
    done
    $busy || { echo $p; return; }
  done
  echo "no free port found" >&2; exit 1
}

RUN=$(mktemp -d /tmp/push-bench.XXXXXX)
if [ "$TARGET" = push ]; then PORT=$(free_port_with_derived); else PORT=$(free_port); fi
SPID="" WATCHDOG="" RPID=""
redis_used() {
  [ -n "$RPID" ] || return 0
  exec 5<>"/dev/tcp/127.0.0.1/$REDIS_PORT" && printf 'INFO memory\r\nQUIT\r\n' >&5 \
    && timeout 5 cat <&5 | sed -n 's/^used_memory:\([0-9]*\).*/\1/p'
  exec 5>&-
}
stop_server() {
  [ -n "$RPID" ] && kill "$RPID" 2>/dev/null || true
  [ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2>/dev/null || true
  if [ -n "$SPID" ] && kill -0 "$SPID" 2>/dev/null; then
    kill "$SPID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$SPID" 2>/dev/null && kill -9 "$SPID" 2>/dev/null || true
  fi
  SPID=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

CLIENT_ARGS=()
if [ "$TARGET" = push ]; then
  WAR="$ROOT/push-web/target/push-web.war"
  [ -f "$WAR" ] || { echo "no $WAR: mvn -B -pl push-web -am package -DskipTests" >&2; exit 2; }
  PAYARA_VERSION=$(sed -n 's:.*<payara.version>\(.*\)</payara.version>.*:\1:p' "$ROOT/pom.xml")
  MICRO="$ROOT/push-web/target/payara-micro.jar"
  [ -f "$MICRO" ] || MICRO="$HOME/.m2/repository/fish/payara/extras/payara-micro/$PAYARA_VERSION/payara-micro-$PAYARA_VERSION.jar"
  [ -f "$MICRO" ] || { echo "no Payara Micro $PAYARA_VERSION jar: run mvn -B verify once" >&2; exit 2; }
  SERVER_DESC="Payara Micro $PAYARA_VERSION, push-web.war, --nohazelcast, JPA store on H2 in a fresh root directory"
  OWN_JVM=""
  if $REDIS; then
    REDIS_JAR=$(ls "$HOME"/.m2/repository/com/github/codemonstur/embedded-redis/*/embedded-redis-*.jar 2>/dev/null | tail -1)
    [ -n "$REDIS_JAR" ] || { echo "--redis: no embedded-redis jar in ~/.m2: run mvn -B verify once" >&2; exit 2; }
    REDIS_PORT=$(free_port)
    unzip -p "$REDIS_JAR" redis-server-6.2.6-v5-linux-amd64 > "$RUN/redis-server" && chmod +x "$RUN/redis-server"
    "$RUN/redis-server" --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no > "$RUN/redis.log" 2>&1 &
    RPID=$!
    OWN_JVM="-Dpush.store=redis -Dpush.redis.servers=one=redis://127.0.0.1:$REDIS_PORT"
    SERVER_DESC="${SERVER_DESC/JPA store on H2/Redis store (redis-server 6.2.6 on 127.0.0.1:$REDIS_PORT)}"
  fi
  WS=ws HTTP=http TRUST=()
  if $OWN_PORTS; then
    # no listener setting: the listeners of our own where the defaults put them
    WS_PORT=$((PORT + 1000)) HTTP_PORT=$((PORT + 2000))
    SERVER_DESC="$SERVER_DESC; its defaults: subscribers on the WebSocket listener of our own (127.0.0.1:$WS_PORT), requests on the HTTP listener of our own (127.0.0.1:$HTTP_PORT)"
    if $TLS; then
      keytool -genkeypair -alias push -keyalg EC -groupname secp256r1 -dname CN=localhost -ext SAN=ip:127.0.0.1 \
        -validity 2 -storetype PKCS12 -keystore "$RUN/server.p12" -storepass changeit -keypass changeit > /dev/null 2>&1
      OWN_JVM="$OWN_JVM -Dpush.tls.keystore=$RUN/server.p12 -Dpush.tls.keystore-password=changeit"
      WS=wss HTTP=https TRUST=(--trust "$RUN/server.p12")
      SERVER_DESC="$SERVER_DESC, both over TLS (push.tls.keystore: a self-signed EC P-256 certificate; the JDK's SSLEngine)"
    fi
  else
    # one port, as a deployment that can open no other: the listeners of our own off
    OWN_JVM="$OWN_JVM -Dpush.websocket.bind=off -Dpush.http.bind=off"
    SERVER_DESC="$SERVER_DESC; subscribers on /sub and requests on Payara's port (push.websocket.bind=off, push.http.bind=off)"
  fi
  # shellcheck disable=SC2086
  $SERVER_PIN java $JVM $OWN_JVM -Dhazelcast.socket.bind.any=false -Dh2.bindAddress=127.0.0.1 \
      -jar "$MICRO" --deploy "$WAR" --contextroot / --port "$PORT" \
      --interfaces 127.0.0.1 --prebootcommandfile "$ROOT/server-config/micro/loopback.asadmin" \
      --disablephonehome --nohazelcast --rootdir "$RUN/micro-root" > "$RUN/server.log" 2>&1 &
  SPID=$!
  READY_URL="http://127.0.0.1:$PORT/1/time/get" READY_TEXT='"ret":0' READY_WAIT=240
  CLIENT_ARGS=(--server "http://127.0.0.1:$PORT")
  WSB_SUB="ws://127.0.0.1:$PORT/sub?key={k}&heartbeat=600&ver=1"
  WSB_PUSH="http://127.0.0.1:$PORT/1/admin/push/private?key={k}&expire=$EXPIRE"
  if $OWN_PORTS; then
    # the wsbench client sends no heartbeats: one of 600 s outlasts any run
    WSB_SUB="ws://127.0.0.1:$WS_PORT/sub?key={k}&heartbeat=600&ver=1"
    WSB_PUSH="http://127.0.0.1:$HTTP_PORT/1/admin/push/private?key={k}&expire=$EXPIRE"
    CLIENT_ARGS+=(--sub-url "$WS://127.0.0.1:$WS_PORT/sub?key={k}&heartbeat={h}&ver=1"
                  --push-url "$HTTP://127.0.0.1:$HTTP_PORT/1/admin/push/private?key={k}&expire={e}"
                  --mpush-url "$HTTP://127.0.0.1:$HTTP_PORT/1/admin/push/mprivate?expire={e}"
                  --get-url "$HTTP://127.0.0.1:$HTTP_PORT/1/msg/get?k={k}&m=0" "${TRUST[@]}")
  fi
  if $PUBLIC; then
    CLIENT_ARGS+=(--fanout-url "$HTTP://127.0.0.1:${HTTP_PORT:-$PORT}/1/admin/push/public?expire={e}")
  fi
  if $GROUP; then
    CLIENT_ARGS+=(--group-url "$HTTP://127.0.0.1:${HTTP_PORT:-$PORT}/1/admin/group/add?g=bench"
                  --fanout-url "$HTTP://127.0.0.1:${HTTP_PORT:-$PORT}/1/admin/push/group?g=bench&expire={e}")
  fi
else
  build_wsbench
  SERVER_DESC="wsbench reference server (Netty epoll), $(basename "$WSBENCH_JAR")"
  # shellcheck disable=SC2086
  $SERVER_PIN java $JVM -jar "$WSBENCH_JAR" server --host 127.0.0.1 --port "$PORT" --max-time $((MAXT + 60)) \
      > "$RUN/server.log" 2>&1 &
  SPID=$!
  READY_URL="http://127.0.0.1:$PORT/stats" READY_TEXT='"conns"' READY_WAIT=60
  WSB_SUB="ws://127.0.0.1:$PORT/sub?key={k}" WSB_PUSH="http://127.0.0.1:$PORT/push?key={k}"
  CLIENT_ARGS=(--sub-url "ws://127.0.0.1:$PORT/sub?key={k}" --push-url "http://127.0.0.1:$PORT/push?key={k}"
               --stats-url "http://127.0.0.1:$PORT/stats")
  [ "$SCENARIO" = multi ] && CLIENT_ARGS+=(--fanout-url "http://127.0.0.1:$PORT/push")
fi
# the watchdog stops its sleep when stopped itself, and writes to the server's log, so that nothing of
# it outlives the run or holds the caller's output open
( trap 'kill $nap 2>/dev/null; exit 0' TERM
  sleep "$MAXT" & nap=$!; wait $nap
  echo "run-scenario: --max-time $MAXT s reached, stopping the server"; kill "$SPID" ) >> "$RUN/server.log" 2>&1 &
WATCHDOG=$!

echo "server pid $SPID on 127.0.0.1:$PORT, log $RUN/server.log"
deadline=$(( $(date +%s) + READY_WAIT ))
until curl -s -m 2 "$READY_URL" 2>/dev/null | grep -q "$READY_TEXT"; do
  if ! kill -0 "$SPID" 2>/dev/null || [ "$(date +%s)" -ge $deadline ]; then
    echo "server did not answer $READY_URL; last lines of its log:" >&2; tail -20 "$RUN/server.log" >&2; exit 1
  fi
  sleep 1
done
echo "server answers after $(( $(date +%s) - deadline + READY_WAIT )) s"

[ "$SCENARIO" = idle ] && CLIENT_ARGS+=(--server-gc)
CLIENT_ARGS+=(--server-pid "$SPID" --max-time $((MAXT - 60)) "$@" --out "$RUN/result.json")
LOAD_AVG=$(cut -d' ' -f1-3 /proc/loadavg)
REDIS_BEFORE=$(redis_used)
set +e
if [ "$CLIENT" = wsbench ]; then
  build_wsbench
  # the body t=<send time>;s=<seq>;xxx... inside a JSON string, so that the push API takes it; the
  # subscribers find t= in the frame that carries it, however the server wraps it
  JAR="$WSBENCH_JAR" LAUNCH="$CLIENT_PIN" timeout $((MAXT - 30)) "$WSBENCH_SRC/bin/scenario.sh" -w "$WSB_SUB" \
      -P "$WSB_PUSH" -S "$SPID" -o "$RUN/wsbench" -Q "--template {\"m\":\"{payload}\"} $PUSHER" "$@" \
      > "$RUN/client.out" 2>&1
  RC=$?
  stop_server
  cat "$RUN/client.out"
  SUMMARY=$(grep -h -E '^(PUSH|MERGED)' "$RUN/wsbench/summary.txt" 2>/dev/null | tr '\n' ' ')
  [ -n "$SUMMARY" ] || { echo "no wsbench summary (exit $RC); see $RUN" >&2; exit 1; }
else
  # shellcheck disable=SC2086
  $CLIENT_PIN java $CLIENT_JVM -jar "$LOAD_JAR" "$SCENARIO" "${CLIENT_ARGS[@]}" > "$RUN/client.out" 2> >(tee "$RUN/client.err" >&2)
  RC=$?
  REDIS_AFTER=$(redis_used)
  stop_server
  SUMMARY=$(sed -n 's/^SUMMARY //p' "$RUN/client.out")
  [ -n "$REDIS_BEFORE" ] && SUMMARY="$SUMMARY redis used_memory before=$REDIS_BEFORE after=$REDIS_AFTER"
  echo "$SUMMARY"
  [ -f "$RUN/result.json" ] || { echo "no result (client exit $RC); see $RUN" >&2; exit 1; }
fi
set -e

if $RECORD; then
  mkdir -p "$(dirname "$RESULTS")"
  [ -f "$RESULTS" ] || cat > "$RESULTS" <<'EOF'
# Load client runs

Appended by `server-config/bench/run-scenario.sh`, newest last; the summaries are in `../results.md`. Each entry states the commit, the
machine, the server's JVM settings and the scenario's options; the JSON is the load client's full
result (server statistics before and after included). Entries labelled "smoke run" only prove that
a scenario works end to end: their figures measure nothing.
EOF
  COMMIT="$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- . ':!push-web/src/load/results.md' ':!push-web/src/load/runs' || echo '+uncommitted')"
  CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
  MEM_MB=$(awk '/^MemTotal:/{print int($2/1024)}' /proc/meminfo)
  {
    echo
    echo "## $(date -u +%Y-%m-%dT%H:%M:%SZ) · $SCENARIO · $TARGET$([ "$CLIENT" = wsbench ] && echo ' · wsbench client')${LABEL:+ · $LABEL}"
    echo
    echo "- commit: \`$COMMIT\` ($(git -C "$ROOT" rev-parse --abbrev-ref HEAD))"
    echo "- machine: $(nproc) cores ($CPU_MODEL), $MEM_MB MB memory, load average before the run $LOAD_AVG"
    echo "- server: $SERVER_DESC; JVM \`$JVM\` ($(java -version 2>&1 | head -1)); $($PIN && echo 'pinned to CPU 0' || echo 'not pinned')"
    if [ "$CLIENT" = wsbench ]; then
      echo "- client: wsbench's own tools$($PIN && echo ', pinned to CPU 1'); \`scenario.sh -w '$WSB_SUB' -P '$WSB_PUSH' -Q '--template {\"m\":\"{payload}\"} $PUSHER' $*\`"
    else
      echo "- client: JVM \`$CLIENT_JVM\`$($PIN && echo ', pinned to CPU 1'); \`push-load.jar $SCENARIO $*\`"
    fi
    echo "- exit status: $RC"
    echo "- summary: \`$SUMMARY\`"
    echo
    if [ "$CLIENT" = wsbench ]; then
      echo '```'
      cat "$RUN/wsbench/summary.txt"
    else
      echo '```json'
      cat "$RUN/result.json"
    fi
    echo '```'
  } >> "$RESULTS"
  echo "appended to $RESULTS"
fi
rm -rf "$RUN/micro-root"
exit $RC
