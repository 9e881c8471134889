package org.pupilflow.policy.notice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.pupilflow.policy.CensusUnits;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;
import org.w3c.dom.Document;

/** The privacy notice parents read is rendered from the policy the router applies. */
class NoticeRendererTest {

    private static final Path POLICIES = Path.of("..", "policies");

    private final PolicyLoader loader = new PolicyLoader();
    private final SharingPolicy norfolk = loader.load(POLICIES.resolve("norfolk.yaml"));

    // --- Markdown ------------------------------------------------------------------------------

    @Test
    void markdownHasAHeadingPurposeAndLegalBasisForEveryRecipientInNoticeOrder() {
        String markdown = NoticeRenderer.markdown(norfolk);

        assertThat(markdown).startsWith("# Norfolk County Council: who we share pupil information with\n");
        int previous = -1;
        for (RecipientRule rule : norfolk.recipients()) {
            String section = section(markdown, rule);
            assertThat(markdown.indexOf("\n## " + rule.name() + "\n")).as("heading of %s", rule.id()).isGreaterThan(previous);
            previous = markdown.indexOf("\n## " + rule.name() + "\n");
            assertThat(section).contains(rule.purpose().strip());
            assertThat(section).contains("- **Legal basis:** " + rule.legalBasis() + "\n");
        }
        assertThat(markdown.lines().filter(line -> line.startsWith("## "))).hasSameSizeAs(norfolk.recipients());
    }

    @Test
    void youthSupportSectionExplainsTheRestrictionAndWhoMayAskForIt() {
        String section = section(NoticeRenderer.markdown(norfolk), norfolk.recipient("youth-support").orElseThrow());

        assertThat(section)
                // Every kind of school: the duty turns on age (policies/norfolk.yaml says why).
                .contains("pupils aged 13 or over (age on census day)")
                .doesNotContain("at secondary schools")
                .contains("Until the pupil is 16, a parent; from the pupil's 16th birthday, the pupil can ask that no information beyond the pupil's "
                        + CensusUnits.inPlainWords("names") + ", " + CensusUnits.inPlainWords("dateOfBirth") + ", "
                        + CensusUnits.inPlainWords("address") + " be passed on.")
                .contains("A parent's request made before then stays in force until it is withdrawn.");
    }

    @Test
    void statutoryRecipientSaysAnObjectionCannotStopItButIsRecorded() {
        String section = section(NoticeRenderer.markdown(norfolk), norfolk.recipient("dfe").orElseThrow());

        assertThat(section).contains("- **Your right to object:** the law requires this sharing, so an objection cannot stop it; "
                + "any objection you make is recorded with each disclosure");
    }

    @Test
    void withheldRecipientsSayNothingIsPassedOnAndPseudonymisedOnesSayHow() {
        String markdown = NoticeRenderer.markdown(norfolk);

        assertThat(section(markdown, norfolk.recipient("childrens-centres").orElseThrow()))
                .contains("A parent can ask that nothing about the pupil be passed on.");
        assertThat(section(markdown, norfolk.recipient("nhs-ncmp-research").orElseThrow()))
                .contains("Names are never sent, and the pupil number is replaced by a code")
                .contains("of the address only the postcode district is sent");
        assertThat(section(markdown, norfolk.recipient("nhs-ncmp").orElseThrow()))
                .contains("pupils in Reception or Year 6")
                .contains("the recipient must destroy the information within 1 year of receiving it");
    }

    @Test
    void markdownEndsWithThePolicyVersionAndContentHash() {
        String markdown = NoticeRenderer.markdown(norfolk);

        assertThat(norfolk.contentHash()).matches("[0-9a-f]{64}");
        assertThat(markdown).endsWith("Policy norfolk-census-sharing, version 2026.1 (content hash " + norfolk.contentHash() + ").\n");
    }

    @Test
    void lancashireYouthSupportRestrictionKeepsTheParentsOwnNameAndAddress() {
        SharingPolicy lancashire = loader.load(POLICIES.resolve("lancashire.yaml"));

        String section = section(NoticeRenderer.markdown(lancashire), lancashire.recipient("youth-support").orElseThrow());

        assertThat(section)
                .contains("pupils aged 13 or over (age on census day)")
                .doesNotContain("secondary schools")
                .contains(CensusUnits.inPlainWords("address") + ", " + CensusUnits.inPlainWords("parents") + " be passed on.");
    }

    @Test
    void anOnRequestRecipientSaysNothingIsSentRoutinelyAndWhatARequestNeeds() {
        SharingPolicy barnet = loader.load(POLICIES.resolve("barnet.yaml"));

        String socialCare = section(NoticeRenderer.markdown(barnet), barnet.recipient("social-care").orElseThrow());
        String schools = section(NoticeRenderer.markdown(barnet), barnet.recipient("education-settings").orElseThrow());

        assertThat(socialCare)
                .contains("**Case by case:** nothing is sent routinely")
                .contains("Children Act 1989 s17 (children in need); Children Act 1989 s47 (enquiries about significant harm)")
                .contains("A second, different officer must approve the request before anything is sent")
                .contains("lapses")
                .contains("who asked and who approved");
        assertThat(schools).contains("nothing is sent routinely").doesNotContain("second, different officer");
        assertThat(NoticeRenderer.html(barnet)).contains("<dt>Case by case</dt>");
    }

    // --- time-boxed agreements -------------------------------------------------------------------

