package org.pupilflow.router.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.identifiers.IdentifierCheck;
import org.pupilflow.identifiers.UpnValidator;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.decide.Decision;
import org.pupilflow.policy.decide.Evaluation;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.router.RouterProperties;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.pupilflow.schemas.kafka.DeadLetters;
import org.pupilflow.schemas.kafka.RecipientRecords;
import org.pupilflow.schemas.topics.ObjectionKey;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureRequest;
import org.pupilflow.sharing.PupilDisclosure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * For each census record: look up the pupil's objections, apply the policy, and forward each decision's recipient
 * record and its audit event. Everything forwarded for one input record goes out in the same Kafka Streams
 * transaction (exactly_once_v2), so a recipient never sees a record whose audit event is not also committed. Records
 * the router cannot decide on go to the dead-letter topic, with the reason in headers, in that same transaction.
 *
 * <p>The router remembers what each recipient holds ({@link Holding}, in changelogged stores that commit with the
 * same transactions), so that
 * <ul>
 * <li>a record identical to the one a recipient already holds is not sent again: the decision is audited UNCHANGED;</li>
 * <li>an objection that arrives after a pupil was shared reaches the recipient: a {@code DeletionRequest} (withhold), or a
 *     restricted replacement and a request to delete the earlier record (restrict); a statutory recipient is unaffected
 *     and the audit says so. Objections are followed up in a punctuation ({@link ObjectionArrivals});</li>
 * <li>when a disclosure's delete-by date passes, the recipient gets one {@code DeletionDue} notice, from a store indexed
 *     by date so the wall-clock punctuation never scans every pupil.</li>
 * </ul>
 * A withdrawn objection does not re-disclose by itself: the pupil's next census record does.
 */
final class CensusRecordRouter implements Processor<String, byte[], String, Outbound> {

