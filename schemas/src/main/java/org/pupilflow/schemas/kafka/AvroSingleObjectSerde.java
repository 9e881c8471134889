package org.pupilflow.schemas.kafka;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Kafka {@link Serde} for a generated Avro class, using Avro single-object encoding. */
public final class AvroSingleObjectSerde {

    private AvroSingleObjectSerde() {
    }

    public static <T extends SpecificRecord> Serde<T> of(Class<T> type) {
        return Serdes.serdeFrom(new AvroSingleObjectSerializer<>(type), new AvroSingleObjectDeserializer<>(type));
    }
}
