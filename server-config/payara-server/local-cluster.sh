#!/usr/bin/env bash
# A local Payara Server cluster running the push server, on 127.0.0.1 only: one domain (its DAS) and a
# deployment group of N instances on this machine, which form one Domain Data Grid (Hazelcast, its
# members listed by address, never found by multicast), with push-ear.ear deployed to the group and
# push-api.jar on the server's common class path (so that other applications can inject PushService).
#
#   server-config/payara-server/local-cluster.sh start [N]   create (N instances, 2 by default) and start
#   server-config/payara-server/local-cluster.sh stop        stop the instances and the DAS
#   server-config/payara-server/local-cluster.sh status      list the instances
#
# start on an existing cluster starts it again as it was (N is then ignored). To begin afresh, stop it
# and remove CLUSTER_DIR. Settings, with their defaults:
#   PAYARA_HOME     Payara Server 6 (the directory holding bin/asadmin) [push-ear/target/payara-server/payara6,
#                   which `mvn -B -pl push-ear -am verify` unpacks from Maven Central]
#   CLUSTER_DIR     where the domain and the instances live [push-ear/target/payara-cluster]
#   PORT_BASE       the DAS uses PORT_BASE+0..99 (admin console and asadmin on PORT_BASE+48, data grid on
#                   +49), instance i (push-1, push-2, ...) uses PORT_BASE+100*i+0..99 (HTTP on +80, HTTPS
#                   on +81, data grid on +59) [28000]; its listeners of our own are where the defaults put
#                   them, on its HTTP port + 1000 (WebSocket), + 2000 (HTTP) and + 3000 (TCP): push-1 on
#                   29180, 30180 and 31180 (so at most 10 instances before they reach another's block)
#   PUSH_EAR        the application [push-ear/target/push-ear.ear]
#   PUSH_SETTINGS   a file of name=value lines (push.* settings), given to every instance as system
#                   properties (for example server-config/redis/push-redis.properties) [none: the defaults]
#   INSTANCE_JVM_OPTIONS  extra JVM options of the instances, space-separated [none]
#   ASADMIN_TIMEOUT seconds any one asadmin command may take [600]
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
PAYARA_HOME="${PAYARA_HOME:-$root/push-ear/target/payara-server/payara6}"
CLUSTER_DIR="${CLUSTER_DIR:-$root/push-ear/target/payara-cluster}"
PORT_BASE="${PORT_BASE:-28000}"
PUSH_EAR="${PUSH_EAR:-$root/push-ear/target/push-ear.ear}"
PUSH_SETTINGS="${PUSH_SETTINGS:-}"
INSTANCE_JVM_OPTIONS="${INSTANCE_JVM_OPTIONS:-}"
ASADMIN_TIMEOUT="${ASADMIN_TIMEOUT:-600}"

domain=push
config=push-config
group=push-group
node=push-node
domains_dir="$CLUSTER_DIR/domains"
nodes_dir="$CLUSTER_DIR/nodes"
admin_port=$((PORT_BASE + 48))

instance_port_base() {
  echo $((PORT_BASE + 100 * $1))
}

data_grid_port() {
  echo $(($(instance_port_base "$1") + 59))
}

asadmin() {
  echo "$(date +%T) asadmin $*" >&2
  timeout "$ASADMIN_TIMEOUT" "$PAYARA_HOME/bin/asadmin" --interactive=false "$@"
}

remote() {
  asadmin --host 127.0.0.1 --port "$admin_port" "$@"
}

# An item of an asadmin list (name=value:name=value..., or JVM options a:b...): '\', ':' and '=' escaped.
list_item() {
  local item="${1//\\/\\\\}"
  item="${item//:/\\:}"
  printf '%s' "${item//=/\\=}"
}

# A word of a multimode command file, which takes away one level of '\' itself.
multimode_word() {
  printf '%s' "${1//\\/\\\\}"
}

create_domain() {
  asadmin create-domain --domaindir "$domains_dir" --portbase "$PORT_BASE" --checkports=true \
    --nopassword=true "$domain"
  # Pre-boot commands cannot reach these before the DAS has booted once, and at that boot it would
  # already have bound every interface (Hazelcast, the JMS listener) and called home. The push server
  # uses no JMS.
  sed -i '/<config name="server-config">/a\
      <system-property name="hazelcast.socket.bind.any" value="false"></system-property>\
      <system-property name="h2.bindAddress" value="127.0.0.1"></system-property>\
      <jms-service type="DISABLED" default-jms-host="default_JMS_host"><jms-host name="default_JMS_host" host="127.0.0.1" port="${JMS_PROVIDER_PORT}"></jms-host></jms-service>\
      <phone-home-runtime-configuration enabled="false"></phone-home-runtime-configuration>' \
    "$domains_dir/$domain/config/domain.xml"
}

# Payara's default "domain" discovery replaces a DAS address of 127.0.0.1 by this machine's network
# address, so the members are listed instead: the DAS's data grid port and each instance's.
das_preboot_commands() {
  local instances="$1" members i
  members="127.0.0.1:$((PORT_BASE + 49))"
  for i in $(seq 1 "$instances"); do
    members="$members,127.0.0.1:$(data_grid_port "$i")"
  done
  cat "$root/server-config/payara-server/das-loopback.asadmin"
  echo "set hazelcast-runtime-configuration.tcpip-members=$members"
}

