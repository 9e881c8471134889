package org.pupilflow.audit.chain;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Recomputes one chain row by row and reports its first broken link. For each row, in sequence
 * order: the sequence number follows the previous one (or the gap is exactly a validly signed
 * erasure checkpoint, which supplies the hash to continue from); the canonical bytes decode, and
 * their position and content equal the row's columns; and {@code SHA-256(previous hash ||
 * canonical)} equals the stored hash. At the end, the last hash must equal the chain's head record
 * and the table must agree with the latest chain head published outside the database.
 *
 * <p>Plain Java: the caller streams rows in; nothing here touches a database.
 */
public final class ChainVerifier<R> {

    private final EntryCodec<R> codec;
    private final CheckpointSigner signer;

    public ChainVerifier(EntryCodec<R> codec, CheckpointSigner signer) {
        this.codec = codec;
        this.signer = signer;
    }

    /** Verification of a whole chain, from its genesis. */
    public Run start(String chainId, List<Erasure> erasures, ChainAnchor anchor) {
        return new Run(chainId, 0, ChainHash.genesis(), erasures, anchor);
    }

    /** Verification of the rows after {@code afterSeq}, whose hash is known to be {@code afterHash}. */
    public Run startAfter(String chainId, long afterSeq, byte[] afterHash, List<Erasure> erasures, ChainAnchor anchor) {
        return new Run(chainId, afterSeq, afterHash, erasures, anchor);
    }

    /** The chain head record kept in the database ({@code chain_head}). */
    public record Head(long seq, byte[] hash) {
    }

    public final class Run {

        private final String chainId;
        private final long fromSeq;
        private final List<Erasure> erasures;
        private final ChainAnchor anchor;
        private int nextErasure;
        private long expectedSeq;
        private byte[] previousHash;
        private long rowsChecked;
        private long rowsErased;
        private ChainBreak firstBreak;

        private Run(String chainId, long afterSeq, byte[] afterHash, List<Erasure> all, ChainAnchor anchor) {
            this.chainId = chainId;
            this.fromSeq = afterSeq + 1;
            this.expectedSeq = afterSeq + 1;
            this.previousHash = afterHash;
            this.anchor = anchor;
            List<Erasure> sorted = new ArrayList<>(all);
            sorted.sort(Comparator.comparingLong(Erasure::firstSeq));
            long previousLast = Long.MIN_VALUE;
            for (Erasure erasure : sorted) {
                if (!signer.verify(erasure)) {
                    breakAt(erasure.firstSeq(), ChainBreak.Kind.FORGED_ERASURE, "erasure checkpoint for rows " + erasure.firstSeq() + ".." + erasure.lastSeq()
                            + " has an invalid signature: rows were deleted by something other than the retention job");
                } else if (erasure.firstSeq() <= previousLast || erasure.lastSeq() < erasure.firstSeq()) {
                    breakAt(erasure.firstSeq(), ChainBreak.Kind.FORGED_ERASURE, "erasure checkpoint for rows " + erasure.firstSeq() + ".." + erasure.lastSeq()
                            + " overlaps another checkpoint");
                }
                previousLast = Math.max(previousLast, erasure.lastSeq());
            }
            if (anchor != null && !signer.verify(anchor)) {
                breakAt(anchor.seq(), ChainBreak.Kind.FORGED_ANCHOR, "the published chain head for seq " + anchor.seq() + " has an invalid signature");
            }
            // Erasures wholly before the starting point are history already accounted for.
            List<Erasure> relevant = new ArrayList<>();
            for (Erasure erasure : sorted) {
                if (erasure.lastSeq() > afterSeq) {
                    relevant.add(erasure);
                }
            }
            this.erasures = relevant;
            if (!relevant.isEmpty() && relevant.get(0).firstSeq() <= afterSeq) {
                Erasure straddling = relevant.get(0);
                this.nextErasure = 1;
                this.rowsErased += straddling.lastSeq() - afterSeq;
                this.expectedSeq = straddling.lastSeq() + 1;
                this.previousHash = straddling.lastHash();
            }
        }

        /** Checks the next row (rows must come in ascending seq); returns false once the chain is broken. */
        public boolean accept(StoredRow<R> row) {
            if (firstBreak != null) {
                return false;
            }
            skipErasures();
            long seq = row.position().seq();
            if (seq < expectedSeq) {
                return breakAt(seq, ChainBreak.Kind.ERASURE_MISMATCH, "row " + seq + " is present although an erasure checkpoint covers it");
            }
            if (seq > expectedSeq) {
                return breakAt(expectedSeq, ChainBreak.Kind.MISSING, missing(expectedSeq, seq - 1));
            }
            ChainEntry<R> decoded;
            try {
                decoded = codec.decode(row.canonical());
            } catch (MalformedCanonicalException e) {
                return breakAt(seq, ChainBreak.Kind.UNDECODABLE, "row " + seq + ": stored canonical bytes are malformed (" + e.getMessage() + ")");
            }
            List<String> differences = differences(decoded, row);
            differences.addAll(row.inconsistentDerivedColumns());
            if (!differences.isEmpty()) {
                return breakAt(seq, ChainBreak.Kind.EDITED, "row " + seq + " was edited: " + String.join(", ", differences)
                        + " no longer match the row's canonical bytes");
            }
            byte[] expectedHash = ChainHash.link(previousHash, row.canonical());
            if (!Arrays.equals(expectedHash, row.hash())) {
                return breakAt(seq, ChainBreak.Kind.HASH_MISMATCH, "row " + seq + " does not chain from row " + (seq - 1)
                        + ": SHA-256(previous hash || canonical) is " + ChainHash.hex(expectedHash) + " but the stored hash is " + ChainHash.hex(row.hash()));
            }
            if (anchor != null && anchor.seq() == seq && !Arrays.equals(anchor.hash(), row.hash())) {
                return breakAt(seq, ChainBreak.Kind.ANCHOR_MISMATCH, "row " + seq + " has hash " + ChainHash.hex(row.hash()) + " but "
                        + ChainHash.hex(anchor.hash()) + " was published for it at " + anchor.publishedAt() + ": the chain was rewritten");
            }
            previousHash = row.hash();
            expectedSeq++;
            rowsChecked++;
            return true;
        }

