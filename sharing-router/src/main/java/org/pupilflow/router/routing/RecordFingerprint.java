package org.pupilflow.router.routing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.pupilflow.census.CensusContext;
import org.pupilflow.schemas.kafka.NullableUnionWriter;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * What a recipient record says, without its envelope: SHA-256 of the record with the disclosure id, the return, the
 * policy version and hash and the delete-by date cleared (and the return id inside the census context), so the same
 * pupil sent again from another return of the same content has the same fingerprint, and any changed field a
 * different one.
 *
 * <p>The cleared fields are written as cleared while the record is encoded ({@link EnvelopeFreeWriter}), straight into
 * the digest: the bytes hashed are exactly those of a copy with the fields cleared (a test compares them with that
 * copy), so fingerprints already held in the router's state keep matching, without copying the record first (the
 * copy was a quarter of the router's time in a profile).
 */
final class RecordFingerprint {

    private static final ThreadLocal<Hashing> HASHING = ThreadLocal.withInitial(Hashing::new);

    private RecordFingerprint() {
    }

    static String of(PupilDisclosure disclosure) {
        try {
            return HASHING.get().fingerprint(disclosure);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One thread's writer, encoder and digest. */
    private static final class Hashing {
        private final EnvelopeFreeWriter writer = new EnvelopeFreeWriter();
        private final DigestStream digest = new DigestStream();
        private BinaryEncoder encoder;

        String fingerprint(PupilDisclosure disclosure) throws IOException {
            digest.digest.reset();
            encoder = EncoderFactory.get().binaryEncoder(digest, encoder);
            try {
                writer.write(disclosure, encoder);
                encoder.flush();
            } catch (IOException | RuntimeException e) {
                encoder = null;
                throw e;
            }
            return HexFormat.of().formatHex(digest.digest.digest());
        }
    }

    /** Writes a disclosure with its envelope fields cleared: "" for the ids, versions and hash, no delete-by date. */
    private static final class EnvelopeFreeWriter extends NullableUnionWriter<PupilDisclosure> {
        // Positions, not Field objects: the CensusContext schema nested in PupilDisclosure's is a different instance from its own.
        private static final int DISCLOSURE_ID = PupilDisclosure.getClassSchema().getField("disclosureId").pos();
        private static final int RETURN_ID = PupilDisclosure.getClassSchema().getField("returnId").pos();
        private static final int POLICY_VERSION = PupilDisclosure.getClassSchema().getField("policyVersion").pos();
        private static final int POLICY_CONTENT_HASH = PupilDisclosure.getClassSchema().getField("policyContentHash").pos();
        private static final int DELETE_BY = PupilDisclosure.getClassSchema().getField("deleteBy").pos();
        private static final int CENSUS_RETURN_ID = CensusContext.getClassSchema().getField("returnId").pos();

        EnvelopeFreeWriter() {
            super(PupilDisclosure.class);
        }

        @Override
        protected void writeField(Object datum, Schema.Field field, Encoder out, Object state) throws IOException {
            int position = field.pos();
            if (datum instanceof PupilDisclosure) {
                if (position == DISCLOSURE_ID || position == RETURN_ID || position == POLICY_VERSION || position == POLICY_CONTENT_HASH) {
                    write(field.schema(), "", out);
                    return;
                }
                if (position == DELETE_BY) {
                    write(field.schema(), null, out);
                    return;
                }
            } else if (datum instanceof CensusContext && position == CENSUS_RETURN_ID) {
                write(field.schema(), "", out);
                return;
            }
            super.writeField(datum, field, out, state);
        }
    }

    /** Feeds what is written into a SHA-256 digest. */
    private static final class DigestStream extends OutputStream {
        private final MessageDigest digest;

        DigestStream() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void write(int b) {
            digest.update((byte) b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            digest.update(bytes, offset, length);
        }
    }
}
