package org.pupilflow.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.sharing.PupilDisclosure;

/** The census units a policy may name come from the schemas, and each has words a parent can read. */
class CensusUnitsTest {

    @Test
    void censusUnitsAreTheTopLevelFieldsOfCensusPupilInSchemaOrder() {
        assertThat(CensusUnits.CENSUS)
                .containsExactlyElementsOf(CensusPupil.getClassSchema().getFields().stream().map(Schema.Field::name).toList())
                .doesNotHaveDuplicates()
                .startsWith("identity", "names", "dateOfBirth");
    }

    @Test
    void everyCensusUnitHasAPlainWordsDescription() {
        for (String unit : CensusUnits.CENSUS) {
            assertThat(CensusUnits.inPlainWords(unit)).as("plain words for %s", unit).isNotBlank();
        }
    }

    @Test
    void aUnitWithoutPlainWordsIsAClearError() {
        assertThatThrownBy(() -> CensusUnits.inPlainWords("height"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'height'")
                .hasMessageContaining("census-units.properties");
    }

    @Test
    void everyUnitOfCensusPupilIsCarriedByPupilDisclosure() {
        for (String unit : CensusUnits.CENSUS) {
            assertThat(PupilDisclosure.getClassSchema().getField(unit)).as("PupilDisclosure field %s", unit).isNotNull();
        }
        assertThat(CensusUnits.DISCLOSABLE).isEqualTo(new HashSet<>(CensusUnits.CENSUS));
    }

    @Test
    void disclosedCensusUnitsAreOptionalInPupilDisclosure() {
        for (String unit : CensusUnits.DISCLOSABLE) {
            Schema type = PupilDisclosure.getClassSchema().getField(unit).schema();
            assertThat(type.isNullable()).as("%s is optional (absent when not allowed)", unit).isTrue();
        }
    }

    @Test
    void directIdentifiersAreCensusUnits() {
        assertThat(CensusUnits.CENSUS).containsAll(CensusUnits.DIRECT_IDENTIFIERS);
        assertThat(CensusUnits.DIRECT_IDENTIFIERS).containsExactlyInAnyOrder("identity", "names", "parents", "telephones")
                .hasSizeLessThan(CensusUnits.CENSUS.size());
    }
}
