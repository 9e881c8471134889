package org.pupilflow.schemas.kafka;

import org.apache.kafka.common.errors.SerializationException;

/** A single-object encoded record whose writer schema fingerprint is not one this build knows. */
public class UnknownSchemaException extends SerializationException {

    private final String fingerprint;

    public UnknownSchemaException(String expectedType, String fingerprint, String topic) {
        super("Unknown Avro schema fingerprint " + fingerprint + " on topic " + topic + ": it matches no current or released schema of "
                + expectedType + " (was it written by a newer, unreleased or foreign schema?)");
        this.fingerprint = fingerprint;
    }

    public String fingerprint() {
        return fingerprint;
    }
}
