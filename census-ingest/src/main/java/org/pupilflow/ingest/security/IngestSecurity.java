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
 * withdraw objections, {@code objections:read} to look them up, {@code disclosure-officer} to ask for, approve or refuse
 * case-by-case disclosures. No token → 401; a token without
 * the role → 403 naming it. Health, metrics and the API reference stay open. {@link #ROLES} is the
 * one table the filter chain, the API reference and the README's roles table come from.
 */
@Configuration(proxyBeanMethods = false)
public class IngestSecurity {

    public static final String UPLOAD = "census:upload";
    public static final String OBJECTIONS_WRITE = "objections:write";
    public static final String OBJECTIONS_READ = "objections:read";
    /** An officer authorised to ask for, approve or refuse case-by-case disclosures (recipients with delivery: on-request). */
    public static final String DISCLOSURE_OFFICER = "disclosure-officer";

    public static final EndpointRoles ROLES = EndpointRoles.of("census-ingest",
            new Endpoint(HttpMethod.POST, "/returns", UPLOAD, "upload a census return (or dry-run it)"),
            new Endpoint(HttpMethod.GET, "/returns/*", UPLOAD, "a return's report, or its progress while it is read"),
            new Endpoint(HttpMethod.POST, "/objections", OBJECTIONS_WRITE, "record an objection"),
            new Endpoint(HttpMethod.POST, "/objections/*/withdraw", OBJECTIONS_WRITE, "withdraw an objection"),
            new Endpoint(HttpMethod.GET, "/objections", OBJECTIONS_READ, "a pupil's objections"),
            new Endpoint(HttpMethod.POST, "/disclosure-requests", DISCLOSURE_OFFICER, "ask for one case-by-case disclosure of named pupils"),
            new Endpoint(HttpMethod.GET, "/disclosure-requests", DISCLOSURE_OFFICER, "requests waiting for a second approval"),
            new Endpoint(HttpMethod.GET, "/disclosure-requests/*", DISCLOSURE_OFFICER, "a disclosure request and where it stands"),
            new Endpoint(HttpMethod.POST, "/disclosure-requests/*/approve", DISCLOSURE_OFFICER, "approve another officer's request (second approval)"),
            new Endpoint(HttpMethod.POST, "/disclosure-requests/*/refuse", DISCLOSURE_OFFICER, "refuse or withdraw a pending request, with the reason"));

    @Bean
    EndpointRoles ingestRoles() {
        return ROLES;
    }

    @Bean
    SecurityFilterChain ingestSecurityFilterChain(HttpSecurity http, ApiSecurity api) throws Exception {
        return api.filterChain(http, ROLES);
    }
}
