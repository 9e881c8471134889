package org.pupilflow.ingest.policy;

/** A preview or upload that needs the router's policy before any router has published one. */
public final class NoPolicyInForceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoPolicyInForceException(String topic) {
        super("No policy is in force yet: census-ingest previews and checks returns with the policy the sharing-router applies, which the"
                + " router publishes to " + topic + " when it starts, and none has been published. Start the sharing-router, then try again;"
                + " nothing was read or published.");
    }
}
