package org.pupilflow.policy.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pupilflow.policy.SharingPolicy;

/**
 * Every kind of mistake an LA author can make in a policy file is refused with the file name, the
 * line and the key. Expected lines are computed from the text blocks, so editing a block cannot
 * leave a stale line number behind.
 */
class PolicyLoaderTest {

    private static final String FILE = "test-policy.yaml";

    private final PolicyLoader loader = new PolicyLoader();

    /** One statutory recipient; every test below changes one thing about it. */
    private static final String VALID = """
            id: test-policy
            version: "1"
            localAuthority: "926"
            controller: Test County Council
            recipients:
              - id: dfe
                name: Department for Education
                topic: recipient.dfe
                purpose: The statutory school census return.
                legalBasis: Education Act 1996 s537A
                statutory: true
                fields: [identity, names, dateOfBirth]
                objections:
                  effect: not-applicable
            """;

    @Test
    void theBaseDocumentOfTheseTestsIsValid() {
        SharingPolicy policy = parse(VALID);

        assertThat(policy.recipients()).singleElement().satisfies(rule -> {
            assertThat(rule.id()).isEqualTo("dfe");
            assertThat(rule.fields()).containsExactly("identity", "names", "dateOfBirth");
        });
    }

    // --- unknown keys -------------------------------------------------------------------------

    @Test
    void unknownTopLevelKeyIsRefusedWithItsKeyAndTheKnownKeys() {
        String yaml = VALID.replace("controller: Test County Council\n", "controller: Test County Council\ncolour: red\n");

        PolicyError error = onlyError(yaml);

        assertThat(error.file()).isEqualTo(FILE);
        assertThat(error.path()).isEqualTo("colour");
        assertThat(error.line()).isPositive();
        assertThat(error.message()).startsWith("unknown key 'colour'").contains("known keys:").contains("controller", "recipients");
    }

    @Test
    void unknownNestedKeyIsRefusedWithItsFullPath() {
        String yaml = VALID.replace("    fields: [identity, names, dateOfBirth]\n", """
                    cohort:
                      ageRange:
                        min: 13
                      ncYears: ["9"]
                    fields: [identity, names, dateOfBirth]
                """);

        PolicyError error = onlyError(yaml);

        assertThat(error.file()).isEqualTo(FILE);
        assertThat(error.path()).isEqualTo("recipients[0].cohort.ageRange");
        assertThat(error.line()).isPositive();
        assertThat(error.message()).startsWith("unknown key 'ageRange'").contains("age", "ageMeasuredOn", "ncYears");
    }

    @Test
    void unknownTopLevelKeyIsReportedOnTheLineOfTheKey() {
        String yaml = VALID.replace("controller: Test County Council\n", "controller: Test County Council\ncolour: red\n");

        assertThat(onlyError(yaml).line()).isEqualTo(lineOf(yaml, "colour: red"));
    }

    @Test
    void unknownNestedKeyIsReportedOnTheLineOfTheKey() {
        String yaml = VALID.replace("    fields: [identity, names, dateOfBirth]\n", """
                    cohort:
                      ageRange:
                        min: 13
                      ncYears: ["9"]
                    fields: [identity, names, dateOfBirth]
                """);

        assertThat(onlyError(yaml).line()).isEqualTo(lineOf(yaml, "ageRange:"));
    }

    // --- allow-list, cohort, references ----------------------------------------------------------

    @Test
    void unknownFieldNameInTheAllowListIsRefusedWithItsLineAndIndex() {
        String yaml = VALID.replace("[identity, names, dateOfBirth]", "[identity, names, height]");

        assertError(onlyError(yaml), lineOf(yaml, "fields:"), "recipients[0].fields[2]",
                "unknown field name 'height'", "census units: identity, names");
    }

    @Test
    void unknownRecipientInVariantOfIsRefusedWithItsLineAndKey() {
        String yaml = VALID.replace("    statutory: true\n", "    statutory: true\n    variantOf: nhs-ncmp\n");

        assertError(onlyError(yaml), lineOf(yaml, "variantOf:"), "recipients[0].variantOf", "unknown recipient 'nhs-ncmp'", "dfe");
    }

    @Test
    void invertedAgeRangeIsRefusedWithItsLineAndKey() {
        String yaml = beforeFields("""
                    cohort:
                      age: {min: 18, max: 16}
                """);

        assertError(onlyError(yaml), lineOf(yaml, "age: {min: 18"), "recipients[0].cohort.age",
                "inverted age range: min 18 is greater than max 16");
    }

