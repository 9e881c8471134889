package org.pupilflow.local;

import org.pupilflow.testing.kafka.TopicReader;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.pupilflow.broker.StandaloneKafka;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * The whole system as the local run starts it: a standalone KRaft broker and the services as
 * separate JVMs (their built jars), a generated census and objections through the REST APIs.
 * First the launcher's own run, checked against the policy; then crashes: the router and then
 * audit-service are killed with SIGKILL part-way through a return and restarted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    static Path data;

    private LocalPipeline pipeline;
    private SharingPolicy policy;

    @BeforeAll
    void startEverything() throws Exception {
        int base = freeBlock(4);
        LocalPipeline.Options options = new LocalPipeline.Options(REPOSITORY, data, 3_000, 7, freeBlock(2), base, freePort(),
                REPOSITORY.resolve("policies/norfolk.yaml"));
        pipeline = new LocalPipeline(options, new PrintStream(System.out, true));
        policy = new PolicyLoader().load(options.policy());
        pipeline.startAll();
    }

    @AfterAll
    void stopEverything() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(1)
    void theLaunchersTableIsWhatThePolicyDecidesAndTheChainVerifies() throws Exception {
        LocalPipeline.Summary summary = pipeline.shareCensus(3_000, 7);

        assertThat(summary.audited()).isEqualTo(summary.expected());
        assertThat(summary.expected().keySet()).containsExactlyInAnyOrderElementsOf(policy.recipients().stream().map(RecipientRule::id).toList());
        assertThat(summary.expected().get("youth-support")).containsKey("RESTRICTED");
        assertThat(summary.expected().get("post16")).containsKey("WITHHELD");
        assertThat(summary.expected().get("dfe").get("DISCLOSED")).isEqualTo(3_000);
        assertThat(summary.auditEvents()).isEqualTo(summary.expected().values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum());
        assertThat(summary.chainStatus()).isEqualTo("INTACT");
    }

    @Test
    @Order(2)
    void killingTheRouterAndThenAuditServiceMidStreamLosesAndDuplicatesNothing() throws Exception {
        LocalPipeline.Shared shared = pipeline.upload(6_000, 11);

        long routedAtKill = awaitRouted(600);
        pipeline.router().kill();
        assertThat(routedAtKill).as("the router was killed part-way through the return").isLessThan(6_000);
        pipeline.restart("sharing-router");
        awaitAudited(shared, shared.expectedEvents() / 2);
        pipeline.audit().kill();
        assertThat(pipeline.auditedBeforeKill()).as("audit-service was killed part-way through the return").isLessThan(shared.expectedEvents());
        pipeline.restart("audit-service");
        Map<String, Map<String, Long>> audited = pipeline.awaitAudited(shared.returnId(), shared.expectedEvents(), shared.token(), Duration.ofMinutes(8));

        assertThat(pipeline.audited(shared.returnId(), shared.token())).as("audit events = decisions").isEqualTo(shared.expectedEvents());
        assertThat(audited).isEqualTo(shared.expected());
        for (RecipientRule recipient : policy.recipients()) {
            long sent = shared.expected().getOrDefault(recipient.id(), Map.of()).entrySet().stream()
                    .filter(e -> !e.getKey().equals("WITHHELD")).mapToLong(Map.Entry::getValue).sum();
            List<String> ids = disclosureIds(recipient.topic(), shared.returnId());
            assertThat(ids).as("records of this return on " + recipient.topic() + " (read_committed)").hasSize((int) sent).doesNotHaveDuplicates();
        }
        assertThat(pipeline.verifyChain(shared.token())).isEqualTo("INTACT");
    }

    /** Census records the (current) router has routed, from its metrics; kills happen as soon as this passes {@code atLeast}. */
    private long awaitRouted(long atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            long routed = pipeline.routedRecords();
            if (routed >= atLeast) {
                return routed;
            }
            assertThat(System.nanoTime()).as("routed %d records within 5 minutes", atLeast).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private void awaitAudited(LocalPipeline.Shared shared, long atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (pipeline.audited(shared.returnId(), shared.token()) < atLeast) {
            assertThat(System.nanoTime()).as("audited %d decisions within 5 minutes", atLeast).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private List<String> disclosureIds(String topic, String returnId) {
        AvroSingleObjectDeserializer<PupilDisclosure> values = new AvroSingleObjectDeserializer<>(PupilDisclosure.class);
        return TopicReader.readAll(pipeline.bootstrapServers(), topic, true, Duration.ofSeconds(60)).stream()
                .map(record -> values.deserialize(topic, record.value()))
                .filter(disclosure -> disclosure.getReturnId().equals(returnId))
                .map(PupilDisclosure::getDisclosureId).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The first of {@code size} consecutive free ports. */
    private static int freeBlock(int size) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = 20_000 + (int) (Math.random() * 20_000);
            boolean free = true;
            for (int port = first; port < first + size && free; port++) {
                free = !StandaloneKafka.isListening(port);
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no block of " + size + " free ports");
    }
}
