package org.pupilflow.audit.verify;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /audit/verify} (role {@code audit:verify}): recomputes every chain now and reports the first broken link. */
@RestController
class VerifyController {

    private final VerificationService verification;

    VerifyController(VerificationService verification) {
        this.verification = verification;
    }

    @Operation(summary = "Verify every hash chain now", description = "Recomputes every row's hash from the chain's start (or its last signed "
            + "erasure checkpoint) and compares the heads with those published to Kafka; reports INTACT or the first broken link.")
    @ApiResponse(responseCode = "200", description = "The verification report (a broken chain is reported, not an error)")
    @GetMapping(path = "/audit/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    VerifyReport verify() {
        return verification.verifyAll();
    }
}
