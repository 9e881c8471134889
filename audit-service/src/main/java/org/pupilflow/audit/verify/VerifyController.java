package org.pupilflow.audit.verify;

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

    @GetMapping(path = "/audit/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    VerifyReport verify() {
        return verification.verifyAll();
    }
}
