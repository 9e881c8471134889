package org.pupilflow.policy.publish;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The policy the router applies, as it publishes it at every start to the compacted policy topic: who reads it
 * (census-ingest for its previews and checks, audit-service for the DPO's record of policy changes) gets the whole
 * document, so each applies exactly the router's policy, and can prove it by the content hash.
 *
 * @param policyId      the policy's id
 * @param policyVersion the LA's version label
 * @param contentHash   SHA-256 (hex) of the document's bytes, as in every audit event
 * @param fileName      the file the router loaded it from (labels errors)
 * @param document      the policy document itself (YAML, UTF-8)
 * @param publishedAt   when the router published it (its start)
 * @param publishedBy   which router instance published it ({@code <service principal>@<host>})
 */
public record PolicyPublication(String policyId, String policyVersion, String contentHash, String fileName, String document,
                                Instant publishedAt, String publishedBy) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public PolicyPublication {
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(policyVersion, "policyVersion");
        Objects.requireNonNull(contentHash, "contentHash");
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(publishedAt, "publishedAt");
        Objects.requireNonNull(publishedBy, "publishedBy");
    }

    /** The publication of a loaded policy and the bytes it was loaded from. */
    public static PolicyPublication of(SharingPolicy policy, String fileName, byte[] document, Instant publishedAt, String publishedBy) {
        return new PolicyPublication(policy.id(), policy.version(), policy.contentHash(), fileName, new String(document, StandardCharsets.UTF_8),
                publishedAt, publishedBy);
    }

    /**
     * The policy, loaded and validated exactly as the router loaded it.
     *
     * @throws IllegalArgumentException when the document does not hash to {@code contentHash} or its id or version differ
     * @throws org.pupilflow.policy.load.InvalidPolicyException when the document is not a valid policy
     */
    public SharingPolicy policy() {
        SharingPolicy policy = new PolicyLoader().parse(fileName == null ? "published policy" : fileName, document.getBytes(StandardCharsets.UTF_8));
        if (!policy.contentHash().equals(contentHash) || !policy.id().equals(policyId) || !policy.version().equals(policyVersion)) {
            throw new IllegalArgumentException("the published document is policy " + policy.id() + " " + policy.version() + " with hash "
                    + policy.contentHash() + ", not " + policyId + " " + policyVersion + " with hash " + contentHash + " as its envelope says");
        }
        return policy;
    }

    public byte[] toJson() {
        return JSON.writeValueAsBytes(this);
    }

    /** @throws IllegalArgumentException when {@code json} is not a publication */
    public static PolicyPublication fromJson(byte[] json) {
        try {
            return JSON.readValue(json, PolicyPublication.class);
        } catch (JacksonException | NullPointerException e) {
            throw new IllegalArgumentException("not a policy publication: " + e.getMessage(), e);
        }
    }
}
