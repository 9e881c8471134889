package org.pupilflow.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The router's shape without its work: the same EOS settings and the same number of output
 * records per census record (from the {@code fanout} header), spread over the same number of
 * topics, each record of the router's mean output size; no decoding, no policy, no encoding.
 */
final class PassThroughTopology {

    private PassThroughTopology() {
    }

    static KafkaStreams start(String brokers, String applicationId, String input, String[] outputs, int outputBytes) {
        byte[] payload = new byte[outputBytes];
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(() -> new Processor<String, byte[], String, byte[]>() {
                    private ProcessorContext<String, byte[]> context;
                    private int next;

                    @Override
                    public void init(ProcessorContext<String, byte[]> context) {
                        this.context = context;
                    }

                    @Override
                    public void process(Record<String, byte[]> record) {
                        Header fanout = record.headers().lastHeader("fanout");
                        int copies = fanout == null ? 1 : Integer.parseInt(new String(fanout.value(), StandardCharsets.US_ASCII));
                        for (int i = 0; i < copies; i++) {
                            context.forward(new Record<>(record.key(), payload, record.timestamp()).withHeaders(new org.apache.kafka.common.header.internals.RecordHeaders()));
                        }
                    }
                })
                .to((key, value, context) -> outputs[Math.floorMod(key.hashCode() + (int) (context.offset() % outputs.length), outputs.length)],
                        Produced.with(Serdes.String(), Serdes.ByteArray()));
        Properties config = new Properties();
        config.putAll(Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100,
                StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/" + applicationId));
        KafkaStreams streams = new KafkaStreams(builder.build(), config);
        streams.start();
        return streams;
    }

    static void stop(KafkaStreams streams) {
        streams.close(Duration.ofSeconds(30));
    }
}
