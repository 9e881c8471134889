package org.pupilflow.audit.chain;

/**
 * The result of verifying one chain.
 *
 * @param chainId       the chain (source topic-partition)
 * @param fromSeq       the first sequence number checked (1 unless verification started from a known state)
 * @param lastSeq       the last sequence number reached (a row or the end of an erased range)
 * @param lastHash      the hash at {@code lastSeq}, hex
 * @param rowsChecked   rows whose hash and columns were recomputed
 * @param rowsErased    rows covered by signed erasure checkpoints
 * @param anchoredSeq   the sequence number of the latest published head compared, or null if none was published
 * @param firstBreak    the first link that does not hold, or null when the chain verifies
 */
public record ChainReport(String chainId, long fromSeq, long lastSeq, String lastHash, long rowsChecked, long rowsErased,
                          Long anchoredSeq, ChainBreak firstBreak) {

    public boolean intact() {
        return firstBreak == null;
    }
}
