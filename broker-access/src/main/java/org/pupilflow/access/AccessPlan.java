package org.pupilflow.access;

import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.pupilflow.schemas.topics.BrokerIdentity;
import org.pupilflow.schemas.topics.Service;
import org.pupilflow.schemas.topics.TopicSpec;

/**
 * Everything the broker must hold for one deployment of one policy: the topics, the principals
 * (one per service, one per recipient that reads Kafka) and every rule of what each may do.
 *
 * @param policyId   the policy it was derived from
 * @param principals every PupilFlow principal, services first
 * @param topics     every topic: the catalog's, then one per recipient
 * @param rules      the access rules, in a stable order
 */
public record AccessPlan(String policyId, List<BrokerIdentity> principals, List<TopicSpec> topics, SortedSet<AccessRule> rules) {

    public AccessPlan {
        principals = List.copyOf(principals);
        topics = List.copyOf(topics);
        rules = new TreeSet<>(rules);
    }

    /** The ACLs the broker must hold: one per distinct grant. */
    public SortedSet<AccessRule.Grant> grants() {
        return rules.stream().map(AccessRule::grant).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The rules of one principal ({@code User:<name>}). */
    public List<AccessRule> rulesOf(String principal) {
        return rules.stream().filter(rule -> rule.principal().equals(principal)).toList();
    }

    public Set<String> principalNames() {
        return principals.stream().map(BrokerIdentity::principal).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    private static final Set<String> SERVICE_PRINCIPALS = java.util.Arrays.stream(Service.values())
            .map(service -> BrokerIdentity.of(service).principal()).collect(Collectors.toUnmodifiableSet());

    /**
     * Whether a principal is one PupilFlow manages: a service's, or any recipient's (also one that is
     * no longer in the policy, whose ACLs and user must then be removed).
     */
    public static boolean isManaged(String principal) {
        return SERVICE_PRINCIPALS.contains(principal) || principal.startsWith("User:" + BrokerIdentity.RECIPIENT_USER_PREFIX);
    }
}
