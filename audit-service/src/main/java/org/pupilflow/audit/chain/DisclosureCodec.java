package org.pupilflow.audit.chain;

/**
 * Canonical encoding of a disclosure row, version 1: {@code "PFAD" 01}, then seq, chain id,
 * source offset, recorded-at (micros), then every {@link DisclosureRecord} field in declaration
 * order. See the module README for the byte-level layout.
 */
public final class DisclosureCodec implements EntryCodec<DisclosureRecord> {

    public static final String MAGIC = "PFAD";
    public static final int VERSION = 1;

    @Override
    public byte[] encode(ChainPosition position, DisclosureRecord r) {
        return new CanonicalWriter()
                .magic(MAGIC, VERSION)
                .int64(position.seq())
                .string(position.chainId())
                .int64(position.sourceOffset())
                .micros(position.recordedAt())
                .string(r.disclosureId())
                .string(r.upn())
                .bool(r.pseudonymised())
                .optionalString(r.pupilPseudonym())
                .optionalString(r.recipientKey())
                .string(r.recipientId())
                .string(r.outcome())
                .strings(r.fieldsDisclosed())
                .string(r.reason())
                .strings(r.objectionIds())
                .string(r.policyId())
                .string(r.policyVersion())
                .string(r.policyContentHash())
                .string(r.legalBasis())
                .string(r.returnId())
                .optionalDate(r.ageMeasuredOn())
                .optionalDate(r.deleteBy())
                .millis(r.decidedAt())
                .toByteArray();
    }

    @Override
    public ChainEntry<DisclosureRecord> decode(byte[] canonical) {
        CanonicalReader in = new CanonicalReader(canonical).expectMagic(MAGIC, VERSION);
        long seq = in.int64();
        String chainId = in.string();
        long offset = in.int64();
        ChainPosition position = new ChainPosition(chainId, seq, offset, in.micros());
        DisclosureRecord record = new DisclosureRecord(in.string(), in.string(), in.bool(), in.optionalString(), in.optionalString(),
                in.string(), in.string(), in.strings(), in.string(), in.strings(), in.string(), in.string(), in.string(), in.string(),
                in.string(), in.optionalDate(), in.optionalDate(), in.millis());
        in.expectEnd();
        return new ChainEntry<>(position, record);
    }
}
