package org.pupilflow.schemas.topics;

import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.sharing.DeliveryReceipt;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureRequest;
import org.pupilflow.sharing.PupilDisclosure;

/** What the value of a topic's records is: an Avro message of the contract (single-object encoding), or JSON. */
public enum ValueFormat {
    CENSUS_PUPIL(CensusPupil.class, "CensusPupil (Avro)"),
    OBJECTION(Objection.class, "Objection (Avro); a tombstone deletes it"),
    RECIPIENT_RECORD(PupilDisclosure.class, "PupilDisclosure (Avro): the minimised record and its envelope; or, about records sent before,"
            + " DeletionRequest or DeletionDue (Avro); header pupilflow.record-kind says which"),
    DISCLOSURE_EVENT(DisclosureEvent.class, "DisclosureEvent (Avro): one per decision"),
    DELIVERY_RECEIPT(DeliveryReceipt.class, "DeliveryReceipt (Avro)"),
    DISCLOSURE_REQUEST(DisclosureRequest.class, "DisclosureRequest (Avro): one named pupil of an approved request"),
    DISCLOSURE_REQUEST_STATE(null, "JSON: the request, its approvals and its status"),
    REJECTED_RECORD(null, "JSON: returnId, location, upn, issues"),
    RETURN_REGISTRY(null, "JSON return report, or the return id of a content hash"),
    CHAIN_HEAD(null, "JSON: chainId, ledger, seq, hash, publishedAt, signature"),
    POLICY_PUBLICATION(null, "JSON: policyId, policyVersion, contentHash, fileName, document (the YAML), publishedAt, publishedBy"),
    SOURCE_RECORD(null, "the source record's value unchanged, with the dead-letter headers");

    private final Class<? extends SpecificRecord> avroType;
    private final String description;

    ValueFormat(Class<? extends SpecificRecord> avroType, String description) {
        this.avroType = avroType;
        this.description = description;
    }

    /** The contract's message type, for Avro values. */
    public Optional<Class<? extends SpecificRecord>> avroType() {
        return Optional.ofNullable(avroType);
    }

    public String description() {
        return description;
    }
}
