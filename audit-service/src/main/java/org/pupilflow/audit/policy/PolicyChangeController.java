package org.pupilflow.audit.policy;

import java.nio.charset.StandardCharsets;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The DPO's view of the policy in force over time (role {@code audit:read}). */
@RestController
class PolicyChangeController {

    private final PolicyChanges changes;

    PolicyChangeController(PolicyChanges changes) {
        this.changes = changes;
    }

    @Operation(summary = "Every change of the policy in force", description = "Each policy the sharing-router published that changed the policy "
            + "in force (the first one too): policy id and version, the old and new SHA-256, when and by which router instance it was "
            + "published, when it was recorded; oldest first. `intact` is false, with `problems`, when a change does not continue the one "
            + "before or its document does not hash to its new hash.")
    @ApiResponse(responseCode = "200", description = "The changes and their verification")
    @GetMapping(path = "/audit/policy-changes", produces = MediaType.APPLICATION_JSON_VALUE)
    PolicyChanges.PolicyChangeReport all() {
        return changes.report();
    }

    @Operation(summary = "The policy document of one change", description = "The YAML the router published, byte for byte as it hashed it.")
    @ApiResponse(responseCode = "200", description = "The document")
    @ApiResponse(responseCode = "404", description = "No change has this number")
    @GetMapping(path = "/audit/policy-changes/{seq}")
    ResponseEntity<String> document(@PathVariable long seq) {
        String document = changes.document(seq);
        if (document == null) {
            throw new ErrorResponseException(HttpStatus.NOT_FOUND);
        }
        return ResponseEntity.ok().contentType(new MediaType("application", "yaml", StandardCharsets.UTF_8)).body(document);
    }
}
