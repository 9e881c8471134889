package org.pupilflow.audit.database;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.XADataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * audit-service never keeps the audit trail in a database nobody configured: with no
 * {@code spring.datasource.url} and no {@link DataSource} of its own (only the tests bring one, an
 * embedded server), it stops before any bean is created, with
 * {@link DatabaseNotConfiguredException#MESSAGE} as its one line. The production jar holds no
 * embedded database at all; the local run starts a PostgreSQL server and passes its URL.
 */
@AutoConfiguration(before = {DataSourceAutoConfiguration.class, XADataSourceAutoConfiguration.class})
@ConditionalOnMissingBean(DataSource.class)
@Conditional(DatabaseRequiredAutoConfiguration.NoDataSourceUrl.class)
public class DatabaseRequiredAutoConfiguration {

    /** Runs while the context is still being set up: before the web server, the Kafka clients or the schedulers start. */
    @Bean
    static BeanFactoryPostProcessor auditDatabaseRequired() {
        return beanFactory -> {
            throw new DatabaseNotConfiguredException();
        };
    }

    /** Matches when {@code spring.datasource.url} is not set (or blank). */
    static final class NoDataSourceUrl extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"))
                    ? ConditionOutcome.noMatch("spring.datasource.url is set")
                    : ConditionOutcome.match("no spring.datasource.url");
        }
    }
}
