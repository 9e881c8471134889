package org.pupilflow.ingest.api;

import org.pupilflow.web.ProblemType;
import org.pupilflow.web.ProblemTypes;

/** The problem types census-ingest answers with besides the generic ones (all listed in its API reference). */
public final class IngestProblems {

    private IngestProblems() {
    }

    public static final ProblemType RETURN_MALFORMED = new ProblemType("return-malformed", 400, "Not a readable census return",
            "The upload is not a readable CTF XML or CSV census return (or refuses a DTD or entity). The detail names the line or element; "
                    + "`report` is the return's report. Nothing was published.");
    public static final ProblemType RETURN_REJECTED = new ProblemType("return-rejected", 422, "Census return rejected",
            "Strict mode and at least one invalid record, or no valid record at all. `report.issues` names each record, field and rule; "
                    + "nothing was published. Upload with mode=lenient to publish the valid records.");
    public static final ProblemType RETURN_DUPLICATE = new ProblemType("return-duplicate", 409, "Census return already published",
            "The same content (byte for byte) was published before as `earlierReturnId`. Nothing was published.");
    public static final ProblemType RETURN_REPLACEMENT = new ProblemType("return-replacement-mismatch", 409, "Replacement not declared",
            "Returns were already published for the same schools and census day (`earlierReturnIds`), and the upload's replaces= does not "
                    + "name exactly those. Upload again with replaces=<returnId> for each of them to publish this one as their replacement "
                    + "(it is linked to them: their reports get `replacedBy`); nothing was published.");
    public static final ProblemType RETURN_TOO_LARGE = new ProblemType("return-too-large", 413, "Census return too large",
            "The return is larger than pupilflow.ingest.max-return-bytes (`limit`). Nothing was published.");
    public static final ProblemType RETURN_NOT_FOUND = new ProblemType("return-not-found", 404, "No such return",
            "No return has this id (ids are R- followed by a UUID, as answered by POST /returns).");
    public static final ProblemType OBJECTION_REFUSED = new ProblemType("objection-refused", 422, "Objection not accepted",
            "The objection or withdrawal breaks a rule of the policy or of the request (an invalid UPN check letter, a scope that is not a "
                    + "recipient, a date in the future, a parent objecting or withdrawing from the pupil's 16th birthday, ...). `field` names the field.");
    public static final ProblemType OBJECTION_NOT_FOUND = new ProblemType("objection-not-found", 404, "No such objection",
            "No objection has this id.");
    public static final ProblemType OBJECTION_WITHDRAWN = new ProblemType("objection-already-withdrawn", 409, "Objection already withdrawn",
            "The objection was withdrawn before; a withdrawal cannot be withdrawn again.");
    public static final ProblemType FIELD_TOO_LONG = new ProblemType("field-too-long", 422, "Field too long",
            "A text field is longer than its limit (`field`, `limit`, `setting`).");
    public static final ProblemType RECORD_TOO_LARGE = new ProblemType("record-too-large", 413, "Record too large for Kafka",
            "The record this request would publish is larger than the broker accepts. Nothing was published.");

    public static final ProblemType DISCLOSURE_REQUEST_INVALID = new ProblemType("disclosure-request-invalid", 422, "Disclosure request not accepted",
            "The case-by-case request breaks its recipient's rule or the request's own (a recipient that is not delivery: on-request, a legal "
                    + "basis the rule does not allow, no case reference or purpose, an invalid or repeated UPN, too many pupils). `field` names the "
                    + "field. Nothing was published.");
    public static final ProblemType DISCLOSURE_REQUEST_NOT_FOUND = new ProblemType("disclosure-request-not-found", 404, "No such disclosure request",
            "No case-by-case disclosure request has this id (ids are DR- followed by a UUID).");
    public static final ProblemType DISCLOSURE_REQUEST_NOT_PENDING = new ProblemType("disclosure-request-not-pending", 409, "Disclosure request not pending",
            "The request was approved, refused or has expired: only a request waiting for its second approval can be approved or refused.");
    public static final ProblemType DISCLOSURE_REQUEST_OWN_APPROVAL = new ProblemType("disclosure-request-own-approval", 403,
            "A different officer must approve", "The request's rule needs the approval of a second officer, and you asked for it or approved it already.");

    public static final ProblemType NO_POLICY_IN_FORCE = new ProblemType("no-policy-in-force", 503, "No policy in force yet",
            "census-ingest previews and checks returns with the policy the sharing-router applies, which the router publishes when it "
                    + "starts, and no router has published one yet. Start the sharing-router and try again (`Retry-After`); nothing was read "
                    + "or published. Objections are still accepted.");

    public static final ProblemType POLICY_CHANGED = new ProblemType("policy-changed", 409, "Previewed under another policy",
            "The upload names the policy its dry run previewed (`previewedPolicy`), and the sharing-router applies another now "
                    + "(`previewedPolicy`, `policyInForce`). Nothing was read or published: preview again, then upload naming the new hash.");

    public static final ProblemTypes ALL = ProblemTypes.of(NO_POLICY_IN_FORCE, POLICY_CHANGED, RETURN_MALFORMED, RETURN_REJECTED, RETURN_DUPLICATE,
            RETURN_REPLACEMENT, RETURN_TOO_LARGE, RETURN_NOT_FOUND, OBJECTION_REFUSED, OBJECTION_NOT_FOUND, OBJECTION_WITHDRAWN, FIELD_TOO_LONG,
            RECORD_TOO_LARGE, DISCLOSURE_REQUEST_INVALID, DISCLOSURE_REQUEST_NOT_FOUND, DISCLOSURE_REQUEST_NOT_PENDING, DISCLOSURE_REQUEST_OWN_APPROVAL);
}
