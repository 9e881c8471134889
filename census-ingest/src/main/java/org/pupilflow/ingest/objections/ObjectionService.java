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
import org.pupilflow.ingest.kafka.RecordTooLargeForKafkaException;
import org.pupilflow.ingest.policy.PolicyInForce;
import org.pupilflow.policy.ObjectionRule;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.schemas.kafka.AvroSingleObjectSerializer;
import org.pupilflow.schemas.topics.ObjectionKey;
import org.pupilflow.web.ServiceUnavailableException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Records objections and withdrawals on the compacted objections topic (key
 * {@code <UPN>/<objectionId>}). An objection is accepted only once the broker has acknowledged
 * it, so "accepted" means the router will honour it. The topic is written without transactions:
 * the router's freshness barrier compares offsets and relies on that.
 */
public final class ObjectionService {

    private static final ZoneId UK = ZoneId.of("Europe/London");

    private final PolicyInForce policies;
    private final UpnValidator upns;
    private final KafkaTemplate<String, byte[]> kafka;
    private final String topic;
    private final ObjectionIndex index;
    private final Clock clock;
    private final AvroSingleObjectSerializer<Objection> values = new AvroSingleObjectSerializer<>(Objection.class);
    private final int evidenceReferenceMaxLength;

    /**
     * @param policies the policy the router applies: scopes and who may object at which age are checked against it. Before
     *                 any router has published one, objections are still accepted and published, unchecked and saying so:
     *                 an objection is never lost for want of a policy (the router applies it by its scope once routing).
     */
    public ObjectionService(PolicyInForce policies, UpnValidator upns, KafkaTemplate<String, byte[]> kafka, String topic, ObjectionIndex index, Clock clock,
                            int evidenceReferenceMaxLength) {
        this.evidenceReferenceMaxLength = evidenceReferenceMaxLength;
        this.policies = policies;
        this.upns = upns;
        this.kafka = kafka;
        this.topic = topic;
        this.index = index;
        this.clock = clock;
    }

    public ObjectionView record(ObjectionRequest request) {
        if (request.evidenceReference().length() > evidenceReferenceMaxLength) {
            throw new FieldTooLongException("evidenceReference", request.evidenceReference().length(), evidenceReferenceMaxLength,
                    "pupilflow.ingest.limits.evidence-reference-max-length");
        }
        IdentifierCheck upn = upns.check(request.upn());
        if (!upn.valid()) {
            throw new ObjectionRefusedException("upn", upn.message(), 422);
        }
        LocalDate today = LocalDate.now(clock.withZone(UK));
        if (request.receivedDate().isAfter(today)) {
            throw new ObjectionRefusedException("receivedDate", "receivedDate " + request.receivedDate() + " is in the future", 422);
        }
        SharingPolicy policy = policies.current().map(PolicyInForce.Current::policy).orElse(null);
        if (policy != null && !request.scope().equals("all") && policy.recipient(request.scope()).isEmpty()) {
            throw new ObjectionRefusedException("scope", "scope '" + request.scope() + "' is not a recipient of policy " + policy.id()
                    + " (recipients: " + String.join(", ", policy.recipients().stream().map(RecipientRule::id).toList()) + ", or all)", 422);
        }
        if (request.dateOfBirth() != null && request.dateOfBirth().isAfter(request.receivedDate())) {
            throw new ObjectionRefusedException("dateOfBirth", "dateOfBirth " + request.dateOfBirth() + " is after the objection was received ("
                    + request.receivedDate() + ")", 422);
        }
        AgeCheck check = policy == null ? AgeCheck.noPolicy(request.scope()) : request.scope().equals("all") ? AgeCheck.scopeAll()
                : whoMay(request.raisedBy(), request.dateOfBirth(), request.receivedDate(), policy.recipient(request.scope()).orElseThrow(), "object");
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
        return ObjectionView.of(objection).checked(check.checked(), check.notes());
    }

    public ObjectionView withdraw(String objectionId, WithdrawalRequest withdrawal) {
        Objection current = index.find(objectionId)
                .orElseThrow(() -> new ObjectionRefusedException("objectionId", "no objection " + objectionId, 404));
        if (current.getWithdrawn()) {
            throw new ObjectionRefusedException("objectionId", "objection " + objectionId + " was already withdrawn on " + current.getWithdrawnDate(), 409);
        }
        LocalDate date = withdrawal.withdrawnDate() != null ? withdrawal.withdrawnDate() : LocalDate.now(clock.withZone(UK));
        if (date.isBefore(current.getReceivedDate())) {
            throw new ObjectionRefusedException("withdrawnDate", "withdrawal date " + date + " is before the objection was received (" + current.getReceivedDate() + ")", 422);
        }
        if (date.isAfter(LocalDate.now(clock.withZone(UK)))) {
            throw new ObjectionRefusedException("withdrawnDate", "withdrawal date " + date + " is in the future", 422);
        }
        if (withdrawal.dateOfBirth() != null && withdrawal.dateOfBirth().isAfter(date)) {
            throw new ObjectionRefusedException("dateOfBirth", "dateOfBirth " + withdrawal.dateOfBirth() + " is after the withdrawal date " + date, 422);
        }
        SharingPolicy policy = policies.current().map(PolicyInForce.Current::policy).orElse(null);
        AgeCheck check = policy == null ? AgeCheck.noPolicy(current.getScope()) : AgeCheck.none();
        List<RecipientRule> rules = policy == null ? List.of() : current.getScope().equals("all") ? policy.recipients()
                : policy.recipient(current.getScope()).map(List::of).orElse(List.of());
        for (RecipientRule rule : rules) {
            check = check.and(whoMay(withdrawal.withdrawnBy(), withdrawal.dateOfBirth(), date, rule, "withdraw"));
        }
        Objection withdrawn = Objection.newBuilder(current).setWithdrawn(true).setWithdrawnDate(date).build();
        publish(withdrawn);
        return ObjectionView.of(withdrawn).checked(check.checked(), check.notes());
    }

