package org.pupilflow.policy.decide;

import org.pupilflow.policy.RecipientRule;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * One recipient's decision about one pupil.
 *
 * @param recipient  the rule that decided
 * @param outcome    DISCLOSED, RESTRICTED or WITHHELD
 * @param recordKey  Kafka key for the recipient record: the UPN if the recipient may see it,
 *                   the pseudonym for pseudonymised recipients, else the disclosure id, so the
 *                   key never reveals more than the value
 * @param disclosure what the recipient receives; null when WITHHELD
 * @param event      the audit record of this decision (same disclosure id)
 */
public record Decision(RecipientRule recipient, DisclosureOutcome outcome, String recordKey, PupilDisclosure disclosure, DisclosureEvent event) {

    public boolean sendsRecord() {
        return disclosure != null;
    }
}
