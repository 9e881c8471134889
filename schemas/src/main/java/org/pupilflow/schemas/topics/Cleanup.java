package org.pupilflow.schemas.topics;

/** The topic's {@code cleanup.policy}. */
public enum Cleanup {
    /** Records expire with the topic's retention. */
    DELETE("delete"),
    /** The latest record of each key is kept forever (state kept in Kafka). */
    COMPACT("compact");

    private final String config;

    Cleanup(String config) {
        this.config = config;
    }

    /** The value of the {@code cleanup.policy} topic config. */
    public String config() {
        return config;
    }
}
