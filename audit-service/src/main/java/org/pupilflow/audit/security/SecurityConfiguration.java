package org.pupilflow.audit.security;

import org.pupilflow.security.ApiSecurity;
import org.pupilflow.security.EndpointRoles;
import org.pupilflow.security.EndpointRoles.Endpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may ask what: {@code audit:read} for subject access, listings and summaries;
 * {@code audit:verify} for verification; health, Prometheus metrics and the API reference are
 * open. No token or an invalid one gets 401, a valid token without the role 403 naming it. Tokens
 * come from {@code service-security} (the LA's identity provider, or the local-dev key).
 * {@link #ROLES} is the one table the filter chain, the API reference and the README come from.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    public static final String READ = "audit:read";
    public static final String VERIFY = "audit:verify";

    public static final EndpointRoles ROLES = EndpointRoles.of("audit-service",
            new Endpoint(HttpMethod.GET, "/audit/subjects/*", READ, "subject access: a pupil's whole history (JSON or CSV)"),
            new Endpoint(HttpMethod.GET, "/audit/disclosures", READ, "audit events by recipient, time, outcome, return"),
            new Endpoint(HttpMethod.GET, "/audit/summary", READ, "counts per recipient and outcome, deliveries"),
            new Endpoint(HttpMethod.GET, "/audit/policy-changes", READ, "every change of the policy in force: who, when, old and new hash, verified"),
            new Endpoint(HttpMethod.GET, "/audit/policy-changes/*", READ, "one policy change's document (YAML)"),
            new Endpoint(HttpMethod.GET, "/audit/verify", VERIFY, "recompute every hash chain now"));

    @Bean
    EndpointRoles auditRoles() {
        return ROLES;
    }

    @Bean
    SecurityFilterChain auditSecurity(HttpSecurity http, ApiSecurity api) throws Exception {
        return api.filterChain(http, ROLES);
    }
}
