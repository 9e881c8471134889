package org.pupilflow.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The router's state values (holdings, delete-by entries) go through Jackson writers and readers built once per type:
 * they come back equal, awkward characters included, and what an earlier release stored is still read.
 */
class StateJsonTest {

    @Test
    void holdingsComeBackEqualAwkwardCharactersIncluded() {
        List<Holding> holdings = new ArrayList<>(List.of(Holding.NOTHING,
                Holding.NOTHING.sent("d-1", "2027-02-01", "ab".repeat(32), List.of("identity", "names"), "DISCLOSED", "R-1", "J935123420731", null),
                Holding.NOTHING.sent("d-1", null, "f", List.of(), "RESTRICTED", "R-1", "key", "2080-08-31").sent("d-2", "", "g", List.of("address"),
                        "DISCLOSED", "R-2", "key", null),
                Holding.NOTHING.sent("d-1", "2027-02-01", "f", List.of("x"), "DISCLOSED", "R-1", "k", null).deleted()));
        Map<String, String> awkward = new LinkedHashMap<>();
        awkward.put("quote\" backslash\\ slash/ tab\t newline\n return\r bell\u0007 nul\u0000 unit\u001f", "é ü \u2028 \uD83D\uDE00 <>&'");
        holdings.add(new Holding(awkward, "id \"1\"", "\b\f", List.of("a\"b", "c\\d", "\u0001"), "OUT", "R-\u00e9", "k\n", "2030-01-01"));
        for (Holding holding : holdings) {
            assertThat(CensusRecordRouter.read(CensusRecordRouter.json(holding), Holding.class)).isEqualTo(holding);
        }
    }

    @Test
    void deadlinesComeBackEqual() {
        for (CensusRecordRouter.Deadline deadline : List.of(new CensusRecordRouter.Deadline("J935123420731", "R-1", "2080-08-31"),
                new CensusRecordRouter.Deadline("k\"\\\u0002", null, null))) {
            assertThat(CensusRecordRouter.read(CensusRecordRouter.json(deadline), CensusRecordRouter.Deadline.class)).isEqualTo(deadline);
        }
    }

    /** A router upgraded in place reads the state stores its predecessor filled: the stored JSON's shape is unchanged. */
    @Test
    void stateWrittenByAnEarlierReleaseIsReadAndWrittenTheSame() {
        String holding = "{\"outstanding\":{\"d-1\":\"2027-02-01\"},\"latestId\":\"d-1\",\"fingerprint\":\"f\",\"fields\":[\"identity\",\"names\"],"
                + "\"outcome\":\"DISCLOSED\",\"returnId\":\"R-1\",\"recordKey\":\"J935123420731\",\"retainUntil\":null}";
        Holding read = CensusRecordRouter.read(holding.getBytes(StandardCharsets.UTF_8), Holding.class);
        assertThat(read).isEqualTo(Holding.NOTHING.sent("d-1", "2027-02-01", "f", List.of("identity", "names"), "DISCLOSED", "R-1", "J935123420731", null));
        assertThat(new String(CensusRecordRouter.json(read), StandardCharsets.UTF_8)).isEqualTo(holding);
        String deadline = "{\"recordKey\":\"J935123420731\",\"returnId\":\"R-1\",\"retainUntil\":\"2080-08-31\"}";
        CensusRecordRouter.Deadline readDeadline = CensusRecordRouter.read(deadline.getBytes(StandardCharsets.UTF_8), CensusRecordRouter.Deadline.class);
        assertThat(readDeadline).isEqualTo(new CensusRecordRouter.Deadline("J935123420731", "R-1", "2080-08-31"));
        assertThat(new String(CensusRecordRouter.json(readDeadline), StandardCharsets.UTF_8)).isEqualTo(deadline);
    }
}
