package org.pupilflow.schemas.kafka;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;

/** Kafka client properties naming the generated record class, for serdes built by class name. */
public final class AvroTypeConfig {

    /** Fully-qualified generated class of record values, e.g. {@code org.pupilflow.census.CensusPupil}. */
    public static final String VALUE_TYPE = "pupilflow.avro.value.type";
    /** Fully-qualified generated class of record keys. */
    public static final String KEY_TYPE = "pupilflow.avro.key.type";

    private AvroTypeConfig() {
    }

    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> Class<T> recordType(Map<String, ?> configs, boolean isKey) {
        String property = isKey ? KEY_TYPE : VALUE_TYPE;
        Object configured = configs.get(property);
        if (configured == null) {
            throw new ConfigException(property, null, "name the generated Avro class to (de)serialise");
        }
        try {
            Class<?> type = configured instanceof Class<?> c ? c : Class.forName(configured.toString().strip());
            if (!SpecificRecord.class.isAssignableFrom(type)) {
                throw new ConfigException(property, configured, "not a generated Avro record class");
            }
            return (Class<T>) type;
        } catch (ClassNotFoundException e) {
            throw new ConfigException(property, configured, "class not found");
        }
    }
}
