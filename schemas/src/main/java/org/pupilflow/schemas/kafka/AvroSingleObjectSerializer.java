package org.pupilflow.schemas.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a generated Avro record with Avro single-object encoding: {@code C3 01}, the 8-byte
 * CRC-64-AVRO fingerprint of the writer schema, then the binary body. The fingerprint is how a
 * reader finds the writer schema without a registry.
 *
 * <p>Built either with the record type, or with no arguments and the type named in the Kafka
 * configuration ({@link AvroTypeConfig}).
 */
public class AvroSingleObjectSerializer<T extends SpecificRecord> implements Serializer<T> {

    private BinaryMessageEncoder<T> encoder;

    public AvroSingleObjectSerializer() {
    }

    public AvroSingleObjectSerializer(Class<T> type) {
        this.encoder = new BinaryMessageEncoder<>(SpecificData.getForClass(type), SpecificData.get().getSchema(type));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (encoder == null) {
            Class<T> type = AvroTypeConfig.recordType(configs, isKey);
            this.encoder = new BinaryMessageEncoder<>(SpecificData.getForClass(type), SpecificData.get().getSchema(type));
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (encoder == null) {
            throw new IllegalStateException("AvroSingleObjectSerializer has no record type: construct it with one or configure "
                    + AvroTypeConfig.VALUE_TYPE + " / " + AvroTypeConfig.KEY_TYPE);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(512);
            encoder.encode(data, out);
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot encode " + data.getSchema().getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
