package org.pupilflow.adapters.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pupilflow.adapters.filedrop.DropManifest;
import org.pupilflow.adapters.filedrop.FileDrop;
import org.pupilflow.adapters.filedrop.LocalDirectoryTarget;
import org.pupilflow.adapters.webhook.RetrySchedule;
import org.pupilflow.sharing.DeletionDue;
import org.pupilflow.sharing.DeletionRequest;
import org.pupilflow.sharing.DeliveryOutcome;
import org.pupilflow.sharing.PupilDisclosure;

/** How the file-drop channel cuts batches once deletion requests and notices share the topic with disclosures. */
class FileDropChannelTest {

    private static final Instant NOW = Instant.parse("2026-03-03T10:00:00Z");
    private static final Duration MAX_WAIT = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    private long offset;

    @Test
    void deletionRecordsJoinTheBatchOfTheReturnAroundThemAndEachReceiptNamesTheFileItsRecordIsIn() throws Exception {
        Deque<Pending> queue = queue(disclosure("d-1", "R-A"), request("r-1", "d-0"), disclosure("d-2", "R-A"), notice("n-1", "d-00"),
                disclosure("d-3", "R-B"));

        List<Outcome> outcomes = channel(10).work(queue, NOW);

        assertThat(outcomes).extracting(outcome -> outcome.record().id()).containsExactly("d-1", "r-1", "d-2", "n-1");
        assertThat(outcomes).extracting(Outcome::receipt).containsOnly(DeliveryOutcome.DELIVERED);
        assertThat(queue).extracting(Pending::id).containsExactly("d-3");
        DropManifest manifest = DropManifest.fromJson(Files.readAllBytes(dir.resolve("post16_R-A_p0-0.manifest.json")));
        assertThat(manifest.disclosureIds()).containsExactly("d-1", "d-2");
        assertThat(manifest.deletionIds()).containsExactly("r-1", "n-1");
        for (Outcome outcome : outcomes) {
            boolean disclosure = outcome.record().disclosure() != null;
            assertThat(outcome.detail()).as(outcome.record().id())
                    .startsWith("file " + (disclosure ? manifest.csvFile() : manifest.deletionsFile()) + " sha256 "
                            + (disclosure ? manifest.sha256() : manifest.deletionsSha256()) + " via ");
        }
    }

    @Test
    void aDeletionRequestAloneWaitsForMaxWaitThenGoesInABatchOfItsOwn() throws Exception {
        Deque<Pending> queue = queue(request("r-1", "d-1"));
        FileDropChannel channel = channel(10);

        assertThat(channel.work(queue, NOW.plusSeconds(30))).as("more records could still join the batch").isEmpty();
        assertThat(channel.wakeUp(queue)).contains(NOW.plus(MAX_WAIT));
        List<Outcome> outcomes = channel.work(queue, NOW.plus(MAX_WAIT));

        assertThat(outcomes).extracting(outcome -> outcome.record().id()).containsExactly("r-1");
        assertThat(outcomes.get(0).detail()).startsWith("file post16_p0-0_deletions.csv sha256 ");
        assertThat(Files.exists(dir.resolve("post16_p0-0.manifest.json"))).isTrue();
        assertThat(queue).isEmpty();
    }

    @Test
    void aDisclosureOfAnotherReturnStillClosesTheBatchAfterADeletionRecord() throws Exception {
        Deque<Pending> queue = queue(notice("n-1", "d-0"), disclosure("d-1", "R-A"), disclosure("d-2", "R-B"));

        List<Outcome> outcomes = channel(10).work(queue, NOW);

        assertThat(outcomes).extracting(outcome -> outcome.record().id()).containsExactly("n-1", "d-1");
        assertThat(queue).extracting(Pending::id).containsExactly("d-2");
    }

    @Test
    void deletionRecordsCountTowardsMaxRecords() throws Exception {
        Deque<Pending> queue = queue(request("r-1", "d-0"), notice("n-1", "d-00"), disclosure("d-1", "R-A"));

        List<Outcome> outcomes = channel(2).work(queue, NOW);

        assertThat(outcomes).extracting(outcome -> outcome.record().id()).containsExactly("r-1", "n-1");
        assertThat(queue).extracting(Pending::id).containsExactly("d-1");
    }

    @Test
    void anUndecodableRecordClosesTheBatchAndIsLeftForTheWorker() throws Exception {
        Deque<Pending> queue = queue(request("r-1", "d-0"));
        queue.addLast(Pending.undecodable(0, offset++, NOW, "k", new byte[] {1}, "not a recipient record", NOW));

        List<Outcome> outcomes = channel(10).work(queue, NOW);

        assertThat(outcomes).extracting(outcome -> outcome.record().id()).containsExactly("r-1");
        assertThat(queue).hasSize(1).allSatisfy(pending -> assertThat(pending.decodable()).isFalse());
    }

    private FileDropChannel channel(int maxRecords) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        FileDrop drop = new FileDrop(new LocalDirectoryTarget(dir), "post16", List.of("names"), clock);
        return new FileDropChannel("post16", drop, maxRecords, MAX_WAIT, RetrySchedule.defaults(), new DeliveryMetrics(new SimpleMeterRegistry(), clock),
                clock);
    }

    private Deque<Pending> queue(SpecificRecord... records) {
        Deque<Pending> queue = new ArrayDeque<>();
        for (SpecificRecord record : records) {
            queue.addLast(Pending.of(0, offset++, NOW, "upn", new byte[0], record, NOW));
        }
        return queue;
    }

    private static PupilDisclosure disclosure(String id, String returnId) {
        return PupilDisclosure.newBuilder().setDisclosureId(id).setRecipientId("post16").setPolicyId("norfolk-census-sharing").setPolicyVersion("2026.1")
                .setPolicyContentHash("ab".repeat(32)).setLegalBasis("Education and Skills Act 2008 s12").setReturnId(returnId)
                .setDisclosedFields(List.of()).build();
    }

    private static DeletionRequest request(String id, String... disclosureIds) {
        return DeletionRequest.newBuilder().setRequestId(id).setRecipientId("post16").setDisclosureIds(List.of(disclosureIds))
                .setReason("objection O-1 by parent: withheld").setLegalBasis("Education and Skills Act 2008 s12").setPolicyId("norfolk-census-sharing")
                .setPolicyVersion("2026.1").setRequestedAt(NOW).build();
    }

    private static DeletionDue notice(String id, String... disclosureIds) {
        return DeletionDue.newBuilder().setNoticeId(id).setRecipientId("post16").setDisclosureIds(List.of(disclosureIds))
                .setDeleteBy(LocalDate.of(2026, 3, 2)).setLegalBasis("Education and Skills Act 2008 s12").setPolicyId("norfolk-census-sharing")
                .setPolicyVersion("2026.1").setIssuedAt(NOW).build();
    }
}
