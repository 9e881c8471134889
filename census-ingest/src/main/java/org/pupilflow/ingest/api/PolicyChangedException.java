package org.pupilflow.ingest.api;

import org.pupilflow.ingest.policy.PolicyInForce;

/** An upload previewed under one policy while another is in force now. */
final class PolicyChangedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String previewed;
    private final String inForce;

    PolicyChangedException(String previewed, PolicyInForce.Current current) {
        super("This return was previewed under policy " + previewed + ", but the sharing-router now applies " + current.policy().id() + " "
                + current.policy().version() + " (SHA-256 " + current.contentHash() + ", published " + current.publication().publishedAt()
                + "). Nothing was read or published: preview it again under the policy in force, then upload with that hash.");
        this.previewed = previewed;
        this.inForce = current.contentHash();
    }

    String previewed() {
        return previewed;
    }

    String inForce() {
        return inForce;
    }
}