    private static final Logger log = LoggerFactory.getLogger(CensusRecordRouter.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Follow-ups per punctuation, so one punctuation's transaction stays small. */
    private static final int FOLLOW_UPS_PER_PUNCTUATION = 500;

    private final SharingEngine engine;
    private final RouterProperties.Topics topics;
    private final RouterMetrics metrics;
    private final UpnValidator upns;
    private final ObjectionFreshness freshness;
    private final Duration freshnessTimeout;
    private final Rights rights;
    private final Map<String, RecipientRule> rules = new HashMap<>();
    private final AvroSingleObjectDeserializer<CensusPupil> census = new AvroSingleObjectDeserializer<>(CensusPupil.class);
    private final AvroSingleObjectDeserializer<Objection> objectionValues = new AvroSingleObjectDeserializer<>(Objection.class);
    private final AvroSingleObjectDeserializer<DisclosureRequest> requests = new AvroSingleObjectDeserializer<>(DisclosureRequest.class);
    private ProcessorContext<String, Outbound> context;
    private ReadOnlyKeyValueStore<String, byte[]> objections;
    private KeyValueStore<String, byte[]> held;
    private KeyValueStore<String, byte[]> latest;
    private KeyValueStore<String, byte[]> deadlines;
    private KeyValueStore<String, byte[]> followed;
    private int partition = -1;

    /**
     * The router's follow-ups of what recipients hold.
     *
     * @param arrivals        objections applied by the global store, handed to the owning task
     * @param censusPartitions the census topic's partition count (asked once, when the first task starts)
     * @param requestPartitions the requested pupils topic's partition count, which must be the census topic's (asked when a task starts)
     * @param objectionCheck  how often a task follows up objections that arrived
     * @param deadlineCheck   how often a task looks for passed delete-by dates
     * @param clock           the wall clock of decisions and delete-by dates (tests move it)
     */
    record Rights(ObjectionArrivals arrivals, java.util.function.IntSupplier censusPartitions, java.util.function.IntSupplier requestPartitions,
                  Duration objectionCheck, Duration deadlineCheck, Clock clock) {
    }

    CensusRecordRouter(SharingEngine engine, RouterProperties.Topics topics, RouterMetrics metrics, UpnValidator upns,
                       ObjectionFreshness freshness, Duration freshnessTimeout, Rights rights) {
        this.engine = engine;
        this.topics = topics;
        this.metrics = metrics;
        this.upns = upns;
        this.freshness = freshness;
        this.freshnessTimeout = freshnessTimeout;
        this.rights = rights;
        engine.policy().recipients().forEach(rule -> rules.put(rule.id(), rule));
    }

    @Override
    public void init(ProcessorContext<String, Outbound> context) {
        this.context = context;
        this.objections = context.getStateStore(ObjectionStore.NAME);
        this.held = context.getStateStore(RightsStores.HELD);
        this.latest = context.getStateStore(RightsStores.LATEST_CENSUS);
        this.deadlines = context.getStateStore(RightsStores.DELETE_BY);
        this.followed = context.getStateStore(RightsStores.FOLLOWED);
        this.partition = context.taskId().partition();
        ObjectionArrivals arrivals = rights.arrivals();
        if (arrivals.censusPartitions() <= 0) {
            arrivals.censusPartitions(rights.censusPartitions().getAsInt());
        }
        int requestPartitions = rights.requestPartitions().getAsInt();
        if (requestPartitions != arrivals.censusPartitions()) {
            throw new TopicsNotCoPartitionedException("Topic " + topics.requestedPupils() + " has " + requestPartitions + " partitions and "
                    + topics.census() + " has " + arrivals.censusPartitions() + ": a case-by-case request about a pupil must be decided by the task "
                    + "that holds the pupil's census record, so both topics need the same partition count");
        }
        arrivals.own(partition);
        // Objections that arrived while this partition was elsewhere, or before a crash, and were never followed up.
        try (KeyValueIterator<String, byte[]> all = objections.all()) {
            while (all.hasNext()) {
                String key = all.next().key;
                ObjectionKey.parse(key).filter(k -> arrivals.partitionOf(k.upn()) == partition && followed.get(followedKey(k)) == null)
                        .ifPresent(k -> arrivals.enqueue(partition, key));
            }
        }
        context.schedule(rights.objectionCheck(), PunctuationType.WALL_CLOCK_TIME, at -> followUpObjections());
        context.schedule(rights.deadlineCheck(), PunctuationType.WALL_CLOCK_TIME, at -> noticeDeadlines());
    }

    @Override
    public void close() {
        if (partition >= 0) {
            rights.arrivals().release(partition);
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (context.recordMetadata().map(metadata -> metadata.topic().equals(topics.requestedPupils())).orElse(false)) {
            processRequest(record);
            return;
        }
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
        List<Objection> pupilObjections = freshObjections(record, upn, topics.deadLetters());
        if (pupilObjections == null) {
            return;
        }

        long now = rights.clock().millis();
        Instant decidedAt = Instant.ofEpochMilli(now);
        Evaluation evaluation = engine.evaluate(pupil, pupilObjections, decidedAt);
        for (Decision decision : evaluation.decisions()) {
            RecipientRule rule = decision.recipient();
            Holding holding = holding(upn, rule);
            if (decision.sendsRecord()) {
                String fingerprint = RecordFingerprint.of(decision.disclosure());
                if (holding.holdsRecord() && fingerprint.equals(holding.fingerprint())) {
                    audit(upn, engine.unchanged(decision, holding.latestId(), holding.returnId()), record.timestamp());
                } else {
                    Holding previous = holding;
                    holding = send(upn, decision, holding, fingerprint, record.timestamp());
                    if (previous.holdsRecord() && !decision.disclosure().getDisclosedFields().containsAll(previous.fields())) {
                        // The new record says less than the one the recipient holds: it must delete the earlier ones.
                        holding = requestDeletion(upn, rule, holding, decision.disclosure().getDisclosureId(),
                                "narrower record " + decision.disclosure().getDisclosureId() + " replaces it: " + decision.event().getReason(),
                                decision.event().getObjectionIds(), decidedAt, record.timestamp());
                    }
                    putHolding(upn, rule, holding);
                }
            } else {
                audit(upn, decision.event(), record.timestamp());
                if (holding.holdsRecord()) {
                    putHolding(upn, rule, requestDeletion(upn, rule, holding, null, decision.event().getReason(), decision.event().getObjectionIds(),
                            decidedAt, record.timestamp()));
                }
            }
            // Every objection this decision considered is dealt with: no separate follow-up needed.
            for (String objectionId : decision.event().getObjectionIds()) {
                followed.put(followedKey(new ObjectionKey(upn, objectionId)), FOLLOWED_MARK);
            }
        }
        latest.put(upn, record.value());
        metrics.routed(evaluation, started, record.timestamp(), now);
    }

    /**
     * The pupil's objections, once every objection published before the record is loaded (the freshness barrier), or
     * null when one cannot be read (the record is dead-lettered).
     */
    private List<Objection> freshObjections(Record<String, byte[]> record, String upn, String deadLetterTopic) {
        // An objection acked before this record was published must be in the store; a record from
        // a clock ahead of ours cannot require an observation from the future.
        long waited = freshness.awaitObjectionsPublishedBefore(Math.min(record.timestamp(), System.currentTimeMillis()), freshnessTimeout);
        if (waited > 0) {
            metrics.waitedForObjections(waited);
        }
        if (waited < 0) {
            metrics.objectionsNotFresh();
            throw new ObjectionsNotFreshException("Objections published before a record are not yet loaded after "
                    + freshnessTimeout + "; no decision is safe, so the transaction is aborted and the record retried");
        }
        try {
            return ObjectionStore.objectionsOf(objections, upn, topics.objections());
        } catch (SerializationException e) {
            deadLetter(record, DeadLetterReason.UNREADABLE_OBJECTION,
                    "an objection recorded for this pupil cannot be read, so no decision is safe: " + e.getMessage(), deadLetterTopic);
            return null;
        }
    }

    /**
     * One named pupil of an approved case-by-case request: decided by the engine on the pupil's latest census record,
     * with the pupil's objections, sent to the recipient's topic with its audit event in this record's transaction (or
     * audited WITHHELD with the reason). What the recipient now holds is remembered like any disclosure, so a later
     * objection or its delete-by date reaches it.
     */
    private void processRequest(Record<String, byte[]> record) {
        String deadLetters = topics.requestDeadLetters();
        if (record.value() == null || record.value().length == 0) {
            deadLetter(record, DeadLetterReason.EMPTY, "the record has no value", deadLetters);
            return;
        }
        DisclosureRequest request;
        try {
            request = requests.deserialize(topics.requestedPupils(), record.value());
        } catch (SerializationException e) {
            deadLetter(record, DeadLetterReason.UNDECODABLE, e.getMessage(), deadLetters);
            return;
        }
        String upn = request.getUpn();
        if (!upn.equals(record.key())) {
            deadLetter(record, DeadLetterReason.KEY_MISMATCH, "record key '" + record.key() + "' is not the requested pupil's UPN '" + upn + "'", deadLetters);
            return;
        }
        IdentifierCheck check = upns.check(upn);
        if (!check.valid()) {
            deadLetter(record, DeadLetterReason.INVALID_UPN, check.message(), deadLetters);
            return;
        }
        java.util.Optional<String> unroutable = engine.unroutableRequest(request);
        if (unroutable.isPresent()) {
            deadLetter(record, DeadLetterReason.NOT_ON_REQUEST, unroutable.get(), deadLetters);
            return;
        }
        List<Objection> pupilObjections = freshObjections(record, upn, deadLetters);
        if (pupilObjections == null) {
            return;
        }
        byte[] censusRecord = latest.get(upn);
        CensusPupil pupil = censusRecord == null ? null : census.deserialize(topics.census(), censusRecord);
        Instant decidedAt = rights.clock().instant();
        Decision decision = engine.decideOnRequest(request, pupil, pupilObjections, decidedAt);
        RecipientRule rule = decision.recipient();
        if (decision.sendsRecord()) {
            // Every request is its own disclosure for its own case: sent even if the recipient holds the same record.
            Holding holding = send(upn, decision, holding(upn, rule), RecordFingerprint.of(decision.disclosure()), record.timestamp());
            putHolding(upn, rule, holding);
        } else {
            audit(upn, decision.event(), record.timestamp());
        }
        for (String objectionId : decision.event().getObjectionIds()) {
            followed.put(followedKey(new ObjectionKey(upn, objectionId)), FOLLOWED_MARK);
        }
    }

    /** Sends the decision's record and its audit event; the recipient now holds it. */
    private Holding send(String upn, Decision decision, Holding holding, String fingerprint, long timestamp) {
        PupilDisclosure disclosure = decision.disclosure();
        forward(decision.recordKey(), decision.recipient().topic(), disclosure, RecipientRecords.Kind.DISCLOSURE, timestamp);
        audit(upn, decision.event(), timestamp);
        String deleteBy = disclosure.getDeleteBy() == null ? null : disclosure.getDeleteBy().toString();
        if (deleteBy != null) {
            deadlines.put(deadlineKey(deleteBy, upn, decision.recipient().id(), disclosure.getDisclosureId()),
                    json(new Deadline(decision.recordKey(), disclosure.getReturnId(), date(decision.event().getRetainUntil()))));
        }
        return holding.sent(disclosure.getDisclosureId(), deleteBy, fingerprint, disclosure.getDisclosedFields(), decision.outcome().name(),
                disclosure.getReturnId(), decision.recordKey(), date(decision.event().getRetainUntil()));
    }

    /**
     * Asks the recipient to delete every disclosure it holds about the pupil except {@code keep} (a replacement just
     * sent), and audits the request in the same transaction.
     */
    private Holding requestDeletion(String upn, RecipientRule rule, Holding holding, String keep, String reason, List<String> objectionIds,
                                    Instant at, long timestamp) {
        List<String> ids = holding.outstanding().keySet().stream().filter(id -> !id.equals(keep)).toList();
        if (ids.isEmpty()) {
            return holding;
        }
        LocalDate retainUntil = holding.retainUntil() == null ? null : LocalDate.parse(holding.retainUntil());
        String recordKey = holding.recordKey();
        SharingEngine.DeletionRequested requested = engine.deletionRequest(rule, upn, recordKey, holding.returnId(), ids, reason, objectionIds, keep,
                retainUntil, at);
        forward(recordKey, rule.topic(), requested.request(), RecipientRecords.Kind.DELETION_REQUEST, timestamp);
        audit(upn, requested.event(), timestamp);
        for (String id : ids) {
            String deleteBy = holding.outstanding().get(id);
            if (deleteBy != null && !deleteBy.isEmpty()) {
                deadlines.delete(deadlineKey(deleteBy, upn, rule.id(), id));
            }
        }
        if (keep == null) {
            return holding.deleted();
        }
        Map<String, String> kept = new java.util.LinkedHashMap<>();
        kept.put(keep, holding.outstanding().getOrDefault(keep, ""));
        return new Holding(kept, holding.latestId(), holding.fingerprint(), holding.fields(), holding.outcome(), holding.returnId(), holding.recordKey(),
                holding.retainUntil());
    }

    /** Follows up objections that arrived since the last punctuation. */
    private void followUpObjections() {
        for (String key : rights.arrivals().take(partition, FOLLOW_UPS_PER_PUNCTUATION)) {
            ObjectionKey.parse(key).ifPresent(objectionKey -> followUp(key, objectionKey));
        }
    }

    private void followUp(String storeKey, ObjectionKey key) {
        String followedKey = followedKey(key);
        if (followed.get(followedKey) != null) {
            return;
        }
        followed.put(followedKey, FOLLOWED_MARK);
        byte[] value = objections.get(storeKey);
        if (value == null) {
            return;
        }
        Objection objection;
        try {
            objection = objectionValues.deserialize(topics.objections(), value);
        } catch (SerializationException e) {
            // The census path dead-letters this pupil's records until it is fixed; nothing can be revoked safely here.
            log.error("Objection {} cannot be read, so what recipients hold is not revoked for it: {}", key.objectionId(), e.getMessage());
            return;
        }
        if (objection.getWithdrawn()) {
            return;   // a withdrawal never re-discloses by itself: the pupil's next census record does
        }
        String upn = key.upn();
        Instant now = rights.clock().instant();
        long timestamp = now.toEpochMilli();
        List<RecipientRule> inScope = engine.policy().recipients().stream().filter(rule -> rule.coveredByObjectionScope(objection.getScope())).toList();
        byte[] censusRecord = latest.get(upn);
        if (censusRecord == null) {
            for (RecipientRule rule : inScope) {
                audit(upn, engine.objectionChangesNothing(rule, upn, objection, null, null, null, now), timestamp);
            }
            return;
        }
        CensusPupil pupil = census.deserialize(topics.census(), censusRecord);
        List<Objection> all = new ArrayList<>(ObjectionStore.objectionsOf(objections, upn, topics.objections()));
        Map<String, Decision> decisions = new HashMap<>();
        engine.evaluate(pupil, all, now).decisions().forEach(decision -> decisions.put(decision.recipient().id(), decision));
        for (RecipientRule rule : inScope) {
            Decision decision = decisions.get(rule.id());
            Holding holding = holding(upn, rule);
            if (decision == null && rule.deliveredOnRequest() && holding.holdsRecord()) {
                // What a case-by-case recipient holds follows the pupil's rights like any disclosure.
                decision = engine.reconsiderOnRequest(rule, pupil, all, now);
            }
            if (!holding.holdsRecord() || decision == null) {
                // Attributed to the return of what the recipient holds, if anything: a return's audit counts stay its decisions.
                audit(upn, engine.objectionChangesNothing(rule, upn, objection, decision, holding.latestId(),
                        holding.holdsRecord() ? holding.returnId() : null, now), timestamp);
            } else if (!decision.sendsRecord()) {
                putHolding(upn, rule, requestDeletion(upn, rule, holding, null, decision.event().getReason(), List.of(objection.getObjectionId()), now, timestamp));
            } else if (!decision.disclosure().getDisclosedFields().containsAll(holding.fields())) {
                Holding replaced = send(upn, decision, holding, RecordFingerprint.of(decision.disclosure()), timestamp);
                putHolding(upn, rule, requestDeletion(upn, rule, replaced, decision.disclosure().getDisclosureId(),
                        decision.event().getReason() + "; replaced by restricted record " + decision.disclosure().getDisclosureId(),
                        List.of(objection.getObjectionId()), now, timestamp));
            } else {
                audit(upn, engine.objectionChangesNothing(rule, upn, objection, decision, holding.latestId(), holding.returnId(), now), timestamp);
            }
        }
    }

    /** Tells recipients about disclosures whose delete-by date has passed (before today), once each. */
    private void noticeDeadlines() {
        Instant now = rights.clock().instant();
        String today = LocalDate.ofInstant(now, SharingEngine.DECISION_ZONE).toString();
        List<KeyValue<String, byte[]>> due = new ArrayList<>();
        // Keys start with the date: everything before "today" has passed.
        try (KeyValueIterator<String, byte[]> passed = deadlines.range("0", today)) {
            while (passed.hasNext() && due.size() < FOLLOW_UPS_PER_PUNCTUATION) {
                KeyValue<String, byte[]> entry = passed.next();
                if (entry.key.compareTo(today) < 0) {
                    due.add(entry);
                }
            }
        }
        for (KeyValue<String, byte[]> entry : due) {
            String[] parts = entry.key.split("\\|", 4);
            String deleteBy = parts[0];
            String upn = parts[1];
            RecipientRule rule = rules.get(parts[2]);
            String disclosureId = parts[3];
            deadlines.delete(entry.key);
            if (rule == null) {
                log.warn("Disclosure {} passed its delete-by date {} but recipient {} is no longer in the policy: no notice sent", disclosureId, deleteBy, parts[2]);
                continue;
            }
            Deadline deadline = read(entry.value, Deadline.class);
            SharingEngine.DeletionNoticed noticed = engine.deletionDue(rule, upn, deadline.recordKey(), deadline.returnId(), disclosureId,
                    LocalDate.parse(deleteBy), deadline.retainUntil() == null ? null : LocalDate.parse(deadline.retainUntil()), now);
            forward(deadline.recordKey(), rule.topic(), noticed.notice(), RecipientRecords.Kind.DELETION_DUE, now.toEpochMilli());
            audit(upn, noticed.event(), now.toEpochMilli());
            Holding holding = holding(upn, rule).due(disclosureId);
            putHolding(upn, rule, holding);
        }
    }

    private void forward(String key, String topic, Object value, RecipientRecords.Kind kind, long timestamp) {
        context.forward(new Record<>(key, new Outbound(topic, value), timestamp, RecipientRecords.mark(new RecordHeaders(), kind)));
    }

    private void audit(String upn, DisclosureEvent event, long timestamp) {
        context.forward(new Record<>(upn, new Outbound(topics.audit(), event), timestamp));
        metrics.audited(event.getRecipientId(), event.getOutcome());
    }

    private Holding holding(String upn, RecipientRule rule) {
        byte[] stored = held.get(upn + '|' + rule.id());
        return stored == null ? Holding.NOTHING : read(stored, Holding.class);
    }

    private void putHolding(String upn, RecipientRule rule, Holding holding) {
        if (holding.isEmpty() && holding.returnId() == null) {
            held.delete(upn + '|' + rule.id());
        } else {
            held.put(upn + '|' + rule.id(), json(holding));
        }
    }

    /** What a delete-by entry needs to notify the recipient: the record's key, its return, the audit retention date. */
    record Deadline(String recordKey, String returnId, String retainUntil) {
    }

    private static final byte[] FOLLOWED_MARK = {1};

    private static String followedKey(ObjectionKey key) {
        return key.upn() + '|' + key.objectionId();
    }

    private static String deadlineKey(String deleteBy, String upn, String recipientId, String disclosureId) {
        return deleteBy + '|' + upn + '|' + recipientId + '|' + disclosureId;
    }

    private static String date(LocalDate date) {
        return date == null ? null : date.toString();
    }

    /** Writers and readers per type, built once: the same JSON as the mapper's, without its per-call look-ups. */
    private static final ClassValue<ObjectWriter> WRITERS = new ClassValue<>() {
        @Override
        protected ObjectWriter computeValue(Class<?> type) {
            return JSON.writerFor(type);
        }
    };
    private static final ClassValue<ObjectReader> READERS = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return JSON.readerFor(type);
        }
    };

    static byte[] json(Object value) {
        return WRITERS.get(value.getClass()).writeValueAsBytes(value);
    }

    static <T> T read(byte[] bytes, Class<T> type) {
        return READERS.get(type).readValue(bytes);
    }

    private void deadLetter(Record<String, byte[]> record, DeadLetterReason reason, String detail) {
        deadLetter(record, reason, detail, topics.deadLetters());
    }

    private void deadLetter(Record<String, byte[]> record, DeadLetterReason reason, String detail, String deadLetterTopic) {
        String source = context.recordMetadata().map(metadata -> DeadLetters.source(metadata.topic(), metadata.partition(), metadata.offset()))
                .orElse(null);
        Headers headers = DeadLetters.headers(record.headers(), reason.name(), detail, source);
        context.forward(new Record<>(record.key(), new Outbound(deadLetterTopic, record.value()), record.timestamp(), headers));
        metrics.deadLettered(reason);
    }
}