    @Test
    void theCabinetOfficePilotRendersItsWindowAndDestroyByDate() {
        SharingPolicy dfe = loader.load(POLICIES.resolve("dfe-onward-sharing.yaml"));
        RecipientRule pilot = dfe.recipient("cabinet-office-electoral-pilot").orElseThrow();

        String markdown = section(NoticeRenderer.markdown(dfe), pilot);
        String html = NoticeRenderer.html(dfe);

        assertThat(markdown)
                .contains("pupils aged 16 to 18 (age on the day the information is shared)")
                .contains("- **When:** only between 1 June 2011 and 30 November 2011")
                .contains("- **Kept until:** the recipient must destroy the information by 1 March 2012");
        assertThat(html)
                .contains("<dt>When</dt><dd>only between 1 June 2011 and 30 November 2011</dd>")
                .contains("<dt>Kept until</dt><dd>the recipient must destroy the information by 1 March 2012</dd>");
    }

    // --- HTML ----------------------------------------------------------------------------------

    @Test
    void htmlIsACompleteDocumentWithOneSectionPerRecipient() {
        String html = NoticeRenderer.html(norfolk);

        assertThat(html).startsWith("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head><meta charset=\"utf-8\"><title>")
                .contains("<title>Norfolk County Council: who we share pupil information with</title></head>\n<body>\n")
                .endsWith("</body>\n</html>\n");
        assertThat(count(html, "<section ")).isEqualTo(count(html, "</section>")).isEqualTo(norfolk.recipients().size());
        assertThat(count(html, "<dt>")).isEqualTo(count(html, "</dt>")).isEqualTo(count(html, "<dd>")).isEqualTo(count(html, "</dd>"));
        assertThat(count(html, "<dl>")).isEqualTo(count(html, "</dl>")).isEqualTo(norfolk.recipients().size());
        for (RecipientRule rule : norfolk.recipients()) {
            assertThat(html).contains("<section id=\"" + rule.id() + "\">\n<h2>" + rule.name().replace("'", "&#39;") + "</h2>\n");
        }
        assertThat(html).contains("content hash " + norfolk.contentHash());
    }

    @Test
    void htmlBodyIsWellFormedMarkup() {
        String html = NoticeRenderer.html(norfolk);

        assertThatCode(() -> parseXml(body(html))).doesNotThrowAnyException();
    }

    @Test
    void htmlEscapesMarkupAmpersandsAndQuotesFromThePolicy() {
        SharingPolicy hostile = loader.parse("hostile.yaml", """
                id: hostile
                version: "1"
                controller: Smith & Jones <Council>
                title: "Who gets \\"your\\" data <b>"
                recipients:
                  - id: dfe
                    name: A & B <i>
                    topic: recipient.dfe
                    purpose: "<script>alert('x')</script>&\\" steal"
                    legalBasis: "s537A <b>&</b>"
                    statutory: true
                    fields: [names]
                """.getBytes(StandardCharsets.UTF_8));

        String html = NoticeRenderer.html(hostile);

        assertThat(html)
                .contains("<title>Who gets &quot;your&quot; data &lt;b&gt;</title>")
                .contains("<h2>A &amp; B &lt;i&gt;</h2>")
                .contains("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot; steal</p>")
                .contains("<dd>s537A &lt;b&gt;&amp;&lt;/b&gt;</dd>")
                .contains("Smith &amp; Jones &lt;Council&gt; shares information")
                .doesNotContain("<script>", "<b>", "<i>", "Smith & Jones");
        assertThatCode(() -> parseXml(body(html))).doesNotThrowAnyException();
    }

    // --- gaps ------------------------------------------------------------------------------------

    @Test
    void middleSchoolsAreNamedOnce() {
        SharingPolicy dfe = loader.load(POLICIES.resolve("dfe-onward-sharing.yaml"));

        String section = section(NoticeRenderer.markdown(dfe), dfe.recipient("dh-ncmp").orElseThrow());

        assertThat(section).contains("at primary (including first and infant) or middle schools").doesNotContain("middle or middle");
    }

    @Test
    void nurseryAndOutOfYearGroupPupilsAreDescribedInPlainWords() {
        SharingPolicy nursery = loader.parse("nursery.yaml", """
                id: nursery
                version: "1"
                controller: Test County Council
                recipients:
                  - id: early-years
                    name: Early years team
                    topic: recipient.early-years
                    purpose: Planning early years places.
                    legalBasis: Childcare Act 2006 s6
                    cohort:
                      ncYears: [N1, N2, X]
                    fields: [names]
                    objections:
                      effect: withhold
                """.getBytes(StandardCharsets.UTF_8));

        assertThat(NoticeRenderer.markdown(nursery)).doesNotContain("Year N1", "Year N2", "Year X");
    }

    @Test
    void retentionIsRenderedInTheNotice() {
        SharingPolicy barnet = loader.load(POLICIES.resolve("barnet.yaml"));

        assertThat(NoticeRenderer.markdown(barnet)).contains("75 years").contains("10 years");
    }

    // --- helpers -------------------------------------------------------------------------------

    /** The Markdown section of one recipient: from its heading to the next heading or the footer. */
    private static String section(String markdown, RecipientRule rule) {
        int start = markdown.indexOf("\n## " + rule.name() + "\n");
        assertThat(start).as("heading of %s", rule.id()).isNotNegative();
        int next = markdown.indexOf("\n## ", start + 1);
        int end = next >= 0 ? next : markdown.indexOf("\nPolicy ", start);
        return markdown.substring(start, end);
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }

    /** {@code <body>...</body>}: everything the renderer writes that must nest properly (the head has HTML's void meta). */
    private static String body(String html) {
        return html.substring(html.indexOf("<body>"), html.indexOf("</body>") + "</body>".length());
    }

    private static Document parseXml(String markup) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(markup.getBytes(StandardCharsets.UTF_8)));
    }
}
