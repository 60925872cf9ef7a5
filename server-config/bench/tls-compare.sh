#!/usr/bin/env bash
# tls-compare.sh: keyed pushes and idle memory per connection over TLS against plain TCP, on the
# listeners of our own, with the same client (TlsCompare.java; the project's load client speaks no TLS).
#
#   server-config/bench/tls-compare.sh tls|plain [SUBSCRIBERS (2000)] [PUSHERS (16)] [SECONDS (20)]
#
# Starts Payara Micro with push-web/target/push-web.war on a free loopback port (its listeners of our own
# at the port + 1000 and + 2000), with a self-signed certificate made by keytool for the tls run, then
# runs TlsCompare and, while it holds its subscribers, takes a class histogram of the server (live
# objects, after a full GC) to divide the heap they hold by their number. Prints one summary line.
# Needs: mvn -B -pl push-web -am package -DskipTests
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
MODE=${1:?tls or plain} SUBS=${2:-2000} PUSHERS=${3:-16} SECONDS_=${4:-20}
RUN="$(mktemp -d /tmp/tls-compare.XXXXXX)"
MICRO="$ROOT/push-web/target/payara-micro.jar"
[ -f "$MICRO" ] || MICRO="$(ls "$HOME"/.m2/repository/fish/payara/extras/payara-micro/*/payara-micro-*.jar | tail -1)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
while :; do PORT=$(free_port); [ "$PORT" -lt 60000 ] && break; done
TLS_JVM=""
if [ "$MODE" = tls ]; then
  keytool -genkeypair -alias push -keyalg EC -groupname secp256r1 -dname CN=localhost -ext SAN=ip:127.0.0.1 \
    -validity 2 -storetype PKCS12 -keystore "$RUN/server.p12" -storepass changeit -keypass changeit > /dev/null 2>&1
  TLS_JVM="-Dpush.tls.keystore=$RUN/server.p12 -Dpush.tls.keystore-password=changeit"
fi
# shellcheck disable=SC2086
java -Xms1g -Xmx2g $TLS_JVM -Dhazelcast.socket.bind.any=false -Dh2.bindAddress=127.0.0.1 \
  -jar "$MICRO" --deploy "$ROOT/push-web/target/push-web.war" --contextroot / --port "$PORT" \
  --interfaces 127.0.0.1 --prebootcommandfile "$ROOT/server-config/micro/loopback.asadmin" \
  --disablephonehome --nohazelcast --rootdir "$RUN/micro-root" > "$RUN/server.log" 2>&1 &
SPID=$!
trap 'kill $SPID 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$PORT/1/time/get" | grep -q '"ret":0' && break; sleep 1; done
live_bytes() { jcmd "$SPID" GC.class_histogram > "$RUN/histogram-$1.txt"; awk '/^Total/ {print $3}' "$RUN/histogram-$1.txt"; }
BEFORE=$(live_bytes before)
java "$ROOT/server-config/bench/TlsCompare.java" $((PORT + 1000)) $((PORT + 2000)) "$MODE" "$RUN/server.p12" changeit \
  "$SUBS" "$PUSHERS" "$SECONDS_" 20 > "$RUN/client.out" 2>&1 &
CPID=$!
for _ in $(seq 1 300); do grep -q holding "$RUN/client.out" && break; sleep 1; done
HELD=$(live_bytes held)
wait $CPID
echo "$MODE ($RUN): $(grep -E '^(tls|plain):' "$RUN/client.out"); heap held per connection $(( (HELD - BEFORE) / SUBS )) B ($SUBS subscribers)"
