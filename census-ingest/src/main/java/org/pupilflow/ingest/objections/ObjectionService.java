package org.pupilflow.ingest.objections;

import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.pupilflow.census.Objection;
import org.pupilflow.census.ObjectionRaisedBy;
import org.pupilflow.identifiers.IdentifierCheck;
import org.pupilflow.identifiers.UpnValidator;
import org.pupilflow.policy.ObjectionRule;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.schemas.kafka.AvroSingleObjectSerializer;
import org.pupilflow.schemas.topics.ObjectionKey;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Records objections and withdrawals on the compacted objections topic (key
 * {@code <UPN>/<objectionId>}). An objection is accepted only once the broker has acknowledged
 * it, so "accepted" means the router will honour it. The topic is written without transactions:
 * the router's freshness barrier compares offsets and relies on that.
 */
public final class ObjectionService {

    private static final ZoneId UK = ZoneId.of("Europe/London");

    private final SharingPolicy policy;
    private final UpnValidator upns;
    private final KafkaTemplate<String, byte[]> kafka;
    private final String topic;
    private final ObjectionIndex index;
    private final Clock clock;
    private final AvroSingleObjectSerializer<Objection> values = new AvroSingleObjectSerializer<>(Objection.class);

    public ObjectionService(SharingPolicy policy, UpnValidator upns, KafkaTemplate<String, byte[]> kafka, String topic, ObjectionIndex index, Clock clock) {
        this.policy = policy;
        this.upns = upns;
        this.kafka = kafka;
        this.topic = topic;
        this.index = index;
        this.clock = clock;
    }

    public ObjectionView record(ObjectionRequest request) {
        IdentifierCheck upn = upns.check(request.upn());
        if (!upn.valid()) {
            throw new ObjectionRefusedException("upn", upn.message(), 422);
        }
        LocalDate today = LocalDate.now(clock.withZone(UK));
        if (request.receivedDate().isAfter(today)) {
            throw new ObjectionRefusedException("receivedDate", "receivedDate " + request.receivedDate() + " is in the future", 422);
        }
        if (!request.scope().equals("all") && policy.recipient(request.scope()).isEmpty()) {
            throw new ObjectionRefusedException("scope", "scope '" + request.scope() + "' is not a recipient of policy " + policy.id()
                    + " (recipients: " + String.join(", ", policy.recipients().stream().map(RecipientRule::id).toList()) + ", or all)", 422);
        }
        if (request.dateOfBirth() != null && !request.scope().equals("all")) {
            checkWhoMayObject(request, policy.recipient(request.scope()).orElseThrow());
        }
        Objection objection = Objection.newBuilder()
                .setObjectionId("OBJ-" + UUID.randomUUID())
                .setUpn(request.upn())
                .setScope(request.scope())
                .setRaisedBy(request.raisedBy())
                .setReceivedDate(request.receivedDate())
                .setEvidenceReference(request.evidenceReference())
                .setWithdrawn(false)
                .setWithdrawnDate(null)
                .build();
        publish(objection);
        return ObjectionView.of(objection);
    }

    public ObjectionView withdraw(String objectionId, LocalDate withdrawnOn) {
        Objection current = index.find(objectionId)
                .orElseThrow(() -> new ObjectionRefusedException("objectionId", "no objection " + objectionId, 404));
        if (current.getWithdrawn()) {
            throw new ObjectionRefusedException("objectionId", "objection " + objectionId + " was already withdrawn on " + current.getWithdrawnDate(), 409);
        }
        LocalDate date = withdrawnOn != null ? withdrawnOn : LocalDate.now(clock.withZone(UK));
        if (date.isBefore(current.getReceivedDate())) {
            throw new ObjectionRefusedException("withdrawnDate", "withdrawal date " + date + " is before the objection was received (" + current.getReceivedDate() + ")", 422);
        }
        Objection withdrawn = Objection.newBuilder(current).setWithdrawn(true).setWithdrawnDate(date).build();
        publish(withdrawn);
        return ObjectionView.of(withdrawn);
    }

    public List<ObjectionView> forUpn(String upn) {
        return index.forUpn(upn).stream().map(ObjectionView::of).toList();
    }

    /** The policy decides who may object: by default a parent until the pupil is 16, the pupil from 16. */
    private static void checkWhoMayObject(ObjectionRequest request, RecipientRule rule) {
        ObjectionRule objections = rule.objections();
        if (objections.effect() == ObjectionRule.Effect.NOT_APPLICABLE) {
            return; // recorded and audited, though it cannot stop statutory sharing
        }
        int age = Period.between(request.dateOfBirth(), request.receivedDate()).getYears();
        if (request.raisedBy() == ObjectionRaisedBy.PARENT && objections.parentMayObjectBelowAge() != null && age >= objections.parentMayObjectBelowAge()) {
            throw new ObjectionRefusedException("raisedBy", "the pupil was " + age + " on " + request.receivedDate() + ": from age "
                    + objections.parentMayObjectBelowAge() + " only the pupil may object to sharing with " + rule.name(), 422);
        }
        if (request.raisedBy() == ObjectionRaisedBy.PUPIL) {
            if (objections.pupilMayObjectFromAge() == null) {
                throw new ObjectionRefusedException("raisedBy", "only a parent may object to sharing with " + rule.name(), 422);
            }
            if (age < objections.pupilMayObjectFromAge()) {
                throw new ObjectionRefusedException("raisedBy", "the pupil was " + age + " on " + request.receivedDate() + ": pupils may object to sharing with "
                        + rule.name() + " from age " + objections.pupilMayObjectFromAge() + "; until then a parent may", 422);
            }
        }
    }

    private void publish(Objection objection) {
        try {
            kafka.send(topic, new ObjectionKey(objection.getUpn(), objection.getObjectionId()).encode(), values.serialize(topic, objection)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while recording objection " + objection.getObjectionId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not accept objection " + objection.getObjectionId() + ": " + e.getMessage(), e);
        }
        index.put(objection);
    }
}
