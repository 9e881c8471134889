package org.pupilflow.ingest.requests;

import java.util.List;

/**
 * What an authorised officer asks for: ONE disclosure of named pupils to a recipient whose rule says
 * {@code delivery: on-request}.
 *
 * @param recipientId   the on-request recipient (a rule id of the policy)
 * @param upns          the pupils, by UPN
 * @param caseReference the case the disclosure is for
 * @param purpose       why the case needs it
 * @param legalBasis    the legal basis relied on: one of the rule's {@code onRequest.legalBases}, word for word
 */
public record NewDisclosureRequest(String recipientId, List<String> upns, String caseReference, String purpose, String legalBasis) {
}
