package org.pupilflow.policy.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pupilflow.policy.decide.EngineFixtures.DECIDED_AT;
import static org.pupilflow.policy.decide.EngineFixtures.POLICIES;
import static org.pupilflow.policy.decide.EngineFixtures.engine;
import static org.pupilflow.policy.decide.EngineFixtures.first;
import static org.pupilflow.policy.decide.EngineFixtures.objection;
import static org.pupilflow.policy.decide.EngineFixtures.secondary;
import static org.pupilflow.policy.decide.EngineFixtures.upn;

import java.time.LocalDate;
import java.util.List;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.ObjectionRaisedBy;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.sharing.DisclosureOutcome;
import org.pupilflow.sharing.DisclosureRequest;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * Case-by-case disclosures (Barnet's on-request recipients): decided by the same engine as the census flow, so the same
 * allow-list, objections and audit apply, and a request that does not meet its rule discloses nothing.
 */
class OnRequestDecisionTest {

    private static final SharingPolicy BARNET = new PolicyLoader().load(POLICIES.resolve("barnet.yaml"));
    private static final SharingEngine ENGINE = engine(BARNET);
    private static final String SOCIAL_CARE_BASIS = "Children Act 1989 s47 (enquiries about significant harm)";
    private static final String SCHOOLS_BASIS = "Education (Pupil Information) (England) Regulations 2005 (transfer of pupil information)";

    private final CensusPupil pupil = first("Year 9 pupil", secondary("9"));

    @Test
    void theCensusFlowNeverDecidesForAnOnRequestRecipient() {
        List<String> onRequest = BARNET.recipients().stream().filter(RecipientRule::deliveredOnRequest).map(RecipientRule::id).toList();
        assertThat(onRequest).containsExactlyInAnyOrder("other-local-authorities", "health-agencies", "education-settings", "social-care");

        Evaluation evaluation = ENGINE.evaluate(pupil, List.of(), DECIDED_AT);

        assertThat(evaluation.decisions()).extracting(d -> d.recipient().id()).doesNotContainAnyElementsOf(onRequest);
        assertThat(evaluation.outOfCohort()).extracting(RecipientRule::id).doesNotContainAnyElementsOf(onRequest);
    }

    @Test
    void anApprovedRequestDisclosesOnlyTheRulesAllowListAndIsAuditedWithTheRequest() {
        DisclosureRequest request = request("social-care", SOCIAL_CARE_BASIS, "CP-2026-0042", List.of("officer-a", "officer-b"));

        Decision decision = ENGINE.decideOnRequest(request, pupil, List.of(), DECIDED_AT);

        assertThat(decision.outcome()).isEqualTo(DisclosureOutcome.DISCLOSED);
        RecipientRule rule = BARNET.recipient("social-care").orElseThrow();
        PupilDisclosure disclosure = decision.disclosure();
        for (Schema.Field field : CensusPupil.getClassSchema().getFields()) {
            if (PupilDisclosure.getClassSchema().getField(field.name()) == null) {
                continue;
            }
            if (rule.fields().contains(field.name())) {
                assertThat(disclosure.get(field.name())).as(field.name()).isEqualTo(pupil.get(field.name()));
            } else {
                assertThat(disclosure.get(field.name())).as(field.name() + " is not on the allow-list").isNull();
            }
        }
        assertThat(disclosure.getDisclosedFields()).containsExactlyElementsOf(rule.fields());
        assertThat(disclosure.getRequestId()).isEqualTo("REQ-1");
        assertThat(disclosure.getCaseReference()).isEqualTo("CP-2026-0042");
        assertThat(disclosure.getLegalBasis()).isEqualTo(SOCIAL_CARE_BASIS);
        assertThat(decision.recordKey()).isEqualTo(upn(pupil));

        var event = decision.event();
        assertThat(event.getDisclosureId()).isEqualTo(disclosure.getDisclosureId());
        assertThat(event.getRequestId()).isEqualTo("REQ-1");
        assertThat(event.getCaseReference()).isEqualTo("CP-2026-0042");
        assertThat(event.getRequestPurpose()).isEqualTo("section 47 enquiry");
        assertThat(event.getRequestedBy()).isEqualTo("officer-a");
        assertThat(event.getApprovedBy()).containsExactly("officer-a", "officer-b");
        assertThat(event.getLegalBasis()).isEqualTo(SOCIAL_CARE_BASIS);
        assertThat(event.getReason()).startsWith("case-by-case request REQ-1 (case CP-2026-0042");
    }

    @Test
    void theSameRequestDecidedAgainHasTheSameDisclosureIdAndAnotherRequestADifferentOne() {
        DisclosureRequest request = request("education-settings", SCHOOLS_BASIS, "ADM-7", List.of("officer-a"));
        String census = ENGINE.evaluate(pupil, List.of(), DECIDED_AT).decisions().get(0).event().getDisclosureId();

        String first = ENGINE.decideOnRequest(request, pupil, List.of(), DECIDED_AT).event().getDisclosureId();
        String again = ENGINE.decideOnRequest(request, pupil, List.of(), DECIDED_AT).event().getDisclosureId();
        DisclosureRequest other = DisclosureRequest.newBuilder(request).setRequestId("REQ-2").build();

        assertThat(again).isEqualTo(first);
        assertThat(ENGINE.decideOnRequest(other, pupil, List.of(), DECIDED_AT).event().getDisclosureId()).isNotEqualTo(first).isNotEqualTo(census);
    }

    @Test
    void aRequestRelyingOnALegalBasisTheRuleDoesNotAllowDisclosesNothing() {
        DisclosureRequest request = request("social-care", "Data Protection Act 2018 Sch 2 para 2 (crime)", "CP-1", List.of("officer-a", "officer-b"));

        Decision decision = ENGINE.decideOnRequest(request, pupil, List.of(), DECIDED_AT);

        assertThat(decision.outcome()).isEqualTo(DisclosureOutcome.WITHHELD);
        assertThat(decision.disclosure()).isNull();
        assertThat(decision.event().getReason()).contains("not a legal basis rule social-care allows");
        assertThat(decision.event().getRequestId()).isEqualTo("REQ-1");
    }

    @Test
    void aRequestWithoutACaseReferenceDisclosesNothing() {
        Decision decision = ENGINE.decideOnRequest(request("education-settings", SCHOOLS_BASIS, " ", List.of("officer-a")), pupil, List.of(), DECIDED_AT);

        assertThat(decision.outcome()).isEqualTo(DisclosureOutcome.WITHHELD);
        assertThat(decision.event().getReason()).contains("no case reference");
    }

    @Test
    void aRuleNeedingTwoOfficersDisclosesNothingOnOneOfficersWordEvenIfNamedTwice() {
        Decision decision = ENGINE.decideOnRequest(request("social-care", SOCIAL_CARE_BASIS, "CP-1", List.of("officer-a", "officer-a")), pupil,
                List.of(), DECIDED_AT);

        assertThat(decision.outcome()).isEqualTo(DisclosureOutcome.WITHHELD);
        assertThat(decision.event().getReason()).contains("needs the approval of 2 different officers, the request has 1");
    }

    @Test
    void aPupilWhoseObjectionWithholdsIsWithheldAndAuditedWithTheObjectionAndTheRequest() {
        var objection = objection("OBJ-1", pupil, "social-care", ObjectionRaisedBy.PARENT, LocalDate.of(2025, 9, 1));

        Decision decision = ENGINE.decideOnRequest(request("social-care", SOCIAL_CARE_BASIS, "CP-1", List.of("officer-a", "officer-b")), pupil,
                List.of(objection), DECIDED_AT);

        assertThat(decision.outcome()).isEqualTo(DisclosureOutcome.WITHHELD);
        assertThat(decision.disclosure()).isNull();
        assertThat(decision.event().getObjectionIds()).containsExactly("OBJ-1");
        assertThat(decision.event().getReason()).contains("objection OBJ-1 by parent").endsWith(": withheld");
        assertThat(decision.event().getApprovedBy()).containsExactly("officer-a", "officer-b");
    }

    @Test
    void aPupilWithNoCensusRecordIsWithheldWithTheReason() {
        DisclosureRequest request = request("education-settings", SCHOOLS_BASIS, "ADM-7", List.of("officer-a"));

        Decision decision = ENGINE.decideOnRequest(request, null, List.of(), DECIDED_AT);

        assertThat(decision.outcome()).isEqualTo(DisclosureOutcome.WITHHELD);
        assertThat(decision.event().getReason()).contains("no census record of this pupil");
        assertThat(decision.event().getReturnId()).isEqualTo(SharingEngine.NO_RETURN);
        assertThat(decision.event().getUpn()).isEqualTo(upn(pupil));
    }

    @Test
    void aRequestForACensusFlowRecipientCannotBeDecided() {
        DisclosureRequest request = request("post16", SCHOOLS_BASIS, "ADM-7", List.of("officer-a"));

        assertThat(ENGINE.unroutableRequest(request)).hasValueSatisfying(problem -> assertThat(problem).contains("not case-by-case"));
        assertThatThrownBy(() -> ENGINE.decideOnRequest(request, pupil, List.of(), DECIDED_AT)).isInstanceOf(IllegalArgumentException.class);
    }

    private DisclosureRequest request(String recipientId, String legalBasis, String caseReference, List<String> approvedBy) {
        return DisclosureRequest.newBuilder().setRequestId("REQ-1").setUpn(upn(pupil)).setRecipientId(recipientId).setCaseReference(caseReference)
                .setPurpose("section 47 enquiry").setLegalBasis(legalBasis).setRequestedBy(approvedBy.get(0)).setApprovedBy(approvedBy)
                .setPupilCount(1).setRequestedAt(DECIDED_AT).setApprovedAt(DECIDED_AT).build();
    }
}
