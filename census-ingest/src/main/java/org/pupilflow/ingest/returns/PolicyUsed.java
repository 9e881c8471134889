package org.pupilflow.ingest.returns;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The policy a return was checked with and, for a dry run, previewed with: the one the sharing-router published as
 * the policy it applies, in force when the return was received.
 *
 * @param contentHash SHA-256 of the policy document: the router's audit events name the same hash for what it decides
 * @param changedTo   dry runs: the hash of the policy that came into force while the return was read, or absent when
 *                    none did. A preview is never silently of another policy than the router's.
 * @param notice      what {@code changedTo} means, in words
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyUsed(String id, String version, String contentHash, String changedTo, String notice) {
}
