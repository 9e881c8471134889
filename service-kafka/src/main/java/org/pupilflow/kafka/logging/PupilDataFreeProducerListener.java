package org.pupilflow.kafka.logging;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.ProducerListener;

/**
 * Logs a failed send by topic and cause only: record keys are UPNs and values are pupil records,
 * so neither is ever logged (Spring Kafka's default listener logs both, at ERROR, for every record
 * that fails). Records failed because their transaction was aborted on purpose — a census return
 * refused in strict mode — are not logged at all: the abort is the outcome, not an error.
 */
public final class PupilDataFreeProducerListener<K, V> implements ProducerListener<K, V> {

    private static final Logger log = LoggerFactory.getLogger(PupilDataFreeProducerListener.class);

    @Override
    public void onError(ProducerRecord<K, V> record, RecordMetadata metadata, Exception exception) {
        if (causedBy(exception, TransactionAbortedException.class)) {
            return;
        }
        log.error("Sending a record to {} failed: {}", record.topic(), exception.getClass().getName());
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
