package org.pupilflow.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ChainVerifierTest {

    private static final String CHAIN = "audit.disclosures-0";

    private final DisclosureCodec codec = new DisclosureCodec();
    private final CheckpointSigner signer = new CheckpointSigner("unit-test-checkpoint-key-0123456789abcdef");
    private final ChainVerifier<DisclosureRecord> verifier = new ChainVerifier<>(codec, signer);

    /** A correctly built chain of {@code n} rows. */
    private List<StoredRow<DisclosureRecord>> chain(int n) {
        List<StoredRow<DisclosureRecord>> rows = new ArrayList<>();
        byte[] previous = ChainHash.genesis();
        for (int seq = 1; seq <= n; seq++) {
            ChainPosition position = new ChainPosition(CHAIN, seq, 100 + seq, Instant.parse("2026-01-16T09:30:00Z").plusSeconds(seq));
            DisclosureRecord record = CanonicalEncodingTest.decision("reason " + seq, null);
            byte[] canonical = codec.encode(position, record);
            byte[] hash = ChainHash.link(previous, canonical);
            rows.add(new StoredRow<>(position, record, canonical, hash));
            previous = hash;
        }
        return rows;
    }

    private ChainReport verify(List<StoredRow<DisclosureRecord>> rows, List<Erasure> erasures, ChainAnchor anchor, ChainVerifier.Head head) {
        ChainVerifier<DisclosureRecord>.Run run = verifier.start(CHAIN, erasures, anchor);
        rows.forEach(run::accept);
        return run.finish(head);
    }

    private static ChainVerifier.Head headOf(List<StoredRow<DisclosureRecord>> rows) {
        StoredRow<DisclosureRecord> last = rows.get(rows.size() - 1);
        return new ChainVerifier.Head(last.position().seq(), last.hash());
    }

    private ChainAnchor anchorAt(StoredRow<DisclosureRecord> row) {
        return new ChainAnchor(CHAIN, "disclosure", row.position().seq(), row.hash(), Instant.parse("2026-01-16T10:00:00Z"), null).signedWith(signer);
    }

    private Erasure erasure(List<StoredRow<DisclosureRecord>> rows, int first, int last) {
        return new Erasure(CHAIN, first, last, rows.get(last - 1).hash(), Instant.parse("2027-01-16T00:00:00Z"), "retention: test", null).signedWith(signer);
    }

    @Test
    void anIntactChainVerifies() {
        List<StoredRow<DisclosureRecord>> rows = chain(5);

        ChainReport report = verify(rows, List.of(), anchorAt(rows.get(4)), headOf(rows));

        assertThat(report.intact()).isTrue();
        assertThat(report.rowsChecked()).isEqualTo(5);
        assertThat(report.lastSeq()).isEqualTo(5);
        assertThat(report.anchoredSeq()).isEqualTo(5);
    }

    @Test
    void aColumnEditedWithoutTouchingTheCanonicalBytesIsReportedAtThatRow() {
        List<StoredRow<DisclosureRecord>> rows = chain(5);
        StoredRow<DisclosureRecord> row = rows.get(2);
        DisclosureRecord c = row.columns();
        DisclosureRecord edited = new DisclosureRecord(c.disclosureId(), c.upn(), c.pseudonymised(), c.pupilPseudonym(), c.recipientKey(), "dfe",
                c.outcome(), c.fieldsDisclosed(), c.reason(), c.objectionIds(), c.policyId(), c.policyVersion(), c.policyContentHash(), c.legalBasis(),
                c.returnId(), c.ageMeasuredOn(), c.deleteBy(), c.decidedAt());
        rows.set(2, new StoredRow<>(row.position(), edited, row.canonical(), row.hash()));

        ChainReport report = verify(rows, List.of(), null, headOf(rows));

        assertThat(report.firstBreak()).isNotNull();
        assertThat(report.firstBreak().seq()).isEqualTo(3);
        assertThat(report.firstBreak().kind()).isEqualTo(ChainBreak.Kind.EDITED);
        assertThat(report.firstBreak().detail()).contains("recipientId");
    }

    @Test
    void rewrittenCanonicalBytesNoLongerChain() {
        List<StoredRow<DisclosureRecord>> rows = chain(5);
        StoredRow<DisclosureRecord> row = rows.get(1);
        DisclosureRecord forged = CanonicalEncodingTest.decision("a different reason", null);
        rows.set(1, new StoredRow<>(row.position(), forged, codec.encode(row.position(), forged), row.hash()));

        ChainReport report = verify(rows, List.of(), null, headOf(rows));

        assertThat(report.firstBreak().seq()).isEqualTo(2);
        assertThat(report.firstBreak().kind()).isEqualTo(ChainBreak.Kind.HASH_MISMATCH);
    }

    @Test
    void aDeletedRowIsReportedAsMissing() {
        List<StoredRow<DisclosureRecord>> rows = chain(5);
        ChainVerifier.Head head = headOf(rows);
        rows.remove(3);

        ChainReport report = verify(rows, List.of(), null, head);

        assertThat(report.firstBreak().seq()).isEqualTo(4);
        assertThat(report.firstBreak().kind()).isEqualTo(ChainBreak.Kind.MISSING);
    }

    @Test
    void rowsDeletedAtTheEndAreFoundFromTheHeadRecord() {
        List<StoredRow<DisclosureRecord>> rows = chain(5);
        ChainVerifier.Head head = headOf(rows);

        ChainReport report = verify(rows.subList(0, 3), List.of(), null, head);

        assertThat(report.firstBreak().kind()).isEqualTo(ChainBreak.Kind.MISSING);
        assertThat(report.firstBreak().seq()).isEqualTo(4);
    }

    @Test
    void aSignedErasureCheckpointBridgesTheRowsRetentionRemoved() {
        List<StoredRow<DisclosureRecord>> rows = chain(6);
        List<Erasure> erasures = List.of(erasure(rows, 1, 2), erasure(rows, 4, 5));
        ChainVerifier.Head head = headOf(rows);
        List<StoredRow<DisclosureRecord>> remaining = List.of(rows.get(2), rows.get(5));

        ChainReport report = verify(remaining, erasures, null, head);

        assertThat(report.intact()).isTrue();
        assertThat(report.rowsChecked()).isEqualTo(2);
        assertThat(report.rowsErased()).isEqualTo(4);
    }

    @Test
    void anErasureCheckpointWithAForgedSignatureIsReported() {
        List<StoredRow<DisclosureRecord>> rows = chain(4);
        Erasure genuine = erasure(rows, 2, 3);
        Erasure forged = new Erasure(CHAIN, 2, 3, genuine.lastHash(), genuine.erasedAt(), genuine.rule(),
                new CheckpointSigner("someone-elses-key-0123456789abcdefghij").sign(genuine));

        ChainReport report = verify(List.of(rows.get(0), rows.get(3)), List.of(forged), null, headOf(rows));

        assertThat(report.firstBreak().kind()).isEqualTo(ChainBreak.Kind.FORGED_ERASURE);
        assertThat(report.firstBreak().seq()).isEqualTo(2);
    }

    @Test
    void aWholeChainRewrittenConsistentlyIsCaughtByThePublishedHead() {
        List<StoredRow<DisclosureRecord>> original = chain(4);
        ChainAnchor published = anchorAt(original.get(2));
        // Rebuild every row with a changed reason and recompute every hash: internally consistent.
        List<StoredRow<DisclosureRecord>> rewritten = new ArrayList<>();
        byte[] previous = ChainHash.genesis();
        for (StoredRow<DisclosureRecord> row : original) {
            DisclosureRecord changed = CanonicalEncodingTest.decision("rewritten", null);
            byte[] canonical = codec.encode(row.position(), changed);
            byte[] hash = ChainHash.link(previous, canonical);
            rewritten.add(new StoredRow<>(row.position(), changed, canonical, hash));
            previous = hash;
        }

        ChainReport report = verify(rewritten, List.of(), published, headOf(rewritten));

        assertThat(report.firstBreak().kind()).isEqualTo(ChainBreak.Kind.ANCHOR_MISMATCH);
        assertThat(report.firstBreak().seq()).isEqualTo(3);
    }

    @Test
    void aTableThatNoLongerReachesThePublishedHeadIsReported() {
        List<StoredRow<DisclosureRecord>> rows = chain(5);
        ChainAnchor published = anchorAt(rows.get(4));
        List<StoredRow<DisclosureRecord>> truncated = rows.subList(0, 3);

        ChainReport report = verify(truncated, List.of(), published, headOf(truncated));

        assertThat(report.firstBreak().kind()).isEqualTo(ChainBreak.Kind.ANCHOR_BEYOND_TABLE);
    }

    @Test
    void aPublishedHeadWithoutAValidSignatureIsReported() {
        List<StoredRow<DisclosureRecord>> rows = chain(3);
        ChainAnchor unsigned = new ChainAnchor(CHAIN, "disclosure", 3, rows.get(2).hash(), Instant.now(), new byte[32]);

        ChainReport report = verify(rows, List.of(), unsigned, headOf(rows));

        assertThat(report.firstBreak().kind()).isEqualTo(ChainBreak.Kind.FORGED_ANCHOR);
    }

    @Test
    void verificationCanStartFromAKnownHead() {
        List<StoredRow<DisclosureRecord>> rows = chain(6);
        StoredRow<DisclosureRecord> known = rows.get(3);

        ChainVerifier<DisclosureRecord>.Run run = verifier.startAfter(CHAIN, 4, known.hash(), List.of(), null);
        rows.subList(4, 6).forEach(run::accept);
        ChainReport report = run.finish(headOf(rows));

        assertThat(report.intact()).isTrue();
        assertThat(report.fromSeq()).isEqualTo(5);
        assertThat(report.rowsChecked()).isEqualTo(2);
    }

    /** Rows 1, 3, 5 as before release 2 (version 1), rows 2 and 4 with relatesTo and retainUntil (version 2). */
    private List<StoredRow<DisclosureRecord>> mixedChain() {
        List<StoredRow<DisclosureRecord>> rows = new ArrayList<>();
        byte[] previous = ChainHash.genesis();
        for (int seq = 1; seq <= 5; seq++) {
            ChainPosition position = new ChainPosition(CHAIN, seq, 100 + seq, Instant.parse("2026-01-16T09:30:00Z").plusSeconds(seq));
            DisclosureRecord record = CanonicalEncodingTest.decision("reason " + seq, null);
            if (seq % 2 == 0) {
                record = CanonicalEncodingTest.withRelease2(record, List.of("d-" + (seq - 1)), java.time.LocalDate.of(2108, 3, 1));
            }
            byte[] canonical = codec.encode(position, record);
            byte[] hash = ChainHash.link(previous, canonical);
            rows.add(new StoredRow<>(position, record, canonical, hash));
            previous = hash;
        }
        return rows;
    }

    @Test
    void aChainOfRowsFromBeforeAndAfterRelease2Verifies() {
        List<StoredRow<DisclosureRecord>> rows = mixedChain();

        ChainReport report = verify(rows, List.of(), anchorAt(rows.get(4)), headOf(rows));

        assertThat(report.intact()).isTrue();
        assertThat(report.rowsChecked()).isEqualTo(5);
    }

    @Test
    void anEditedRelatesToOrRetainUntilColumnIsReportedAtThatRowInEitherVersion() {
        for (int index : new int[] {0, 1}) {
            List<StoredRow<DisclosureRecord>> rows = mixedChain();
            StoredRow<DisclosureRecord> row = rows.get(index);
            // Row 1 (version 1) gains values it never had; row 2 (version 2) has its values changed.
            DisclosureRecord edited = CanonicalEncodingTest.withRelease2(row.columns(), List.of("d-somebody-else"), java.time.LocalDate.of(2030, 1, 1));
            rows.set(index, new StoredRow<>(row.position(), edited, row.canonical(), row.hash()));

            ChainReport report = verify(rows, List.of(), null, headOf(rows));

            assertThat(report.firstBreak()).isNotNull();
            assertThat(report.firstBreak().seq()).isEqualTo(index + 1);
            assertThat(report.firstBreak().kind()).isEqualTo(ChainBreak.Kind.EDITED);
            assertThat(report.firstBreak().detail()).contains("relatesTo", "retainUntil");
        }
    }
}
