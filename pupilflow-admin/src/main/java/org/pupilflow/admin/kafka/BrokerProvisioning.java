package org.pupilflow.admin.kafka;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.pupilflow.access.AccessPlan;

/**
 * Everything a broker without Strimzi needs for one policy, in order: topics, SCRAM users (with
 * credential files), then ACLs. Used by the local run and by {@code pupilflow-admin}'s commands.
 */
public final class BrokerProvisioning {

    /** What one provisioning changed. */
    public record Report(TopicSync.Changes topics, ScramUsers.Changes users, AclSync.Changes acls) {
    }

    private BrokerProvisioning() {
    }

    /**
     * @param adminClientConfig a super-user's (or an ACL administrator's) client settings
     */
    public static Report provision(Map<String, Object> adminClientConfig, AccessPlan plan, TopicSync.Defaults defaults, Path credentialsDir)
            throws ExecutionException, InterruptedException, IOException {
        try (Admin admin = Admin.create(adminClientConfig)) {
            TopicSync.Changes topics = TopicSync.apply(admin, plan, defaults, false);
            ScramUsers.Changes users = ScramUsers.apply(admin, adminClientConfig, plan, credentialsDir);
            AclSync.Changes acls = AclSync.apply(admin, plan, false);
            return new Report(topics, users, acls);
        }
    }
}