    public List<ObjectionView> forUpn(String upn) {
        return index.forUpn(upn).stream().map(ObjectionView::of).toList();
    }

    /** Whether the policy's rule on who may object (or withdraw) at which age was checked, and what could not be. */
    record AgeCheck(boolean checked, List<String> notes) {
        static AgeCheck none() {
            return new AgeCheck(true, List.of());
        }

        static AgeCheck scopeAll() {
            return new AgeCheck(false, List.of("scope all: who may object at which age is decided for each recipient by its rule when records are "
                    + "routed (e.g. from the 16th birthday only the pupil's own objection counts where the policy says so)"));
        }

        /** No router has published its policy yet: recorded (never lost), checked against nothing, and saying so. */
        static AgeCheck noPolicy(String scope) {
            return new AgeCheck(false, List.of("no policy is in force yet (no sharing-router has published one): recorded and published without"
                    + " checking scope '" + scope + "' or who may object at which age; the router applies it by its scope and its rules when"
                    + " routing. Check with GET /objections?upn= once the policy is known that the scope names a recipient"));
        }

        static AgeCheck unchecked(String note) {
            return new AgeCheck(false, List.of(note));
        }

        AgeCheck and(AgeCheck other) {
            List<String> all = new java.util.ArrayList<>(notes);
            other.notes.stream().filter(note -> !all.contains(note)).forEach(all::add);
            return new AgeCheck(checked && other.checked, all);
        }
    }

    /**
     * The policy decides who may object, and so who may withdraw: by default a parent until the pupil is 16, the pupil
     * from 16. Rules that do not depend on age (a pupil where only a parent may) are checked always; those that do,
     * only with the date of birth, and the answer says when they could not be.
     */
    private static AgeCheck whoMay(ObjectionRaisedBy who, LocalDate dateOfBirth, LocalDate on, RecipientRule rule, String act) {
        ObjectionRule objections = rule.objections();
        if (objections.effect() == ObjectionRule.Effect.NOT_APPLICABLE) {
            return AgeCheck.none(); // recorded and audited, though it cannot stop statutory sharing
        }
        String field = act.equals("object") ? "raisedBy" : "withdrawnBy";
        if (who == ObjectionRaisedBy.PUPIL && objections.pupilMayObjectFromAge() == null) {
            throw new ObjectionRefusedException(field, "only a parent may " + act + " for sharing with " + rule.name(), 422);
        }
        Integer ageLimit = who == ObjectionRaisedBy.PARENT ? objections.parentMayObjectBelowAge() : objections.pupilMayObjectFromAge();
        if (ageLimit == null) {
            return AgeCheck.none();
        }
        if (dateOfBirth == null) {
            return AgeCheck.unchecked("no dateOfBirth was given, so the policy's age rule for " + rule.name() + " could not be checked ("
                    + (who == ObjectionRaisedBy.PARENT ? "a parent may " + act + " only before the pupil's " + ordinal(ageLimit) + " birthday"
                            : "the pupil may " + act + " only from their " + ordinal(ageLimit) + " birthday")
                    + "); give dateOfBirth to have it checked");
        }
        int age = Period.between(dateOfBirth, on).getYears();
        if (who == ObjectionRaisedBy.PARENT && age >= ageLimit) {
            throw new ObjectionRefusedException(field, "the pupil was " + age + " on " + on + ": from age " + ageLimit + " only the pupil may "
                    + act + (act.equals("object") ? " to sharing with " : " an objection to sharing with ") + rule.name(), 422);
        }
        if (who == ObjectionRaisedBy.PUPIL && age < ageLimit) {
            throw new ObjectionRefusedException(field, "the pupil was " + age + " on " + on + ": pupils may " + act
                    + (act.equals("object") ? " to sharing with " : " an objection to sharing with ") + rule.name() + " from age " + ageLimit
                    + "; until then a parent may", 422);
        }
        return AgeCheck.none();
    }

    private static String ordinal(int n) {
        String suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    private void publish(Objection objection) {
        try {
            kafka.send(topic, new ObjectionKey(objection.getUpn(), objection.getObjectionId()).encode(), values.serialize(topic, objection)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("Interrupted while recording objection " + objection.getObjectionId() + "; it was not recorded", e);
        } catch (ExecutionException e) {
            if (RecordTooLargeForKafkaException.isCause(e)) {
                throw new RecordTooLargeForKafkaException("Objection " + objection.getObjectionId(), e.getCause());
            }
            throw new ServiceUnavailableException("Kafka did not accept objection " + objection.getObjectionId() + " ("
                    + e.getCause().getClass().getSimpleName() + "); it was not recorded", e);
        } catch (TimeoutException e) {
            throw new ServiceUnavailableException("Kafka did not acknowledge objection " + objection.getObjectionId() + " within 30 s; it was not recorded", e);
        }
        index.put(objection);
    }
}