# The asadmin commands that create the deployment group's configuration and instances.
group_commands() {
  local instances="$1" listener property name value i
  echo "create-node-config --nodehost 127.0.0.1 --nodedir $nodes_dir --installdir $PAYARA_HOME $node"
  echo "copy-config default-config $config"
  for listener in admin-listener http-listener-1 http-listener-2; do
    echo "set configs.config.$config.network-config.network-listeners.network-listener.$listener.address=127.0.0.1"
  done
  for listener in orb-listener-1 SSL SSL_MUTUALAUTH; do
    echo "set configs.config.$config.iiop-service.iiop-listener.$listener.address=127.0.0.1"
  done
  # Grizzly closes a keep-alive connection after 250 requests by default: back ends push on few
  # connections for hours, and one that does not reconnect stalls
  for listener in http-listener-1 http-listener-2; do
    echo "set configs.config.$config.network-config.protocols.protocol.$listener.http.max-connections=-1"
  done
  echo "set configs.config.$config.admin-service.jmx-connector.system.address=127.0.0.1"
  echo "set configs.config.$config.jms-service.jms-host.default_JMS_host.host=127.0.0.1"
  echo "set configs.config.$config.jms-service.type=DISABLED"
  echo "create-system-properties --target $config hazelcast.socket.bind.any=false:h2.bindAddress=127.0.0.1"
  # An instance's EJB timer database is created empty, so an application using the TimerService fails
  # to load there (Payara issues 3360, 6381); the data grid keeps the timers instead.
  echo "set configs.config.$config.ejb-container.ejb-timer-service.ejb-timer-service=DataGrid"
  for option in $INSTANCE_JVM_OPTIONS; do
    echo "create-jvm-options --target $config $(multimode_word "${option//:/\\:}")"
  done
  if [ -n "$PUSH_SETTINGS" ]; then
    while IFS= read -r property || [ -n "$property" ]; do
      case "$property" in '' | '#'* | '!'*) continue ;; esac
      name="${property%%=*}"
      value="${property#*=}"
      case "$value" in *[[:space:]]*) echo "$PUSH_SETTINGS: $name: a value with white space cannot be given" >&2; exit 2 ;; esac
      echo "create-system-properties --target $config $(multimode_word "$(list_item "$name")=$(list_item "$value")")"
    done < "$PUSH_SETTINGS"
  fi
  echo "create-deployment-group $group"
  for i in $(seq 1 "$instances"); do
    # each instance is its own member of the push server's ring
    echo "create-instance --node $node --config $config --portbase $(instance_port_base "$i") --checkports=true --systemproperties HZ_LISTENER_PORT=$(data_grid_port "$i"):push.node.name=push-$i push-$i"
    echo "add-instance-to-deployment-group --instance push-$i --deploymentgroup $group"
  done
}

create_cluster() {
  local instances="$1"
  mkdir -p "$CLUSTER_DIR"
  create_domain
  das_preboot_commands "$instances" > "$CLUSTER_DIR/das-preboot.asadmin"
  asadmin start-domain --domaindir "$domains_dir" --prebootcommandfile "$CLUSTER_DIR/das-preboot.asadmin" "$domain"
  group_commands "$instances" > "$CLUSTER_DIR/group.asadmin"
  remote multimode --file "$CLUSTER_DIR/group.asadmin"
  # on the common class path of the DAS, and of each instance when it synchronises with the DAS at start
  unzip -p "$PUSH_EAR" lib/push-api.jar > "$CLUSTER_DIR/push-api.jar"
  remote add-library --type common "$CLUSTER_DIR/push-api.jar"
  # deployed before the instances start, each loads it as it starts
  remote deploy --target "$group" --name push "$PUSH_EAR"
  remote start-deployment-group --timeout "$ASADMIN_TIMEOUT" "$group"
}

start() {
  local instances="${1:-2}" dir i
  case "$instances" in '' | *[!0-9]* | 0) echo "the number of instances must be a positive integer" >&2; exit 2 ;; esac
  if [ -d "$domains_dir/$domain" ]; then
    asadmin start-domain --domaindir "$domains_dir" "$domain"
    remote start-deployment-group --timeout "$ASADMIN_TIMEOUT" "$group"
  else
    create_cluster "$instances"
  fi
  remote list-instances --long=true
  echo "Admin console: http://127.0.0.1:$admin_port/"
  for dir in "$nodes_dir/$node"/push-*; do
    i="${dir##*/push-}"
    wait_for_application "http://127.0.0.1:$(($(instance_port_base "$i") + 80))"
  done
}

# An instance reports itself running before it has loaded its applications.
wait_for_application() {
  local url="$1" attempt
  for attempt in $(seq 1 150); do
    if curl -fsS -m 5 -o /dev/null "$url/1/time/get" 2>/dev/null; then
      echo "push server answering at $url/"
      return
    fi
    sleep 2
  done
  echo "no answer from $url/ after 5 minutes: see the instance's server.log under $nodes_dir/$node" >&2
  return 1
}

stop() {
  local dir
  if [ -d "$domains_dir/$domain" ]; then
    remote stop-deployment-group "$group" || true
  fi
  # also stops instances the DAS no longer answers for, and kills those that do not stop in time
  for dir in "$nodes_dir/$node"/push-*; do
    [ -d "$dir" ] || continue
    asadmin stop-local-instance --nodedir "$nodes_dir" --node "$node" --timeout 120 "${dir##*/}" \
      || asadmin stop-local-instance --nodedir "$nodes_dir" --node "$node" --kill=true "${dir##*/}" || true
  done
  if [ -d "$domains_dir/$domain" ]; then
    asadmin stop-domain --domaindir "$domains_dir" --timeout 120 "$domain" \
      || asadmin stop-domain --domaindir "$domains_dir" --kill=true "$domain"
  fi
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop ;;
  status) remote list-instances --long=true ;;
  *) sed -n '2,9p' "$0" >&2; exit 2 ;;
esac
