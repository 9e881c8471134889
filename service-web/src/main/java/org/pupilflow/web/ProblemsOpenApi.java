package org.pupilflow.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * The problem documents in a service's API reference: a {@code Problem} schema whose {@code type}
 * enumerates every problem type of the service (generic and its own, each described under
 * {@code x-problem-types}), and on every operation the generic answers it can give (400 for a bad
 * parameter, 500, 503) besides those its controller declares.
 */
public final class ProblemsOpenApi implements OpenApiCustomizer {

    public static final String SCHEMA = "Problem";
    private static final String REF = "#/components/schemas/" + SCHEMA;

    private final List<ProblemType> types;

    public ProblemsOpenApi(List<ProblemType> types) {
        this.types = List.copyOf(types);
    }

    @Override
    public void customise(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(new Components());
        }
        Schema<Object> problem = new ObjectSchema().description("An RFC 9457 problem document: every 4xx and 5xx answer of this service. "
                + "Besides these members a problem may name what is at fault: parameter, field or fields, accepted, acceptedValues, "
                + "limit, setting, requiredRole, retryAfterSeconds.");
        problem.addProperty("type", new StringSchema()._enum(types.stream().map(type -> type.uri().toString()).toList())
                .description("What kind of problem (x-problem-types describes each)"));
        problem.addProperty("title", new StringSchema());
        problem.addProperty("status", new IntegerSchema());
        problem.addProperty("detail", new StringSchema().description("What went wrong here, naming the parameter or field and what is accepted"));
        problem.addProperty("instance", new StringSchema().description("The request path"));
        problem.setAdditionalProperties(true);
        api.getComponents().addSchemas(SCHEMA, problem);
        api.addExtension("x-problem-types", types.stream().map(type -> {
            Map<String, Object> described = new LinkedHashMap<>();
            described.put("type", type.uri().toString());
            described.put("status", type.status());
            described.put("title", type.title());
            described.put("description", type.description());
            return described;
        }).toList());
        if (api.getPaths() == null) {
            return;
        }
        for (PathItem path : api.getPaths().values()) {
            for (Operation operation : path.readOperations()) {
                if (operation.getParameters() != null && !operation.getParameters().isEmpty()) {
                    addProblemResponse(operation, ProblemType.INVALID_PARAMETER, "A parameter is missing or not accepted.");
                }
                if (operation.getRequestBody() != null) {
                    addProblemResponse(operation, ProblemType.UNSUPPORTED_MEDIA_TYPE, "The Content-Type is not one this endpoint reads.");
                }
                addProblemResponse(operation, ProblemType.INTERNAL_ERROR, "An unexpected error.");
                addProblemResponse(operation, ProblemType.SERVICE_UNAVAILABLE, "Kafka or the database is not answering; see Retry-After.");
            }
        }
    }

    /** Adds (or extends) the operation's answer for the type's status: a problem document of that type. */
    public static void addProblemResponse(Operation operation, ProblemType type, String description) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        String code = Integer.toString(type.status());
        String line = "`" + type.uri() + "`: " + description;
        ApiResponse existing = operation.getResponses().get(code);
        if (existing == null) {
            operation.getResponses().addApiResponse(code, new ApiResponse().description(line)
                    .content(new Content().addMediaType("application/problem+json", new MediaType().schema(new Schema<>().$ref(REF)))));
        } else if (existing.getDescription() == null || !existing.getDescription().contains(type.uri().toString())) {
            existing.setDescription(existing.getDescription() == null ? line : existing.getDescription() + "\n\n" + line);
            if (existing.getContent() == null) {
                existing.setContent(new Content());
            }
            existing.getContent().putIfAbsent("application/problem+json", new MediaType().schema(new Schema<>().$ref(REF)));
        }
    }
}
