package org.pupilflow.adapters.filedrop;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.pupilflow.sharing.DeletionDue;
import org.pupilflow.sharing.DeletionRequest;

/** Deletion requests and deletion-due notices as the router writes them, for a recipient and disclosures of a test's choosing. */
final class DeletionRecords {

    static final Instant REQUESTED_AT = Instant.parse("2026-03-03T09:14:07.512Z");
    static final Instant ISSUED_AT = Instant.parse("2027-01-21T00:00:03Z");

    private DeletionRecords() {
    }

    /** A request after a withholding objection: no replacement. */
    static DeletionRequest withheld(String requestId, String recipientId, String... disclosureIds) {
        return DeletionRequest.newBuilder().setRequestId(requestId).setRecipientId(recipientId).setDisclosureIds(List.of(disclosureIds))
                .setReason("objection O-12 by parent (signed letter 2026-03-02): withheld").setLegalBasis("Education Act 1996 s537A")
                .setObjectionIds(List.of("O-12")).setPolicyId("norfolk-census-sharing").setPolicyVersion("2026.1").setReplacedBy(null)
                .setRequestedAt(REQUESTED_AT).build();
    }

    /** A request after a restricting objection: the restricted replacement went in the same transaction. */
    static DeletionRequest restricted(String requestId, String recipientId, String replacedBy, String... disclosureIds) {
        return DeletionRequest.newBuilder(withheld(requestId, recipientId, disclosureIds))
                .setReason("objection O-13 by pupil (email 2026-03-02): restricted").setObjectionIds(List.of("O-13")).setReplacedBy(replacedBy).build();
    }

    static DeletionDue due(String noticeId, String recipientId, LocalDate deleteBy, String... disclosureIds) {
        return DeletionDue.newBuilder().setNoticeId(noticeId).setRecipientId(recipientId).setDisclosureIds(List.of(disclosureIds)).setDeleteBy(deleteBy)
                .setLegalBasis("NHS Act 2006 s251").setPolicyId("norfolk-census-sharing").setPolicyVersion("2026.1").setIssuedAt(ISSUED_AT).build();
    }
}
