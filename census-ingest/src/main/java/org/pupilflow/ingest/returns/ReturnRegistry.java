package org.pupilflow.ingest.returns;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import tools.jackson.databind.json.JsonMapper;

/**
 * Which returns exist and which content has been published, kept in the compacted returns topic
 * (so it survives restarts and is shared by every ingest instance) and mirrored in memory.
 * Keys: {@code return:<returnId>} → the report; {@code content:<sha256>} → the id of the return
 * that published that content; {@code school:<censusDay>/<LA><establishment>} → the id of the latest
 * return published for that school and census day (the one a new return for it must name in
 * {@code replaces}).
 */
public final class ReturnRegistry {

    static final String RETURN_KEY = "return:";
    static final String CONTENT_KEY = "content:";
    static final String SCHOOL_KEY = "school:";

    private final JsonMapper json;
    private final Map<String, ReturnReport> reports = new ConcurrentHashMap<>();
    private final Map<String, String> publishedContent = new ConcurrentHashMap<>();
    /** Content hashes being published right now, so two concurrent uploads of one file cannot both publish. */
    private final Map<String, String> inFlight = new ConcurrentHashMap<>();
    /** School and census day → the latest published return for it. */
    private final Map<String, String> currentBySchool = new ConcurrentHashMap<>();
    /** School and census day → the return being published for it right now. */
    private final Map<String, String> schoolsInFlight = new HashMap<>();

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
        } else if (key.startsWith(SCHOOL_KEY)) {
            currentBySchool.put(key.substring(SCHOOL_KEY.length()), new String(value, java.nio.charset.StandardCharsets.UTF_8));
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

    /** The key of a school on a census day: {@code 2026-01-15/9262001}. */
    public static String schoolKey(java.time.LocalDate censusDay, String laNumber, String establishmentNumber) {
        return censusDay + "/" + laNumber + establishmentNumber;
    }

    /** For each school key that has one, the latest published return (or one being published now by another upload). */
    public synchronized Map<String, String> currentReturns(Collection<String> schoolKeys, String except) {
        Map<String, String> current = new TreeMap<>();
        for (String key : schoolKeys) {
            String inFlightReturn = schoolsInFlight.get(key);
            if (inFlightReturn != null && !inFlightReturn.equals(except)) {
                current.put(key, inFlightReturn);
            } else if (currentBySchool.containsKey(key)) {
                current.put(key, currentBySchool.get(key));
            }
        }
        return current;
    }

    /**
     * Reserves the schools for {@code returnId} while it is published, unless another upload is publishing one of them:
     * then nothing is reserved and the schools it holds are returned.
     */
    public synchronized Map<String, String> reserveSchools(Collection<String> schoolKeys, String returnId) {
        Map<String, String> taken = new TreeMap<>();
        for (String key : schoolKeys) {
            String holder = schoolsInFlight.get(key);
            if (holder != null && !holder.equals(returnId)) {
                taken.put(key, holder);
            }
        }
        if (taken.isEmpty()) {
            schoolKeys.forEach(key -> schoolsInFlight.put(key, returnId));
        }
        return taken;
    }

    public synchronized void releaseSchools(Collection<String> schoolKeys, String returnId) {
        schoolKeys.forEach(key -> schoolsInFlight.remove(key, returnId));
    }

    byte[] encode(ReturnReport report) {
        return json.writeValueAsBytes(report);
    }
}
