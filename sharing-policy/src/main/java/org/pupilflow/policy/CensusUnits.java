package org.pupilflow.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.avro.Schema;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * The census units a policy can allow: the top-level fields of {@code CensusPupil}, each of
 * which {@code PupilDisclosure} carries as an optional field. Taken from the schemas, so a new
 * census unit exists here as soon as the contract has it, but is shared only once a policy names it.
 */
public final class CensusUnits {

    /** Every top-level field of CensusPupil, in schema order. */
    public static final List<String> CENSUS = CensusPupil.getClassSchema().getFields().stream().map(Schema.Field::name).toList();

    /** Census units PupilDisclosure can carry. */
    public static final Set<String> DISCLOSABLE = CENSUS.stream()
            .filter(name -> PupilDisclosure.getClassSchema().getField(name) != null)
            .collect(Collectors.toUnmodifiableSet());

    /** Units that directly identify a pupil or family; never sent to pseudonymised recipients. */
    public static final Set<String> DIRECT_IDENTIFIERS = Set.of("identity", "names", "parents", "telephones");

    private static final Properties PLAIN_WORDS = plainWords();

    private CensusUnits() {
    }

    /** How a notice names the unit for parents and pupils, e.g. "name (legal and preferred)". */
    public static String inPlainWords(String unit) {
        String words = PLAIN_WORDS.getProperty(unit);
        if (words == null) {
            throw new IllegalStateException("No plain-words description for census unit '" + unit + "' in census-units.properties");
        }
        return words;
    }

    private static Properties plainWords() {
        Properties words = new Properties();
        try (InputStream in = CensusUnits.class.getResourceAsStream("census-units.properties")) {
            if (in == null) {
                throw new IllegalStateException("Missing org/pupilflow/policy/census-units.properties");
            }
            words.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return words;
    }
}
