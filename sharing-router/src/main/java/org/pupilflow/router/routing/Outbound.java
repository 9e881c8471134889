package org.pupilflow.router.routing;

/**
 * A record on its way out of the router: the destination topic and the value, either a
 * generated Avro record (recipient disclosures, audit events) or the original bytes of a
 * dead letter.
 */
record Outbound(String topic, Object value) {
}
