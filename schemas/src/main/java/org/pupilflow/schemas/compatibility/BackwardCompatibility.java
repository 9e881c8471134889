package org.pupilflow.schemas.compatibility;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.pupilflow.schemas.SchemaCatalog.ReleasedVersion;

/**
 * Backward compatibility: a reader built from the current schemas must read everything written
 * with any released version, because recipient topics and the audit trail keep old records.
 */
public final class BackwardCompatibility {

    private BackwardCompatibility() {
    }

    /** Every way the current schemas fail to read a released version; empty when compatible. */
    public static List<Incompatibility> check(Map<String, Schema> current, List<ReleasedVersion> released) {
        List<Incompatibility> problems = new ArrayList<>();
        for (ReleasedVersion version : released) {
            for (Map.Entry<String, Schema> writer : version.schemas().entrySet()) {
                Schema reader = current.get(writer.getKey());
                if (reader == null) {
                    problems.add(new Incompatibility(writer.getKey(), version.version(),
                            "message type was removed, so data written with it can no longer be read"));
                    continue;
                }
                SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer.getValue());
                for (SchemaCompatibility.Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
                    problems.add(new Incompatibility(writer.getKey(), version.version(),
                            incompatibility.getType() + " at " + incompatibility.getLocation() + ": " + incompatibility.getMessage()));
                }
            }
        }
        return problems;
    }

    /** One reason the current {@code type} cannot read data written with {@code releasedVersion}. */
    public record Incompatibility(String type, String releasedVersion, String reason) {
        @Override
        public String toString() {
            return type + " cannot read data written with release " + releasedVersion + ": " + reason;
        }
    }
}