    @Test
    void unknownNcYearIsRefusedWithItsLineAndIndex() {
        String yaml = beforeFields("""
                    cohort:
                      ncYears: [R, "15"]
                """);

        assertError(onlyError(yaml), lineOf(yaml, "ncYears:"), "recipients[0].cohort.ncYears[1]", "unknown NC year '15'", "N1, N2, R, 1-14, X");
    }

    @Test
    void invertedValidityWindowIsRefusedOnTheValidUntilLine() {
        String yaml = beforeFields("""
                    validFrom: 2011-11-30
                    validUntil: 2011-06-01
                """);

        assertError(onlyError(yaml), lineOf(yaml, "validUntil:"), "recipients[0].validUntil",
                "validity window is inverted: validFrom 2011-11-30 is after validUntil 2011-06-01");
    }

    @Test
    void wrongLocalAuthorityFormatIsRefusedWithItsLine() {
        String yaml = VALID.replace("localAuthority: \"926\"", "localAuthority: \"9260\"");

        assertError(onlyError(yaml), lineOf(yaml, "localAuthority:"), "localAuthority", "must be the 3-digit DfE LA number, was '9260'");
    }

    @Test
    void aNationalControllerMayOmitTheLocalAuthority() {
        assertThat(parse(VALID.replace("localAuthority: \"926\"\n", "")).localAuthority()).isNull();
    }

    // --- objections ------------------------------------------------------------------------------

    @Test
    void restrictToThatIsNotASubsetOfTheAllowListIsRefusedWithTheOffendingUnit() {
        String yaml = VALID.replace("    statutory: true\n", "").replace("      effect: not-applicable\n", """
                      effect: restrict
                      restrictTo: [names, address]
                """);

        assertError(onlyError(yaml), lineOf(yaml, "restrictTo:"), "recipients[0].objections.restrictTo[1]",
                "restrict-to list is not a subset of the allow-list: 'address' is not in fields");
    }

    @Test
    void restrictWithoutRestrictToIsRefusedOnTheObjectionsLine() {
        String yaml = VALID.replace("    statutory: true\n", "").replace("effect: not-applicable", "effect: restrict");

        assertError(onlyError(yaml), lineOf(yaml, "objections:"), "recipients[0].objections.restrictTo",
                "effect restrict needs restrictTo");
    }

    @Test
    void notApplicableWithoutStatutoryIsRefusedOnTheEffectLine() {
        String yaml = VALID.replace("    statutory: true\n", "");

        assertError(onlyError(yaml), lineOf(yaml, "effect: not-applicable"), "recipients[0].objections.effect",
                "only statutory sharing may ignore objections");
    }

    @Test
    void aNonStatutoryRecipientWithoutObjectionHandlingIsRefused() {
        String yaml = VALID.replace("    statutory: true\n", "").replace("    objections:\n      effect: not-applicable\n", "");

        assertError(onlyError(yaml), lineOf(yaml, "- id: dfe"), "recipients[0].objections.effect", "only statutory sharing may ignore objections");
    }

    // --- required keys, uniqueness, pseudonymisation, delete-by ------------------------------------

    @Test
    void missingLegalBasisIsRefusedOnTheLineOfItsRecipient() {
        String yaml = VALID.replace("    legalBasis: Education Act 1996 s537A\n", "");

        assertError(onlyError(yaml), lineOf(yaml, "- id: dfe"), "recipients[0].legalBasis",
                "missing legal basis: every recipient must name the law its sharing rests on");
    }

    @Test
    void blankLegalBasisIsRefusedOnItsLine() {
        String yaml = VALID.replace("legalBasis: Education Act 1996 s537A", "legalBasis: \" \"");

        assertError(onlyError(yaml), lineOf(yaml, "legalBasis:"), "recipients[0].legalBasis", "missing legal basis");
    }

    @Test
    void missingVersionIsRefused() {
        String yaml = VALID.replace("version: \"1\"\n", "");

        assertError(onlyError(yaml), 0, "version", "missing required key 'version'");
    }

    @Test
    void duplicateRecipientIdIsRefusedOnTheSecondRule() {
        String yaml = VALID + """
                  - id: dfe
                    name: Department for Education, again
                    topic: recipient.dfe-again
                    purpose: The statutory school census return.
                    legalBasis: Education Act 1996 s537A
                    statutory: true
                    fields: [identity]
                """;

        assertError(onlyError(yaml), lineOf(yaml, "- id: dfe", 2), "recipients[1].id", "duplicate recipient id 'dfe'");
    }

