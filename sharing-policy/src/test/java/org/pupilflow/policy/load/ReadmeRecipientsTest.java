package org.pupilflow.policy.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;

/**
 * The root README's list of every recipient the seed notices name covers every rule of every policy in
 * {@code policies/} (as {@code `<file>#<recipient id>`}), and names no rule that does not exist.
 */
class ReadmeRecipientsTest {

    private static final Pattern RULE_REFERENCE = Pattern.compile("`([a-z0-9-]+\\.yaml)#([a-z0-9-]+)`");

    private static String recipientsList() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("<!-- recipients: start -->");
        int end = readme.indexOf("<!-- recipients: end -->");
        assertThat(start).as("the README's recipients list markers").isPositive();
        assertThat(end).isGreaterThan(start);
        return readme.substring(start, end);
    }

    @Test
    void everyShippedRuleIsInTheReadmesListOfRecipients() throws IOException {
        String list = recipientsList();
        List<String> missing = new ArrayList<>();
        for (Path file : ShippedPoliciesTest.shippedPolicies()) {
            for (RecipientRule rule : new PolicyLoader().load(file).recipients()) {
                String reference = "`" + file.getFileName() + "#" + rule.id() + "`";
                if (!list.contains(reference)) {
                    missing.add(reference + " (" + rule.name() + ")");
                }
            }
        }

        assertThat(missing).as("rules missing from README.md's 'Every recipient the notices name'").isEmpty();
    }

    @Test
    void everyRuleTheReadmeNamesExists() throws IOException {
        Matcher references = RULE_REFERENCE.matcher(recipientsList());
        List<String> unknown = new ArrayList<>();
        int count = 0;
        while (references.find()) {
            count++;
            Path file = ShippedPoliciesTest.POLICIES.resolve(references.group(1));
            SharingPolicy policy = Files.exists(file) ? new PolicyLoader().load(file) : null;
            if (policy == null || policy.recipient(references.group(2)).isEmpty()) {
                unknown.add(references.group());
            }
        }

        assertThat(count).isPositive();
        assertThat(unknown).as("README names rules no shipped policy has").isEmpty();
    }
}
