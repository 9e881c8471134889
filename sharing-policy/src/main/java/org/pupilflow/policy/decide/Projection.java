package org.pupilflow.policy.decide;

import java.util.List;

import org.apache.avro.Schema;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.policy.CensusUnits;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * Copies the allowed census units, and nothing else, from a pupil into a new disclosure. Every
 * other census field of the disclosure keeps its null default: minimisation by construction.
 */
final class Projection {

    private final List<String> fields;
    private final boolean hasIdentity;
    private final int[] censusPositions;
    private final int[] disclosurePositions;

    Projection(List<String> units) {
        this.fields = CensusUnits.CENSUS.stream().filter(units::contains).toList();
        this.hasIdentity = fields.contains("identity");
        this.censusPositions = new int[fields.size()];
        this.disclosurePositions = new int[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            Schema.Field census = CensusPupil.getClassSchema().getField(fields.get(i));
            Schema.Field disclosure = PupilDisclosure.getClassSchema().getField(fields.get(i));
            if (census == null || disclosure == null) {
                throw new IllegalArgumentException("'" + fields.get(i) + "' is not a census unit PupilDisclosure can carry");
            }
            censusPositions[i] = census.pos();
            disclosurePositions[i] = disclosure.pos();
        }
    }

    /** Allowed units in schema order. */
    List<String> fields() {
        return fields;
    }

    /** Whether the identity unit (the UPN) is allowed: looked up once, not per decision. */
    boolean hasIdentity() {
        return hasIdentity;
    }

    PupilDisclosure project(CensusPupil pupil) {
        PupilDisclosure disclosure = new PupilDisclosure();
        for (int i = 0; i < censusPositions.length; i++) {
            disclosure.put(disclosurePositions[i], pupil.get(censusPositions[i]));
        }
        return disclosure;
    }
}
