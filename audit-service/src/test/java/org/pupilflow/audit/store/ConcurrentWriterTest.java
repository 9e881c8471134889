package org.pupilflow.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.pupilflow.audit.chain.DisclosureRecord;
import org.pupilflow.audit.database.EmbeddedPostgresServer;
import org.pupilflow.audit.support.AuditServiceTest;
import org.pupilflow.audit.support.Events;
import org.pupilflow.audit.support.OwnerDatabase;
import org.pupilflow.audit.verify.VerificationService;
import org.pupilflow.audit.verify.VerifyReport;
import org.pupilflow.sharing.DisclosureEvent;
import org.pupilflow.sharing.DisclosureOutcome;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The unique key is the backstop against a second writer (possible only while a partition moves between
 * consumers): if it stores one of a batch's events between the batch's duplicate check and its COPY, the COPY fails
 * on the unique key, the whole transaction rolls back, and the retried batch skips that event without giving it a
 * sequence number.
 */
@AuditServiceTest
class ConcurrentWriterTest {

    @Autowired
    private LedgerWriter writer;

    @Autowired
    private EmbeddedPostgresServer postgres;

    @Autowired
    private VerificationService verification;

    @Test
    void anEventAnotherWriterCommitsDuringTheCopyIsSkippedOnRetryAndTakesNoSequenceNumber() throws Exception {
        String returnId = Events.uniqueId("race");
        String chain = "race-" + returnId;
        List<DisclosureEvent> events = List.of(
                Events.disclosure(Events.upn(), "dfe", DisclosureOutcome.DISCLOSED, returnId),
                Events.disclosure(Events.upn(), "dfe", DisclosureOutcome.DISCLOSED, returnId),
                Events.disclosure(Events.upn(), "dfe", DisclosureOutcome.DISCLOSED, returnId));
        List<Incoming<DisclosureRecord>> batch = List.of(
                new Incoming<>(chain, 10, record(events.get(0))),
                new Incoming<>(chain, 11, record(events.get(1))),
                new Incoming<>(chain, 12, record(events.get(2))));
        OwnerDatabase database = new OwnerDatabase(postgres);

        try (Connection other = postgres.ownerDataSource().getConnection()) {
            // The other writer stores the second event in its own chain and has not committed yet.
            other.setAutoCommit(false);
            try (PreparedStatement insert = other.prepareStatement("INSERT INTO disclosure (chain_id, seq, source_offset, recorded_at, disclosure_id, upn, "
                    + "pseudonymised, recipient_id, outcome, fields_disclosed, reason, objection_ids, policy_id, policy_version, policy_content_hash, "
                    + "legal_basis, return_id, decided_at, canonical, hash) VALUES (?, 1, 0, now(), ?, ?, false, 'dfe', 'DISCLOSED', '{}', 'r', '{}', "
                    + "'p', '1', 'h', 'b', ?, now(), '\\x00', ?)")) {
                insert.setString(1, "other-" + chain);
                insert.setString(2, events.get(1).getDisclosureId());
                insert.setString(3, events.get(1).getUpn());
                insert.setString(4, returnId);
                insert.setBytes(5, new byte[32]);
                insert.executeUpdate();
            }
            CompletableFuture<AppendResult> appended = CompletableFuture.supplyAsync(() -> writer.append(Ledgers.DISCLOSURES, batch));
            // The batch's COPY now waits on the other writer's uncommitted key; the other writer commits first.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (database.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'COPY disclosure%'") == 0
                    && !appended.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(appended).as("the batch waits for the other writer").isNotDone();
            other.commit();

            AppendResult result = appended.get(30, TimeUnit.SECONDS);
            assertThat(result.appended()).isEqualTo(2);
            assertThat(result.duplicates()).isEqualTo(1);
        } finally {
            database.withoutTriggers(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DELETE FROM disclosure WHERE chain_id = 'other-" + chain + "'");
                }
                return null;
            });
        }
        assertThat(database.count("SELECT count(*) FROM disclosure WHERE chain_id = ?", chain)).isEqualTo(2);
        assertThat(database.count("SELECT max(seq) FROM disclosure WHERE chain_id = ?", chain)).as("no sequence number was used up").isEqualTo(2);
        assertThat(database.gapsInChains("disclosure")).isZero();
        VerifyReport report = verification.verifyAll();
        assertThat(report.chains()).filteredOn(c -> c.chainId().equals(chain)).singleElement().satisfies(c -> assertThat(c.intact()).isTrue());
    }

    private static DisclosureRecord record(DisclosureEvent e) {
        return new DisclosureRecord(e.getDisclosureId(), e.getUpn(), e.getPseudonymised(), e.getPupilPseudonym(), e.getRecipientKey(),
                e.getRecipientId(), e.getOutcome().name(), List.copyOf(e.getFieldsDisclosed()), e.getReason(), List.copyOf(e.getObjectionIds()),
                e.getPolicyId(), e.getPolicyVersion(), e.getPolicyContentHash(), e.getLegalBasis(), e.getReturnId(), e.getAgeMeasuredOn(),
                e.getDeleteBy(), e.getDecidedAt(), List.copyOf(e.getRelatesTo()), e.getRetainUntil());
    }
}
