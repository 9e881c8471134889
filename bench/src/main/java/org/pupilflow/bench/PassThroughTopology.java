package org.pupilflow.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
 * The router's shape without its work: the same exactly-once settings as the router's
 * {@code application.yml} (exactly_once_v2, its commit interval and number of stream threads), the same input topic, and
 * for each census record exactly the records the router emits for it, each to the same output (a topic per
 * recipient and one for audit events, 6 partitions each) with the same size (from the census record's
 * {@link Workload#FANOUT_HEADER} header); no decoding, no policy, no encoding, no state. Runs in its own JVM
 * ({@link #main}), as the router does, until it is stopped.
 */
public final class PassThroughTopology {

    private PassThroughTopology() {
    }

    /** {@code brokers applicationId inputTopic stateDir streamThreads commitIntervalMs outputTopic...} */
    public static void main(String[] args) throws InterruptedException {
        String[] outputs = java.util.Arrays.copyOfRange(args, 6, args.length);
        KafkaStreams streams = start(args[0], args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]), outputs);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(30));
            stopped.countDown();
        }));
        stopped.await();
    }

    static KafkaStreams start(String brokers, String applicationId, String input, String stateDir, int streamThreads, int commitIntervalMs,
                              String[] outputs) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(() -> new Processor<String, byte[], String, byte[]>() {
                    private final Map<Integer, byte[]> payloads = new HashMap<>();
                    private ProcessorContext<String, byte[]> context;

                    @Override
                    public void init(ProcessorContext<String, byte[]> context) {
                        this.context = context;
                    }

                    @Override
                    public void process(Record<String, byte[]> record) {
                        Header fanout = record.headers().lastHeader(Workload.FANOUT_HEADER);
                        if (fanout == null || fanout.value().length == 0) {
                            return;
                        }
                        for (String output : new String(fanout.value(), StandardCharsets.US_ASCII).split(",")) {
                            int colon = output.indexOf(':');
                            int topic = Integer.parseInt(output, 0, colon, 10);
                            int bytes = Integer.parseInt(output, colon + 1, output.length(), 10);
                            byte[] payload = payloads.computeIfAbsent(bytes, byte[]::new);
                            // The output's index travels in a header (the router's recipient records carry one too); the sink reads it.
                            RecordHeaders headers = new RecordHeaders();
                            headers.add("t", new byte[] {(byte) topic});
                            context.forward(new Record<>(record.key(), payload, record.timestamp(), headers));
                        }
                    }
                })
                .to((key, value, context) -> outputs[context.headers().lastHeader("t").value()[0]], Produced.with(Serdes.String(), Serdes.ByteArray()));
        Properties config = new Properties();
        config.putAll(Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs,
                StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads,
                StreamsConfig.STATE_DIR_CONFIG, stateDir));
        KafkaStreams streams = new KafkaStreams(builder.build(), config);
        streams.start();
        return streams;
    }
}
