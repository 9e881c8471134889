package org.pupilflow.audit.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pupilflow.audit.AuditServiceApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * audit-service never keeps the audit trail in a database nobody configured: without
 * {@code spring.datasource.url} it stops at once with one clear line, in every profile (the tests'
 * embedded server is active in the {@code test} profile only, and the jar has none).
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseRequiredTest {

    @ParameterizedTest(name = "profile \"{0}\"")
    @ValueSource(strings = {"", "local-dev", "production"})
    void theServiceRefusesToStartWithoutADatabaseUrl(String profile, CapturedOutput output) {
        SpringApplication application = new SpringApplication(AuditServiceApplication.class);
        Throwable failure = catchThrowable(() -> application.run("--spring.profiles.active=" + profile, "--server.port=0",
                "--spring.kafka.bootstrap-servers=127.0.0.1:1", "--pupilflow.audit.checkpoint-key=test-only-audit-checkpoint-key-0123456789abcdef"));

        assertThat(failure).isInstanceOf(DatabaseNotConfiguredException.class)
                .hasMessage("audit-service needs spring.datasource.url (the audit trail's PostgreSQL); "
                        + "an embedded database is for the local run and tests only");
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains(DatabaseNotConfiguredException.MESSAGE)
                .contains(DatabaseNotConfiguredFailureAnalyzer.ACTION)
                .as("one clear line, not a stack trace").doesNotContain("\tat ")
                .as("stopped before the web server or any Kafka client started").doesNotContain("Tomcat started").doesNotContain("ConsumerConfig values");
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DatabaseRequiredAutoConfiguration.class));

    @Test
    void aConfiguredUrlIsEnough() {
        context.withPropertyValues("spring.datasource.url=jdbc:postgresql://audit-db:5432/pupilflow_audit")
                .run(started -> assertThat(started).hasNotFailed());
    }

    @Test
    void aDataSourceOfItsOwnIsEnough() {
        context.withBean(DataSource.class, SimpleDriverDataSource::new).run(started -> assertThat(started).hasNotFailed());
    }

    @Test
    void neitherIsRefused() {
        context.run(started -> assertThat(started).hasFailed().getFailure().isInstanceOf(DatabaseNotConfiguredException.class));
    }

    @Test
    void theFailureIsReportedAsOneLineWithWhatToDo() {
        var analysis = new DatabaseNotConfiguredFailureAnalyzer().analyze(new DatabaseNotConfiguredException());
        assertThat(analysis.getDescription()).isEqualTo(DatabaseNotConfiguredException.MESSAGE).doesNotContain("\n");
        assertThat(analysis.getAction()).contains("spring.datasource.url").contains("spring.flyway.user").contains("./pupilflow-local");
    }
}
