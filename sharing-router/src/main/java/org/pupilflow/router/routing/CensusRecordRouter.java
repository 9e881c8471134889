package org.pupilflow.router.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.identifiers.IdentifierCheck;
import org.pupilflow.identifiers.UpnValidator;
import org.pupilflow.policy.decide.Decision;
import org.pupilflow.policy.decide.Evaluation;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.router.RouterProperties;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.pupilflow.schemas.kafka.DeadLetters;

/**
 * For each census record: look up the pupil's objections, apply the policy, and forward each
 * decision's recipient record and its audit event. Everything forwarded for one input record
 * goes out in the same Kafka Streams transaction (exactly_once_v2), so a recipient never sees a
 * record whose audit event is not also committed. Records the router cannot decide on go to the
 * dead-letter topic, with the reason in headers, in that same transaction.
 */
final class CensusRecordRouter implements Processor<String, byte[], String, Outbound> {

    private final SharingEngine engine;
    private final RouterProperties.Topics topics;
    private final RouterMetrics metrics;
    private final UpnValidator upns;
    private final ObjectionFreshness freshness;
    private final Duration freshnessTimeout;
    private final AvroSingleObjectDeserializer<CensusPupil> census = new AvroSingleObjectDeserializer<>(CensusPupil.class);
    private ProcessorContext<String, Outbound> context;
    private ReadOnlyKeyValueStore<String, byte[]> objections;

    CensusRecordRouter(SharingEngine engine, RouterProperties.Topics topics, RouterMetrics metrics, UpnValidator upns,
                       ObjectionFreshness freshness, Duration freshnessTimeout) {
        this.engine = engine;
        this.topics = topics;
        this.metrics = metrics;
        this.upns = upns;
        this.freshness = freshness;
        this.freshnessTimeout = freshnessTimeout;
    }

    @Override
    public void init(ProcessorContext<String, Outbound> context) {
        this.context = context;
        this.objections = context.getStateStore(ObjectionStore.NAME);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        long started = System.nanoTime();
        if (record.value() == null || record.value().length == 0) {
            deadLetter(record, DeadLetterReason.EMPTY, "the record has no value");
            return;
        }
        CensusPupil pupil;
        try {
            pupil = census.deserialize(topics.census(), record.value());
        } catch (SerializationException e) {
            deadLetter(record, DeadLetterReason.UNDECODABLE, e.getMessage());
            return;
        }
        String upn = pupil.getIdentity().getUpn();
        if (!upn.equals(record.key())) {
            deadLetter(record, DeadLetterReason.KEY_MISMATCH, "record key '" + record.key() + "' is not the pupil's UPN '" + upn + "'");
            return;
        }
        IdentifierCheck check = upns.check(upn);
        if (!check.valid()) {
            deadLetter(record, DeadLetterReason.INVALID_UPN, check.message());
            return;
        }
        long now = System.currentTimeMillis();
        // An objection acked before this record was published must be in the store; a record from
        // a clock ahead of ours cannot require an observation from the future.
        long waited = freshness.awaitObjectionsPublishedBefore(Math.min(record.timestamp(), now), freshnessTimeout);
        if (waited > 0) {
            metrics.waitedForObjections(waited);
        }
        if (waited < 0) {
            metrics.objectionsNotFresh();
            throw new ObjectionsNotFreshException("Objections published before census record " + upn + " are not yet loaded after "
                    + freshnessTimeout + "; no decision is safe, so the transaction is aborted and the record retried");
        }
        List<Objection> pupilObjections;
        try {
            pupilObjections = ObjectionStore.objectionsOf(objections, upn, topics.objections());
        } catch (SerializationException e) {
            deadLetter(record, DeadLetterReason.UNREADABLE_OBJECTION,
                    "an objection recorded for this pupil cannot be read, so no decision is safe: " + e.getMessage());
            return;
        }

        now = System.currentTimeMillis();
        Evaluation evaluation = engine.evaluate(pupil, pupilObjections, Instant.ofEpochMilli(now));
        for (Decision decision : evaluation.decisions()) {
            if (decision.sendsRecord()) {
                context.forward(new Record<>(decision.recordKey(), new Outbound(decision.recipient().topic(), decision.disclosure()), record.timestamp()));
            }
            context.forward(new Record<>(upn, new Outbound(topics.audit(), decision.event()), record.timestamp()));
        }
        metrics.routed(evaluation, started, record.timestamp(), now);
    }

    private void deadLetter(Record<String, byte[]> record, DeadLetterReason reason, String detail) {
        String source = context.recordMetadata().map(metadata -> DeadLetters.source(metadata.topic(), metadata.partition(), metadata.offset()))
                .orElse(null);
        Headers headers = DeadLetters.headers(record.headers(), reason.name(), detail, source);
        context.forward(new Record<>(record.key(), new Outbound(topics.deadLetters(), record.value()), record.timestamp(), headers));
        metrics.deadLettered(reason);
    }
}
