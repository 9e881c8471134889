package org.pupilflow.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class CanonicalEncodingTest {

    private final DisclosureCodec codec = new DisclosureCodec();

    static DisclosureRecord decision(String reason, String pseudonym) {
        return new DisclosureRecord("d-1", "J935123420731", pseudonym != null, pseudonym, "J935123420731", "youth-support", "RESTRICTED",
                List.of("names", "dateOfBirth", "address"), reason, List.of("obj-1"), "norfolk-census-sharing", "2026.1", "abc123",
                "Education and Skills Act 2008 s68(1)", "return-2026-spring", LocalDate.of(2026, 1, 15), null, Instant.parse("2026-01-16T09:30:00.123Z"));
    }

    static ChainPosition position(long seq) {
        return new ChainPosition("audit.disclosures-0", seq, 41, Instant.parse("2026-01-16T09:30:01.123456Z"));
    }

    @Test
    void decodesExactlyWhatItEncoded() {
        DisclosureRecord record = decision("objection by parent: restricted", "ab12");

        ChainEntry<DisclosureRecord> decoded = codec.decode(codec.encode(position(7), record));

        assertThat(decoded.position()).isEqualTo(position(7));
        assertThat(decoded.content()).isEqualTo(record);
    }

    @Test
    void startsWithTheDocumentedHeaderSequenceNumberAndChain() {
        byte[] bytes = codec.encode(position(7), decision("r", null));

        // "PFAD" 01 | seq 7 (8 bytes) | chain id length 19 (4 bytes) | "audit.disclosures-0"
        assertThat(HexFormat.of().formatHex(Arrays.copyOf(bytes, 5 + 8 + 4))).isEqualTo("50464144" + "01" + "0000000000000007" + "00000013");
        assertThat(new String(bytes, 17, 19, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("audit.disclosures-0");
    }

    @Test
    void theSequenceNumberIsPartOfTheHashedBytes() {
        DisclosureRecord record = decision("r", null);

        assertThat(codec.encode(position(1), record)).isNotEqualTo(codec.encode(position(2), record));
    }

    @Test
    void anAbsentValueAndAnEmptyOneEncodeDifferently() {
        assertThat(codec.encode(position(1), decision("r", null))).isNotEqualTo(codec.encode(position(1), decision("r", "")));
    }

    @Test
    void movingTextBetweenAdjacentFieldsChangesTheBytes() {
        DisclosureRecord a = new DisclosureRecord("d-1", "J935123420731", false, null, null, "dfe", "DISCLOSED", List.of("ab", "c"), "x", List.of(),
                "p", "v", "h", "b", "r", null, null, Instant.EPOCH);
        DisclosureRecord b = new DisclosureRecord("d-1", "J935123420731", false, null, null, "dfe", "DISCLOSED", List.of("a", "bc"), "x", List.of(),
                "p", "v", "h", "b", "r", null, null, Instant.EPOCH);

        assertThat(codec.encode(position(1), a)).isNotEqualTo(codec.encode(position(1), b));
    }

    @Test
    void refusesTrailingBytesAnUnknownVersionAndATruncatedRow() {
        byte[] bytes = codec.encode(position(1), decision("r", null));
        byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
        byte[] version2 = bytes.clone();
        version2[4] = 2;
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);

        assertThatThrownBy(() -> codec.decode(trailing)).isInstanceOf(MalformedCanonicalException.class).hasMessageContaining("trailing");
        assertThatThrownBy(() -> codec.decode(version2)).isInstanceOf(MalformedCanonicalException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> codec.decode(truncated)).isInstanceOf(MalformedCanonicalException.class).hasMessageContaining("truncated");
    }

    @Test
    void deliveryReceiptsRoundTripAndTheSameReceiptHasTheSameKey() {
        DeliveryCodec deliveries = new DeliveryCodec();
        DeliveryRecord receipt = new DeliveryRecord("d-1", "youth-support", "webhook", "FAILED", 3, "HTTP 503", Instant.parse("2026-01-16T09:31:00Z"));
        DeliveryRecord retried = new DeliveryRecord("d-1", "youth-support", "webhook", "DELIVERED", 4, null, Instant.parse("2026-01-16T09:35:00Z"));
        ChainPosition at = new ChainPosition("audit.deliveries-2", 3, 9, Instant.parse("2026-01-16T09:31:01Z"));

        assertThat(deliveries.decode(deliveries.encode(at, receipt))).isEqualTo(new ChainEntry<>(at, receipt));
        assertThat(DeliveryCodec.receiptKey(receipt)).isEqualTo(DeliveryCodec.receiptKey(
                new DeliveryRecord("d-1", "youth-support", "webhook", "FAILED", 3, "HTTP 503", Instant.parse("2026-01-16T09:31:00Z"))))
                .hasSize(64)
                .isNotEqualTo(DeliveryCodec.receiptKey(retried));
    }

    @Test
    void theChainHashIsSha256OfThePreviousHashAndTheCanonicalBytes() throws Exception {
        byte[] canonical = codec.encode(position(1), decision("r", null));
        java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
        sha256.update(new byte[32]);
        sha256.update(canonical);

        assertThat(ChainHash.link(ChainHash.genesis(), canonical)).isEqualTo(sha256.digest());
    }

    // Contract release 2: relatesTo and retainUntil. Golden digests computed independently from the README's layout.

    static DisclosureRecord withRelease2(DisclosureRecord r, List<String> relatesTo, LocalDate retainUntil) {
        return new DisclosureRecord(r.disclosureId(), r.upn(), r.pseudonymised(), r.pupilPseudonym(), r.recipientKey(), r.recipientId(), r.outcome(),
                r.fieldsDisclosed(), r.reason(), r.objectionIds(), r.policyId(), r.policyVersion(), r.policyContentHash(), r.legalBasis(), r.returnId(),
                r.ageMeasuredOn(), r.deleteBy(), r.decidedAt(), relatesTo, retainUntil);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void aRowWithoutRelatesToOrRetainUntilIsEncodedByteForByteAsBeforeRelease2() throws Exception {
        byte[] bytes = codec.encode(position(1), decision("r", null));

        // Rows stored before release 2 keep their hashes only if this never changes.
        assertThat(bytes[4]).isEqualTo((byte) 1);
        assertThat(bytes).hasSize(306);
        assertThat(sha256(bytes)).isEqualTo("0baae9f4aaadd413975f8570ddc1f32f01011aae9f76e7a7527ad77f596939d1");
    }

    @Test
    void aRowWithRelatesToOrRetainUntilIsVersion2WithBothAppendedAfterVersion1sFields() throws Exception {
        byte[] bytes = codec.encode(position(1), withRelease2(decision("r", null), List.of("d-0"), LocalDate.of(2108, 3, 1)));

        assertThat(bytes[4]).isEqualTo((byte) 2);
        // ... | relatesTo: 1 item "d-0" | retainUntil present, epoch day 50463 (2108-03-01)
        assertThat(HexFormat.of().formatHex(Arrays.copyOfRange(bytes, bytes.length - 16, bytes.length)))
                .isEqualTo("00000001" + "00000003" + "642d30" + "01" + "0000c51f");
        assertThat(sha256(bytes)).isEqualTo("c5c48fc27b4c6824365a55b9a37840e3a78eb8779b70bc58cbdb9cbb9f6dc908");
    }

    @Test
    void version2RowsDecodeExactlyWhatWasEncodedWithEitherFieldAlone() {
        DisclosureRecord both = withRelease2(decision("r", "ab12"), List.of("d-0", "d-00"), LocalDate.of(2108, 3, 1));
        DisclosureRecord relatesToOnly = withRelease2(decision("r", null), List.of("d-0"), null);
        DisclosureRecord retainUntilOnly = withRelease2(decision("r", null), List.of(), LocalDate.of(2040, 1, 1));

        for (DisclosureRecord record : List.of(both, relatesToOnly, retainUntilOnly)) {
            ChainEntry<DisclosureRecord> decoded = codec.decode(codec.encode(position(3), record));
            assertThat(decoded.content()).isEqualTo(record);
            assertThat(decoded.position()).isEqualTo(position(3));
        }
    }

    @Test
    void theNewFieldsArePartOfTheHashedBytes() {
        DisclosureRecord base = decision("r", null);

        assertThat(codec.encode(position(1), withRelease2(base, List.of("d-0"), null)))
                .isNotEqualTo(codec.encode(position(1), withRelease2(base, List.of("d-9"), null)))
                .isNotEqualTo(codec.encode(position(1), withRelease2(base, List.of("d-0"), LocalDate.of(2040, 1, 1))))
                .isNotEqualTo(codec.encode(position(1), base));
        assertThat(codec.encode(position(1), withRelease2(base, List.of(), LocalDate.of(2040, 1, 1))))
                .isNotEqualTo(codec.encode(position(1), withRelease2(base, List.of(), LocalDate.of(2040, 1, 2))));
    }

    @Test
    void aVersion2RowWithNeitherNewFieldIsRefusedSoEveryRowHasOneEncoding() {
        byte[] version1 = codec.encode(position(1), decision("r", null));
        byte[] disguised = Arrays.copyOf(version1, version1.length + 5);
        disguised[4] = 2;
        // relatesTo: 0 items (4 zero bytes), retainUntil absent (one zero byte): the same content as the version-1 row.

        assertThatThrownBy(() -> codec.decode(disguised)).isInstanceOf(MalformedCanonicalException.class)
                .hasMessageContaining("must be encoded as version 1");
    }

    @Test
    void anEncodingVersionNewerThanThisBuildIsRefused() {
        byte[] bytes = codec.encode(position(1), withKeyVersion(decision("r", "ab12"), List.of("d-0"), null, 1));
        bytes[4] = 5;

        assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(MalformedCanonicalException.class)
                .hasMessageContaining("unsupported PFAD encoding version 5").hasMessageContaining("reads 1 to 4");
    }

    // Contract release 3: the case-by-case request a decision answers.

    static DisclosureRecord withRequest(DisclosureRecord r, CaseRequest request) {
        return new DisclosureRecord(r.disclosureId(), r.upn(), r.pseudonymised(), r.pupilPseudonym(), r.recipientKey(), r.recipientId(), r.outcome(),
                r.fieldsDisclosed(), r.reason(), r.objectionIds(), r.policyId(), r.policyVersion(), r.policyContentHash(), r.legalBasis(), r.returnId(),
                r.ageMeasuredOn(), r.deleteBy(), r.decidedAt(), r.relatesTo(), r.retainUntil(), request);
    }

    @Test
    void aRowAnsweringARequestIsVersion3WithTheRequestAfterVersion2sFieldsAndRowsWithoutOneKeepTheirEncoding() throws Exception {
        CaseRequest request = new CaseRequest("DR-1", "CP-7", "s47 enquiry", "alice", List.of("alice", "bob"));
        DisclosureRecord plain = decision("r", null);

        byte[] bytes = codec.encode(position(1), withRequest(plain, request));

        assertThat(bytes[4]).isEqualTo((byte) 3);
        assertThat(codec.decode(bytes).content()).isEqualTo(withRequest(plain, request));
        assertThat(sha256(codec.encode(position(1), plain))).as("a row without a request is still version 1, byte for byte")
                .isEqualTo("0baae9f4aaadd413975f8570ddc1f32f01011aae9f76e7a7527ad77f596939d1");
        DisclosureRecord both = withRequest(withRelease2(plain, List.of("d-0"), LocalDate.of(2040, 1, 1)), request);
        assertThat(codec.decode(codec.encode(position(2), both)).content()).isEqualTo(both);
        assertThat(codec.encode(position(1), withRequest(plain, new CaseRequest("DR-1", "CP-7", "s47 enquiry", "alice", List.of("alice")))))
                .as("the approvers are part of the hashed bytes").isNotEqualTo(bytes);
    }

    // Contract release 3: pseudonymKeyVersion (canonical version 4).

    static DisclosureRecord withKeyVersion(DisclosureRecord r, List<String> relatesTo, LocalDate retainUntil, Integer keyVersion) {
        return new DisclosureRecord(r.disclosureId(), r.upn(), r.pseudonymised(), r.pupilPseudonym(), r.recipientKey(), r.recipientId(), r.outcome(),
                r.fieldsDisclosed(), r.reason(), r.objectionIds(), r.policyId(), r.policyVersion(), r.policyContentHash(), r.legalBasis(), r.returnId(),
                r.ageMeasuredOn(), r.deleteBy(), r.decidedAt(), relatesTo, retainUntil, keyVersion);
    }

    @Test
    void aRowWithAKeyVersionIsVersion4WithItAppendedAfterVersion2sFieldsAndTheRequestFlagEvenWhenThoseAreEmpty() throws Exception {
        byte[] bytes = codec.encode(position(1), withKeyVersion(decision("r", "ab12"), List.of(), null, 2));

        assertThat(bytes[4]).isEqualTo((byte) 4);
        // ... | relatesTo: 0 items | retainUntil absent | answers no request | pseudonymKeyVersion present, 2
        assertThat(HexFormat.of().formatHex(Arrays.copyOfRange(bytes, bytes.length - 11, bytes.length)))
                .isEqualTo("00000000" + "00" + "00" + "01" + "00000002");
        // Rows without a key version keep the encodings (and hashes) of releases 1 and 2.
        assertThat(codec.encode(position(1), withKeyVersion(decision("r", null), List.of(), null, null)))
                .isEqualTo(codec.encode(position(1), decision("r", null)));
    }

    @Test
    void version4RowsDecodeExactlyWhatWasEncodedAndTheKeyVersionIsHashed() {
        DisclosureRecord plain = withKeyVersion(decision("r", "ab12"), List.of(), null, 1);
        DisclosureRecord withAll = withKeyVersion(decision("r", "ab12"), List.of("d-0"), LocalDate.of(2108, 3, 1), 7);

        for (DisclosureRecord record : List.of(plain, withAll)) {
            assertThat(codec.decode(codec.encode(position(3), record)).content()).isEqualTo(record);
        }
        assertThat(codec.encode(position(1), plain)).isNotEqualTo(codec.encode(position(1), withKeyVersion(decision("r", "ab12"), List.of(), null, 2)));
    }

    @Test
    void aRowAnsweringARequestWithAKeyVersionIsVersion4AndDecodesToBoth() {
        CaseRequest request = new CaseRequest("DR-2", "CP-9", "s17 assessment", "alice", List.of("alice", "bob"));
        DisclosureRecord plain = decision("r", "ab12");
        DisclosureRecord both = new DisclosureRecord(plain.disclosureId(), plain.upn(), plain.pseudonymised(), plain.pupilPseudonym(), plain.recipientKey(),
                plain.recipientId(), plain.outcome(), plain.fieldsDisclosed(), plain.reason(), plain.objectionIds(), plain.policyId(), plain.policyVersion(),
                plain.policyContentHash(), plain.legalBasis(), plain.returnId(), plain.ageMeasuredOn(), plain.deleteBy(), plain.decidedAt(), List.of(), null,
                request, 3);

        byte[] bytes = codec.encode(position(1), both);

        assertThat(bytes[4]).isEqualTo((byte) 4);
        assertThat(codec.decode(bytes).content()).isEqualTo(both);
        assertThat(bytes).as("the request is part of the hashed bytes").isNotEqualTo(codec.encode(position(1), withKeyVersion(plain, List.of(), null, 3)));
    }

    @Test
    void aVersion4RowWithoutAKeyVersionIsRefusedSoEveryRowHasOneEncoding() {
        byte[] version1 = codec.encode(position(1), decision("r", null));
        byte[] disguised = Arrays.copyOf(version1, version1.length + 7);
        disguised[4] = 4;
        // relatesTo: 0 items, retainUntil absent, no request, pseudonymKeyVersion absent: the same content as the version-1 row.

        assertThatThrownBy(() -> codec.decode(disguised)).isInstanceOf(MalformedCanonicalException.class)
                .hasMessageContaining("must be encoded as version 1, 2 or 3");
    }
}
