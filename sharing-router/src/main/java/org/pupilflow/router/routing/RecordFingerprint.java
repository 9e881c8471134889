package org.pupilflow.router.routing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.pupilflow.census.CensusContext;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * What a recipient record says, without its envelope: SHA-256 of the record with the disclosure id, the return, the
 * policy version and hash and the delete-by date cleared (and the return id inside the census context), so the same
 * pupil sent again from another return of the same content has the same fingerprint, and any changed field a
 * different one.
 */
final class RecordFingerprint {

    private static final SpecificDatumWriter<PupilDisclosure> WRITER = new SpecificDatumWriter<>(PupilDisclosure.class);

    private RecordFingerprint() {
    }

    static String of(PupilDisclosure disclosure) {
        PupilDisclosure content = PupilDisclosure.newBuilder(disclosure).build();
        content.setDisclosureId("");
        content.setReturnId("");
        content.setPolicyVersion("");
        content.setPolicyContentHash("");
        content.setDeleteBy(null);
        if (content.getCensus() != null) {
            content.setCensus(CensusContext.newBuilder(content.getCensus()).setReturnId("").build());
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            WRITER.write(content, encoder);
            encoder.flush();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
