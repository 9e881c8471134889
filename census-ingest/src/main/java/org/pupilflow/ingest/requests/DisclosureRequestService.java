package org.pupilflow.ingest.requests;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.pupilflow.identifiers.IdentifierCheck;
import org.pupilflow.identifiers.UpnValidator;
import org.pupilflow.ingest.requests.DisclosureRequestException.Kind;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.schemas.kafka.AvroSingleObjectSerializer;
import org.pupilflow.sharing.DisclosureRequest;
import org.springframework.kafka.core.KafkaTemplate;

import tools.jackson.databind.json.JsonMapper;

/**
 * Case-by-case disclosure requests: checked against the recipient's on-request rule, kept (pending, approved, refused,
 * expired) in the compacted {@code disclosure.requests} topic, and once every approval the rule requires is given,
 * published to the router as one {@link DisclosureRequest} per named pupil, keyed by UPN, in the same Kafka transaction
 * as the APPROVED entry: either the approval and every pupil are published, or neither.
 *
 * <p>Nothing is disclosed here: the router decides each pupil as it decides a census record. A request that waits for a
 * second officer is never routed until a different officer approves it; the requester cannot approve their own.
 */
public final class DisclosureRequestService {

    /** Limits on one request, from {@code pupilflow.ingest.disclosure-requests.*}. */
    public record Limits(int maxPupils, int caseReferenceMaxLength, int purposeMaxLength) {
    }

    private final PolicyForRequests policy;
    private final UpnValidator upns;
    private final KafkaTemplate<String, byte[]> kafka;
    private final String requestsTopic;
    private final String requestedPupilsTopic;
    private final DisclosureRequestRegistry registry;
    private final JsonMapper json;
    private final Clock clock;
    private final Limits limits;
    private final AvroSingleObjectSerializer<DisclosureRequest> avro = new AvroSingleObjectSerializer<>(DisclosureRequest.class);

    public DisclosureRequestService(PolicyForRequests policy, UpnValidator upns, KafkaTemplate<String, byte[]> transactionalKafka, String requestsTopic,
                                    String requestedPupilsTopic, DisclosureRequestRegistry registry, JsonMapper json, Clock clock, Limits limits) {
        this.policy = policy;
        this.upns = upns;
        this.kafka = transactionalKafka;
        this.requestsTopic = requestsTopic;
        this.requestedPupilsTopic = requestedPupilsTopic;
        this.registry = registry;
        this.json = json;
        this.clock = clock;
        this.limits = limits;
    }

    /** Checks and records a request; routes it at once when its rule needs only the requester's approval. */
    public synchronized DisclosureRequestState request(NewDisclosureRequest asked, String officer) {
        SharingPolicy current = policy.current();
        RecipientRule rule = check(asked, current);
        Instant now = clock.instant();
        DisclosureRequestState state = new DisclosureRequestState("DR-" + UUID.randomUUID(), rule.id(), asked.upns(), asked.caseReference().strip(),
                asked.purpose().strip(), asked.legalBasis(), officer, now, rule.onRequest().approvals(), List.of(), null,
                now.atOffset(ZoneOffset.UTC).plus(rule.onRequest().expiresAfter()).toInstant(), RequestStatus.PENDING_APPROVAL, null, null,
                current.id(), current.version()).approvedBy(officer, now);
        return publish(state);
    }

    /** A second officer's approval; routes the request when it completes the approvals its rule requires. */
    public synchronized DisclosureRequestState approve(String requestId, String officer) {
        DisclosureRequestState state = pending(requestId);
        if (state.approvedBy().contains(officer)) {
            throw new DisclosureRequestException(Kind.OWN_APPROVAL, null, officer.equals(state.requestedBy())
                    ? "You asked for request " + requestId + ": its rule needs a second approval from a different officer"
                    : "You approved request " + requestId + " already: its rule needs the approval of a different officer");
        }
        return publish(state.approvedBy(officer, clock.instant()));
    }

