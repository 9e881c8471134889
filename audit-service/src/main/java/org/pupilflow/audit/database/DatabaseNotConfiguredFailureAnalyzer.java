package org.pupilflow.audit.database;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns {@link DatabaseNotConfiguredException} into one clear line instead of a stack trace. */
public final class DatabaseNotConfiguredFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseNotConfiguredException> {

    /** What to do about it. */
    static final String ACTION = "Set spring.datasource.url, .username and .password (the application role) and spring.flyway.user and "
            + ".password (the schema owner), e.g. SPRING_DATASOURCE_URL=jdbc:postgresql://audit-db:5432/pupilflow_audit; "
            + "locally, ./pupilflow-local starts a PostgreSQL server and passes them.";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DatabaseNotConfiguredException cause) {
        return new FailureAnalysis(cause.getMessage(), ACTION, cause);
    }
}
