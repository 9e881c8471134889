package org.pupilflow.audit.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pupilflow.audit.chain.ChainHash;
import org.pupilflow.audit.chain.ChainPosition;
import org.pupilflow.audit.chain.ChainReport;
import org.pupilflow.audit.chain.ChainVerifier;
import org.pupilflow.audit.chain.CheckpointSigner;
import org.pupilflow.audit.chain.DisclosureCodec;
import org.pupilflow.audit.chain.DisclosureRecord;
import org.pupilflow.audit.store.ChainStore;
import org.pupilflow.audit.store.Incoming;
import org.pupilflow.audit.store.LedgerWriter;
import org.pupilflow.audit.store.Ledgers;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An audit trail written before contract release 2 (schema version 1, rows as release 1 stored
 * them), migrated to the current schema: its rows keep their bytes and hashes, read back with the
 * new columns empty, still verify, and the chain continues with release-2 rows.
 */
class UpgradeToRelease2Test {

    private static final String CHAIN = "audit.disclosures-0";
    private static final String V1_COLUMNS = "chain_id, seq, source_offset, recorded_at, disclosure_id, upn, pseudonymised, pupil_pseudonym, "
            + "recipient_key, recipient_id, outcome, fields_disclosed, reason, objection_ids, policy_id, policy_version, policy_content_hash, "
            + "legal_basis, return_id, age_measured_on, delete_by, decided_at, canonical, hash";

    private static EmbeddedPostgresServer server;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        server = EmbeddedPostgresServer.start("", 0);
        jdbc = new JdbcTemplate(server.ownerDataSource());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Flyway flyway(String target) {
        return Flyway.configure().dataSource(server.ownerDataSource()).locations("classpath:db/migration")
                .placeholders(Map.of("appRole", "")).target(target).load();
    }

    private static DisclosureRecord decision(int n) {
        return new DisclosureRecord("d-" + n, "J93512342073" + n, false, null, "J93512342073" + n, "youth-support", "DISCLOSED",
                List.of("names", "address"), "in cohort", List.of(), "norfolk-census-sharing", "2026.1", "abc123", "Education and Skills Act 2008 s68(1)",
                "return-2026-spring", LocalDate.of(2026, 1, 15), null, Instant.parse("2026-01-16T09:30:00.123Z").plusSeconds(n));
    }

    private ChainReport verify() {
        ChainStore store = new ChainStore(jdbc);
        ChainVerifier<DisclosureRecord>.Run run = new ChainVerifier<>(new DisclosureCodec(), new CheckpointSigner("unit-test-checkpoint-key-0123456789abcdef"))
                .start(CHAIN, store.erasures(CHAIN), null);
        store.forEachRow(Ledgers.DISCLOSURES, CHAIN, 0, run::accept);
        ChainStore.HeadRow head = store.heads().stream().filter(h -> h.chainId().equals(CHAIN)).findFirst().orElseThrow();
        return run.finish(new ChainVerifier.Head(head.seq(), head.hash()));
    }

    @Test
    void rowsStoredBeforeRelease2KeepTheirHashesAndStillVerifyAndTheChainContinuesWithVersion2Rows() throws Exception {
        flyway("1").migrate();
        // Three decisions inserted as release 1 did: its columns, canonical version 1, hash chained from genesis.
        DisclosureCodec codec = new DisclosureCodec();
        Instant recordedAt = Instant.parse("2026-01-16T09:30:05.123456Z");
        byte[] previous = ChainHash.genesis();
        List<byte[]> hashes = new ArrayList<>();
        for (int seq = 1; seq <= 3; seq++) {
            DisclosureRecord r = decision(seq);
            ChainPosition position = new ChainPosition(CHAIN, seq, 40 + seq, recordedAt);
            byte[] canonical = codec.encode(position, r);
            previous = ChainHash.link(previous, canonical);
            hashes.add(previous);
            jdbc.update("INSERT INTO disclosure (" + V1_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?::text[], ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    CHAIN, (long) seq, 40L + seq, OffsetDateTime.ofInstant(recordedAt, ZoneOffset.UTC), r.disclosureId(), r.upn(), false, null,
                    r.recipientKey(), r.recipientId(), r.outcome(), "{names,address}", r.reason(), "{}", r.policyId(), r.policyVersion(),
                    r.policyContentHash(), r.legalBasis(), r.returnId(), r.ageMeasuredOn(), null, OffsetDateTime.ofInstant(r.decidedAt(), ZoneOffset.UTC),
                    canonical, previous);
        }
        jdbc.update("INSERT INTO chain_head (chain_id, ledger, seq, hash, updated_at) VALUES (?, 'disclosure', 3, ?, now())", CHAIN, previous);

        flyway("latest").migrate();

        assertThat(jdbc.queryForList("SELECT hash FROM disclosure WHERE chain_id = ? ORDER BY seq", byte[].class, CHAIN))
                .as("the migration rewrote no row").containsExactlyElementsOf(hashes);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM disclosure WHERE relates_to = '{}' AND retain_until IS NULL", Long.class)).isEqualTo(3);
        assertThat(verify().intact()).as("rows stored before release 2 verify").isTrue();

        // The same chain continues: a release-2 UNCHANGED row (relatesTo, retainUntil) and a decision without either.
        DisclosureRecord d = decision(1);
        DisclosureRecord unchanged = new DisclosureRecord("u-4", d.upn(), false, null, d.recipientKey(), d.recipientId(), "UNCHANGED", d.fieldsDisclosed(),
                "unchanged: the recipient already holds d-1", List.of(), d.policyId(), d.policyVersion(), d.policyContentHash(), d.legalBasis(),
                "return-2026-spring-corrected", d.ageMeasuredOn(), null, Instant.now().truncatedTo(ChronoUnit.MILLIS), List.of("d-1"), LocalDate.of(2108, 3, 1));
        new LedgerWriter(jdbc, new TransactionTemplate(new DataSourceTransactionManager(server.ownerDataSource())))
                .append(Ledgers.DISCLOSURES, List.of(new Incoming<>(CHAIN, 44, unchanged), new Incoming<>(CHAIN, 45, decision(5))));

        ChainReport report = verify();
        assertThat(report.intact()).as(String.valueOf(report.firstBreak())).isTrue();
        assertThat(report.rowsChecked()).isEqualTo(5);
        assertThat(jdbc.queryForList("SELECT get_byte(canonical, 4) FROM disclosure WHERE chain_id = ? ORDER BY seq", Integer.class, CHAIN))
                .containsExactly(1, 1, 1, 2, 1);
        assertThat(jdbc.queryForList(Files.readString(Path.of("docs/verify-chain.sql")))).as("the hand verification finds no broken link").isEmpty();
    }
}