    @Test
    void duplicateTopicIsRefusedOnTheSecondRule() {
        String yaml = VALID + """
                  - id: dfe-statistics
                    name: Department for Education, statistics
                    topic: recipient.dfe
                    purpose: Statistics.
                    legalBasis: Education Act 1996 s537A
                    statutory: true
                    fields: [sex]
                """;

        assertError(onlyError(yaml), lineOf(yaml, "topic: recipient.dfe", 2), "recipients[1].topic",
                "topic 'recipient.dfe' is already used by another recipient");
    }

    @Test
    void topicsThatKafkaWouldConfuseAreRefusedOnTheSecondRule() {
        String yaml = VALID.replace("topic: recipient.dfe", "topic: recipient.dfe_stats") + """
                  - id: dfe-statistics
                    name: Department for Education, statistics
                    topic: recipient.dfe.stats
                    purpose: Statistics.
                    legalBasis: Education Act 1996 s537A
                    statutory: true
                    fields: [sex]
                """;

        assertError(onlyError(yaml), lineOf(yaml, "topic: recipient.dfe.stats", 1), "recipients[1].topic",
                "topic 'recipient.dfe.stats' clashes with another recipient's 'recipient.dfe_stats'");
    }

    @Test
    void aTopicOutsideTheRecipientFamilyIsRefused() {
        String yaml = VALID.replace("topic: recipient.dfe", "topic: audit.disclosures");

        assertError(onlyError(yaml), lineOf(yaml, "topic: audit.disclosures", 1), "recipients[0].topic",
                "a recipient topic must be named recipient.<name>, was 'audit.disclosures'");
    }

    @Test
    void anIllegalKafkaTopicNameIsRefused() {
        String yaml = VALID.replace("topic: recipient.dfe", "topic: recipient.dfe/stats");

        assertError(onlyError(yaml), lineOf(yaml, "topic: recipient.dfe/stats", 1), "recipients[0].topic",
                "'recipient.dfe/stats' is not a legal Kafka topic name");
    }

    @Test
    void aRecipientTopicThatLooksLikeADeadLetterTopicIsRefused() {
        String yaml = VALID.replace("topic: recipient.dfe", "topic: recipient.dfe.dead-letters");

        assertError(onlyError(yaml), lineOf(yaml, "topic: recipient.dfe.dead-letters", 1), "recipients[0].topic",
                "would be taken for a dead-letter topic");
    }

    @Test
    void aRecipientIdWhosePrincipalIsAServicesIsRefused() {
        String yaml = VALID.replace("- id: dfe", "- id: adapters").replace("topic: recipient.dfe", "topic: recipient.adapters");

        assertError(onlyError(yaml), lineOf(yaml, "- id: adapters", 1), "recipients[0].id",
                "would give the recipient the broker principal 'recipient-adapters', which is a PupilFlow service's");
    }

    @Test
    void pseudonymisedRuleWithNamesIsRefusedOnTheFieldsLine() {
        String yaml = VALID.replace("    statutory: true\n", "").replace("effect: not-applicable", "effect: withhold")
                .replace("[identity, names, dateOfBirth]", "[sex, names]\n    pseudonymise:\n      address: none");

        assertError(onlyError(yaml), lineOf(yaml, "fields: [sex, names]"), "recipients[0].fields",
                "'names' directly identifies the pupil and cannot go to a pseudonymised recipient");
    }

    @Test
    void pseudonymiseWithoutAValueIsRefusedRatherThanSilentlyIdentified() {
        String yaml = VALID.replace("    statutory: true\n", "").replace("effect: not-applicable", "effect: withhold")
                .replace("[identity, names, dateOfBirth]", "[identity, names]\n    pseudonymise:");

        assertThat(errors(yaml)).extracting(PolicyError::path).contains("recipients[0].pseudonymise");
    }

    @Test
    void deleteByWithBothDateAndPeriodIsRefused() {
        String yaml = beforeFields("""
                    deleteBy:
                      date: 2012-03-01
                      afterDisclosure: P1Y
                """);

        assertError(onlyError(yaml), lineOf(yaml, "deleteBy:"), "recipients[0].deleteBy", "give exactly one of 'date'", "'afterDisclosure'");
    }

    @Test
    void deleteByWithNeitherDateNorPeriodIsRefused() {
        String yaml = beforeFields("""
                    deleteBy: {}
                """);

        assertError(onlyError(yaml), lineOf(yaml, "deleteBy:"), "recipients[0].deleteBy", "give exactly one of 'date'", "'afterDisclosure'");
    }

