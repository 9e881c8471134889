package org.pupilflow.audit.query;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Subject access as CSV: one row per audit event (decision, unchanged decision, deletion request,
 * deletion-due notice). Lists are joined with {@code "; "}; deliveries are {@code channel:outcome@time}
 * joined with {@code "; "}; {@code relatesTo} and {@code referencedBy} are {@code id (OUTCOME recipient
 * decided-at)}, or {@code id (not in this trail)} when the event is not in the pupil's trail. A cell that a spreadsheet would run as a
 * formula (starting with {@code = + - @}, tab or carriage return) is prefixed with {@code '}.
 */
final class SubjectAccessCsv {

    static final String[] HEADER = {"upn", "disclosureId", "recipientId", "outcome", "fieldsDisclosed", "reason", "objectionIds", "legalBasis",
        "policyId", "policyVersion", "policyContentHash", "returnId", "decidedAt", "ageMeasuredOn", "deleteBy", "pseudonymised", "pupilPseudonym",
        "deliveryStatus", "deliveries", "relatesTo", "referencedBy", "retainUntil",
        "requestId", "caseReference", "requestPurpose", "requestedBy", "approvedBy", "pseudonymKeyVersion"};

    private SubjectAccessCsv() {
    }

    static String render(List<DisclosureView> disclosures) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(HEADER).setRecordSeparator("\r\n").get())) {
            for (DisclosureView d : disclosures) {
                csv.printRecord(
                        cell(d.upn()), cell(d.disclosureId()), cell(d.recipientId()), cell(d.outcome()), cell(String.join("; ", d.fieldsDisclosed())),
                        cell(d.reason()), cell(String.join("; ", d.objectionIds())), cell(d.legalBasis()), cell(d.policyId()), cell(d.policyVersion()),
                        cell(d.policyContentHash()), cell(d.returnId()), cell(String.valueOf(d.decidedAt())),
                        cell(d.ageMeasuredOn() == null ? "" : d.ageMeasuredOn().toString()), cell(d.deleteBy() == null ? "" : d.deleteBy().toString()),
                        String.valueOf(d.pseudonymised()), cell(d.pupilPseudonym()), cell(d.deliveryStatus()),
                        cell(d.deliveries().stream().map(v -> v.channel() + ":" + v.outcome() + "@" + v.at()).collect(Collectors.joining("; "))),
                        cell(references(d.related())), cell(references(d.referencedBy())), cell(d.retainUntil() == null ? "" : d.retainUntil().toString()),
                        cell(d.request() == null ? "" : d.request().requestId()), cell(d.request() == null ? "" : d.request().caseReference()),
                        cell(d.request() == null ? "" : d.request().purpose()), cell(d.request() == null ? "" : d.request().requestedBy()),
                        cell(d.request() == null ? "" : String.join("; ", d.request().approvedBy())),
                        d.pseudonymKeyVersion() == null ? "" : String.valueOf(d.pseudonymKeyVersion()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String references(List<DisclosureView.Reference> references) {
        if (references == null) {
            return "";
        }
        return references.stream().map(r -> r.disclosureId() + (r.inTrail() ? " (" + r.outcome() + " " + r.recipientId() + " " + r.decidedAt() + ")"
                : " (not in this trail)")).collect(Collectors.joining("; "));
    }

    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + value : value;
    }
}
