package org.pupilflow.admin.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.pupilflow.access.AccessPlan;
import org.pupilflow.access.AccessRule;

/**
 * Makes the broker's ACLs equal to the plan for every PupilFlow principal: creates the missing
 * ones and deletes every other ACL of a PupilFlow principal (a recipient removed from the policy,
 * a right no longer derived). ACLs of principals PupilFlow does not manage are left alone, so the
 * command is safe on a shared cluster. Running it twice changes nothing the second time.
 */
public final class AclSync {

    /** What a run changed (or, for a dry run, would change). */
    public record Changes(SortedSet<String> created, SortedSet<String> deleted, int unchanged) {
        public boolean none() {
            return created.isEmpty() && deleted.isEmpty();
        }
    }

    private AclSync() {
    }

    public static Changes apply(Admin admin, AccessPlan plan, boolean dryRun) throws ExecutionException, InterruptedException {
        Set<AclBinding> desired = plan.grants().stream().map(AclSync::binding).collect(Collectors.toSet());
        Collection<AclBinding> existing = admin.describeAcls(AclBindingFilter.ANY).values().get();

        List<AclBinding> stale = new ArrayList<>();
        int unchanged = 0;
        Set<AclBinding> present = new java.util.HashSet<>();
        for (AclBinding binding : existing) {
            if (!AccessPlan.isManaged(binding.entry().principal())) {
                continue;
            }
            if (desired.contains(binding)) {
                present.add(binding);
                unchanged++;
            } else {
                stale.add(binding);
            }
        }
        List<AclBinding> missing = desired.stream().filter(binding -> !present.contains(binding)).toList();
        if (!dryRun) {
            if (!missing.isEmpty()) {
                admin.createAcls(missing).all().get();
            }
            if (!stale.isEmpty()) {
                admin.deleteAcls(stale.stream().map(AclBinding::toFilter).toList()).all().get();
            }
        }
        return new Changes(describe(missing), describe(stale), unchanged);
    }

    /** The Kafka ACL of a grant: ALLOW from any host. */
    public static AclBinding binding(AccessRule.Grant grant) {
        ResourceType type = ResourceType.valueOf(grant.resource().name());
        String name = grant.resource() == AccessRule.Resource.CLUSTER ? AccessRule.CLUSTER_NAME : grant.name();
        PatternType pattern = PatternType.valueOf(grant.pattern().name());
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(grant.principal(), "*", AclOperation.valueOf(grant.operation().name()), AclPermissionType.ALLOW));
    }

    private static SortedSet<String> describe(Collection<AclBinding> bindings) {
        return bindings.stream().map(AclSync::describe).collect(Collectors.toCollection(TreeSet::new));
    }

    static String describe(AclBinding binding) {
        ResourcePattern pattern = binding.pattern();
        AccessControlEntry entry = binding.entry();
        return entry.principal() + " " + entry.permissionType() + " " + entry.operation() + " " + pattern.resourceType()
                + (pattern.patternType() == PatternType.PREFIXED ? " prefixed " : " ") + pattern.name()
                + ("*".equals(entry.host()) ? "" : " from " + entry.host());
    }
}
