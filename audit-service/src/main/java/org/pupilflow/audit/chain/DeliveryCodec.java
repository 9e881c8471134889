package org.pupilflow.audit.chain;

/**
 * Canonical encoding of a delivery row, version 1: {@code "PFAR" 01}, then seq, chain id,
 * source offset, recorded-at (micros), then every {@link DeliveryRecord} field in declaration
 * order. Receipts carry no id of their own, so a receipt's identity for idempotence is
 * {@link #receiptKey}: the SHA-256 of its content alone ({@code "PFRK" 01} and the fields).
 */
public final class DeliveryCodec implements EntryCodec<DeliveryRecord> {

    public static final String MAGIC = "PFAR";
    public static final int VERSION = 1;

    @Override
    public byte[] encode(ChainPosition position, DeliveryRecord r) {
        CanonicalWriter out = new CanonicalWriter()
                .magic(MAGIC, VERSION)
                .int64(position.seq())
                .string(position.chainId())
                .int64(position.sourceOffset())
                .micros(position.recordedAt());
        return content(out, r).toByteArray();
    }

    @Override
    public ChainEntry<DeliveryRecord> decode(byte[] canonical) {
        CanonicalReader in = new CanonicalReader(canonical).expectMagic(MAGIC, VERSION);
        long seq = in.int64();
        String chainId = in.string();
        long offset = in.int64();
        ChainPosition position = new ChainPosition(chainId, seq, offset, in.micros());
        DeliveryRecord record = new DeliveryRecord(in.string(), in.string(), in.string(), in.string(), in.int32(), in.optionalString(), in.millis());
        in.expectEnd();
        return new ChainEntry<>(position, record);
    }

    /** Hex SHA-256 of the receipt's content: the same receipt published twice has the same key. */
    public static String receiptKey(DeliveryRecord r) {
        return ChainHash.hex(ChainHash.sha256(content(new CanonicalWriter().magic("PFRK", 1), r).toByteArray()));
    }

    private static CanonicalWriter content(CanonicalWriter out, DeliveryRecord r) {
        return out.string(r.disclosureId())
                .string(r.recipientId())
                .string(r.channel())
                .string(r.outcome())
                .int32(r.attempts())
                .optionalString(r.detail())
                .millis(r.deliveredAt());
    }
}
