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
 * Stricter than Avro's rule in one respect: an enum symbol of a released version may never be
 * removed, even from an enum with a default — Avro would read it as the default, and an audit
 * trail that reads RESTRICTED as something else has lost a fact.
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
                for (String lost : lostEnumSymbols(reader, writer.getValue(), new java.util.HashSet<>())) {
                    problems.add(new Incompatibility(writer.getKey(), version.version(), "MISSING_ENUM_SYMBOLS (read as the enum's default): " + lost));
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

    /** Symbols of enums in {@code writer} that the same-named enum in {@code reader} no longer has, as "Enum.SYMBOL". */
    private static List<String> lostEnumSymbols(Schema reader, Schema writer, java.util.Set<String> visited) {
        List<String> lost = new ArrayList<>();
        if (reader == null || writer == null) {
            return lost;
        }
        switch (writer.getType()) {
            case ENUM -> {
                if (reader.getType() == Schema.Type.ENUM && reader.getEnumDefault() != null) {
                    for (String symbol : writer.getEnumSymbols()) {
                        if (!reader.hasEnumSymbol(symbol)) {
                            lost.add(writer.getName() + "." + symbol);
                        }
                    }
                }
            }
            case RECORD -> {
                if (reader.getType() == Schema.Type.RECORD && visited.add(writer.getFullName())) {
                    for (Schema.Field field : writer.getFields()) {
                        Schema.Field read = reader.getField(field.name());
                        if (read != null) {
                            lost.addAll(lostEnumSymbols(read.schema(), field.schema(), visited));
                        }
                    }
                }
            }
            case ARRAY -> lost.addAll(lostEnumSymbols(reader.getType() == Schema.Type.ARRAY ? reader.getElementType() : null, writer.getElementType(), visited));
            case MAP -> lost.addAll(lostEnumSymbols(reader.getType() == Schema.Type.MAP ? reader.getValueType() : null, writer.getValueType(), visited));
            case UNION -> {
                for (Schema branch : writer.getTypes()) {
                    Schema match = reader.getType() == Schema.Type.UNION
                            ? reader.getTypes().stream().filter(r -> r.getType() == branch.getType() && java.util.Objects.equals(r.getName(), branch.getName()))
                                    .findFirst().orElse(null)
                            : reader;
                    lost.addAll(lostEnumSymbols(match, branch, visited));
                }
            }
            default -> {
            }
        }
        return lost;
    }

    /** One reason the current {@code type} cannot read data written with {@code releasedVersion}. */
    public record Incompatibility(String type, String releasedVersion, String reason) {
        @Override
        public String toString() {
            return type + " cannot read data written with release " + releasedVersion + ": " + reason;
        }
    }
}
