-- Issue 18, one policy in force: every change of the policy the sharing-router applies, as it published it to the
-- policy topic. One row per change (a router restarted with the same policy is not a change); the first policy is a
-- change from none. Append-only like the rest of the trail, and verified by its own continuity: each row's old_hash is
-- the previous row's new_hash, and new_hash is the SHA-256 of the document the row keeps (GET /audit/policy-changes).
CREATE TABLE policy_change (
    seq            bigint      PRIMARY KEY,
    source_topic   text        NOT NULL,
    source_offset  bigint      NOT NULL,
    policy_id      text        NOT NULL,
    policy_version text        NOT NULL,
    old_hash       text,
    new_hash       text        NOT NULL,
    published_at   timestamptz NOT NULL,
    published_by   text        NOT NULL,
    recorded_at    timestamptz NOT NULL,
    document       text        NOT NULL,
    UNIQUE (source_topic, source_offset),
    CHECK (old_hash IS DISTINCT FROM new_hash),
    CHECK (seq >= 1)
);

CREATE TRIGGER policy_change_no_change BEFORE UPDATE OR DELETE ON policy_change FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER policy_change_no_truncate BEFORE TRUNCATE ON policy_change FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
