package org.pupilflow.security;

import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.pupilflow.web.ProblemType;
import org.pupilflow.web.ProblemsOpenApi;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Puts the service's roles table ({@link EndpointRoles}) into its API reference: the bearer JWT
 * scheme, and on every operation the role it needs ({@code x-required-role}, also in its
 * description) with its 401 and 403 problem answers. An operation no role opens says so.
 */
final class RolesOpenApiCustomizer implements OpenApiCustomizer {

    static final String SCHEME = "bearer-jwt";

    private final ObjectProvider<EndpointRoles> endpoints;

    RolesOpenApiCustomizer(ObjectProvider<EndpointRoles> endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public void customise(OpenAPI api) {
        EndpointRoles table = endpoints.getIfAvailable();
        if (table == null || api.getPaths() == null) {
            return;
        }
        if (api.getComponents() == null) {
            api.setComponents(new Components());
        }
        api.getComponents().addSecuritySchemes(SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                .description("A JWT from the LA's identity provider (locally: LocalDevTokens). It must have exp, a lifetime within "
                        + "pupilflow.security.max-token-lifetime, no iat in the future, the configured audience, and the role in its roles claim."));
        api.addExtension("x-roles", table.endpoints().stream()
                .map(endpoint -> Map.of("method", endpoint.method().name(), "path", endpoint.pattern(), "role", endpoint.role(), "what", endpoint.what()))
                .toList());
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            String sample = path.getKey().replaceAll("\\{[^}]+}", "x");
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getValue().readOperationsMap().entrySet()) {
                Operation operation = entry.getValue();
                if (EndpointRoles.isPublic(sample)) {
                    operation.addExtension("x-required-role", "none");
                    continue;
                }
                String role = table.find(entry.getKey().name(), sample).map(EndpointRoles.Endpoint::role).orElse(null);
                operation.addExtension("x-required-role", role == null ? "no role opens it" : role);
                operation.addSecurityItem(new SecurityRequirement().addList(SCHEME));
                String prefix = "**Role:** `" + (role == null ? "none opens it" : role) + "`.";
                operation.setDescription(operation.getDescription() == null ? prefix : prefix + "\n\n" + operation.getDescription());
                ProblemsOpenApi.addProblemResponse(operation, ProblemType.UNAUTHENTICATED, "No valid bearer token.");
                ProblemsOpenApi.addProblemResponse(operation, ProblemType.FORBIDDEN, "The token lacks the role `" + role + "`.");
            }
        }
    }
}
