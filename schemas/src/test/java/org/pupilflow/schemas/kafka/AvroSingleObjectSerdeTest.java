package org.pupilflow.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.pupilflow.schemas.SchemaCatalog;
import org.pupilflow.sharing.DeliveryOutcome;
import org.pupilflow.sharing.DeliveryReceipt;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;

class AvroSingleObjectSerdeTest {

    private final Serde<DeliveryReceipt> serde = AvroSingleObjectSerde.of(DeliveryReceipt.class);

    @Test
    void encodesWithTheSingleObjectHeaderAndTheWriterFingerprint() {
        byte[] bytes = serde.serializer().serialize("audit.deliveries", receipt());

        long fingerprint = SchemaNormalization.parsingFingerprint64(DeliveryReceipt.getClassSchema());
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(AvroSingleObjectDeserializer.fingerprintOf(bytes)).isEqualTo(String.format("0x%016x", fingerprint));
    }

    @Test
    void roundTripGivesAnEqualRecord() {
        DeliveryReceipt original = receipt();

        byte[] bytes = serde.serializer().serialize("audit.deliveries", original);

        assertThat(serde.deserializer().deserialize("audit.deliveries", bytes)).isEqualTo(original);
    }

    @Test
    void nullStaysNullForTombstones() {
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void unknownFingerprintIsAnErrorThatNamesIt() throws IOException {
        Schema foreign = new Schema.Parser().parse("""
                {"type": "record", "name": "DeliveryReceipt", "namespace": "org.pupilflow.sharing",
                 "fields": [{"name": "disclosureId", "type": "string"}, {"name": "courier", "type": "string"}]}""");
        GenericRecord record = new GenericData.Record(foreign);
        record.put("disclosureId", "d-1");
        record.put("courier", "pigeon");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), foreign).encode(record, out);
        String expected = String.format("0x%016x", SchemaNormalization.parsingFingerprint64(foreign));