    // --- not YAML, or not a policy -------------------------------------------------------------

    @Test
    void emptyFileIsRefusedOnLineOne() {
        PolicyError error = onlyError("");

        assertThat(error.file()).isEqualTo(FILE);
        assertThat(error.line()).isEqualTo(1);
        assertThat(error.path()).isEmpty();
    }

    @Test
    void emptyFileIsRefusedAsEmpty() {
        assertThat(onlyError("").message()).isEqualTo("the policy file is empty");
        assertThat(onlyError("# nothing yet\n").message()).isEqualTo("the policy file is empty");
    }

    @Test
    void yamlSyntaxErrorIsReportedOnItsLine() {
        String yaml = VALID.replace("purpose: The statutory school census return.", "purpose: Census: the statutory return: 2026");

        PolicyError error = onlyError(yaml);

        assertThat(error.file()).isEqualTo(FILE);
        assertThat(error.line()).isEqualTo(lineOf(yaml, "purpose:"));
        assertThat(error.message()).contains("mapping values are not allowed here");
    }

    @Test
    void unterminatedFlowSequenceIsReportedWhereTheParserGaveUpAndNamesWhereTheSequenceStarts() {
        String yaml = VALID.replace("[identity, names, dateOfBirth]", "[identity, names, dateOfBirth");

        PolicyError error = onlyError(yaml);

        assertThat(error.line()).isEqualTo(lineOf(yaml, "objections:"));
        assertThat(error.message()).contains("while parsing a flow sequence").contains("line " + lineOf(yaml, "fields:"));
    }

    @Test
    void tabIndentationIsReportedOnTheLineWithTheTab() {
        String yaml = VALID.replace("    purpose:", "\tpurpose:");

        assertThat(onlyError(yaml).line()).isEqualTo(lineOf(yaml, "\tpurpose:"));
    }

    @Test
    void duplicateTopLevelKeyIsRefusedOnTheSecondOccurrence() {
        String yaml = VALID.replace("controller: Test County Council\n", "controller: Test County Council\nid: another-policy\n");

        PolicyError error = onlyError(yaml);

        assertThat(error.file()).isEqualTo(FILE);
        assertThat(error.line()).isEqualTo(lineOf(yaml, "id: another-policy"));
        assertThat(error.message()).contains("Duplicate").contains("\"id\"");
    }

    @Test
    void duplicateNestedKeyIsRefusedOnTheSecondOccurrenceWithinItsRecipient() {
        String yaml = VALID.replace("    name: Department for Education\n", "    name: Department for Education\n    name: DfE\n");

        PolicyError error = onlyError(yaml);

        assertThat(error.line()).isEqualTo(lineOf(yaml, "name: DfE"));
        assertThat(error.path()).isEqualTo("recipients[0]");
        assertThat(error.message()).contains("Duplicate").contains("\"name\"");
    }

    // --- many errors, the exception, the hash ---------------------------------------------------

    @Test
    void severalErrorsInOneFileAreAllReportedEachWithItsLine() {
        String yaml = """
                id: test-policy
                version: "1"
                localAuthority: "92"
                controller: Test County Council
                recipients:
                  - id: youth-support
                    name: Youth Support Services
                    topic: recipient.youth-support
                    purpose: Support for young people.
                    cohort:
                      age: {min: 19, max: 13}
                    fields: [names, address, height]
                    objections:
                      effect: restrict
                      restrictTo: [names, dateOfBirth]
                  - id: youth-support
                    name: Youth Support Services, again
                    topic: recipient.youth-support
                    purpose: Support for young people.
                    legalBasis: Education Act 1996 s507B
                    fields: [names]
                    objections:
                      effect: withhold
                """;

        List<PolicyError> errors = errors(yaml);

        assertThat(errors).extracting(PolicyError::path, PolicyError::line).containsExactly(
                tuple("localAuthority", lineOf(yaml, "localAuthority:")),
                tuple("recipients[0].legalBasis", lineOf(yaml, "- id: youth-support")),
                tuple("recipients[0].fields[2]", lineOf(yaml, "fields: [names, address, height]")),
                tuple("recipients[0].cohort.age", lineOf(yaml, "age: {min: 19")),
                tuple("recipients[0].objections.restrictTo[1]", lineOf(yaml, "restrictTo:")),
                tuple("recipients[1].id", lineOf(yaml, "- id: youth-support", 2)),
                tuple("recipients[1].topic", lineOf(yaml, "topic: recipient.youth-support", 2)));
        assertThat(errors).allSatisfy(error -> assertThat(error.file()).isEqualTo(FILE));
    }

