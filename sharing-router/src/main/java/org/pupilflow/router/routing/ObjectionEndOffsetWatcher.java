package org.pupilflow.router.routing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.pupilflow.kafka.login.BrokerLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Observes the objections topic's end offsets every {@code interval}, for {@link ObjectionFreshness}.
 * Runs before the streams start (lower lifecycle phase) and stops after them.
 */
final class ObjectionEndOffsetWatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ObjectionEndOffsetWatcher.class);

    /** How often a watcher the broker refused tries again. */
    private static final Duration REFUSED_RETRY = Duration.ofSeconds(30);

    private final Map<String, Object> clientConfig;
    private final Admin admin;
    private final String topic;
    private final ObjectionFreshness freshness;
    private final Duration interval;
    private volatile Thread thread;

    ObjectionEndOffsetWatcher(Map<String, Object> clientConfig, String topic, ObjectionFreshness freshness, Duration interval) {
        this.clientConfig = clientConfig;
        this.admin = Admin.create(clientConfig);
        this.topic = topic;
        this.freshness = freshness;
        this.interval = interval;
    }

    @Override
    public void start() {
        Thread watcher = new Thread(this::watch, "objection-end-offsets");
        watcher.setDaemon(true);
        thread = watcher;
        watcher.start();
    }

    private void watch() {
        List<TopicPartition> partitions = List.of();
        boolean refused = false;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (partitions.isEmpty()) {
                    TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
                    partitions = description.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                }
                long observedAt = System.currentTimeMillis();
                Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                partitions.forEach(partition -> request.put(partition, OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin
                        .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(10, TimeUnit.SECONDS);
                Map<Integer, Long> endOffsets = new HashMap<>();
                ends.forEach((partition, info) -> endOffsets.put(partition.partition(), info.offset()));
                freshness.observed(observedAt, endOffsets);
                refused = false;
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                partitions = List.of();
                long pause = Math.max(interval.toMillis(), 500);
                if (BrokerLogin.isRefusal(e)) {
                    // Credentials or ACLs need an operator: say it once, then check again now and then.
                    if (!refused) {
                        log.error("{}; census records wait for objections until it can read {}", BrokerLogin.describeRefusal(e, clientConfig), topic);
                    }
                    refused = true;
                    pause = REFUSED_RETRY.toMillis();
                } else {
                    log.warn("Cannot read end offsets of {} ({}); census records wait for objections until it can", topic, e.toString());
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public void stop() {
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
        thread = null;
        admin.close(Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    @Override
    public int getPhase() {
        // Before the StreamsBuilderFactoryBean (phase Integer.MAX_VALUE - 1000) starts.
        return Integer.MAX_VALUE - 2000;
    }
}
