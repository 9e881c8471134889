#!/usr/bin/env bash
# Starts the broker of docker-compose.yml from the official apache/kafka image's Kafka distribution, secured as
# kafka-broker's StandaloneKafka (the local run) and production are: single node, KRaft combined mode;
#   INTERNAL  SASL_PLAINTEXT, SCRAM-SHA-512  kafka:9092       the services, the provisioning step, inter-broker (as admin)
#   EXTERNAL  SASL_PLAINTEXT, SCRAM-SHA-512  127.0.0.1:9094   clients on the VM itself (published on loopback only)
#   CONTROLLER SASL_PLAINTEXT, PLAIN          127.0.0.1:9093   inside the container only; a static controller user, because a
#             PLAINTEXT controller listener would register the broker as User:ANONYMOUS (TECH-NOTES §8)
# StandardAuthorizer with allow.everyone.if.no.acl.found=false; super users admin and controller.
#
# Why not the image's own start-up (KAFKA_* environment variables -> server.properties): it formats the storage with a
# cluster id only, and the admin's SCRAM credential has to be in the metadata before the broker starts (it is also the
# inter-broker login), so this script formats with `kafka-storage.sh format --add-scram` itself, on first start.
set -euo pipefail

KAFKA_HOME=${KAFKA_HOME:-/opt/kafka}
DATA_DIR=${KAFKA_DATA_DIR:-/var/lib/kafka/data}
SECRETS_DIR=${KAFKA_SECRETS_DIR:-/run/pupilflow/kafka}
CONFIG=${KAFKA_CONFIG_FILE:-/tmp/pupilflow-server.properties}
INTERNAL_HOST=${KAFKA_INTERNAL_HOST:-kafka}
INTERNAL_PORT=${KAFKA_INTERNAL_PORT:-9092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
EXTERNAL_PORT=${KAFKA_EXTERNAL_PORT:-9094}
# What clients outside the compose network are told to connect to (the port published on the host's loopback).
EXTERNAL_ADVERTISED=${KAFKA_EXTERNAL_ADVERTISED:-127.0.0.1:$EXTERNAL_PORT}

admin_password=$(cat "$SECRETS_DIR/admin.password")
controller_password=$(cat "$SECRETS_DIR/controller.password")

umask 077   # the configuration holds the super users' passwords
cat > "$CONFIG" <<PROPERTIES
# Written by deploy/compose/kafka/start.sh at every start (secret: passwords below).
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
controller.listener.names=CONTROLLER
listeners=INTERNAL://0.0.0.0:$INTERNAL_PORT,EXTERNAL://0.0.0.0:$EXTERNAL_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=INTERNAL://$INTERNAL_HOST:$INTERNAL_PORT,EXTERNAL://$EXTERNAL_ADVERTISED
inter.broker.listener.name=INTERNAL
listener.security.protocol.map=INTERNAL:SASL_PLAINTEXT,EXTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.internal.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin_password";
listener.name.external.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="controller" password="$controller_password" user_controller="$controller_password";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:controller
allow.everyone.if.no.acl.found=false
log.dirs=$DATA_DIR
num.partitions=6
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPERTIES

if [ ! -f "$DATA_DIR/meta.properties" ]; then
  echo "Formatting $DATA_DIR with the admin's SCRAM-SHA-512 credential"
  cluster_id=$("$KAFKA_HOME/bin/kafka-storage.sh" random-uuid | tail -n 1)
  # Its output lists the bootstrap records, the admin's salted SCRAM keys among them: shown only if formatting fails.
  if ! formatted=$("$KAFKA_HOME/bin/kafka-storage.sh" format -t "$cluster_id" -c "$CONFIG" \
      --add-scram "SCRAM-SHA-512=[name=admin,password=$admin_password]" 2>&1); then
    echo "$formatted" >&2
    exit 1
  fi
  echo "$formatted" | tail -n 1
fi

exec "$KAFKA_HOME/bin/kafka-server-start.sh" "$CONFIG"
