package org.pupilflow.router.policy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.notice.NoticeRenderer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** What the running router applies, and the privacy notice rendered from exactly that. */
@RestController
class PolicyController {

    private final SharingPolicy policy;

    PolicyController(SharingPolicy policy) {
        this.policy = policy;
    }

    @GetMapping(path = "/policy", produces = MediaType.APPLICATION_JSON_VALUE)
    PolicySummary policy() {
        return new PolicySummary(policy.id(), policy.version(), policy.contentHash(), policy.localAuthority(), policy.controller(),
                policy.recipients().stream().map(RecipientSummary::of).toList());
    }

    /** Markdown unless the client asks for HTML (a browser does). */
    @GetMapping("/policy/notice")
    ResponseEntity<String> notice(@RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        boolean html = accept != null && MediaType.parseMediaTypes(accept).stream().anyMatch(type -> type.isCompatibleWith(MediaType.TEXT_HTML) && !type.isWildcardType());
        return html
                ? ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8)).body(NoticeRenderer.html(policy))
                : ResponseEntity.ok().contentType(new MediaType(MARKDOWN, StandardCharsets.UTF_8)).body(NoticeRenderer.markdown(policy));
    }

    private static final MediaType MARKDOWN = MediaType.parseMediaType("text/markdown");

    record PolicySummary(String id, String version, String contentHash, String localAuthority, String controller, List<RecipientSummary> recipients) {
    }

    record RecipientSummary(String id, String name, String topic, String legalBasis, boolean statutory, boolean pseudonymised,
                            List<String> fields, String objectionEffect) {
        static RecipientSummary of(RecipientRule rule) {
            return new RecipientSummary(rule.id(), rule.name(), rule.topic(), rule.legalBasis(), rule.statutory(), rule.pseudonymised(),
                    rule.fields(), rule.objections().effect().name());
        }
    }
}
