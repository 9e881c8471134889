-- Contract release 2 ("rights that follow the data"): three new outcomes and two new fields on DisclosureEvent.
-- Existing rows are not touched (no UPDATE: the append-only triggers would refuse it, and their canonical bytes and
-- hashes must stay exactly as they are): ADD COLUMN with a constant default is a catalogue change in PostgreSQL 11+,
-- and existing rows read as relates_to = '{}' and retain_until = NULL, which is what their version-1 canonical
-- bytes decode to, so they still verify. Rows that have either value are encoded as canonical version 2, which
-- covers both (DisclosureCodec); verification compares both columns with the canonical bytes of every row.

-- The disclosures a row is about: the one the recipient already holds (UNCHANGED), those it was asked to delete
-- (DELETION_REQUESTED) or told are past their delete-by date (DELETION_DUE).
ALTER TABLE disclosure ADD COLUMN relates_to text[] NOT NULL DEFAULT '{}';
-- The LA keeps the row at least until this date (a retention rule of its policy, e.g. looked-after children);
-- the retention job erases it after this date (and after the configured rule's period, if one matches).
ALTER TABLE disclosure ADD COLUMN retain_until date;

-- The outcome list grows (UNRECOGNISED, the contract's enum default, is never stored: ingest dead-letters it).
-- Adding the check reads every existing row once, inside this migration's transaction.
ALTER TABLE disclosure DROP CONSTRAINT disclosure_outcome_check;
ALTER TABLE disclosure ADD CONSTRAINT disclosure_outcome_check
    CHECK (outcome IN ('DISCLOSED', 'RESTRICTED', 'WITHHELD', 'UNCHANGED', 'DELETION_REQUESTED', 'DELETION_DUE'));

-- Retention finds rows whose retain_until has passed without reading the rows that have none.
CREATE INDEX disclosure_by_retain_until ON disclosure (retain_until) WHERE retain_until IS NOT NULL;
