package org.pupilflow.audit.verify;

import java.time.Instant;
import java.util.List;

import org.pupilflow.audit.chain.ChainBreak;
import org.pupilflow.audit.chain.ChainReport;

/**
 * The answer of {@code GET /audit/verify}.
 *
 * @param status           INTACT when every chain verifies, BROKEN otherwise
 * @param verifiedAt       when the verification started
 * @param anchorsChecked   whether the published chain heads could be read and were compared
 * @param anchorsProblem   why they could not be, or null
 * @param rowsChecked      rows recomputed, over all chains
 * @param rowsErased       rows accounted for by signed erasure checkpoints
 * @param firstBreak       the first broken link of the first broken chain, or null
 * @param chains           every chain, in ledger then chain order
 */
public record VerifyReport(Status status, Instant verifiedAt, boolean anchorsChecked, String anchorsProblem, long rowsChecked, long rowsErased,
                           Link firstBreak, List<Chain> chains) {

    public enum Status { INTACT, BROKEN }

    /** A broken link, located. */
    public record Link(String ledger, String chainId, long seq, ChainBreak.Kind kind, String detail) {
    }

    /** One chain's result. */
    public record Chain(String ledger, String chainId, boolean intact, long rowsChecked, long rowsErased, long lastSeq, String lastHash,
                        Long anchoredSeq, ChainBreak firstBreak) {

        static Chain of(String ledger, ChainReport report) {
            return new Chain(ledger, report.chainId(), report.intact(), report.rowsChecked(), report.rowsErased(), report.lastSeq(), report.lastHash(),
                    report.anchoredSeq(), report.firstBreak());
        }
    }

    public boolean intact() {
        return status == Status.INTACT;
    }
}
