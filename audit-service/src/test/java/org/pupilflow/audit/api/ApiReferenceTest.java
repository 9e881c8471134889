package org.pupilflow.audit.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.pupilflow.audit.security.SecurityConfiguration;
import org.pupilflow.audit.support.AuditServiceTest;
import org.pupilflow.audit.support.Http;
import org.pupilflow.security.EndpointRoles;
import org.springframework.beans.factory.annotation.Value;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** audit-service serves its API reference at /v3/api-docs: each operation's role, status codes and problem types; the README lists the roles. */
@AuditServiceTest
class ApiReferenceTest {

    @Value("${local.server.port}")
    private int port;

    @Test
    void everyOperationNamesItsRoleStatusCodesAndProblemTypes() {
        JsonNode api = JsonMapper.builder().build().readTree(new Http(port).get("/v3/api-docs", null).body());

        Map<String, String> roles = new TreeMap<>();
        for (Map.Entry<String, JsonNode> path : api.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                roles.put(operation.getKey().toUpperCase() + " " + path.getKey(), operation.getValue().get("x-required-role").asString());
                assertThat(operation.getValue().get("responses").propertyNames()).as(path.getKey()).contains("200", "401", "403", "500", "503");
            }
        }
        assertThat(roles).containsExactlyInAnyOrderEntriesOf(Map.of(
                "GET /audit/subjects/{upn}", "audit:read",
                "GET /audit/disclosures", "audit:read",
                "GET /audit/summary", "audit:read",
                "GET /audit/policy-changes", "audit:read",
                "GET /audit/policy-changes/{seq}", "audit:read",
                "GET /audit/verify", "audit:verify"));
        assertThat(api.get("paths").get("/audit/disclosures").get("get").get("responses").get("400").get("description").asString())
                .contains("urn:pupilflow:problem:invalid-parameter");
        assertThat(api.get("paths").get("/audit/summary").get("get").get("responses").get("503").get("description").asString())
                .contains("urn:pupilflow:problem:service-unavailable", "Retry-After");
        assertThat(api.get("x-problem-types").findValuesAsString("type")).contains("urn:pupilflow:problem:unauthenticated",
                "urn:pupilflow:problem:forbidden", "urn:pupilflow:problem:service-unavailable");
    }

    @Test
    void theReadmeRolesTableListsEveryEndpointAndRoleOfAuditService() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));

        for (EndpointRoles.Endpoint endpoint : SecurityConfiguration.ROLES.endpoints()) {
            assertThat(readme).as("README roles table row for %s %s", endpoint.method(), endpoint.pattern())
                    .contains("| audit-service | `" + endpoint.method() + " " + endpoint.pattern() + "` | `" + endpoint.role() + "` |");
        }
    }
}
