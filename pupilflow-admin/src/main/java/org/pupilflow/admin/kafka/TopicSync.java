package org.pupilflow.admin.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.pupilflow.access.AccessPlan;
import org.pupilflow.schemas.topics.TopicSpec;

/**
 * Creates the plan's topics that do not exist yet, with the catalog's cleanup policy. On a
 * secured cluster the services have no right to create topics, so this (or Strimzi's
 * {@code KafkaTopic} resources) is how they come to exist. Existing topics are never changed;
 * one whose cleanup policy differs from the catalog's is reported.
 *
 * @see Defaults the deployment's partition count and replication
 */
public final class TopicSync {

    /**
     * @param partitions        partitions of a topic that does not need its own count (default 6)
     * @param replicationFactor replicas of every topic (1 on a single broker; 3 in production)
     * @param minInsyncReplicas {@code min.insync.replicas} of every topic, or 0 to keep the broker's default (2 in production)
     */
    public record Defaults(int partitions, short replicationFactor, int minInsyncReplicas) {
        public static final Defaults SINGLE_BROKER = new Defaults(6, (short) 1, 0);
    }

    /** What a run created, and topics whose cleanup policy is not the catalog's. */
    public record Changes(List<String> created, List<String> mismatched) {
    }

    private TopicSync() {
    }

    public static Changes apply(Admin admin, AccessPlan plan, Defaults defaults, boolean dryRun) throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        List<TopicSpec> present = new ArrayList<>();
        for (TopicSpec topic : plan.topics()) {
            if (existing.contains(topic.name())) {
                present.add(topic);
                continue;
            }
            Map<String, String> configs = new java.util.LinkedHashMap<>();
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, topic.cleanup().config());
            if (defaults.minInsyncReplicas() > 0) {
                configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(defaults.minInsyncReplicas()));
            }
            missing.add(new NewTopic(topic.name(), topic.partitionsOr(defaults.partitions()), defaults.replicationFactor()).configs(configs));
        }
        if (!present.isEmpty()) {
            List<ConfigResource> resources = present.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
            for (TopicSpec topic : present) {
                Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
                String cleanup = config == null || config.get(TopicConfig.CLEANUP_POLICY_CONFIG) == null ? null
                        : config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
                if (cleanup != null && !cleanup.equals(topic.cleanup().config())) {
                    mismatched.add(topic.name() + " has cleanup.policy=" + cleanup + ", the catalog says " + topic.cleanup().config());
                }
            }
        }
        if (!dryRun && !missing.isEmpty()) {
            admin.createTopics(missing).all().get();
        }
        return new Changes(missing.stream().map(NewTopic::name).toList(), mismatched);
    }
}
