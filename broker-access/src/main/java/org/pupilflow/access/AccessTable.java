package org.pupilflow.access;

import java.util.List;

import org.pupilflow.schemas.topics.BrokerIdentity;

/**
 * The access rules as a table a Data Protection Officer can read: per principal, what it may do
 * on which topic or group, and why. Anything not listed is refused by the broker.
 */
public final class AccessTable {

    private AccessTable() {
    }

    public static String render(AccessPlan plan) {
        StringBuilder out = new StringBuilder();
        out.append("Broker access derived from policy '").append(plan.policyId())
                .append("' and the topic catalog. Everything not listed is refused.\n");
        int principalWidth = Math.max("principal".length(), plan.principals().stream().mapToInt(p -> p.principal().length()).max().orElse(0));
        int mayWidth = "may".length();
        int resourceWidth = "on".length();
        for (AccessRule rule : plan.rules()) {
            mayWidth = Math.max(mayWidth, may(rule).length());
            resourceWidth = Math.max(resourceWidth, on(rule).length());
        }
        String format = "%-" + principalWidth + "s  %-" + mayWidth + "s  %-" + resourceWidth + "s  %s%n";
        out.append('\n').append(String.format(format, "principal", "may", "on", "why"));
        out.append(String.format(format, "-".repeat(principalWidth), "-".repeat(mayWidth), "-".repeat(resourceWidth), "---"));
        for (BrokerIdentity identity : plan.principals()) {
            List<AccessRule> rules = plan.rulesOf(identity.principal());
            String name = identity.principal();
            for (AccessRule rule : rules) {
                out.append(String.format(format, name, may(rule), on(rule), rule.reason()));
                name = "";
            }
        }
        return out.toString();
    }

    private static String may(AccessRule rule) {
        return rule.operation().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String on(AccessRule rule) {
        String kind = switch (rule.resource()) {
            case TOPIC -> "topic";
            case GROUP -> "group";
            case TRANSACTIONAL_ID -> "transactional id";
            case CLUSTER -> "cluster";
        };
        return kind + " " + rule.name() + (rule.pattern() == AccessRule.Pattern.PREFIXED ? "*" : "");
    }
}
