package org.pupilflow.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The CSV text COPY reads: NULL versus empty text, quoting, arrays, timestamps and bytea exactly as PostgreSQL parses them. */
class CopyRowsTest {

    @Test
    void writesEachKindOfValueAsCopyCsvReadsIt() {
        CopyRows rows = new CopyRows();
        rows.text("a \"quoted\", comma\nnewline \\ backslash").text("").text(null).number(-42).bool(true).bool(false).endRow();
        rows.textArray(List.of("x", "with \"quote\" and \\", "", "a,b")).textArray(List.of()).textArray(null).endRow();
        rows.timestamp(Instant.parse("2026-01-05T03:04:05.000007Z")).timestamp(Instant.parse("0999-12-31T23:59:59Z"))
                .timestamp(Instant.parse("2026-11-28T10:00:00.123Z")).timestamp(null).endRow();
        rows.date(LocalDate.of(2040, 8, 31)).date(null).bytes(new byte[] {0, 15, (byte) 0xAB, -1}).bytes(null).endRow();

        assertThat(Arrays.asList(new String(rows.toBytes(), StandardCharsets.UTF_8).split("\n", -1))).containsExactly(
                "\"a \"\"quoted\"\", comma", "newline \\ backslash\",\"\",,-42,t,f",
                "\"{\"\"x\"\",\"\"with \\\"\"quote\\\"\" and \\\\\"\",\"\"\"\",\"\"a,b\"\"}\",\"{}\",",
                "2026-01-05T03:04:05.000007Z,0999-12-31T23:59:59.000000Z,2026-11-28T10:00:00.123000Z,",
                "2040-08-31,,\\x000fabff,",
                "");
        assertThat(rows.rows()).isEqualTo(4);
    }
}
