-- Hand check of the disclosure hash chains (for delivery chains, replace "disclosure" by "delivery").
-- Lists every row whose stored hash is not SHA-256(previous hash || canonical), where the previous
-- hash is the previous row's, or the erasure checkpoint's when retention removed the rows just
-- before, or 32 zero bytes for seq 1. A gap with no checkpoint has no previous hash, so the row
-- after it is listed too. No rows listed: every link holds.
-- Not checked here (GET /audit/verify does): the checkpoints' signatures, the columns against the
-- canonical bytes, the last rows against chain_head and the published chain heads.
WITH links AS (
    SELECT chain_id, seq, canonical, hash,
           lag(seq)  OVER w AS prev_seq,
           lag(hash) OVER w AS prev_hash
    FROM disclosure
    WINDOW w AS (PARTITION BY chain_id ORDER BY seq)
)
SELECT l.chain_id, l.seq
FROM links l
LEFT JOIN chain_erasure e ON e.chain_id = l.chain_id AND e.last_seq = l.seq - 1
WHERE l.hash IS DISTINCT FROM sha256(
        CASE WHEN l.prev_seq = l.seq - 1 THEN l.prev_hash
             WHEN e.chain_id IS NOT NULL THEN e.last_hash
             WHEN l.seq = 1 THEN decode(repeat('00', 32), 'hex')
        END || l.canonical)
ORDER BY l.chain_id, l.seq;
