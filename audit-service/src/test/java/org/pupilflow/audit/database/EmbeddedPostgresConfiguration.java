package org.pupilflow.audit.database;

import com.zaxxer.hikari.HikariDataSource;
import org.pupilflow.audit.AuditProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Tests only (the {@code test} profile): a real PostgreSQL server from Maven Central jars in a
 * temporary directory. Migrations run as its superuser (the schema owner) and the application
 * connects as {@code pupilflow.audit.database.app-role}, exactly as in production. The service's
 * own jar has no embedded database: without {@code spring.datasource.url} it refuses to start
 * ({@link DatabaseRequiredAutoConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@Profile("test")
public class EmbeddedPostgresConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgresServer(AuditProperties properties) {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start("", 0);
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
