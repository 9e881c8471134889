package org.pupilflow.router.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.pupilflow.schemas.kafka.AvroSingleObjectSerializer;

/** Encodes each outbound value in the contract's wire format (Avro single-object); dead letters keep their bytes. */
final class OutboundSerializer implements Serializer<Outbound> {

    private final Map<Class<?>, AvroSingleObjectSerializer<SpecificRecord>> encoders = new ConcurrentHashMap<>();

    @Override
    @SuppressWarnings("unchecked")
    public byte[] serialize(String topic, Outbound outbound) {
        if (outbound == null || outbound.value() == null) {
            return null;
        }
        if (outbound.value() instanceof byte[] bytes) {
            return bytes;
        }
        SpecificRecord record = (SpecificRecord) outbound.value();
        return encoders.computeIfAbsent(record.getClass(), type -> new AvroSingleObjectSerializer<>((Class<SpecificRecord>) type))
                .serialize(topic, record);
    }
}