        assertThatThrownBy(() -> serde.deserializer().deserialize("audit.deliveries", out.toByteArray()))
                .isInstanceOf(UnknownSchemaException.class)
                .hasMessageContaining(expected)
                .hasMessageContaining("org.pupilflow.sharing.DeliveryReceipt")
                .hasMessageContaining("audit.deliveries");
    }

    @Test
    void bytesWithoutTheMarkerAreRefusedWithAClearMessage() {
        byte[] json = "{\"disclosureId\":\"d-1\"}".getBytes();

        assertThatThrownBy(() -> serde.deserializer().deserialize("audit.deliveries", json))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not Avro single-object encoded")
                .hasMessageContaining("7B22");
    }

    @Test
    void recordOfAnotherMessageTypeIsRefusedByFingerprint() {
        DisclosureEvent event = DisclosureEvent.newBuilder()
                .setDisclosureId("d-1").setUpn("J935123420731").setRecipientId("dfe").setOutcome(DisclosureOutcome.DISCLOSED)
                .setFieldsDisclosed(List.of("identity")).setReason("in cohort").setPolicyId("p").setPolicyVersion("1")
                .setPolicyContentHash("h").setLegalBasis("b").setReturnId("r").setDecidedAt(Instant.parse("2026-01-15T10:00:00Z"))
                .build();
        byte[] bytes = AvroSingleObjectSerde.of(DisclosureEvent.class).serializer().serialize("t", event);

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", bytes)).isInstanceOf(UnknownSchemaException.class);
    }

    @Test
    void serdesBuiltByClassNameReadTheirTypeFromConfiguration() {
        AvroSingleObjectSerializer<DeliveryReceipt> serializer = new AvroSingleObjectSerializer<>();
        AvroSingleObjectDeserializer<DeliveryReceipt> deserializer = new AvroSingleObjectDeserializer<>();
        Map<String, Object> config = Map.of(AvroTypeConfig.VALUE_TYPE, DeliveryReceipt.class.getName());
        serializer.configure(config, false);
        deserializer.configure(config, false);

        assertThat(deserializer.deserialize("t", serializer.serialize("t", receipt()))).isEqualTo(receipt());
    }

    @Test
    void missingOrWrongTypeConfigurationIsAConfigError() {
        assertThatThrownBy(() -> new AvroSingleObjectDeserializer<>().configure(Map.of(), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining(AvroTypeConfig.VALUE_TYPE);
        assertThatThrownBy(() -> new AvroSingleObjectDeserializer<>().configure(Map.of(AvroTypeConfig.KEY_TYPE, "java.lang.String"), true))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a generated Avro record class");
    }

    @Test
    void everyMessageTypeHasItsOwnFingerprint() {
        assertThat(SchemaCatalog.current().values().stream().map(SchemaNormalization::parsingFingerprint64).distinct())
                .hasSize(SchemaCatalog.MESSAGE_TYPES.size());
    }

    @Test
    void writesTheSameBytesAsAvrosMessageEncoder() throws IOException {
        DisclosureEvent event = DisclosureEvent.newBuilder()
                .setDisclosureId("d-1").setUpn("J935123420731").setRecipientId("dfe").setOutcome(DisclosureOutcome.DISCLOSED)
                .setFieldsDisclosed(List.of("identity", "names")).setReason("in cohort \u00e9").setPolicyId("p").setPolicyVersion("1")
                .setPolicyContentHash("h").setLegalBasis("b").setReturnId("r").setDecidedAt(Instant.parse("2026-01-15T10:00:00Z"))
                .setRelatesTo(List.of("a", "b")).setRetainUntil(java.time.LocalDate.of(2040, 8, 31)).build();
        AvroSingleObjectSerializer<DisclosureEvent> serializer = new AvroSingleObjectSerializer<>(DisclosureEvent.class);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        new BinaryMessageEncoder<DisclosureEvent>(org.apache.avro.specific.SpecificData.getForClass(DisclosureEvent.class), DisclosureEvent.getClassSchema())
                .encode(event, expected);

        assertThat(serializer.serialize("t", event)).isEqualTo(expected.toByteArray());
        // Again with the thread's buffer and encoder reused, and for a record longer than the first buffer.
        assertThat(serializer.serialize("t", event)).isEqualTo(expected.toByteArray());
        DisclosureEvent large = DisclosureEvent.newBuilder(event).setReason("x".repeat(5_000)).build();
        ByteArrayOutputStream expectedLarge = new ByteArrayOutputStream();
        new BinaryMessageEncoder<DisclosureEvent>(org.apache.avro.specific.SpecificData.getForClass(DisclosureEvent.class), DisclosureEvent.getClassSchema())
                .encode(large, expectedLarge);
        assertThat(serializer.serialize("t", large)).isEqualTo(expectedLarge.toByteArray());
        assertThat(serializer.serialize("t", event)).isEqualTo(expected.toByteArray());
    }

    @Test
    void decodedArraysAreListsAtEveryDepthSoRecordsWithDatesInListsEqualWhatWasEncoded() {
        org.pupilflow.sharing.PupilDisclosure disclosure = org.pupilflow.sharing.PupilDisclosure.newBuilder()
                .setDisclosureId("d-1").setRecipientId("dfe").setPolicyId("p").setPolicyVersion("1").setPolicyContentHash("h").setLegalBasis("b")
                .setReturnId("r").setDisclosedFields(List.of("exclusions")).setPseudonymised(false)
                .setExclusions(List.of(
                        org.pupilflow.census.Exclusion.newBuilder().setCategory("FIXED").setReason("R1").setStartDate(java.time.LocalDate.of(2025, 11, 3))
                                .setSessions(4).build(),
                        org.pupilflow.census.Exclusion.newBuilder().setCategory("PERM").setReason("R2").setStartDate(java.time.LocalDate.of(2026, 1, 9))
                                .setSessions(null).build()))
                .build();
        Serde<org.pupilflow.sharing.PupilDisclosure> disclosures = AvroSingleObjectSerde.of(org.pupilflow.sharing.PupilDisclosure.class);

        org.pupilflow.sharing.PupilDisclosure decoded = disclosures.deserializer().deserialize("t", disclosures.serializer().serialize("t", disclosure));

        assertThat(decoded.getExclusions()).isInstanceOf(java.util.ArrayList.class);
        assertThat(decoded.getDisclosedFields()).isInstanceOf(java.util.ArrayList.class);
        assertThat(decoded).isEqualTo(disclosure);
    }

    @Test
    void oneSerdeIsSafeToShareBetweenThreads() throws Exception {
        AvroSingleObjectSerializer<DeliveryReceipt> serializer = new AvroSingleObjectSerializer<>(DeliveryReceipt.class);
        AvroSingleObjectDeserializer<DeliveryReceipt> deserializer = new AvroSingleObjectDeserializer<>(DeliveryReceipt.class);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                results.add(threads.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        DeliveryReceipt receipt = DeliveryReceipt.newBuilder(receipt()).setDisclosureId("d-" + thread + "-" + i).setAttempts(i).build();
                        if (!deserializer.deserialize("t", serializer.serialize("t", receipt)).equals(receipt)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void truncatedBodyIsAnErrorThatNamesTheType() {
        byte[] bytes = serde.serializer().serialize("audit.deliveries", receipt());
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);

        assertThatThrownBy(() -> serde.deserializer().deserialize("audit.deliveries", truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot be decoded as org.pupilflow.sharing.DeliveryReceipt");
        assertThatThrownBy(() -> serde.deserializer().deserialize("audit.deliveries", new byte[] {(byte) 0xC3, 0x01, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not Avro single-object encoded");
    }

    private static DeliveryReceipt receipt() {
        return DeliveryReceipt.newBuilder()
                .setDisclosureId("d-1").setRecipientId("youth-support").setChannel("webhook")
                .setOutcome(DeliveryOutcome.DELIVERED).setAttempts(2).setAt(Instant.parse("2026-01-15T10:00:00Z"))
                .build();
    }
}
