package org.pupilflow.audit.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may ask what: {@code audit:read} for subject access, listings and summaries;
 * {@code audit:verify} for verification; health and Prometheus metrics are open. No token or an
 * invalid one gets 401, a valid token without the role 403. Tokens come from
 * {@code service-security} (the LA's identity provider, or the local-dev key).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    public static final String READ = "audit:read";
    public static final String VERIFY = "audit:verify";

    @Bean
    SecurityFilterChain auditSecurity(HttpSecurity http, JwtAuthenticationConverter roles) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**", "/actuator/prometheus", "/actuator/info").permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers(HttpMethod.GET, "/audit/verify").hasAuthority(VERIFY)
                        .requestMatchers(HttpMethod.GET, "/audit/subjects/*", "/audit/disclosures", "/audit/summary").hasAuthority(READ)
                        .anyRequest().denyAll())
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.jwtAuthenticationConverter(roles)))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .build();
    }
}
