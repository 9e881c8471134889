package org.pupilflow.audit.database;

import java.util.HashMap;
import java.util.Map;

import org.pupilflow.audit.AuditProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Gives the migrations the application role's name ({@code ${appRole}} in {@code afterMigrate.sql}). */
@Configuration(proxyBeanMethods = false)
public class FlywayPlaceholders {

    @Bean
    FlywayConfigurationCustomizer appRolePlaceholder(AuditProperties properties) {
        return configuration -> {
            Map<String, String> placeholders = new HashMap<>(configuration.getPlaceholders());
            placeholders.put("appRole", properties.database().appRole());
            configuration.placeholders(placeholders);
        };
    }
}
