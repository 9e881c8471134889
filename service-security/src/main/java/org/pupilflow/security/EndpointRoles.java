package org.pupilflow.security;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which role opens which endpoint of a service: the one table the security filter chain is built
 * from ({@link ApiSecurity}), a 403 names the role from, the API reference lists per operation,
 * and the README's roles table is checked against. Endpoints not listed here (and not
 * {@link #PUBLIC}) are refused to everyone.
 *
 * @param service   the service's name, as in the README
 * @param endpoints each endpoint (method and path pattern) with the role it needs
 */
public record EndpointRoles(String service, List<Endpoint> endpoints) {

    /** Open without a token: health probes and metrics for the platform, the error page, the API reference. */
    public static final List<String> PUBLIC = List.of("/actuator/health", "/actuator/health/**", "/actuator/prometheus", "/actuator/info", "/error",
            "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html", "/swagger-ui/**");

    private static final PathPatternParser PARSER = PathPatternParser.defaultInstance;

    public EndpointRoles {
        Objects.requireNonNull(service, "service");
        endpoints = List.copyOf(endpoints);
    }

    /**
     * One endpoint and the role it needs.
     *
     * @param method  the HTTP method
     * @param pattern the path pattern ({@code /returns/*})
     * @param role    the authority the caller's token must grant
     * @param what    what the endpoint does, for the roles table
     */
    public record Endpoint(HttpMethod method, String pattern, String role, String what) {
        public Endpoint {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(role, "role");
        }

        boolean matches(String requestMethod, String path) {
            PathPattern parsed = PARSER.parse(pattern);
            return method.name().equalsIgnoreCase(requestMethod) && parsed.matches(PathContainer.parsePath(path));
        }
    }

    public static EndpointRoles of(String service, Endpoint... endpoints) {
        return new EndpointRoles(service, List.of(endpoints));
    }

    /** The endpoint a request to {@code path} with {@code method} is, if it is one of this table's. */
    public Optional<Endpoint> find(String method, String path) {
        return endpoints.stream().filter(endpoint -> endpoint.matches(method, path)).findFirst();
    }

    /** Whether the path is open without a token. */
    public static boolean isPublic(String path) {
        return PUBLIC.stream().anyMatch(pattern -> PARSER.parse(pattern).matches(PathContainer.parsePath(path)));
    }

    /** The distinct roles, in table order. */
    public List<String> roles() {
        return endpoints.stream().map(Endpoint::role).distinct().toList();
    }
}
