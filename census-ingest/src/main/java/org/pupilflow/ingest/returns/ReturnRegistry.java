package org.pupilflow.ingest.returns;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import tools.jackson.databind.json.JsonMapper;

/**
 * Which returns exist and which content has been published, kept in the compacted returns topic
 * (so it survives restarts and is shared by every ingest instance) and mirrored in memory.
 * Keys: {@code return:<returnId>} → the report; {@code content:<sha256>} → the id of the return
 * that published that content.
 */
public final class ReturnRegistry {

    static final String RETURN_KEY = "return:";
    static final String CONTENT_KEY = "content:";

    private final JsonMapper json;
    private final Map<String, ReturnReport> reports = new ConcurrentHashMap<>();
    private final Map<String, String> publishedContent = new ConcurrentHashMap<>();
    /** Content hashes being published right now, so two concurrent uploads of one file cannot both publish. */
    private final Map<String, String> inFlight = new ConcurrentHashMap<>();

    public ReturnRegistry(JsonMapper json) {
        this.json = json;
    }

    /** Applies one record of the returns topic (from the mirror, or after our own commit). */
    public void apply(ConsumerRecord<String, byte[]> record) {
        apply(record.key(), record.value());
    }

    void apply(String key, byte[] value) {
        if (key == null || value == null) {
            return;
        }
        if (key.startsWith(RETURN_KEY)) {
            ReturnReport report = json.readValue(value, ReturnReport.class);
            reports.put(report.returnId(), report);
        } else if (key.startsWith(CONTENT_KEY)) {
            publishedContent.put(key.substring(CONTENT_KEY.length()), new String(value, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    public Optional<ReturnReport> find(String returnId) {
        return Optional.ofNullable(reports.get(returnId));
    }

    /** The return that published this content, if any. */
    public Optional<String> publishedReturnFor(String contentHash) {
        return Optional.ofNullable(publishedContent.get(contentHash));
    }

    /** The return that already published (or is publishing) this content, if any; otherwise reserves it for {@code returnId}. */
    public Optional<String> reserveContent(String contentHash, String returnId) {
        String published = publishedContent.get(contentHash);
        if (published != null) {
            return Optional.of(published);
        }
        return Optional.ofNullable(inFlight.putIfAbsent(contentHash, returnId));
    }

    public void release(String contentHash, String returnId) {
        inFlight.remove(contentHash, returnId);
    }

    byte[] encode(ReturnReport report) {
        return json.writeValueAsBytes(report);
    }
}
