-- Contract release 3 (case-by-case sharing): a decision may answer a disclosure request an authorised officer made
-- for a case (recipients whose rule says delivery: on-request). Existing rows are not touched (no UPDATE: the
-- append-only triggers would refuse it, and their canonical bytes must stay as they are): nullable columns and an
-- array with a constant default are catalogue changes, and existing rows read as no request, which is what their
-- version-1 and version-2 canonical bytes decode to. Rows that answer a request are encoded as canonical version 3,
-- which covers these columns (DisclosureCodec).

-- The request's id (the same on every decision of the request), its case reference, the purpose the officer gave,
-- the officer who asked and the officers who approved it (the requester first).
ALTER TABLE disclosure ADD COLUMN request_id text;
ALTER TABLE disclosure ADD COLUMN case_reference text;
ALTER TABLE disclosure ADD COLUMN request_purpose text;
ALTER TABLE disclosure ADD COLUMN requested_by text;
ALTER TABLE disclosure ADD COLUMN approved_by text[] NOT NULL DEFAULT '{}';

-- The DPO asks "what did request DR-... disclose?": only the rows that answer a request are indexed.
CREATE INDEX disclosure_by_request_id ON disclosure (request_id) WHERE request_id IS NOT NULL;
