package org.pupilflow.router.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.pupilflow.identifiers.LocalAuthorityRegister;
import org.pupilflow.identifiers.UpnValidator;
import org.pupilflow.policy.decide.SharingEngine;
import org.pupilflow.router.RouterProperties;
import org.pupilflow.kafka.login.BrokerLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;

/**
 * The router's Kafka Streams topology: objections into a global store, census records through
 * {@link CensusRecordRouter}, every output to the topic its {@link Outbound} names.
 * Processing guarantee, application id and commit interval come from {@code spring.kafka.streams.*}.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
public class RoutingTopology {

    private static final Logger log = LoggerFactory.getLogger(RoutingTopology.class);

    @Bean
    ObjectionFreshness objectionFreshness() {
        return new ObjectionFreshness();
    }

    @Bean
    ObjectionEndOffsetWatcher objectionEndOffsetWatcher(KafkaAdmin kafkaAdmin, RouterProperties properties, ObjectionFreshness freshness) {
        return new ObjectionEndOffsetWatcher(kafkaAdmin.getConfigurationProperties(), properties.topics().objections(), freshness,
                properties.objectionFreshness().pollInterval());
    }

    @Bean
    ObjectionArrivals objectionArrivals() {
        return new ObjectionArrivals();
    }

    /** The wall clock of decisions and delete-by notices; a test replaces it to move time. */
    @Bean
    @ConditionalOnMissingBean
    Clock routerClock() {
        return Clock.systemUTC();
    }

    @Bean
    KStream<String, byte[]> censusRouting(StreamsBuilder builder, SharingEngine engine, RouterProperties properties, MeterRegistry registry,
                                          ObjectionFreshness freshness, ObjectionArrivals arrivals, Clock clock, KafkaAdmin kafkaAdmin) {
        String censusTopic = properties.topics().census();
        String requestTopic = properties.topics().requestedPupils();
        return build(builder, engine, properties, registry, freshness, arrivals, clock,
                () -> kafkaAdmin.describeTopics(censusTopic).get(censusTopic).partitions().size(),
                () -> kafkaAdmin.describeTopics(requestTopic).get(requestTopic).partitions().size());
    }

    /**
     * The topology itself, without Spring (tests drive it with {@code TopologyTestDriver}).
     *
     * @param censusPartitions  the census topic's partition count, asked when the first task starts
     * @param requestPartitions the requested pupils topic's partition count: must be the census topic's (checked when the first task starts)
     */
    static KStream<String, byte[]> build(StreamsBuilder builder, SharingEngine engine, RouterProperties properties, MeterRegistry registry,
                                         ObjectionFreshness freshness, ObjectionArrivals arrivals, Clock clock, java.util.function.IntSupplier censusPartitions,
                                         java.util.function.IntSupplier requestPartitions) {
        RouterProperties.Topics topics = properties.topics();
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ObjectionStore.NAME), Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                topics.objections(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()),
                () -> new ObjectionStore.Updater(freshness, arrivals));
        for (String store : RightsStores.ALL) {
            // Persistent and changelogged (exactly-once like the records they describe); a lost disk is restored from the changelog.
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.ByteArray()));
        }

        RouterMetrics metrics = new RouterMetrics(registry, engine.policy().recipients());
        UpnValidator upns = new UpnValidator(LocalAuthorityRegister.bundled());
        Duration timeout = properties.objectionFreshness().timeout();
        // Case-by-case requests are read by the same processor as the census: the task that owns a pupil's census
        // partition decides the requests about the pupil, with the same stores (latest census record, what is held).
        KStream<String, byte[]> census = builder.stream(List.of(topics.census(), topics.requestedPupils()), Consumed.with(Serdes.String(), Serdes.ByteArray()));
        CensusRecordRouter.Rights rights = new CensusRecordRouter.Rights(arrivals, censusPartitions, requestPartitions,
                properties.rights().objectionCheck(), properties.rights().deadlineCheck(), clock);
        census.process(() -> new CensusRecordRouter(engine, topics, metrics, upns, freshness, timeout, rights), RightsStores.ALL)
                .to((key, outbound, context) -> outbound.topic(), Produced.with(Serdes.String(), Serdes.serdeFrom(new OutboundSerializer(), (topic, bytes) -> {
                    throw new UnsupportedOperationException("the router never reads its outputs back");
                })));
        return census;
    }

    /**
     * A failed stream thread is replaced; under exactly-once its open transaction is aborted and its input re-read.
     * A refusal by the broker (bad credentials, a missing ACL) does not heal by retrying: the streams stop,
     * readiness goes down, and one error names the principal, instead of a loop of replaced threads.
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer routerStreamsLifecycle(MeterRegistry registry, ObjectionFreshness freshness, KafkaAdmin kafkaAdmin) {
        Counter replaced = RouterMetrics.threadsReplaced(registry);
        return factoryBean -> {
            // Readiness says the same; the gauge lets an alert see a router that stopped (or never reached RUNNING).
            Gauge.builder("pupilflow.router.running", factoryBean, bean -> {
                KafkaStreams streams = bean.getKafkaStreams();
                return streams != null && (streams.state() == KafkaStreams.State.RUNNING || streams.state() == KafkaStreams.State.REBALANCING) ? 1 : 0;
            }).description("1 while the router's Kafka Streams are running or rebalancing, 0 otherwise").strongReference(true).register(registry);
            factoryBean.setStateRestoreListener(new ObjectionStore.RestoreTracker(freshness));
            // A graceful stop hands partitions over at once instead of after the session timeout.
            factoryBean.setLeaveGroupOnClose(true);
            factoryBean.setStreamsUncaughtExceptionHandler(exception -> {
                if (exception instanceof TopicsNotCoPartitionedException || exception.getCause() instanceof TopicsNotCoPartitionedException) {
                    log.error("{}; the router stops routing until this is fixed", exception.getMessage());
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                }
                if (BrokerLogin.isRefusal(exception)) {
                    log.error("{}; the router stops routing until this is fixed", BrokerLogin.describeRefusal(exception, kafkaAdmin.getConfigurationProperties()));
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                }
                replaced.increment();
                log.warn("A stream thread failed and is replaced; its transaction is aborted and its input read again", exception);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            factoryBean.addListener(new KafkaStreamsMicrometerListener(registry));
        };
    }
}
