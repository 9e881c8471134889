package org.pupilflow.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.sharing.DeletionDue;
import org.pupilflow.sharing.DeletionRequest;
import org.pupilflow.sharing.DeliveryReceipt;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureRequest;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * The message types of the PupilFlow contract, now and as released.
 *
 * <p>There is no schema registry: every released version of every {@code .avsc} ships inside this
 * jar (under {@code org/pupilflow/schemas/released/}), so a reader can decode data written by any
 * released writer and the build can check that the current schemas still read all of it.
 */
public final class SchemaCatalog {

    /** The top-level message types; their {@code .avsc} files are parsed in this order (later ones reuse earlier types). */
    public static final List<Class<? extends SpecificRecord>> MESSAGE_TYPES = List.of(
            CensusPupil.class, Objection.class, PupilDisclosure.class, DisclosureEvent.class, DeliveryReceipt.class,
            DeletionRequest.class, DeletionDue.class, DisclosureRequest.class);

    private static final String RELEASED_ROOT = "/org/pupilflow/schemas/released/";

    private SchemaCatalog() {
    }

    /** Full name → the schema compiled into this build. */
    public static Map<String, Schema> current() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (Class<? extends SpecificRecord> type : MESSAGE_TYPES) {
            Schema schema = SpecificData.get().getSchema(type);
            schemas.put(schema.getFullName(), schema);
        }
        return schemas;
    }

    /** Every released version bundled in this jar, oldest first. */
    public static List<ReleasedVersion> released() {
        List<ReleasedVersion> versions = new ArrayList<>();
        for (String version : readVersionList()) {
            versions.add(parseRelease(version, file -> Optional.ofNullable(
                    SchemaCatalog.class.getResourceAsStream(RELEASED_ROOT + version + "/" + file))));
        }
        return versions;
    }

    /**
     * Parses one release's schema files. A message type whose file is missing did not exist in
     * that release and is left out.
     *
     * @param files opens a file of the release by name ({@code CensusPupil.avsc}, ...)
     */
    public static ReleasedVersion parseRelease(String version, Function<String, Optional<InputStream>> files) {
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (Class<? extends SpecificRecord> type : MESSAGE_TYPES) {
            String file = type.getSimpleName() + ".avsc";
            Optional<InputStream> in = files.apply(file);
            if (in.isEmpty()) {
                continue;
            }
            try (InputStream stream = in.get()) {
                Schema schema = parser.parse(stream);
                schemas.put(schema.getFullName(), schema);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read released schema " + version + "/" + file, e);
            } catch (RuntimeException e) {
                throw new IllegalStateException("Released schema " + version + "/" + file + " does not parse: " + e.getMessage(), e);
            }
        }
        return new ReleasedVersion(version, schemas);
    }

    private static List<String> readVersionList() {
        try (InputStream in = SchemaCatalog.class.getResourceAsStream(RELEASED_ROOT + "versions.txt")) {
            if (in == null) {
                throw new IllegalStateException("Missing " + RELEASED_ROOT + "versions.txt in the schemas jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One released version of the contract: full name → schema. */
    public record ReleasedVersion(String version, Map<String, Schema> schemas) {
        public ReleasedVersion {
            schemas = Map.copyOf(schemas);
        }
    }
}
