package org.pupilflow.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The router's state values are written by hand as exactly the JSON Jackson writes for them, and read back equal. */
class StateJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void holdingsAreWrittenAsJacksonWritesThemAndReadBackEqual() {
        List<Holding> holdings = new ArrayList<>(List.of(Holding.NOTHING,
                Holding.NOTHING.sent("d-1", "2027-02-01", "ab".repeat(32), List.of("identity", "names"), "DISCLOSED", "R-1", "J935123420731", null),
                Holding.NOTHING.sent("d-1", null, "f", List.of(), "RESTRICTED", "R-1", "key", "2080-08-31").sent("d-2", "", "g", List.of("address"),
                        "DISCLOSED", "R-2", "key", null),
                Holding.NOTHING.sent("d-1", "2027-02-01", "f", List.of("x"), "DISCLOSED", "R-1", "k", null).deleted()));
        Map<String, String> awkward = new LinkedHashMap<>();
        awkward.put("quote\" backslash\\ slash/ tab\t newline\n return\r bell\u0007 nul\u0000 unit\u001f", "é ü \u2028 \uD83D\uDE00 <>&'");
        holdings.add(new Holding(awkward, "id \"1\"", "\b\f", List.of("a\"b", "c\\d", "\u0001"), "OUT", "R-\u00e9", "k\n", "2030-01-01"));
        for (Holding holding : holdings) {
            byte[] written = StateJson.of(holding);
            assertThat(new String(written, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(new String(JSON.writeValueAsBytes(holding),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertThat(JSON.readValue(written, Holding.class)).isEqualTo(holding);
        }
    }

    @Test
    void deadlinesAreWrittenAsJacksonWritesThemAndReadBackEqual() {
        for (CensusRecordRouter.Deadline deadline : List.of(new CensusRecordRouter.Deadline("J935123420731", "R-1", "2080-08-31"),
                new CensusRecordRouter.Deadline("k\"\\\u0002", null, null))) {
            assertThat(StateJson.of(deadline)).isEqualTo(JSON.writeValueAsBytes(deadline));
            assertThat(JSON.readValue(StateJson.of(deadline), CensusRecordRouter.Deadline.class)).isEqualTo(deadline);
        }
    }
}