        /** Ends the run: compares the end of the chain with the head record (null if there is none) and the published head. */
        public ChainReport finish(Head head) {
            if (firstBreak == null) {
                skipErasures();
                if (nextErasure < erasures.size()) {
                    Erasure next = erasures.get(nextErasure);
                    breakAt(expectedSeq, ChainBreak.Kind.MISSING, missing(expectedSeq, next.firstSeq() - 1));
                }
            }
            long lastSeq = expectedSeq - 1;
            if (firstBreak == null && head != null && (head.seq() != lastSeq || !Arrays.equals(head.hash(), previousHash))) {
                if (head.seq() > lastSeq) {
                    breakAt(lastSeq + 1, ChainBreak.Kind.MISSING, "the chain's head is at seq " + head.seq() + " but its rows end at " + lastSeq
                            + ": " + missing(lastSeq + 1, head.seq()));
                } else {
                    breakAt(head.seq(), ChainBreak.Kind.HEAD_MISMATCH, "the chain's head record (seq " + head.seq() + ", hash " + ChainHash.hex(head.hash())
                            + ") disagrees with its rows (seq " + lastSeq + ", hash " + ChainHash.hex(previousHash) + ")");
                }
            }
            if (firstBreak == null && head == null && lastSeq >= fromSeq) {
                breakAt(fromSeq, ChainBreak.Kind.HEAD_MISMATCH, "rows exist but the chain has no head record");
            }
            if (firstBreak == null && anchor != null && anchor.seq() > lastSeq) {
                breakAt(lastSeq + 1, ChainBreak.Kind.ANCHOR_BEYOND_TABLE, "seq " + anchor.seq() + " (hash " + ChainHash.hex(anchor.hash()) + ") was published at "
                        + anchor.publishedAt() + " but the table ends at seq " + lastSeq + ": rows were removed or the table was replaced");
            }
            return new ChainReport(chainId, fromSeq, lastSeq, ChainHash.hex(previousHash), rowsChecked, rowsErased,
                    anchor == null ? null : anchor.seq(), firstBreak);
        }

        private void skipErasures() {
            while (firstBreak == null && nextErasure < erasures.size() && erasures.get(nextErasure).firstSeq() == expectedSeq) {
                Erasure erasure = erasures.get(nextErasure++);
                if (anchor != null && anchor.seq() == erasure.lastSeq() && !Arrays.equals(anchor.hash(), erasure.lastHash())) {
                    breakAt(anchor.seq(), ChainBreak.Kind.ANCHOR_MISMATCH, "seq " + anchor.seq() + " was published with hash " + ChainHash.hex(anchor.hash())
                            + " but its erasure checkpoint records " + ChainHash.hex(erasure.lastHash()));
                    return;
                }
                rowsErased += erasure.rows();
                previousHash = erasure.lastHash();
                expectedSeq = erasure.lastSeq() + 1;
            }
        }

        private String missing(long from, long to) {
            return (from == to ? "row " + from + " is" : "rows " + from + ".." + to + " are")
                    + " missing and no signed erasure checkpoint covers them: deleted outside the retention job";
        }

        private boolean breakAt(long seq, ChainBreak.Kind kind, String detail) {
            if (firstBreak == null) {
                firstBreak = new ChainBreak(seq, kind, detail);
            }
            return false;
        }

        private List<String> differences(ChainEntry<R> decoded, StoredRow<R> row) {
            List<String> names = new ArrayList<>();
            ChainPosition stored = row.position();
            ChainPosition canonical = decoded.position();
            if (!stored.chainId().equals(canonical.chainId())) {
                names.add("chain_id");
            }
            if (stored.seq() != canonical.seq()) {
                names.add("seq");
            }
            if (stored.sourceOffset() != canonical.sourceOffset()) {
                names.add("source_offset");
            }
            if (!Objects.equals(stored.recordedAt(), canonical.recordedAt())) {
                names.add("recorded_at");
            }
            R columns = row.columns();
            for (RecordComponent component : columns.getClass().getRecordComponents()) {
                try {
                    Object a = component.getAccessor().invoke(columns);
                    Object b = component.getAccessor().invoke(decoded.content());
                    if (!Objects.equals(a, b)) {
                        names.add(component.getName());
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component, e);
                }
            }
            return names;
        }
    }
}
