-- PupilFlow audit trail. One hash chain per Kafka source partition (chain_id = '<topic>-<partition>').
-- Every chained row stores its canonical bytes and hash = SHA-256(previous row's hash || canonical);
-- the columns beside them are for querying and are checked against the canonical bytes by verification.
-- The tables are append-only: updates, truncation and unrecorded deletes are refused by triggers (below)
-- and, when the application runs as its own role, by privileges (afterMigrate.sql).

CREATE TABLE chain_head (
    chain_id    text        PRIMARY KEY,
    ledger      text        NOT NULL CHECK (ledger IN ('disclosure', 'delivery')),
    seq         bigint      NOT NULL CHECK (seq >= 0),                    -- last sequence number used (0: none yet)
    hash        bytea       NOT NULL CHECK (octet_length(hash) = 32),     -- hash of row seq (32 zero bytes: none yet)
    updated_at  timestamptz NOT NULL
);

CREATE TABLE disclosure (
    chain_id             text        NOT NULL,
    seq                  bigint      NOT NULL CHECK (seq >= 1),
    source_offset        bigint      NOT NULL,
    recorded_at          timestamptz NOT NULL,
    disclosure_id        text        NOT NULL UNIQUE,
    upn                  text        NOT NULL,
    pseudonymised        boolean     NOT NULL,
    pupil_pseudonym      text,
    recipient_key        text,
    recipient_id         text        NOT NULL,
    outcome              text        NOT NULL CHECK (outcome IN ('DISCLOSED', 'RESTRICTED', 'WITHHELD')),
    fields_disclosed     text[]      NOT NULL,
    reason               text        NOT NULL,
    objection_ids        text[]      NOT NULL,
    policy_id            text        NOT NULL,
    policy_version       text        NOT NULL,
    policy_content_hash  text        NOT NULL,
    legal_basis          text        NOT NULL,
    return_id            text        NOT NULL,
    age_measured_on      date,
    delete_by            date,
    decided_at           timestamptz NOT NULL,
    canonical            bytea       NOT NULL,
    hash                 bytea       NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (chain_id, seq)
);
CREATE INDEX disclosure_by_upn ON disclosure (upn, decided_at);
CREATE INDEX disclosure_by_recipient ON disclosure (recipient_id, decided_at);
CREATE INDEX disclosure_by_return ON disclosure (return_id, recipient_id, outcome);
CREATE INDEX disclosure_by_decided_at ON disclosure (decided_at, disclosure_id);

CREATE TABLE delivery (
    chain_id       text        NOT NULL,
    seq            bigint      NOT NULL CHECK (seq >= 1),
    source_offset  bigint      NOT NULL,
    recorded_at    timestamptz NOT NULL,
    receipt_key    text        NOT NULL UNIQUE,   -- SHA-256 of the receipt's content: the same receipt twice is stored once
    disclosure_id  text        NOT NULL,
    recipient_id   text        NOT NULL,
    channel        text        NOT NULL,
    outcome        text        NOT NULL,
    attempts       integer     NOT NULL,
    detail         text,
    delivered_at   timestamptz NOT NULL,
    canonical      bytea       NOT NULL,
    hash           bytea       NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (chain_id, seq)
);
CREATE INDEX delivery_by_disclosure ON delivery (disclosure_id);

-- Signed checkpoints written by the retention job before it removes rows seq first_seq..last_seq of a chain:
-- verification continues from last_hash. The signature (HMAC-SHA256 with a key held by audit-service,
-- never by the database) covers every other column, see CheckpointSigner.
CREATE TABLE chain_erasure (
    chain_id   text        NOT NULL,
    first_seq  bigint      NOT NULL,
    last_seq   bigint      NOT NULL,
    last_hash  bytea       NOT NULL CHECK (octet_length(last_hash) = 32),
    erased_at  timestamptz NOT NULL,
    rule       text        NOT NULL,
    signature  bytea       NOT NULL,
    PRIMARY KEY (chain_id, first_seq),
    CHECK (first_seq >= 1 AND last_seq >= first_seq)
);

-- Who read which pupil's audit trail, when (UK GDPR accountability). Append-only too.
CREATE TABLE access_log (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    accessed_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    requester     text        NOT NULL,
    endpoint      text        NOT NULL,
    upn           text,
    query         text,
    result_count  integer     NOT NULL
);
CREATE INDEX access_log_by_upn ON access_log (upn, accessed_at);

CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit trail: % on % refused: the table is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- A chained row may only be deleted once a signed erasure checkpoint covering it has been written
-- (the retention job does both in one transaction); the checkpoint is what keeps the chain verifiable.
CREATE FUNCTION audit_refuse_unrecorded_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM chain_erasure e
                   WHERE e.chain_id = OLD.chain_id AND e.first_seq <= OLD.seq AND e.last_seq >= OLD.seq) THEN
        RAISE EXCEPTION 'audit trail: deleting % row %/% refused: only the retention job may delete, after writing a signed erasure checkpoint',
            TG_TABLE_NAME, OLD.chain_id, OLD.seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END;
$$;

-- The head only moves forward.
CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.chain_id <> OLD.chain_id OR NEW.ledger <> OLD.ledger OR NEW.seq < OLD.seq THEN
        RAISE EXCEPTION 'audit trail: chain head % may only move forward (seq % -> %)', OLD.chain_id, OLD.seq, NEW.seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

-- Statement-level where every statement is refused (even one that would touch no row); row-level where each row is checked.
CREATE TRIGGER disclosure_no_update BEFORE UPDATE ON disclosure FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER disclosure_recorded_delete BEFORE DELETE ON disclosure FOR EACH ROW EXECUTE FUNCTION audit_refuse_unrecorded_delete();
CREATE TRIGGER disclosure_no_truncate BEFORE TRUNCATE ON disclosure FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

CREATE TRIGGER delivery_no_update BEFORE UPDATE ON delivery FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER delivery_recorded_delete BEFORE DELETE ON delivery FOR EACH ROW EXECUTE FUNCTION audit_refuse_unrecorded_delete();
CREATE TRIGGER delivery_no_truncate BEFORE TRUNCATE ON delivery FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

CREATE TRIGGER chain_erasure_no_change BEFORE UPDATE OR DELETE ON chain_erasure FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER chain_erasure_no_truncate BEFORE TRUNCATE ON chain_erasure FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

CREATE TRIGGER chain_head_forward_only BEFORE UPDATE ON chain_head FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();
CREATE TRIGGER chain_head_no_delete BEFORE DELETE ON chain_head FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER chain_head_no_truncate BEFORE TRUNCATE ON chain_head FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
