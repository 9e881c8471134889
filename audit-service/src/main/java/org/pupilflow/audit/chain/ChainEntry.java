package org.pupilflow.audit.chain;

/** A row's position and content, as decoded from its canonical bytes. */
public record ChainEntry<R>(ChainPosition position, R content) {
}
