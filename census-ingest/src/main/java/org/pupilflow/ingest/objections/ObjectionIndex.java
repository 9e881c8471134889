package org.pupilflow.ingest.objections;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.pupilflow.census.Objection;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.pupilflow.schemas.topics.ObjectionKey;

/**
 * Every objection, mirrored from the compacted objections topic (the topic is the record of
 * truth; this is a read model for the API and dry runs). Objections are few — one per objecting
 * family and recipient — so they fit in memory.
 */
public final class ObjectionIndex {

    private final AvroSingleObjectDeserializer<Objection> values = new AvroSingleObjectDeserializer<>(Objection.class);
    private final Map<String, Objection> byId = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Objection>> byUpn = new ConcurrentHashMap<>();

    public void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            ObjectionKey.parse(record.key()).ifPresent(key -> remove(key.upn(), key.objectionId()));
            return;
        }
        put(values.deserialize(record.topic(), record.value()));
    }

    public void put(Objection objection) {
        byId.put(objection.getObjectionId(), objection);
        byUpn.computeIfAbsent(objection.getUpn(), upn -> new ConcurrentHashMap<>()).put(objection.getObjectionId(), objection);
    }

    private void remove(String upn, String objectionId) {
        byId.remove(objectionId);
        Map<String, Objection> own = byUpn.get(upn);
        if (own != null) {
            own.remove(objectionId);
        }
    }

    public Optional<Objection> find(String objectionId) {
        return Optional.ofNullable(byId.get(objectionId));
    }

    /** The pupil's objections, withdrawn ones included, oldest first. */
    public List<Objection> forUpn(String upn) {
        Map<String, Objection> own = byUpn.get(upn);
        return own == null ? List.of() : own.values().stream()
                .sorted(Comparator.comparing(Objection::getReceivedDate).thenComparing(Objection::getObjectionId)).toList();
    }
}