    /** Refuses a pending request (or, by its requester, withdraws it), with the reason: nothing is routed. */
    public synchronized DisclosureRequestState refuse(String requestId, String officer, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new DisclosureRequestException(Kind.INVALID, "reason", "A refusal needs its reason");
        }
        return publish(pending(requestId).refused(officer, reason.strip()));
    }

    /** The request as it stands; a pending one past its expiry is shown (and recorded) as expired. */
    public synchronized DisclosureRequestState find(String requestId) {
        DisclosureRequestState state = registry.find(requestId)
                .orElseThrow(() -> new DisclosureRequestException(Kind.NOT_FOUND, null, "No disclosure request has the id " + requestId));
        return expireIfDue(state);
    }

    public synchronized List<DisclosureRequestState> pending() {
        return registry.pending().stream().map(this::expireIfDue).filter(r -> r.status() == RequestStatus.PENDING_APPROVAL).toList();
    }

    private DisclosureRequestState pending(String requestId) {
        DisclosureRequestState state = find(requestId);
        if (state.status() != RequestStatus.PENDING_APPROVAL) {
            throw new DisclosureRequestException(Kind.NOT_PENDING, null, "Request " + requestId + " is " + state.status()
                    + (state.refusalReason() == null ? "" : " (" + state.refusalReason() + ")") + ": only a pending request can be approved or refused");
        }
        return state;
    }

    private DisclosureRequestState expireIfDue(DisclosureRequestState state) {
        if (state.status() == RequestStatus.PENDING_APPROVAL && !clock.instant().isBefore(state.expiresAt())) {
            return publish(state.expired());
        }
        return state;
    }

    /** The entry, and when it is approved every named pupil, in one transaction; the registry learns it after the commit. */
    private DisclosureRequestState publish(DisclosureRequestState state) {
        byte[] entry = json.writeValueAsBytes(state);
        kafka.executeInTransaction(operations -> {
            operations.send(requestsTopic, state.requestId(), entry);
            if (state.status() == RequestStatus.APPROVED) {
                for (String upn : state.upns()) {
                    operations.send(requestedPupilsTopic, upn, avro.serialize(requestedPupilsTopic, pupil(state, upn)));
                }
            }
            return null;
        });
        registry.put(state);
        return state;
    }

    private static DisclosureRequest pupil(DisclosureRequestState state, String upn) {
        return DisclosureRequest.newBuilder().setRequestId(state.requestId()).setUpn(upn).setRecipientId(state.recipientId())
                .setCaseReference(state.caseReference()).setPurpose(state.purpose()).setLegalBasis(state.legalBasis())
                .setRequestedBy(state.requestedBy()).setApprovedBy(state.approvedBy()).setPupilCount(state.upns().size())
                .setRequestedAt(state.requestedAt()).setApprovedAt(state.approvedAt()).build();
    }

    /** The recipient's on-request rule, once everything the request says is checked against it. */
    private RecipientRule check(NewDisclosureRequest asked, SharingPolicy current) {
        if (asked.recipientId() == null || asked.recipientId().isBlank()) {
            throw invalid("recipientId", "Name the recipient (an on-request rule of policy " + current.id() + ": " + onRequestIds(current) + ")");
        }
        RecipientRule rule = current.recipient(asked.recipientId()).orElseThrow(() -> invalid("recipientId",
                "Policy " + current.id() + " has no recipient '" + asked.recipientId() + "' (case-by-case recipients: " + onRequestIds(current) + ")"));
        if (!rule.deliveredOnRequest()) {
            throw invalid("recipientId", "Recipient '" + rule.id() + "' receives the census flow (delivery: " + rule.delivery()
                    + "); case-by-case requests go only to recipients whose rule says delivery: on-request (" + onRequestIds(current) + ")");
        }
        if (asked.legalBasis() == null || asked.legalBasis().isBlank()) {
            throw invalid("legalBasis", "Name the legal basis the request relies on, one of: " + String.join(" | ", rule.onRequest().legalBases()));
        }
        if (!rule.onRequest().allows(asked.legalBasis())) {
            throw invalid("legalBasis", "'" + asked.legalBasis() + "' is not a legal basis the rule for " + rule.id() + " allows; one of: "
                    + String.join(" | ", rule.onRequest().legalBases()));
        }
        requireText(asked.caseReference(), "caseReference", "the case the disclosure is for", limits.caseReferenceMaxLength());
        requireText(asked.purpose(), "purpose", "why the case needs this disclosure", limits.purposeMaxLength());
        if (asked.upns() == null || asked.upns().isEmpty()) {
            throw invalid("upns", "Name at least one pupil by UPN");
        }
        if (asked.upns().size() > limits.maxPupils()) {
            throw invalid("upns", "A request may name at most " + limits.maxPupils() + " pupils (pupilflow.ingest.disclosure-requests.max-pupils); it names "
                    + asked.upns().size());
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < asked.upns().size(); i++) {
            String upn = asked.upns().get(i);
            IdentifierCheck upnCheck = upn == null ? null : upns.check(upn);
            if (upnCheck == null || !upnCheck.valid()) {
                throw invalid("upns[" + i + "]", upnCheck == null ? "empty UPN" : upnCheck.message());
            }
            if (!seen.add(upn)) {
                throw invalid("upns[" + i + "]", "UPN " + upn + " is named twice");
            }
        }
        return rule;
    }

    private static void requireText(String value, String field, String what, int maxLength) {
        if (value == null || value.isBlank()) {
            throw invalid(field, "Missing " + field + ": " + what);
        }
        if (value.length() > maxLength) {
            throw invalid(field, field + " is " + value.length() + " characters long; at most " + maxLength);
        }
    }

    private static String onRequestIds(SharingPolicy policy) {
        List<String> ids = policy.recipients().stream().filter(RecipientRule::deliveredOnRequest).map(RecipientRule::id).toList();
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }

    private static DisclosureRequestException invalid(String field, String message) {
        return new DisclosureRequestException(Kind.INVALID, field, message);
    }
}
