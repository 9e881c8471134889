package org.pupilflow.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void aDeadLetterKeepsTheSourceHeadersAndNamesReasonDetailAndSource() {
        RecordHeaders original = new RecordHeaders();
        original.add("traceparent", "00-abc".getBytes(StandardCharsets.UTF_8));

        Headers headers = DeadLetters.headers(original, "UNDECODABLE", "not Avro", DeadLetters.source("census.pupil-records", 3, 42));

        assertThat(headers.lastHeader("traceparent")).isNotNull();
        assertThat(DeadLetters.reason(headers)).contains("UNDECODABLE");
        assertThat(DeadLetters.detail(headers)).contains("not Avro");
        assertThat(DeadLetters.source(headers)).contains("census.pupil-records-3@42");
    }

    @Test
    void aMissingDetailIsWrittenAsNullTextAndAMissingSourceIsLeftOut() {
        Headers headers = DeadLetters.headers(null, "EMPTY", null, null);

        assertThat(DeadLetters.detail(headers)).contains("null");
        assertThat(DeadLetters.source(headers)).isEmpty();
    }
}
