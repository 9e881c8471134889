package org.pupilflow.audit.store;

/**
 * @param appended    rows written (each took the next sequence number of its chain)
 * @param duplicates  events already stored (or repeated in the batch), skipped without taking a sequence number
 */
public record AppendResult(int appended, int duplicates) {
}
