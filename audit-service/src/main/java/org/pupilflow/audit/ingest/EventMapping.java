package org.pupilflow.audit.ingest;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.List;

import org.pupilflow.audit.chain.CaseRequest;
import org.pupilflow.audit.chain.DeliveryRecord;
import org.pupilflow.audit.chain.DisclosureRecord;
import org.pupilflow.sharing.DeliveryReceipt;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;

/** From the Avro contract to the rows' plain Java content, field for field. */
final class EventMapping {

    private EventMapping() {
    }

    /**
     * The event as a row. UNRECOGNISED, the contract's enum default, is refused (the record goes to
     * the dead-letter topic as undecodable): the router never writes it, it is what a reader of an
     * older release makes of a newer outcome, and storing it would audit a decision as something it
     * was not.
     */
    static DisclosureRecord disclosure(DisclosureEvent e) {
        if (e.getOutcome() == DisclosureOutcome.UNRECOGNISED) {
            throw new IllegalArgumentException("outcome UNRECOGNISED: the event's outcome is not one this release of audit-service knows, "
                    + "so it cannot be audited as what it was");
        }
        return new DisclosureRecord(e.getDisclosureId(), e.getUpn(), e.getPseudonymised(), e.getPupilPseudonym(), e.getRecipientKey(),
                e.getRecipientId(), e.getOutcome().name(), List.copyOf(e.getFieldsDisclosed()), e.getReason(), List.copyOf(e.getObjectionIds()),
                e.getPolicyId(), e.getPolicyVersion(), e.getPolicyContentHash(), e.getLegalBasis(), e.getReturnId(), e.getAgeMeasuredOn(),
                e.getDeleteBy(), e.getDecidedAt(), List.copyOf(e.getRelatesTo()), e.getRetainUntil(),
                e.getRequestId() == null ? null : new CaseRequest(e.getRequestId(), e.getCaseReference(), e.getRequestPurpose(), e.getRequestedBy(),
                        List.copyOf(e.getApprovedBy())),
                e.getPseudonymKeyVersion());
    }

    static DeliveryRecord delivery(DeliveryReceipt r) {
        return new DeliveryRecord(r.getDisclosureId(), r.getRecipientId(), r.getChannel(), r.getOutcome().name(), r.getAttempts(), r.getDetail(), r.getAt());
    }

    /**
     * Why PostgreSQL cannot store this content exactly, or null. Text columns cannot hold the NUL
     * character; such an event would block its partition forever, so it goes to the dead-letter topic.
     */
    static String unstorable(Object content) {
        for (RecordComponent component : COMPONENTS.get(content.getClass())) {
            try {
                Object value = component.accessor().invoke(content);
                if (value instanceof String text && text.indexOf('\0') >= 0) {
                    return component.name() + " contains a NUL character";
                }
                if (value instanceof List<?> list && list.stream().anyMatch(item -> item instanceof String text && text.indexOf('\0') >= 0)) {
                    return component.name() + " contains a NUL character";
                }
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }

    /** A record component's name and accessor, looked up once per class (reflection per event was a tenth of the ingest's time). */
    private record RecordComponent(String name, MethodHandle accessor) {
    }

    private static final ClassValue<List<RecordComponent>> COMPONENTS = new ClassValue<>() {
        @Override
        protected List<RecordComponent> computeValue(Class<?> type) {
            try {
                List<RecordComponent> components = new java.util.ArrayList<>();
                for (var component : type.getRecordComponents()) {
                    components.add(new RecordComponent(component.getName(), MethodHandles.publicLookup().unreflect(component.getAccessor())));
                }
                return List.copyOf(components);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    };
}
