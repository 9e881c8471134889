package org.pupilflow.ingest.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what: {@code census:upload} for returns, {@code objections:write} to record or
 * withdraw objections, {@code objections:read} to look them up. No token → 401; a token without
 * the role → 403. Health and metrics stay open for the platform.
 */
@Configuration(proxyBeanMethods = false)
public class IngestSecurity {

    public static final String UPLOAD = "census:upload";
    public static final String OBJECTIONS_WRITE = "objections:write";
    public static final String OBJECTIONS_READ = "objections:read";

    @Bean
    SecurityFilterChain ingestSecurityFilterChain(HttpSecurity http, JwtAuthenticationConverter roles) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/prometheus", "/actuator/info").permitAll()
                        // Errors are rendered by a forward to /error; denying it would turn every 404 into a 403.
                        .requestMatchers("/error").permitAll()
                        .requestMatchers("/returns", "/returns/**").hasAuthority(UPLOAD)
                        .requestMatchers(HttpMethod.GET, "/objections").hasAuthority(OBJECTIONS_READ)
                        .requestMatchers(HttpMethod.POST, "/objections", "/objections/*/withdraw").hasAuthority(OBJECTIONS_WRITE)
                        .anyRequest().denyAll())
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.jwtAuthenticationConverter(roles)));
        return http.build();
    }
}
