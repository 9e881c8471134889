package org.pupilflow.policy;

import java.time.LocalDate;
import java.time.Period;

/**
 * When a recipient must destroy what it received: a fixed date, or a period after disclosure.
 * Exactly one is set (checked at load).
 */
public record DeleteBy(LocalDate date, Period afterDisclosure) {

    public LocalDate forDisclosureOn(LocalDate disclosureDate) {
        return date != null ? date : disclosureDate.plus(afterDisclosure);
    }
}
