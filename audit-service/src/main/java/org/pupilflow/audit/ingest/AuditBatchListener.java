package org.pupilflow.audit.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.pupilflow.audit.chain.ChainPosition;
import org.pupilflow.audit.store.AppendResult;
import org.pupilflow.audit.store.Incoming;
import org.pupilflow.audit.store.LedgerTable;
import org.pupilflow.audit.store.LedgerWriter;
import org.pupilflow.schemas.kafka.DeadLetters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchMessageListener;

/**
 * Persists one poll's records of one source topic. The records are decoded, appended to their
 * partitions' chains in one database transaction, and only then does the method return, after which
 * the container commits the offsets (ack mode BATCH). If the database refuses the batch the exception
 * propagates: the error handler pauses the consumer and delivers the same batch again after a back-off,
 * indefinitely, so nothing is skipped. Records that cannot be decoded or stored are sent to the
 * dead-letter topic after the batch commits, and logged as errors: they are not in the audit trail.
 */
final class AuditBatchListener<T, R> implements BatchMessageListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(AuditBatchListener.class);

    private final LedgerTable<R> table;
    private final Function<byte[], T> decoder;
    private final Function<T, R> mapping;
    private final LedgerWriter writer;
    private final KafkaTemplate<String, byte[]> deadLetters;
    private final String deadLetterTopic;
    private final IngestMetrics metrics;

    AuditBatchListener(LedgerTable<R> table, Function<byte[], T> decoder, Function<T, R> mapping, LedgerWriter writer,
                       KafkaTemplate<String, byte[]> deadLetters, String deadLetterTopic, IngestMetrics metrics) {
        this.table = table;
        this.decoder = decoder;
        this.mapping = mapping;
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.deadLetterTopic = deadLetterTopic;
        this.metrics = metrics;
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, byte[]>> records) {
        List<Incoming<R>> events = new ArrayList<>(records.size());
        List<Rejected> rejected = new ArrayList<>(0);
        for (ConsumerRecord<String, byte[]> record : records) {
            R content;
            try {
                if (record.value() == null) {
                    rejected.add(new Rejected(record, UNDECODABLE, "the record has no value"));
                    continue;
                }
                content = mapping.apply(decoder.apply(record.value()));
            } catch (RuntimeException e) {
                rejected.add(new Rejected(record, UNDECODABLE, e.getMessage()));
                continue;
            }
            String unstorable = EventMapping.unstorable(content);
            if (unstorable != null) {
                rejected.add(new Rejected(record, UNSTORABLE, unstorable));
                continue;
            }
            events.add(new Incoming<>(ChainPosition.chainId(record.topic(), record.partition()), record.offset(), content));
        }

        Timer.Sample sample = Timer.start();
        AppendResult result;
        try {
            result = writer.append(table, events);
        } catch (RuntimeException e) {
            metrics.batchFailed(table.ledger());
            log.warn("Could not persist a batch of {} {} events ({}); consumption is paused and the same batch will be retried",
                    events.size(), table.table(), e.getMessage());
            throw e;
        }
        sample.stop(metrics.batchTimer(table.ledger()));
        metrics.persisted(table.ledger(), result.appended());
        metrics.duplicates(table.ledger(), result.duplicates());

        for (Rejected r : rejected) {
            sendToDeadLetters(r);
        }
    }

    private void sendToDeadLetters(Rejected rejected) {
        ConsumerRecord<String, byte[]> record = rejected.record();
        String source = DeadLetters.source(record.topic(), record.partition(), record.offset());
        log.error("NOT AUDITED: {} record {} ({}: {}) sent to {}; it is not in the audit trail and needs investigation",
                table.table(), source, rejected.reason(), rejected.detail(), deadLetterTopic);
        ProducerRecord<String, byte[]> letter = new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(),
                DeadLetters.headers(record.headers(), rejected.reason(), rejected.detail(), source));
        try {
            deadLetters.send(letter).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering " + source, e);
        } catch (ExecutionException | TimeoutException e) {
            // Rethrown: the batch is retried (its events are already stored and are skipped as duplicates).
            throw new IllegalStateException("could not dead-letter " + source + " to " + deadLetterTopic + ": " + e.getMessage(), e);
        }
        metrics.deadLettered(table.ledger(), rejected.reason());
    }

    /** Dead-letter reasons: the value is not an event of the contract; the database refused the event itself. */
    static final String UNDECODABLE = "undecodable";
    static final String UNSTORABLE = "unstorable";

    private record Rejected(ConsumerRecord<String, byte[]> record, String reason, String detail) {
    }
}
