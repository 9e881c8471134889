package org.pupilflow.access;

import java.util.Comparator;

/**
 * One thing one principal may do on the broker: an ALLOW ACL from any host. Nothing is allowed
 * that no rule names ({@code allow.everyone.if.no.acl.found=false}). The enum names are Kafka's
 * own ({@code ResourceType}, {@code PatternType}, {@code AclOperation}), so applying a rule is a
 * one-to-one mapping.
 *
 * @param principal  e.g. {@code User:recipient-youth-support}
 * @param resource   what kind of resource
 * @param name       the resource's name, or its prefix
 * @param pattern    whether {@code name} is the whole name or a prefix
 * @param operation  what is allowed
 * @param reason     why, in words a DPO can check against the catalog or the policy
 */
public record AccessRule(String principal, Resource resource, String name, Pattern pattern, Operation operation, String reason)
        implements Comparable<AccessRule> {

    /** Kafka resource types PupilFlow grants on. */
    public enum Resource { TOPIC, GROUP, TRANSACTIONAL_ID, CLUSTER }

    /** {@code LITERAL}: exactly this name; {@code PREFIXED}: every name starting with it. */
    public enum Pattern { LITERAL, PREFIXED }

    /** Kafka ACL operations PupilFlow grants (READ and WRITE imply DESCRIBE). */
    public enum Operation { READ, WRITE, DESCRIBE, ALL }

    /** The name of the cluster resource, as Kafka spells it. */
    public static final String CLUSTER_NAME = "kafka-cluster";

    private static final Comparator<AccessRule> ORDER = Comparator.comparing(AccessRule::principal).thenComparing(AccessRule::resource)
            .thenComparing(AccessRule::name).thenComparing(AccessRule::pattern).thenComparing(AccessRule::operation);

    /** The rule without its reason: what the broker stores. Two rules with the same grant are the same ACL. */
    public Grant grant() {
        return new Grant(principal, resource, name, pattern, operation);
    }

    /** An ACL as the broker stores it (allow, any host). */
    public record Grant(String principal, Resource resource, String name, Pattern pattern, Operation operation) implements Comparable<Grant> {
        private static final Comparator<Grant> ORDER = Comparator.comparing(Grant::principal).thenComparing(Grant::resource)
                .thenComparing(Grant::name).thenComparing(Grant::pattern).thenComparing(Grant::operation);

        @Override
        public int compareTo(Grant other) {
            return ORDER.compare(this, other);
        }

        @Override
        public String toString() {
            return principal + " " + operation + " " + resource + (pattern == Pattern.PREFIXED ? " prefixed " : " ") + name;
        }
    }

    @Override
    public int compareTo(AccessRule other) {
        return ORDER.compare(this, other);
    }
}