    @Test
    void theExceptionMessageListsEveryErrorAsFileLineKeyAndMessage() {
        String yaml = VALID.replace("    legalBasis: Education Act 1996 s537A\n", "").replace("localAuthority: \"926\"", "localAuthority: \"92\"");

        InvalidPolicyException refused = refusal(yaml);

        assertThat(refused.getMessage())
                .startsWith("Invalid sharing policy (2 errors):")
                .contains(FILE + ":" + lineOf(yaml, "localAuthority:") + ": localAuthority: must be the 3-digit DfE LA number")
                .contains(FILE + ":" + lineOf(yaml, "- id: dfe") + ": recipients[0].legalBasis: missing legal basis");
    }

    @Test
    void theSameBytesGiveTheSameContentHash() {
        byte[] bytes = VALID.getBytes(StandardCharsets.UTF_8);

        assertThat(loader.parse("a.yaml", bytes).contentHash())
                .matches("[0-9a-f]{64}")
                .isEqualTo(loader.parse("b.yaml", bytes.clone()).contentHash());
    }

    @Test
    void theContentHashChangesWhenOneByteChanges() {
        byte[] bytes = VALID.getBytes(StandardCharsets.UTF_8);
        byte[] changed = bytes.clone();
        int purpose = VALID.indexOf("return.");
        changed[purpose] = (byte) 'R';

        SharingPolicy original = loader.parse(FILE, bytes);
        SharingPolicy edited = loader.parse(FILE, changed);

        assertThat(edited.recipients().get(0).purpose()).isEqualTo("The statutory school census Return.");
        assertThat(edited.contentHash()).isNotEqualTo(original.contentHash());
    }

    @Test
    void evenACommentChangesTheContentHash() {
        assertThat(parse(VALID + "# reviewed by the DPO\n").contentHash()).isNotEqualTo(parse(VALID).contentHash());
    }

    // --- case-by-case recipients (delivery: on-request) -------------------------------------------

    /** A case-by-case recipient: no census flow, requests with one of two legal bases, two officers. */
    private static final String ON_REQUEST = """
            id: test-policy
            version: "1"
            localAuthority: "302"
            controller: Test Borough Council
            recipients:
              - id: social-care
                name: Council social care
                topic: recipient.social-care
                delivery: on-request
                purpose: The council's social care services working with a child.
                legalBasis: Children Act 1989 s17 and s47
                fields: [identity, names, dateOfBirth]
                objections:
                  effect: withhold
                onRequest:
                  channel: webhook
                  legalBases:
                    - Children Act 1989 s17 (children in need)
                    - Children Act 1989 s47 (enquiries)
                  approvals: 2
                  expiresAfter: P3D
            """;

    @Test
    void anOnRequestRecipientLoadsWithItsChannelLegalBasesAndApprovals() {
        var rule = parse(ON_REQUEST).recipients().get(0);

        assertThat(rule.deliveredOnRequest()).isTrue();
        assertThat(rule.delivery()).isEqualTo("on-request");
        assertThat(rule.channel()).isEqualTo("webhook");
        assertThat(rule.readFromKafka()).isFalse();
        assertThat(rule.onRequest().legalBases()).containsExactly("Children Act 1989 s17 (children in need)", "Children Act 1989 s47 (enquiries)");
        assertThat(rule.onRequest().needsSecondApprover()).isTrue();
        assertThat(rule.onRequest().expiresAfter()).isEqualTo(java.time.Period.ofDays(3));
    }

    @Test
    void approvalsAndExpiryHaveDocumentedDefaults() {
        String yaml = ON_REQUEST.replace("      approvals: 2\n", "").replace("      expiresAfter: P3D\n", "");

        var onRequest = parse(yaml).recipients().get(0).onRequest();

        assertThat(onRequest.approvals()).isEqualTo(1);
        assertThat(onRequest.expiresAfter()).isEqualTo(java.time.Period.ofDays(7));
    }

    @Test
    void onRequestDeliveryWithoutItsBlockIsRefused() {
        String yaml = ON_REQUEST.substring(0, ON_REQUEST.indexOf("    onRequest:"));

        assertError(onlyError(yaml), lineOf(yaml, "- id: social-care"), "recipients[0].onRequest", "delivery: on-request needs an onRequest block");
    }

