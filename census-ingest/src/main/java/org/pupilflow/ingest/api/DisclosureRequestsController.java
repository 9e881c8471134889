package org.pupilflow.ingest.api;

import java.net.URI;
import java.security.Principal;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.pupilflow.ingest.requests.DisclosureRequestService;
import org.pupilflow.ingest.requests.DisclosureRequestState;
import org.pupilflow.ingest.requests.NewDisclosureRequest;
import org.pupilflow.ingest.requests.RequestStatus;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Case-by-case disclosures: an authorised officer (role {@code disclosure-officer}) asks for ONE disclosure of named
 * pupils to a recipient whose rule says {@code delivery: on-request}; the router decides and audits each pupil as it
 * does a census record. The officer is the token's subject.
 */
@RestController
@Tag(name = "Case-by-case disclosure requests")
class DisclosureRequestsController {

    private final DisclosureRequestService requests;
    private final MeterRegistry registry;

    DisclosureRequestsController(DisclosureRequestService requests, MeterRegistry registry) {
        this.requests = requests;
        this.registry = registry;
        for (RequestStatus status : RequestStatus.values()) {
            counted(status);
        }
    }

    /** The body of a refusal. */
    record Refusal(String reason) {
    }

    @PostMapping(path = "/disclosure-requests", consumes = "application/json")
    @Operation(summary = "Ask for one case-by-case disclosure of named pupils", description = """
            Body: `{"recipientId": "social-care", "upns": ["A123..."], "caseReference": "CP-2026-0042", "purpose": "...",
            "legalBasis": "Children Act 1989 s47 (enquiries about significant harm)"}`. The recipient's rule must say
            `delivery: on-request` and allow the legal basis word for word (`onRequest.legalBases`). When the rule needs one
            approval the request is published to the router at once (201, APPROVED); when it needs two it waits for a
            different officer's approval (202, PENDING_APPROVAL) and lapses after the rule's `onRequest.expiresAfter`. The
            router decides each pupil on its latest census record, with the rule's allow-list and the pupil's objections,
            and audits each decision with the request id, case reference, purpose, requester and approvers.""")
    @ApiResponse(responseCode = "201", description = "Approved and published to the router (`Location` is the request)")
    @ApiResponse(responseCode = "202", description = "Waiting for a second, different officer's approval; nothing routed yet")
    @ApiResponse(responseCode = "422", description = "`urn:pupilflow:problem:disclosure-request-invalid`: `field` names what breaks the rule; nothing published")
    ResponseEntity<DisclosureRequestState> request(@RequestBody NewDisclosureRequest request, Principal officer) {
        DisclosureRequestState state = requests.request(request, officer.getName());
        counted(state.status()).increment();
        return ResponseEntity.status(state.status() == RequestStatus.APPROVED ? HttpStatus.CREATED : HttpStatus.ACCEPTED)
                .location(URI.create("/disclosure-requests/" + state.requestId())).body(state);
    }

    @PostMapping("/disclosure-requests/{requestId}/approve")
    @Operation(summary = "Approve another officer's request", description = """
            The second approval of a request whose rule needs two: it must come from an officer other than the requester.
            The approval and every named pupil are published to the router in one Kafka transaction.""")
    @ApiResponse(responseCode = "200", description = "Approved and published to the router")
    @ApiResponse(responseCode = "403", description = "`urn:pupilflow:problem:disclosure-request-own-approval`: you asked for it, or approved it already")
    @ApiResponse(responseCode = "404", description = "`urn:pupilflow:problem:disclosure-request-not-found`")
    @ApiResponse(responseCode = "409", description = "`urn:pupilflow:problem:disclosure-request-not-pending`: approved, refused or expired")
    DisclosureRequestState approve(@PathVariable String requestId, Principal officer) {
        DisclosureRequestState state = requests.approve(requestId, officer.getName());
        counted(state.status()).increment();
        return state;
    }

    @PostMapping(path = "/disclosure-requests/{requestId}/refuse", consumes = "application/json")
    @Operation(summary = "Refuse (or, as its requester, withdraw) a pending request", description = "Body: `{\"reason\": \"...\"}`. Nothing is routed.")
    @ApiResponse(responseCode = "200", description = "Refused")
    @ApiResponse(responseCode = "404", description = "`urn:pupilflow:problem:disclosure-request-not-found`")
    @ApiResponse(responseCode = "409", description = "`urn:pupilflow:problem:disclosure-request-not-pending`")
    @ApiResponse(responseCode = "422", description = "`urn:pupilflow:problem:disclosure-request-invalid`: no reason given")
    DisclosureRequestState refuse(@PathVariable String requestId, @RequestBody Refusal refusal, Principal officer) {
        DisclosureRequestState state = requests.refuse(requestId, officer.getName(), refusal.reason());
        counted(state.status()).increment();
        return state;
    }

    @GetMapping("/disclosure-requests/{requestId}")
    @Operation(summary = "A disclosure request and where it stands (a pending one past its expiry is EXPIRED)")
    @ApiResponse(responseCode = "404", description = "`urn:pupilflow:problem:disclosure-request-not-found`")
    DisclosureRequestState find(@PathVariable String requestId) {
        return requests.find(requestId);
    }

    @GetMapping("/disclosure-requests")
    @Operation(summary = "Requests waiting for a second approval, oldest first")
    List<DisclosureRequestState> pending() {
        return requests.pending();
    }

    /** {@code pupilflow_ingest_disclosure_requests_total{status}}: requests and decisions on them, by the status they left. */
    private Counter counted(RequestStatus status) {
        return Counter.builder("pupilflow.ingest.disclosure.requests").description("Case-by-case disclosure requests asked, approved, refused or expired")
                .tag("status", status.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
    }
}
