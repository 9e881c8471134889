package org.pupilflow.policy.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.notice.NoticeRenderer;

/** The example policies in {@code policies/} load, and every rule in them is traceable to a seed notice. */
class ShippedPoliciesTest {

    /** Surefire runs in the sharing-policy module directory. */
    static final Path POLICIES = Path.of("..", "policies");

    private final PolicyLoader loader = new PolicyLoader();

    static List<Path> shippedPolicies() throws IOException {
        try (Stream<Path> files = Files.list(POLICIES)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void atLeastTheFourExamplePoliciesShip() throws IOException {
        assertThat(shippedPolicies()).extracting(f -> f.getFileName().toString())
                .contains("norfolk.yaml", "lancashire.yaml", "barnet.yaml", "dfe-onward-sharing.yaml")
                .hasSizeGreaterThanOrEqualTo(4);
    }

    @ParameterizedTest
    @MethodSource("shippedPolicies")
    void loadsWithoutErrorsAndHasRecipientsWithALegalBasis(Path file) {
        SharingPolicy policy = loader.load(file);

        assertThat(policy.recipients()).isNotEmpty();
        assertThat(policy.contentHash()).matches("[0-9a-f]{64}");
        for (RecipientRule rule : policy.recipients()) {
            assertThat(rule.legalBasis()).as("legal basis of %s in %s", rule.id(), file).isNotBlank();
        }
    }

    @ParameterizedTest
    @MethodSource("shippedPolicies")
    void contentHashIsTheSha256OfTheFileBytes(Path file) throws IOException, NoSuchAlgorithmException {
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));

        assertThat(loader.load(file).contentHash()).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("shippedPolicies")
    void eachRecipientReadsTheTopicNamedAfterIt(Path file) {
        for (RecipientRule rule : loader.load(file).recipients()) {
            assertThat(rule.topic()).as("topic of %s in %s", rule.id(), file).isEqualTo("recipient." + rule.id());
        }
    }

    @ParameterizedTest
    @MethodSource("shippedPolicies")
    void everyRuleIsPrecededByACommentNamingTheSeedNoticeItImplements(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> rulesWithoutSource = new ArrayList<>();
        int ruleCount = 0;
        boolean inRecipients = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (isTopLevelKey(line)) {
                inRecipients = line.startsWith("recipients:");
                continue;
            }
            if (inRecipients && line.strip().startsWith("- id:")) {
                ruleCount++;
                String comment = commentBlockAbove(lines, i);
                if (!comment.contains("seeds/")) {
                    rulesWithoutSource.add("line " + (i + 1) + " (" + line.strip() + "): comment above is '" + comment + "'");
                }
            }
        }
        assertThat(ruleCount).as("rules found in %s", file).isEqualTo(loader.load(file).recipients().size());
        assertThat(rulesWithoutSource).as("rules in %s whose comment does not name a seeds/ file", file).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("shippedPolicies")
    void theRunningPolicyRendersItsNotice(Path file) {
        SharingPolicy policy = loader.load(file);

        String markdown = NoticeRenderer.markdown(policy);
        String html = NoticeRenderer.html(policy);

        for (RecipientRule rule : policy.recipients()) {
            assertThat(markdown).contains("## " + rule.name());
            assertThat(html).contains("<section id=\"" + rule.id() + "\">");
        }
    }

    private static boolean isTopLevelKey(String line) {
        return !line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && line.charAt(0) != '#' && line.charAt(0) != '-';
    }

    /** The contiguous comment lines directly above {@code index}, joined; empty if there are none. */
    private static String commentBlockAbove(List<String> lines, int index) {
        List<String> block = new ArrayList<>();
        for (int i = index - 1; i >= 0 && lines.get(i).strip().startsWith("#"); i--) {
            block.add(0, lines.get(i).strip());
        }
        return String.join(" ", block);
    }
}
