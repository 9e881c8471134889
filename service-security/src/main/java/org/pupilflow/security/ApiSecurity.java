package org.pupilflow.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Builds a service's security filter chain from its {@link EndpointRoles}: stateless, bearer JWTs
 * with the shared token rules, {@link EndpointRoles#PUBLIC} open, each listed endpoint open to its
 * role, everything else refused. A refusal is answered by Spring MVC's exception handling, so 401
 * and 403 are problem documents like every other error (with the usual {@code WWW-Authenticate}).
 */
public final class ApiSecurity {

    private final JwtAuthenticationConverter roles;
    private final HandlerExceptionResolver resolver;

    public ApiSecurity(JwtAuthenticationConverter roles, HandlerExceptionResolver resolver) {
        this.roles = roles;
        this.resolver = resolver;
    }

    public SecurityFilterChain filterChain(HttpSecurity http, EndpointRoles endpoints) throws Exception {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        AuthenticationEntryPoint unauthenticated = (request, response, exception) -> {
            bearer.commence(request, response, exception);
            resolver.resolveException(request, response, null, exception);
        };
        BearerTokenAccessDeniedHandler insufficient = new BearerTokenAccessDeniedHandler();
        AccessDeniedHandler forbidden = (request, response, exception) -> {
            insufficient.handle(request, response, exception);
            resolver.resolveException(request, response, null, exception);
        };
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> {
                    requests.requestMatchers(EndpointRoles.PUBLIC.toArray(String[]::new)).permitAll();
                    for (EndpointRoles.Endpoint endpoint : endpoints.endpoints()) {
                        requests.requestMatchers(endpoint.method(), endpoint.pattern()).hasAuthority(endpoint.role());
                    }
                    requests.anyRequest().denyAll();
                })
                .exceptionHandling(handling -> handling.authenticationEntryPoint(unauthenticated).accessDeniedHandler(forbidden))
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.jwtAuthenticationConverter(roles))
                        .authenticationEntryPoint(unauthenticated).accessDeniedHandler(forbidden))
                .build();
    }
}
