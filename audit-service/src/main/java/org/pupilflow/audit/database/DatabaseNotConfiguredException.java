package org.pupilflow.audit.database;

/**
 * audit-service was started without {@code spring.datasource.url}: it never keeps the audit trail in
 * a database it starts itself. Reported as one line by {@link DatabaseNotConfiguredFailureAnalyzer}.
 */
public final class DatabaseNotConfiguredException extends RuntimeException {

    /** The line the service stops with. */
    public static final String MESSAGE = "audit-service needs spring.datasource.url (the audit trail's PostgreSQL); "
            + "an embedded database is for the local run and tests only";

    public DatabaseNotConfiguredException() {
        super(MESSAGE);
    }
}
