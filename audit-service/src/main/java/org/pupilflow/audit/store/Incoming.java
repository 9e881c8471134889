package org.pupilflow.audit.store;

/** An event read from Kafka, to be appended to the chain of the partition it came from. */
public record Incoming<R>(String chainId, long sourceOffset, R content) {
}
