package org.pupilflow.audit.ingest;

import java.util.List;

import org.pupilflow.audit.chain.DeliveryRecord;
import org.pupilflow.audit.chain.DisclosureRecord;
import org.pupilflow.sharing.DeliveryReceipt;
import org.pupilflow.sharing.DisclosureEvent;

/** From the Avro contract to the rows' plain Java content, field for field. */
final class EventMapping {

    private EventMapping() {
    }

    static DisclosureRecord disclosure(DisclosureEvent e) {
        return new DisclosureRecord(e.getDisclosureId(), e.getUpn(), e.getPseudonymised(), e.getPupilPseudonym(), e.getRecipientKey(),
                e.getRecipientId(), e.getOutcome().name(), List.copyOf(e.getFieldsDisclosed()), e.getReason(), List.copyOf(e.getObjectionIds()),
                e.getPolicyId(), e.getPolicyVersion(), e.getPolicyContentHash(), e.getLegalBasis(), e.getReturnId(), e.getAgeMeasuredOn(),
                e.getDeleteBy(), e.getDecidedAt());
    }

    static DeliveryRecord delivery(DeliveryReceipt r) {
        return new DeliveryRecord(r.getDisclosureId(), r.getRecipientId(), r.getChannel(), r.getOutcome().name(), r.getAttempts(), r.getDetail(), r.getAt());
    }

    /**
     * Why PostgreSQL cannot store this content exactly, or null. Text columns cannot hold the NUL
     * character; such an event would block its partition forever, so it goes to the dead-letter topic.
     */
    static String unstorable(Object content) {
        for (var component : content.getClass().getRecordComponents()) {
            try {
                Object value = component.getAccessor().invoke(content);
                if (value instanceof String text && text.indexOf('\0') >= 0) {
                    return component.getName() + " contains a NUL character";
                }
                if (value instanceof List<?> list && list.stream().anyMatch(item -> item instanceof String text && text.indexOf('\0') >= 0)) {
                    return component.getName() + " contains a NUL character";
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }
}
