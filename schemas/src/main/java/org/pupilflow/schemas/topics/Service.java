package org.pupilflow.schemas.topics;

/**
 * The PupilFlow services that use the broker. Each runs as its own principal (a SCRAM user of the
 * same name) and may do on the broker exactly what the {@link TopicCatalog} says it does.
 *
 * @see BrokerIdentity the principal, consumer group and transactional-id prefix of each
 */
public enum Service {
    CENSUS_INGEST("census-ingest"),
    SHARING_ROUTER("sharing-router"),
    AUDIT_SERVICE("audit-service"),
    RECIPIENT_ADAPTERS("recipient-adapters");

    private final String id;

    Service(String id) {
        this.id = id;
    }

    /** The service's name: its module, its Spring application name and its principal's user name. */
    public String id() {
        return id;
    }
}
