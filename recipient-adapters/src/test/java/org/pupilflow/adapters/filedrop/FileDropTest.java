package org.pupilflow.adapters.filedrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pupilflow.sharing.DeletionDue;
import org.pupilflow.sharing.DeletionRequest;
import org.pupilflow.sharing.PupilDisclosure;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FileDropTest {

    private static final Instant NOW = Instant.parse("2026-01-22T10:15:30Z");

    @TempDir
    Path dir;

    private final List<String> puts = new ArrayList<>();

    @Test
    void dropsTheCsvThenItsManifestUnderNamesFromRecipientReturnAndBatch() throws Exception {
        List<PupilDisclosure> batch = NorfolkDisclosures.of("youth-support");
        String returnId = batch.get(0).getReturnId();

        DropResult result = fileDrop("youth-support").drop("batch-0001", batch);

        String base = "youth-support_" + returnId + "_batch-0001";
        assertThat(result.csvFile()).isEqualTo(base + ".csv");
        assertThat(result.manifestFile()).isEqualTo(base + ".manifest.json");
        assertThat(result.recordCount()).isEqualTo(batch.size());
        assertThat(puts).containsExactly(base + ".csv", base + ".manifest.json");
        assertThat(names()).containsExactly(base + ".csv", base + ".manifest.json");
    }

    @Test
    void theManifestDescribesTheCsvExactly() throws Exception {
        List<PupilDisclosure> batch = NorfolkDisclosures.of("nhs-ncmp");
        FileDrop drop = fileDrop("nhs-ncmp");

        DropResult result = drop.drop("7", batch);

        byte[] csv = Files.readAllBytes(dir.resolve(result.csvFile()));
        DropManifest manifest = DropManifest.fromJson(Files.readAllBytes(dir.resolve(result.manifestFile())));
        List<CSVRecord> rows;
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(new String(csv, StandardCharsets.UTF_8)))) {
            rows = parser.getRecords();
            assertThat(manifest.fields()).isEqualTo(parser.getHeaderNames()).isEqualTo(drop.columns());
        }
        assertThat(manifest.sha256()).isEqualTo(sha256(csv)).isEqualTo(result.sha256());
        assertThat(manifest.recordCount()).isEqualTo(rows.size()).isEqualTo(batch.size());
        assertThat(manifest.disclosureIds()).isEqualTo(rows.stream().map(row -> row.get("disclosureId")).toList())
                .isEqualTo(batch.stream().map(PupilDisclosure::getDisclosureId).toList());
        assertThat(manifest.csvFile()).isEqualTo(result.csvFile());
        assertThat(manifest.returnId()).isEqualTo(batch.get(0).getReturnId());
        assertThat(manifest.recipientId()).isEqualTo("nhs-ncmp");
        assertThat(manifest.policyId()).isEqualTo(NorfolkDisclosures.POLICY.id());
        assertThat(manifest.policyVersion()).isEqualTo(NorfolkDisclosures.POLICY.version());
        assertThat(manifest.policyContentHash()).isEqualTo(NorfolkDisclosures.POLICY.contentHash());
        // nhs-ncmp: delete one year after disclosure, so every record shares one date.
        assertThat(manifest.deleteBy()).containsExactly(batch.get(0).getDeleteBy().toString());
        assertThat(manifest.createdAt()).isEqualTo(NOW);
    }

    @Test
    void theManifestJsonIsReadableWithoutThisClass() throws Exception {
        List<PupilDisclosure> batch = new ArrayList<>(NorfolkDisclosures.of("nhs-ncmp").subList(0, 3));
        batch.get(0).setDeleteBy(batch.get(0).getDeleteBy().plusDays(30));
        batch.get(1).setDeleteBy(null);

        DropResult result = fileDrop("nhs-ncmp").drop("k", batch);

        JsonNode json = JsonMapper.builder().build().readTree(Files.readAllBytes(dir.resolve(result.manifestFile())));
        assertThat(json.propertyNames()).containsExactly("returnId", "recipientId", "csvFile", "recordCount", "sha256", "policyId",
                "policyVersion", "policyContentHash", "deleteBy", "fields", "disclosureIds", "createdAt");
        assertThat(json.get("createdAt").asString()).isEqualTo("2026-01-22T10:15:30Z");
        assertThat(json.get("recordCount").asInt()).isEqualTo(3);
        // Sorted, distinct, nulls left out.
        assertThat(json.get("deleteBy").valueStream().map(JsonNode::asString).toList())
                .containsExactly(batch.get(2).getDeleteBy().toString(), batch.get(0).getDeleteBy().toString());
    }

    @Test
    void droppingTheSameBatchAgainReplacesTheFilesWithTheSameCsv() throws Exception {
        FileDrop drop = fileDrop("childrens-centres");

        DropResult first = drop.drop("b1", NorfolkDisclosures.of("childrens-centres"));
        byte[] firstCsv = Files.readAllBytes(dir.resolve(first.csvFile()));
        DropResult again = drop.drop("b1", NorfolkDisclosures.of("childrens-centres"));

        assertThat(again).isEqualTo(first);
        assertThat(Files.readAllBytes(dir.resolve(again.csvFile()))).isEqualTo(firstCsv);
        assertThat(names()).containsExactly(first.csvFile(), first.manifestFile());
    }

    @Test
    void aRedeliveredRecordIsWrittenOnce() throws Exception {
        List<PupilDisclosure> batch = new ArrayList<>(NorfolkDisclosures.of("post16").subList(0, 5));
        batch.add(PupilDisclosure.newBuilder(batch.get(1)).build());

        DropResult result = fileDrop("post16").drop("b", batch);

        DropManifest manifest = DropManifest.fromJson(Files.readAllBytes(dir.resolve(result.manifestFile())));
        assertThat(result.recordCount()).isEqualTo(5);
        assertThat(manifest.disclosureIds()).doesNotHaveDuplicates().hasSize(5);
    }

    @Test
    void refusesAnotherRecipientsRecordAndWritesNothing() throws IOException {
        List<PupilDisclosure> batch = new ArrayList<>(NorfolkDisclosures.of("nhs-ncmp").subList(0, 3));
        batch.add(NorfolkDisclosures.of("nhs-ncmp-research").get(0));

        assertThatThrownBy(() -> fileDrop("nhs-ncmp").drop("b", batch)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nhs-ncmp-research");
        assertThat(names()).isEmpty();
    }

    @Test
    void refusesABatchDecidedUnderTwoPolicyVersions() throws IOException {
        List<PupilDisclosure> batch = new ArrayList<>(NorfolkDisclosures.of("nhs-ncmp").subList(0, 3));
        batch.get(2).setPolicyContentHash("0".repeat(64));

        assertThatThrownBy(() -> fileDrop("nhs-ncmp").drop("b", batch)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch by policy");
        assertThat(names()).isEmpty();
    }

    @Test
    void deletionRequestsAndNoticesGoToTheirOwnCsvListedInTheManifestWithItsHash() throws Exception {
        List<PupilDisclosure> disclosures = NorfolkDisclosures.of("post16").subList(0, 3);
        DeletionRequest request = DeletionRecords.restricted("r-1", "post16", disclosures.get(2).getDisclosureId(), "d-earlier-1");
        DeletionDue notice = DeletionRecords.due("n-1", "post16", LocalDate.of(2026, 1, 21), "d-earlier-2", "d-earlier-3");
        List<SpecificRecord> batch = List.of(disclosures.get(0), request, disclosures.get(1), notice, disclosures.get(2));

        DropResult result = fileDrop("post16").dropRecords("p0-17", batch);

        String base = "post16_" + disclosures.get(0).getReturnId() + "_p0-17";
        assertThat(puts).as("the manifest last, so a reader waiting for it sees both files")
                .containsExactly(base + ".csv", base + "_deletions.csv", base + ".manifest.json");
        DropManifest manifest = DropManifest.fromJson(Files.readAllBytes(dir.resolve(result.manifestFile())));
        byte[] deletions = Files.readAllBytes(dir.resolve(base + "_deletions.csv"));
        assertThat(manifest.deletionsFile()).isEqualTo(base + "_deletions.csv").isEqualTo(result.deletionsFile());
        assertThat(manifest.deletionsSha256()).isEqualTo(sha256(deletions)).isEqualTo(result.deletionsSha256());
        assertThat(manifest.deletionCount()).isEqualTo(2).isEqualTo(result.deletionCount());
        assertThat(manifest.deletionIds()).containsExactly("r-1", "n-1");
        assertThat(manifest.deletionFields()).isEqualTo(DeletionCsv.COLUMNS);
        // The disclosures' part means what it always meant: the disclosures, in their own CSV.
        assertThat(manifest.recordCount()).isEqualTo(3);
        assertThat(manifest.disclosureIds()).isEqualTo(disclosures.stream().map(PupilDisclosure::getDisclosureId).toList());
        assertThat(manifest.sha256()).isEqualTo(sha256(Files.readAllBytes(dir.resolve(base + ".csv"))));
        assertThat(manifest.returnId()).isEqualTo(disclosures.get(0).getReturnId());
        assertThat(rows(deletions)).extracting(row -> row.get("kind") + " " + row.get("id"))
                .containsExactly("deletion-request r-1", "deletion-due n-1");
    }

    @Test
    void theManifestOfABatchWithDeletionsAddsFieldsAndRenamesNone() throws Exception {
        List<SpecificRecord> batch = List.of(NorfolkDisclosures.of("post16").get(0), DeletionRecords.withheld("r-1", "post16", "d-1"));

        DropResult result = fileDrop("post16").dropRecords("k", batch);

        JsonNode json = JsonMapper.builder().build().readTree(Files.readAllBytes(dir.resolve(result.manifestFile())));
        assertThat(json.propertyNames()).containsExactly("returnId", "recipientId", "csvFile", "recordCount", "sha256", "policyId",
                "policyVersion", "policyContentHash", "deleteBy", "fields", "disclosureIds", "createdAt",
                "deletionsFile", "deletionCount", "deletionsSha256", "deletionFields", "deletionIds");
    }

    @Test
    void aBatchOfDeletionRecordsOnlyBelongsToNoReturnAndStillHasAnEmptyDisclosuresCsv() throws Exception {
        DeletionDue notice = DeletionRecords.due("n-1", "post16", LocalDate.of(2026, 1, 21), "d-1");
        FileDrop drop = fileDrop("post16");

        DropResult result = drop.dropRecords("p0-40", List.of(notice));

        assertThat(puts).containsExactly("post16_p0-40.csv", "post16_p0-40_deletions.csv", "post16_p0-40.manifest.json");
        DropManifest manifest = DropManifest.fromJson(Files.readAllBytes(dir.resolve(result.manifestFile())));
        // A reader written before deletion records existed finds a valid, empty disclosures file, not a missing one.
        byte[] csv = Files.readAllBytes(dir.resolve(manifest.csvFile()));
        assertThat(rows(csv)).isEmpty();
        assertThat(new String(csv, StandardCharsets.UTF_8)).isEqualTo(String.join(",", drop.columns()) + "\r\n");
        assertThat(manifest.sha256()).isEqualTo(sha256(csv));
        assertThat(manifest.recordCount()).isZero();
        assertThat(manifest.disclosureIds()).isEmpty();
        assertThat(manifest.fields()).isEqualTo(drop.columns());
        assertThat(manifest.recipientId()).isEqualTo("post16");
        assertThat(manifest.returnId()).isNull();
        assertThat(manifest.policyContentHash()).isNull();
        assertThat(manifest.deletionIds()).containsExactly("n-1");
        assertThat(manifest.deletionsSha256()).isEqualTo(sha256(Files.readAllBytes(dir.resolve("post16_p0-40_deletions.csv"))));
    }

    @Test
    void aManifestWrittenBeforeDeletionRecordsExistedStillReads() {
        String old = "{\"returnId\":\"R-1\",\"recipientId\":\"post16\",\"csvFile\":\"post16_R-1_p0-0.csv\",\"recordCount\":1,"
                + "\"sha256\":\"" + "0".repeat(64) + "\",\"policyId\":\"p\",\"policyVersion\":\"1\",\"policyContentHash\":\"" + "1".repeat(64)
                + "\",\"deleteBy\":[],\"fields\":[\"disclosureId\"],\"disclosureIds\":[\"d-1\"],\"createdAt\":\"2026-01-22T10:15:30Z\"}";

        DropManifest manifest = DropManifest.fromJson(old.getBytes(StandardCharsets.UTF_8));

        assertThat(manifest.disclosureIds()).containsExactly("d-1");
        assertThat(manifest.deletionsFile()).isNull();
        assertThat(manifest.deletionIds()).isNull();
        assertThat(manifest.deletionCount()).isNull();
    }

    @Test
    void aRedeliveredDeletionRequestIsWrittenOnce() throws Exception {
        DeletionRequest request = DeletionRecords.withheld("r-1", "post16", "d-1");
        List<SpecificRecord> batch = List.of(request, DeletionRequest.newBuilder(request).build());

        DropResult result = fileDrop("post16").dropRecords("b", batch);

        assertThat(result.deletionCount()).isEqualTo(1);
        assertThat(rows(Files.readAllBytes(dir.resolve(result.deletionsFile())))).hasSize(1);
    }

    @Test
    void refusesAnotherRecipientsDeletionRequestAndWritesNothing() throws IOException {
        List<SpecificRecord> batch = List.of(NorfolkDisclosures.of("post16").get(0), DeletionRecords.withheld("r-1", "youth-support", "d-1"));

        assertThatThrownBy(() -> fileDrop("post16").dropRecords("b", batch)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("r-1").hasMessageContaining("youth-support");
        assertThat(names()).isEmpty();
    }

    @Test
    void namesAreSanitisedAndDistinctBatchesKeepDistinctNames() {
        assertThat(DropFileNames.forBatch("youth-support", "SYN-926-2025-SPRING-16", "0042")).isEqualTo("youth-support_SYN-926-2025-SPRING-16_0042");
        String slash = DropFileNames.forBatch("r", "ret/1", "k");
        String space = DropFileNames.forBatch("r", "ret 1", "k");
        assertThat(slash).matches("r_ret_1_k-[0-9a-f]{12}");
        assertThat(space).matches("r_ret_1_k-[0-9a-f]{12}").isNotEqualTo(slash);
        assertThat(DropFileNames.forBatch("..", "x", "y")).matches("[A-Za-z0-9_-][A-Za-z0-9._-]*");
        assertThat(DropFileNames.forBatch("r", "x".repeat(300), "k")).hasSizeLessThanOrEqualTo(150);
    }

    private FileDrop fileDrop(String recipientId) {
        LocalDirectoryTarget local = new LocalDirectoryTarget(dir);
        // Records the order of puts; the files are really written.
        DropTarget recording = new DropTarget() {
            @Override
            public void put(String fileName, byte[] content) throws IOException {
                puts.add(fileName);
                local.put(fileName, content);
            }

            @Override
            public String describe() {
                return local.describe();
            }
        };
        return new FileDrop(recording, recipientId, NorfolkDisclosures.rule(recipientId).fields(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private static List<CSVRecord> rows(byte[] csv) throws IOException {
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(new String(csv, StandardCharsets.UTF_8)))) {
            return parser.getRecords();
        }
    }

    static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Objects.requireNonNull(content)));
    }
}
