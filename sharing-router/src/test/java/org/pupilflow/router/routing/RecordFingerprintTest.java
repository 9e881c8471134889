package org.pupilflow.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.pupilflow.census.CensusContext;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.census.ObjectionRaisedBy;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.decide.Decision;
import org.pupilflow.policy.decide.Pseudonymiser;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * Fingerprints are kept in the router's state (what each recipient holds) and compared with new records' after an
 * upgrade: they must stay exactly what the first implementation computed, a SHA-256 of a copy of the record with its
 * envelope cleared. That implementation is kept here as the reference.
 */
class RecordFingerprintTest {

    private static final SharingPolicy POLICY = new PolicyLoader().load(Path.of("../policies/norfolk.yaml"));
    private final SharingEngine engine = new SharingEngine(POLICY, new Pseudonymiser("fingerprint-test-key-0123456789abcdefgh".getBytes()));

    @Test
    void fingerprintsAreThoseOfACopyWithTheEnvelopeCleared() throws Exception {
        List<PupilDisclosure> disclosures = disclosures();
        assertThat(disclosures).hasSizeGreaterThan(500);
        assertThat(disclosures).anySatisfy(d -> assertThat(d.getDeleteBy()).isNotNull());
        assertThat(disclosures).anySatisfy(d -> assertThat(d.getCensus()).isNotNull());
        assertThat(disclosures).anySatisfy(d -> assertThat(d.getCensus()).isNull());
        assertThat(disclosures).anySatisfy(d -> assertThat(d.getPseudonymised()).isTrue());
        for (PupilDisclosure disclosure : disclosures) {
            assertThat(RecordFingerprint.of(disclosure)).isEqualTo(reference(disclosure));
        }
    }

    @Test
    void theEnvelopeDoesNotCountAndTheRecordIsLeftAsItWas() {
        PupilDisclosure disclosure = disclosures().stream().filter(d -> d.getCensus() != null).findFirst().orElseThrow();
        PupilDisclosure before = PupilDisclosure.newBuilder(disclosure).build();
        PupilDisclosure otherEnvelope = PupilDisclosure.newBuilder(disclosure).setDisclosureId("another").setReturnId("R-other")
                .setPolicyVersion("9").setPolicyContentHash("other").setDeleteBy(LocalDate.of(2099, 1, 1))
                .setCensus(CensusContext.newBuilder(disclosure.getCensus()).setReturnId("R-other").build()).build();
        PupilDisclosure otherContent = PupilDisclosure.newBuilder(disclosure).setSex(disclosure.getSex() == null || !disclosure.getSex().equals("F") ? "F" : "M").build();

        assertThat(RecordFingerprint.of(otherEnvelope)).isEqualTo(RecordFingerprint.of(disclosure));
        assertThat(RecordFingerprint.of(otherContent)).isNotEqualTo(RecordFingerprint.of(disclosure));
        assertThat(disclosure).isEqualTo(before);
    }

    private List<PupilDisclosure> disclosures() {
        List<PupilDisclosure> disclosures = new ArrayList<>();
        Instant decidedAt = Instant.parse("2026-02-01T10:00:00Z");
        int i = 0;
        Set<String> recipients = new HashSet<>();
        for (CensusPupil pupil : new SyntheticCensus(CensusSpec.of(400).withSeed(7))) {
            List<Objection> objections = i++ % 5 != 0 ? List.of() : List.of(Objection.newBuilder().setObjectionId("o-" + i)
                    .setUpn(pupil.getIdentity().getUpn()).setScope("all").setRaisedBy(ObjectionRaisedBy.PARENT)
                    .setReceivedDate(LocalDate.of(2025, 10, 1)).setEvidenceReference("letter").setWithdrawn(false).build());
            for (Decision decision : engine.evaluate(pupil, objections, decidedAt).decisions()) {
                if (decision.sendsRecord()) {
                    disclosures.add(decision.disclosure());
                    recipients.add(decision.recipient().id());
                }
            }
        }
        assertThat(recipients).hasSizeGreaterThan(2);
        return disclosures;
    }

    /** The first implementation: copy, clear, encode, hash. */
    private static String reference(PupilDisclosure disclosure) throws Exception {
        PupilDisclosure content = PupilDisclosure.newBuilder(disclosure).build();
        content.setDisclosureId("");
        content.setReturnId("");
        content.setPolicyVersion("");
        content.setPolicyContentHash("");
        content.setDeleteBy(null);
        if (content.getCensus() != null) {
            content.setCensus(CensusContext.newBuilder(content.getCensus()).setReturnId("").build());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<>(PupilDisclosure.class).write(content, encoder);
        encoder.flush();
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
    }
}
