package org.pupilflow.adapters.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.pupilflow.adapters.AdaptersProperties;
import org.pupilflow.adapters.filedrop.DropResult;
import org.pupilflow.adapters.filedrop.DropTarget;
import org.pupilflow.adapters.filedrop.FileDrop;
import org.pupilflow.adapters.filedrop.LocalDirectoryTarget;
import org.pupilflow.adapters.filedrop.SftpSettings;
import org.pupilflow.adapters.filedrop.SftpTarget;
import org.pupilflow.adapters.webhook.RetrySchedule;
import org.pupilflow.schemas.kafka.RecipientRecords;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * File-drop delivery: records are gathered per census return (and policy version) into one CSV file
 * and its manifest, written when the batch is full, when the next disclosure belongs to another return,
 * or {@code maxWait} after its first record arrived. Deletion requests and deletion-due notices join the
 * batch they arrive in and go to its second CSV, listed in the same manifest. The batch is the head of
 * the queue, so its offsets are a prefix. A failed upload (server down, refused, connection lost) leaves no file under its final name
 * and is retried with backoff; past the recipient's limits its records are FAILED and dead-lettered.
 */
public final class FileDropChannel implements DeliveryChannel {

    private final String recipientId;
    private final FileDrop drop;
    private final int maxRecords;
    private final Duration maxWait;
    private final RetrySchedule schedule;
    private final DeliveryMetrics metrics;
    private final Clock clock;

    public FileDropChannel(String recipientId, List<String> recipientFields, AdaptersProperties.FileDrop settings, AdaptersProperties.Retry retry,
                           DeliveryMetrics metrics, Clock clock) {
        this(recipientId, new FileDrop(target(settings), recipientId, recipientFields, clock), settings.maxRecords(), settings.maxWait(), retry.schedule(),
                metrics, clock);
    }

    FileDropChannel(String recipientId, FileDrop drop, int maxRecords, Duration maxWait, RetrySchedule schedule, DeliveryMetrics metrics, Clock clock) {
        this.recipientId = recipientId;
        this.drop = drop;
        this.maxRecords = maxRecords;
        this.maxWait = maxWait;
        this.schedule = schedule;
        this.metrics = metrics;
        this.clock = clock;
    }

    private static DropTarget target(AdaptersProperties.FileDrop settings) {
        if (settings.directory() != null) {
            return new LocalDirectoryTarget(settings.directory());
        }
        AdaptersProperties.Sftp sftp = settings.sftp();
        return new SftpTarget(new SftpSettings(sftp.host(), sftp.port(), sftp.username(), sftp.password(), sftp.privateKey(), sftp.hostKey(),
                sftp.remoteDirectory(), null, null));
    }

    @Override
    public String name() {
        return "file-drop";
    }

    @Override
    public List<Outcome> work(Deque<Pending> queue, Instant now) {
        Batch batch = headBatch(queue);
        if (batch.records.isEmpty() || !batch.ready(now) || !batch.records.get(0).due(now)) {
            return List.of();
        }
        Pending first = batch.records.get(0);
        int attempts = first.attempted();
        List<SpecificRecord> records = batch.records.stream().map(Pending::record).toList();
        try {
            // The name is fixed by the first record, so a retried upload replaces the same file.
            DropResult result = drop.dropRecords("p" + first.partition() + "-" + first.offset(), records);
            List<Outcome> delivered = new ArrayList<>();
            for (int i = 0; i < batch.records.size(); i++) {
                Pending record = queue.pollFirst();
                // Each receipt names the file its record is in, with that file's hash.
                boolean deletion = record.kind() != RecipientRecords.Kind.DISCLOSURE;
                delivered.add(Outcome.delivered(record, "file " + (deletion ? result.deletionsFile() : result.csvFile()) + " sha256 "
                        + (deletion ? result.deletionsSha256() : result.sha256()) + " via " + drop.describe()));
            }
            carryAttempts(delivered, attempts);
            return delivered;
        } catch (IOException | UncheckedIOException e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            Instant at = clock.instant();
            if (schedule.giveUp(attempts, first.disclosedAt(), at)) {
                List<Outcome> failed = new ArrayList<>();
                for (int i = 0; i < batch.records.size(); i++) {
                    failed.add(Outcome.failed(queue.pollFirst(), "gave up after " + attempts + " attempts to drop the file: " + reason));
                }
                carryAttempts(failed, attempts);
                return failed;
            }
            metrics.retried(recipientId, name());
            first.retryAt(at.plus(schedule.nextDelay(attempts)));
            return List.of();
        }
    }

    private static void carryAttempts(List<Outcome> outcomes, int attempts) {
        outcomes.forEach(outcome -> outcome.record().attemptedWithBatch(attempts));
    }

    @Override
    public Optional<Instant> wakeUp(Deque<Pending> queue) {
        Batch batch = headBatch(queue);
        if (batch.records.isEmpty()) {
            return Optional.empty();
        }
        Instant due = batch.records.get(0).fetchedAt().plus(maxWait);
        Instant retry = batch.records.get(0).nextAttemptAt();
        return Optional.of(batch.closed ? (retry.isBefore(Instant.EPOCH) ? Instant.EPOCH : retry) : retry.isAfter(due) ? retry : due);
    }

    @Override
    public boolean saturated(Deque<Pending> queue) {
        return queue.size() >= maxRecords;
    }

    @Override
    public void close() {
    }

    /**
     * The longest head of the queue whose disclosures are of one return and one policy version, at most
     * {@code maxRecords}. Deletion requests and notices belong to no return, so they join whatever batch they
     * are next to (they go to its deletions file).
     */
    private Batch headBatch(Deque<Pending> queue) {
        List<Pending> records = new ArrayList<>();
        PupilDisclosure firstDisclosure = null;
        Iterator<Pending> iterator = queue.iterator();
        boolean closed = false;
        while (iterator.hasNext()) {
            Pending next = iterator.next();
            if (!next.decodable() || (firstDisclosure != null && next.disclosure() != null && !sameFile(firstDisclosure, next.disclosure()))) {
                closed = true;
                break;
            }
            if (firstDisclosure == null) {
                firstDisclosure = next.disclosure();
            }
            records.add(next);
            if (records.size() == maxRecords) {
                closed = true;
                break;
            }
        }
        return new Batch(records, closed);
    }

    private static boolean sameFile(PupilDisclosure a, PupilDisclosure b) {
        return Objects.equals(a.getReturnId(), b.getReturnId()) && Objects.equals(a.getPolicyContentHash(), b.getPolicyContentHash());
    }

    /** A batch is ready when nothing more can join it, or its first record has waited {@code maxWait}. */
    private final class Batch {
        private final List<Pending> records;
        private final boolean closed;

        Batch(List<Pending> records, boolean closed) {
            this.records = records;
            this.closed = closed;
        }

        boolean ready(Instant now) {
            return closed || !records.get(0).fetchedAt().plus(maxWait).isAfter(now);
        }
    }
}
