package org.pupilflow.router.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one recipient holds about one pupil, as far as the router knows: the disclosures it was sent and has not been
 * asked to delete (with their delete-by dates), and the latest of them — its fingerprint, fields and outcome — to
 * decide whether a new decision changes anything. Kept in the router's changelogged state store, keyed
 * {@code <UPN>|<recipient id>}.
 *
 * @param outstanding disclosure id → delete-by date ({@code yyyy-MM-dd}, or "" when none), oldest first
 * @param latestId    the disclosure the recipient's current record is, or null when it holds nothing
 * @param fingerprint of the latest record's content ({@link RecordFingerprint}), null when it holds nothing
 * @param fields      the census units of the latest record
 * @param recordKey   the Kafka key of the latest record on the recipient's topic (requests are keyed the same)
 * @param retainUntil the audit retention date of the latest decision ({@code yyyy-MM-dd}), or null
 */
record Holding(Map<String, String> outstanding, String latestId, String fingerprint, List<String> fields, String outcome, String returnId,
               String recordKey, String retainUntil) {

    static final Holding NOTHING = new Holding(Map.of(), null, null, List.of(), null, null, null, null);

    Holding {
        outstanding = outstanding == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outstanding));
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    boolean holdsRecord() {
        return latestId != null;
    }

    /** After a new record was sent: it is the latest, and joins the outstanding ones. */
    Holding sent(String disclosureId, String deleteBy, String fingerprint, List<String> fields, String outcome, String returnId, String recordKey,
                 String retainUntil) {
        Map<String, String> held = new LinkedHashMap<>(outstanding);
        held.put(disclosureId, deleteBy == null ? "" : deleteBy);
        return new Holding(held, disclosureId, fingerprint, fields, outcome, returnId, recordKey, retainUntil);
    }

    /** After a deletion request for everything outstanding. */
    Holding deleted() {
        return new Holding(Map.of(), null, null, List.of(), null, returnId, recordKey, retainUntil);
    }

    /** After the delete-by date of one disclosure passed: the recipient no longer holds it. */
    Holding due(String disclosureId) {
        Map<String, String> held = new LinkedHashMap<>(outstanding);
        held.remove(disclosureId);
        return disclosureId.equals(latestId) ? new Holding(held, null, null, List.of(), null, returnId, recordKey, retainUntil)
                : new Holding(held, latestId, fingerprint, fields, outcome, returnId, recordKey, retainUntil);
    }

    boolean isEmpty() {
        return outstanding.isEmpty() && latestId == null;
    }
}
