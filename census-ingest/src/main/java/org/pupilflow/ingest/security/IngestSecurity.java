package org.pupilflow.ingest.security;

import org.pupilflow.security.ApiSecurity;
import org.pupilflow.security.EndpointRoles;
import org.pupilflow.security.EndpointRoles.Endpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what: {@code census:upload} for returns, {@code objections:write} to record or
 * withdraw objections, {@code objections:read} to look them up. No token → 401; a token without
 * the role → 403 naming it. Health, metrics and the API reference stay open. {@link #ROLES} is the
 * one table the filter chain, the API reference and the README's roles table come from.
 */
@Configuration(proxyBeanMethods = false)
public class IngestSecurity {

    public static final String UPLOAD = "census:upload";
    public static final String OBJECTIONS_WRITE = "objections:write";
    public static final String OBJECTIONS_READ = "objections:read";

    public static final EndpointRoles ROLES = EndpointRoles.of("census-ingest",
            new Endpoint(HttpMethod.POST, "/returns", UPLOAD, "upload a census return (or dry-run it)"),
            new Endpoint(HttpMethod.GET, "/returns/*", UPLOAD, "a return's report, or its progress while it is read"),
            new Endpoint(HttpMethod.POST, "/objections", OBJECTIONS_WRITE, "record an objection"),
            new Endpoint(HttpMethod.POST, "/objections/*/withdraw", OBJECTIONS_WRITE, "withdraw an objection"),
            new Endpoint(HttpMethod.GET, "/objections", OBJECTIONS_READ, "a pupil's objections"));

    @Bean
    EndpointRoles ingestRoles() {
        return ROLES;
    }

    @Bean
    SecurityFilterChain ingestSecurityFilterChain(HttpSecurity http, ApiSecurity api) throws Exception {
        return api.filterChain(http, ROLES);
    }
}
