package org.pupilflow.ingest.requests;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import tools.jackson.databind.json.JsonMapper;

/**
 * Every case-by-case request's latest state, mirrored from the compacted {@code disclosure.requests} topic (so a pending
 * request survives a restart) and updated after each of our own commits.
 */
public final class DisclosureRequestRegistry {

    private final JsonMapper json;
    private final Map<String, DisclosureRequestState> requests = new ConcurrentHashMap<>();

    public DisclosureRequestRegistry(JsonMapper json) {
        this.json = json;
    }

    /** Applies one record of the requests topic (from the mirror). */
    public void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            requests.remove(record.key());
        } else {
            put(json.readValue(record.value(), DisclosureRequestState.class));
        }
    }

    void put(DisclosureRequestState state) {
        requests.put(state.requestId(), state);
    }

    public Optional<DisclosureRequestState> find(String requestId) {
        return Optional.ofNullable(requests.get(requestId));
    }

    /** Requests waiting for a second approval, oldest first. */
    public List<DisclosureRequestState> pending() {
        return requests.values().stream().filter(r -> r.status() == RequestStatus.PENDING_APPROVAL)
                .sorted(Comparator.comparing(DisclosureRequestState::requestedAt)).toList();
    }
}
