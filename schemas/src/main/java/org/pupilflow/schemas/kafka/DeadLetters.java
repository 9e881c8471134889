package org.pupilflow.schemas.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter convention of every PupilFlow service: a record that cannot be handled goes,
 * unchanged (key, value and its own headers), to {@code <source topic>.dead-letters} with three
 * headers added: the reason (a code, the {@code reason} tag of the service's dead-letter metric),
 * the detail in words, and where it came from as {@code <topic>-<partition>@<offset>}.
 */
public final class DeadLetters {

    /** Header with the reason code (e.g. {@code UNDECODABLE}). */
    public static final String REASON_HEADER = "pupilflow.dead-letter.reason";
    /** Header with the reason in words. */
    public static final String DETAIL_HEADER = "pupilflow.dead-letter.detail";
    /** Header with the source record's {@code <topic>-<partition>@<offset>}. */
    public static final String SOURCE_HEADER = "pupilflow.dead-letter.source";

    private DeadLetters() {
    }

    /** Where a record came from, as the source header spells it. */
    public static String source(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }

    /** The source record's headers (if any) plus the three dead-letter headers. */
    public static Headers headers(Iterable<Header> original, String reason, String detail, String source) {
        RecordHeaders headers = new RecordHeaders();
        if (original != null) {
            original.forEach(headers::add);
        }
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(DETAIL_HEADER, String.valueOf(detail).getBytes(StandardCharsets.UTF_8));
        if (source != null) {
            headers.add(SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    public static Optional<String> reason(Headers headers) {
        return text(headers, REASON_HEADER);
    }

    public static Optional<String> detail(Headers headers) {
        return text(headers, DETAIL_HEADER);
    }

    public static Optional<String> source(Headers headers) {
        return text(headers, SOURCE_HEADER);
    }

    private static Optional<String> text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
}
