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
}
