package org.pupilflow.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pupilflow.ingest.IngestTestSupport.get;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pupilflow.ingest.IngestApiTest;
import org.pupilflow.ingest.security.IngestSecurity;
import org.pupilflow.security.EndpointRoles;
import org.pupilflow.web.ProblemType;
import org.springframework.beans.factory.annotation.Value;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * census-ingest serves its API reference (OpenAPI at /v3/api-docs, no token needed): every operation with the role it
 * needs, its status codes and the problem types it answers with; the README's roles table lists the same roles.
 */
@IngestApiTest
class ApiReferenceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Value("${local.server.port}")
    private int port;

    @Test
    void everyOperationNamesItsRoleStatusCodesAndProblemTypes() {
        JsonNode api = JSON.readTree(get(port, "/v3/api-docs", null).body());

        Map<String, String> roles = new java.util.TreeMap<>();
        for (Map.Entry<String, JsonNode> path : api.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                roles.put(operation.getKey().toUpperCase() + " " + path.getKey(), operation.getValue().get("x-required-role").asString());
                assertThat(operation.getValue().get("responses").propertyNames()).as(operation.getKey() + " " + path.getKey())
                        .contains("401", "403", "500", "503");
                assertThat(operation.getValue().get("security")).as("bearer JWT on " + path.getKey()).isNotNull();
            }
        }
        assertThat(roles).containsExactlyInAnyOrderEntriesOf(Map.of(
                "POST /returns", "census:upload",
                "GET /returns/{returnId}", "census:upload",
                "POST /objections", "objections:write",
                "POST /objections/{objectionId}/withdraw", "objections:write",
                "GET /objections", "objections:read"));
        JsonNode upload = api.get("paths").get("/returns").get("post");
        assertThat(upload.get("responses").propertyNames()).contains("200", "201", "202", "400", "409", "413", "415", "422");
        assertThat(upload.get("responses").get("409").get("description").asString())
                .contains("urn:pupilflow:problem:return-duplicate", "urn:pupilflow:problem:return-replacement-mismatch");
        assertThat(api.get("paths").get("/returns/{returnId}").get("get").get("responses").propertyNames()).contains("200", "404");

        List<String> types = new ArrayList<>();
        api.get("components").get("schemas").get("Problem").get("properties").get("type").get("enum").forEach(type -> types.add(type.asString()));
        List<String> expected = new ArrayList<>(ProblemType.GENERIC.stream().map(type -> type.uri().toString()).toList());
        IngestProblems.ALL.types().forEach(type -> expected.add(type.uri().toString()));
        assertThat(types).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(api.get("x-problem-types")).hasSize(expected.size())
                .allSatisfy(type -> assertThat(type.get("description").asString()).isNotBlank());
        assertThat(api.get("components").get("securitySchemes").get("bearer-jwt").get("scheme").asString()).isEqualTo("bearer");
    }

    @Test
    void theReadmeRolesTableListsEveryEndpointAndRoleOfCensusIngest() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));

        for (EndpointRoles.Endpoint endpoint : IngestSecurity.ROLES.endpoints()) {
            assertThat(readme).as("README roles table row for %s %s", endpoint.method(), endpoint.pattern())
                    .contains("| census-ingest | `" + endpoint.method() + " " + endpoint.pattern() + "` | `" + endpoint.role() + "` |");
        }
    }
}
