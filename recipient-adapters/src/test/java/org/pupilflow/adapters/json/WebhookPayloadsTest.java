package org.pupilflow.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pupilflow.schemas.kafka.RecipientRecords;
import org.pupilflow.sharing.DeletionDue;
import org.pupilflow.sharing.DeletionRequest;
import org.pupilflow.sharing.DeliveryOutcome;
import org.pupilflow.sharing.DeliveryReceipt;
import org.pupilflow.sharing.PupilDisclosure;

import tools.jackson.databind.json.JsonMapper;

class WebhookPayloadsTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Test
    void aDeletionRequestIsItsRecordWithTheTypeFirst() {
        String json = json(WebhookPayloads.toJson(restrictingRequest()));

        assertThat(json).isEqualTo("{"
                + "\"type\":\"pupil.deletion-requested\","
                + "\"requestId\":\"0b1f6a52-3c1e-4d8a-9f0e-6a7b8c9d0e1f\","
                + "\"recipientId\":\"childrens-centres\","
                + "\"disclosureIds\":[\"7d0c6a1e-2b7f-8c55-9a3e-0f4d1c2b3a49\"],"
                + "\"reason\":\"objection O-12 by parent (signed letter 2026-03-02): restricted\","
                + "\"legalBasis\":\"Childcare Act 2006 s5A-5D\","
                + "\"objectionIds\":[\"O-12\"],"
                + "\"policyId\":\"norfolk-census-sharing\","
                + "\"policyVersion\":\"2026.1\","
                + "\"replacedBy\":\"5e2d9c1b-7a6f-4e3d-8c2b-1a0f9e8d7c6b\","
                + "\"requestedAt\":\"2026-03-03T09:14:07.512Z\""
                + "}");
    }

    @Test
    void aWithholdingRequestHasNoReplacedBy() {
        DeletionRequest withheld = DeletionRequest.newBuilder(restrictingRequest()).setReplacedBy(null).build();

        assertThat(MAPPER.readTree(WebhookPayloads.toJson(withheld)).has("replacedBy")).isFalse();
    }

    @Test
    void aDeletionDueNoticeIsItsRecordWithTheTypeFirstAndTheDateAsIso() {
        String json = json(WebhookPayloads.toJson(notice()));

        assertThat(json).isEqualTo("{"
                + "\"type\":\"pupil.deletion-due\","
                + "\"noticeId\":\"c3a4b5d6-e7f8-4a9b-8c0d-1e2f3a4b5c6d\","
                + "\"recipientId\":\"nhs-ncmp\","
                + "\"disclosureIds\":[\"2f4e6d8c-0a1b-4c3d-9e5f-7a6b5c4d3e2f\",\"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d\"],"
                + "\"deleteBy\":\"2027-01-20\","
                + "\"legalBasis\":\"NHS Act 2006 s251\","
                + "\"policyId\":\"norfolk-census-sharing\","
                + "\"policyVersion\":\"2026.1\","
                + "\"issuedAt\":\"2027-01-21T00:00:03Z\""
                + "}");
    }

    @Test
    void theHandWrittenExamplesAreWhatPupilFlowSendsForTheSameRecords() {
        assertThat(MAPPER.readTree(WebhookPayloads.toJson(restrictingRequest())))
                .isEqualTo(MAPPER.readTree(WebhookPayloadSchemaTest.DELETION_REQUESTED_EXAMPLE));
        assertThat(MAPPER.readTree(WebhookPayloads.toJson(notice()))).isEqualTo(MAPPER.readTree(WebhookPayloadSchemaTest.DELETION_DUE_EXAMPLE));
    }

    @Test
    void aDisclosureIsSentExactlyAsBeforeWithoutAType() {
        PupilDisclosure disclosure = PupilDisclosure.newBuilder().setDisclosureId("d-1").setRecipientId("childrens-centres")
                .setPolicyId("norfolk-census-sharing").setPolicyVersion("2026.1").setPolicyContentHash("ab".repeat(32))
                .setLegalBasis("Childcare Act 2006 s5A-5D").setReturnId("926-2026-SPRING").setDisclosedFields(List.of()).build();

        byte[] payload = WebhookPayloads.toJson(disclosure);

        assertThat(payload).isEqualTo(DisclosureJson.toJson(disclosure));
        assertThat(MAPPER.readTree(payload).has("type")).isFalse();
        assertThat(WebhookPayloads.kindOf(disclosure)).isEqualTo(WebhookPayloads.Kind.DISCLOSURE_PAYLOAD);
    }

    @Test
    void everyRecordKindOfARecipientTopicHasItsOwnPayloadType() {
        assertThat(WebhookPayloads.Kind.values()).extracting(WebhookPayloads.Kind::recordKind)
                .containsExactly(RecipientRecords.Kind.values());
        assertThat(WebhookPayloads.Kind.values()).extracting(WebhookPayloads.Kind::type)
                .containsExactly("pupil.disclosure", "pupil.deletion-requested", "pupil.deletion-due");
        assertThat(WebhookPayloads.kindOf(restrictingRequest())).isEqualTo(WebhookPayloads.Kind.DELETION_REQUESTED_PAYLOAD);
        assertThat(WebhookPayloads.kindOf(notice())).isEqualTo(WebhookPayloads.Kind.DELETION_DUE_PAYLOAD);
    }

    @Test
    void aRecordThatIsNotOnRecipientTopicsHasNoPayload() {
        DeliveryReceipt receipt = DeliveryReceipt.newBuilder().setDisclosureId("d-1").setRecipientId("r").setChannel("webhook")
                .setOutcome(DeliveryOutcome.DELIVERED).setAttempts(1).setAt(Instant.EPOCH).build();

        assertThatThrownBy(() -> WebhookPayloads.toJson(receipt)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DeliveryReceipt");
    }

    @Test
    void theSameRecordAlwaysGivesTheSameBytesSoItsSignatureIsRepeatable() {
        assertThat(WebhookPayloads.toJson(restrictingRequest())).isEqualTo(WebhookPayloads.toJson(DeletionRequest.newBuilder(restrictingRequest()).build()));
        assertThat(WebhookPayloads.toJson(notice())).isEqualTo(WebhookPayloads.toJson(notice()));
    }

    /** The record behind {@link WebhookPayloadSchemaTest#DELETION_REQUESTED_EXAMPLE}. */
    static DeletionRequest restrictingRequest() {
        return DeletionRequest.newBuilder().setRequestId("0b1f6a52-3c1e-4d8a-9f0e-6a7b8c9d0e1f").setRecipientId("childrens-centres")
                .setDisclosureIds(List.of("7d0c6a1e-2b7f-8c55-9a3e-0f4d1c2b3a49"))
                .setReason("objection O-12 by parent (signed letter 2026-03-02): restricted").setLegalBasis("Childcare Act 2006 s5A-5D")
                .setObjectionIds(List.of("O-12")).setPolicyId("norfolk-census-sharing").setPolicyVersion("2026.1")
                .setReplacedBy("5e2d9c1b-7a6f-4e3d-8c2b-1a0f9e8d7c6b").setRequestedAt(Instant.parse("2026-03-03T09:14:07.512Z")).build();
    }

    /** The record behind {@link WebhookPayloadSchemaTest#DELETION_DUE_EXAMPLE}. */
    static DeletionDue notice() {
        return DeletionDue.newBuilder().setNoticeId("c3a4b5d6-e7f8-4a9b-8c0d-1e2f3a4b5c6d").setRecipientId("nhs-ncmp")
                .setDisclosureIds(List.of("2f4e6d8c-0a1b-4c3d-9e5f-7a6b5c4d3e2f", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"))
                .setDeleteBy(LocalDate.of(2027, 1, 20)).setLegalBasis("NHS Act 2006 s251").setPolicyId("norfolk-census-sharing")
                .setPolicyVersion("2026.1").setIssuedAt(Instant.parse("2027-01-21T00:00:03Z")).build();
    }

    private static String json(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
