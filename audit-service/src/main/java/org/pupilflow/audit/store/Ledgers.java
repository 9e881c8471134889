package org.pupilflow.audit.store;

import java.util.List;

/** The chained tables (stateless, so shared). */
public final class Ledgers {

    public static final DisclosureTable DISCLOSURES = new DisclosureTable();
    public static final DeliveryTable DELIVERIES = new DeliveryTable();

    private Ledgers() {
    }

    public static List<LedgerTable<?>> all() {
        return List.of(DISCLOSURES, DELIVERIES);
    }

    public static LedgerTable<?> of(Ledger ledger) {
        return ledger == Ledger.DISCLOSURE ? DISCLOSURES : DELIVERIES;
    }

    public static LedgerTable<?> of(String ledgerName) {
        for (LedgerTable<?> table : all()) {
            if (table.table().equals(ledgerName)) {
                return table;
            }
        }
        return null;
    }
}
