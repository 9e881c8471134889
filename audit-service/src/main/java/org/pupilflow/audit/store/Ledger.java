package org.pupilflow.audit.store;

/** The two chained tables: sharing decisions, and what adapters did with them. */
public enum Ledger {
    DISCLOSURE("disclosure"),
    DELIVERY("delivery");

    private final String table;

    Ledger(String table) {
        this.table = table;
    }

    /** Table name, also the {@code ledger} value in {@code chain_head} and in published chain heads. */
    public String table() {
        return table;
    }
}