    @Test
    void anOnRequestBlockOnACensusFlowRecipientIsRefused() {
        String yaml = ON_REQUEST.replace("    delivery: on-request\n", "");

        assertError(onlyError(yaml), lineOf(yaml, "onRequest:"), "recipients[0].onRequest", "onRequest only applies with delivery: on-request");
    }

    @Test
    void onRequestWithoutLegalBasesIsRefused() {
        String yaml = ON_REQUEST.replace("""
                      legalBases:
                        - Children Act 1989 s17 (children in need)
                        - Children Act 1989 s47 (enquiries)
                """, "");

        assertError(onlyError(yaml), lineOf(yaml, "onRequest:"), "recipients[0].onRequest.legalBases", "at least one legal basis");
    }

    @Test
    void onRequestWithAnUnknownChannelIsRefused() {
        String yaml = ON_REQUEST.replace("channel: webhook", "channel: fax");

        assertError(onlyError(yaml), lineOf(yaml, "channel: fax"), "recipients[0].onRequest.channel", "unknown delivery channel 'fax'");
    }

    @Test
    void onRequestWithoutAChannelIsRefused() {
        String yaml = ON_REQUEST.replace("      channel: webhook\n", "");

        assertError(onlyError(yaml), lineOf(yaml, "onRequest:"), "recipients[0].onRequest.channel", "missing channel");
    }

    @Test
    void approvalsOtherThanOneOrTwoAreRefused() {
        String yaml = ON_REQUEST.replace("approvals: 2", "approvals: 3");

        assertError(onlyError(yaml), lineOf(yaml, "approvals: 3"), "recipients[0].onRequest.approvals", "approvals must be 1", "was 3");
    }

    @Test
    void aLegalBasisListedTwiceAndANonPositiveExpiryAreBothRefused() {
        String yaml = ON_REQUEST.replace("- Children Act 1989 s47 (enquiries)", "- Children Act 1989 s17 (children in need)").replace("P3D", "P0D");

        assertThat(errors(yaml)).extracting(PolicyError::path)
                .containsExactlyInAnyOrder("recipients[0].onRequest.legalBases[1]", "recipients[0].onRequest.expiresAfter");
    }

    @Test
    void anUnknownKeyInTheOnRequestBlockIsRefusedWithTheKnownKeys() {
        String yaml = ON_REQUEST.replace("approvals: 2", "approvers: 2");

        assertThat(onlyError(yaml).message()).contains("unknown key 'approvers'", "approvals", "channel", "expiresAfter", "legalBases");
    }

    // --- helpers -------------------------------------------------------------------------------

    /** {@link #VALID} with {@code keys} (recipient keys, indented four spaces) inserted before its fields line. */
    private static String beforeFields(String keys) {
        return VALID.replace("    fields:", keys + "    fields:");
    }

    private SharingPolicy parse(String yaml) {
        return loader.parse(FILE, yaml.getBytes(StandardCharsets.UTF_8));
    }

    private InvalidPolicyException refusal(String yaml) {
        try {
            SharingPolicy policy = parse(yaml);
            return fail("expected the policy to be refused, but it loaded: " + policy);
        } catch (InvalidPolicyException refused) {
            return refused;
        }
    }

    private List<PolicyError> errors(String yaml) {
        return refusal(yaml).errors();
    }

    private PolicyError onlyError(String yaml) {
        List<PolicyError> errors = errors(yaml);
        assertThat(errors).as("errors for:\n%s", yaml).hasSize(1);
        return errors.get(0);
    }

    private static void assertError(PolicyError error, int line, String path, String... messageParts) {
        assertThat(error.file()).isEqualTo(FILE);
        assertThat(error.path()).isEqualTo(path);
        assertThat(error.line()).as("line of %s", error).isEqualTo(line);
        assertThat(error.message()).contains(messageParts);
    }

    /** 1-based line of the first line of {@code yaml} containing {@code text}. */
    static int lineOf(String yaml, String text) {
        return lineOf(yaml, text, 1);
    }

    /** 1-based line of the {@code occurrence}-th line of {@code yaml} containing {@code text}. */
    static int lineOf(String yaml, String text, int occurrence) {
        String[] lines = yaml.split("\n", -1);
        int seen = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text) && ++seen == occurrence) {
                return i + 1;
            }
        }
        throw new AssertionError("no line #" + occurrence + " containing '" + text + "' in:\n" + yaml);
    }
}
