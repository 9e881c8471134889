package org.pupilflow.audit.database;

import com.zaxxer.hikari.HikariDataSource;
import org.pupilflow.audit.AuditProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * When no {@code spring.datasource.url} is configured (local run, tests), runs a real PostgreSQL
 * server from Maven Central jars: migrations run as its superuser (the schema owner) and the
 * application connects as {@code pupilflow.audit.database.app-role}, exactly as in production.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDataSourceUrlCondition.class)
public class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgresServer(AuditProperties properties) {
        log.warn("No spring.datasource.url configured: keeping the audit trail in an embedded PostgreSQL server ({}). "
                + "For local development and tests only; production must configure its database.",
                properties.database().embedded().dataDir().isBlank() ? "temporary directory" : properties.database().embedded().dataDir());
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(properties.database().embedded().dataDir(), properties.database().embedded().port());
        server.ensureRole(properties.database().appRole());
        return server;
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgresServer server, AuditProperties properties) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(server.jdbcUrl());
        dataSource.setUsername(properties.database().appRole());
        dataSource.setPoolName("audit");
        return dataSource;
    }

    /** Migrations run as the schema owner, not as the application role. */
    @Bean
    FlywayConfigurationCustomizer embeddedFlywayOwner(EmbeddedPostgresServer server) {
        return configuration -> configuration.dataSource(server.ownerDataSource());
    }
}
