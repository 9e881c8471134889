package org.pupilflow.schemas.kafka;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * A {@link SpecificDatumWriter} that picks the branch of a {@code ["null", T]} union by whether the value is null,
 * instead of looking the value's schema name up in the union (Avro's way, which profiles of the router showed as a
 * tenth of its time: every optional census field is such a union). It writes the same bytes; other unions are
 * resolved as before. A value that is not a {@code T} fails when it is written, as it would have.
 */
public class NullableUnionWriter<T> extends SpecificDatumWriter<T> {

    public NullableUnionWriter(Class<T> type) {
        super(type);
    }

    public NullableUnionWriter(Schema schema, SpecificData data) {
        super(schema, data);
    }

    @Override
    protected int resolveUnion(Schema union, Object datum) {
        List<Schema> types = union.getTypes();
        if (types.size() == 2) {
            if (types.get(0).getType() == Schema.Type.NULL) {
                return datum == null ? 0 : 1;
            }
            if (types.get(1).getType() == Schema.Type.NULL) {
                return datum == null ? 1 : 0;
            }
        }
        return super.resolveUnion(union, datum);
    }
}
