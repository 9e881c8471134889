package org.pupilflow.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.pupilflow.schemas.kafka.RecipientRecords.Kind;
import org.pupilflow.sharing.DeletionDue;
import org.pupilflow.sharing.DeletionRequest;

class RecipientRecordsTest {

    private static final String TOPIC = "recipient.childrens-centres";

    @Test
    void aRecordWithoutTheHeaderIsToldApartByItsSchemaFingerprint() {
        byte[] request = new AvroSingleObjectSerializer<>(DeletionRequest.class).serialize(TOPIC, deletionRequest());
        byte[] due = new AvroSingleObjectSerializer<>(DeletionDue.class).serialize(TOPIC, deletionDue());

        assertThat(RecipientRecords.kindOf(new RecordHeaders(), request)).contains(Kind.DELETION_REQUEST);
        assertThat(RecipientRecords.kindOf(null, due)).contains(Kind.DELETION_DUE);
        assertThat(RecipientRecords.decode(TOPIC, new RecordHeaders(), request)).isEqualTo(deletionRequest());
    }

    @Test
    void theHeaderSaysTheKindAndAnUnknownKindOrValueIsRefused() {
        RecordHeaders headers = new RecordHeaders();
        RecipientRecords.mark(headers, Kind.DELETION_DUE);
        RecipientRecords.mark(headers, Kind.DISCLOSURE);

        assertThat(headers.headers(RecipientRecords.KIND_HEADER)).hasSize(1);
        assertThat(RecipientRecords.kindOf(headers, new byte[0])).contains(Kind.DISCLOSURE);
        RecordHeaders unknown = new RecordHeaders();
        unknown.add(RecipientRecords.KIND_HEADER, "tombstone".getBytes());
        assertThat(RecipientRecords.kindOf(unknown, new byte[0])).isEmpty();
        assertThatThrownBy(() -> RecipientRecords.decode(TOPIC, new RecordHeaders(), "{\"json\": true}".getBytes()))
                .isInstanceOf(SerializationException.class).hasMessageContaining(RecipientRecords.KIND_HEADER);
    }

    private static DeletionRequest deletionRequest() {
        return DeletionRequest.newBuilder().setRequestId("r-1").setRecipientId("childrens-centres").setDisclosureIds(List.of("d-1", "d-2"))
                .setReason("objection O-1 by parent (letter): withheld").setLegalBasis("UK GDPR Art 6(1)(e)").setObjectionIds(List.of("O-1"))
                .setPolicyId("norfolk").setPolicyVersion("2026.1").setReplacedBy(null).setRequestedAt(Instant.ofEpochMilli(1_780_000_000_000L)).build();
    }

    private static DeletionDue deletionDue() {
        return DeletionDue.newBuilder().setNoticeId("n-1").setRecipientId("dfe-pilot").setDisclosureIds(List.of("d-3"))
                .setDeleteBy(LocalDate.of(2027, 3, 31)).setLegalBasis("pilot agreement").setPolicyId("dfe").setPolicyVersion("1")
                .setIssuedAt(Instant.ofEpochMilli(1_780_000_000_000L)).build();
    }
}
