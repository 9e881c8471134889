package org.pupilflow.ingest.returns;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.pupilflow.census.CensusPupil;
import org.pupilflow.identifiers.LocalAuthorityRegister;
import org.pupilflow.identifiers.UpnValidator;
import org.pupilflow.ingest.IngestProperties;
import org.pupilflow.ingest.policy.NoPolicyInForceException;
import org.pupilflow.ingest.policy.PolicyInForce;
import org.pupilflow.ingest.objections.ObjectionIndex;
import org.pupilflow.formats.census.CensusDayChoice;
import org.pupilflow.formats.collect.SchoolCensusXmlReader;
import org.pupilflow.formats.csv.CensusCsvReader;
import org.pupilflow.formats.ctf.CtfXmlReader;
import org.pupilflow.formats.detect.CensusFormat;
import org.pupilflow.formats.detect.CensusFormatDetector;
import org.pupilflow.formats.read.CensusField;
import org.pupilflow.formats.read.CensusFormatException;
import org.pupilflow.formats.read.CensusReader;
import org.pupilflow.formats.read.FieldIssue;
import org.pupilflow.formats.read.ParsedRecord;
import org.pupilflow.formats.read.ReturnContext;
import org.pupilflow.formats.tables.CensusTablesReader;
import org.pupilflow.formats.tables.InconsistentTablesException;
import org.pupilflow.identifiers.LocalAuthority;
import org.pupilflow.ingest.validation.CensusRecordValidator;
import org.pupilflow.ingest.validation.DuplicateUpns;
import org.pupilflow.policy.decide.Decision;
import org.pupilflow.policy.decide.Evaluation;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.schemas.kafka.AvroSingleObjectSerializer;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;

import tools.jackson.databind.json.JsonMapper;

/**
 * Reads, validates and publishes one census return in a single pass: every valid record is sent
 * inside one Kafka transaction as it is read, and the transaction commits only if the whole return
 * is acceptable (strict mode: no invalid record; not already published; every record of this LA).
 * Any failure part-way — a malformed file, a cut connection, a broker error, a pupil of another
 * LA — aborts it, so read_committed consumers (the router) see all of a return or none of it.
 *
 * <p>The format is recognised from the content ({@link CensusFormatDetector}); census-formats reads
 * it. XML and CSV are read as they arrive, in constant memory; census tables (a zip) are first
 * spooled to disk, because a zip's directory is at its end, and checked and indexed whole before
 * the transaction starts, so a broken table set publishes nothing and never opens a transaction.
 */
public final class ReturnIngestion {

    private static final ZoneId UK = ZoneId.of("Europe/London");
    /** Distinct census days a report lists; a return normally has one. */
    private static final int CENSUS_DAYS_REPORTED = 10;

    private final IngestProperties properties;
    private final KafkaTemplate<String, byte[]> transactional;
    private final ReturnRegistry registry;
    private final ObjectionIndex objections;
    private final PolicyInForce policies;
    private final CensusRecordValidator validator = new CensusRecordValidator(new UpnValidator(LocalAuthorityRegister.bundled()));
    private final AvroSingleObjectSerializer<CensusPupil> pupils = new AvroSingleObjectSerializer<>(CensusPupil.class);
    private final JsonMapper json;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final long maxRecordBytes;
    /** Returns being read now, by id: their counts so far. */
    private final Map<String, Tally> running = new ConcurrentHashMap<>();

    /**
     * @param policies the policy the router applies: its LA is the one every record must belong to (any LA for a national
     *                 controller's policy, which has no {@code localAuthority}), and dry runs preview with it
     */
    public ReturnIngestion(IngestProperties properties, KafkaTemplate<String, byte[]> transactional, ReturnRegistry registry,
                           ObjectionIndex objections, PolicyInForce policies, JsonMapper json, IngestMetrics metrics, Clock clock) {
        this.properties = properties;
        this.transactional = transactional;
        this.registry = registry;
        this.objections = objections;
        this.policies = policies;
        this.json = json;
        this.metrics = metrics;
        this.clock = clock;
        this.maxRecordBytes = properties.limits().maxRecordSize().toBytes();
    }

    /** The outcome of an upload and the HTTP status it deserves. */
    public record Result(ReturnReport report, int httpStatus) {
    }

    /** A new return id: {@code R-} and a random UUID. */
    public static String newReturnId() {
        return "R-" + UUID.randomUUID();
    }

    public Result ingest(Upload upload) {
        return ingest(newReturnId(), upload);
    }

    /**
     * Makes a return known before it is read (an upload accepted with {@code Prefer: respond-async}): until it is
     * done, {@link #find} answers {@code PROCESSING} with the counts so far.
     */
    public ReturnReport accept(String returnId, Upload upload) {
        Tally tally = new Tally(returnId, upload, clock.instant(), properties.maxIssuesReported(), policyInForce());
        running.put(returnId, tally);
        return tally.progress();
    }

    /** The policy in force now; refuses the upload with a clear problem when no router has published one. */
    private PolicyInForce.Current policyInForce() {
        return policies.current().orElseThrow(() -> new NoPolicyInForceException(properties.topics().policy()));
    }

    /** Forgets an accepted return that will not be read after all (the background queue was full). */
    public void abandon(String returnId) {
        running.remove(returnId);
    }

    public Result ingest(String returnId, Upload upload) {
        PolicyInForce.Current policy = running.containsKey(returnId) ? null : policyInForce();
        Tally tally = running.computeIfAbsent(returnId, id -> new Tally(id, upload, clock.instant(), properties.maxIssuesReported(), policy));
        try {
            return ingest(returnId, upload, tally);
        } finally {
            running.remove(returnId);
        }
    }

    private Result ingest(String returnId, Upload upload, Tally tally) {
        Instant receivedAt = tally.receivedAt;
        LimitedDigestInputStream body = new LimitedDigestInputStream(upload.body(), properties.maxReturnBytes());
        long started = System.nanoTime();
        String reservedHash = null;
        Path spooled = null;
        try {
            BufferedInputStream content = new BufferedInputStream(body, CensusFormatDetector.PEEK_BYTES);
            tally.format = CensusFormatDetector.detect(content);
            ReturnContext context = new ReturnContext(returnId, upload.term(), upload.censusDay(), upload.laNumber(),
                    properties.censusDays().censusDays(), LocalDate.ofInstant(receivedAt, UK));
            if (tally.format == CensusFormat.TABLES) {
                spooled = spool(content);
            }
            try (CensusReader reader = open(tally.format, content, spooled, context)) {
                if (upload.dryRun()) {
                    read(upload, reader, returnId, tally, null);
                    drain(body);
                    tally.contentHash = body.sha256();
                    tally.bytes = body.bytesRead();
                    tally.earlierReturnId = registry.publishedReturnFor(tally.contentHash).orElse(null);
                    Map<String, String> current = registry.currentReturns(tally.schools, returnId);
                    tally.earlierReturnIds = List.copyOf(new TreeSet<>(current.values()));
                    String mismatch = replacementMismatch(upload, current, tally);
                    tally.replaces = mismatch == null ? tally.earlierReturnIds : null;
                    tally.policyInForceAtEnd = policies.current().orElse(null);
                    return finish(tally.report(ReturnStatus.DRY_RUN, clock.instant(), dryRunVerdict(upload, tally, mismatch)), 200, started);
                }
                ReturnReport published = transactional.executeInTransaction(kafka -> {
                    read(upload, reader, returnId, tally, kafka);
                    drain(body);
                    tally.contentHash = body.sha256();
                    tally.bytes = body.bytesRead();
                    if (tally.invalid > 0 && upload.mode() == Upload.Mode.STRICT) {
                        throw new Aborted(tally.report(ReturnStatus.REJECTED, clock.instant(), tally.invalid
                                + " invalid records; strict mode publishes nothing (upload with mode=lenient to publish the valid records)"), 422);
                    }
                    if (tally.valid == 0) {
                        throw new Aborted(tally.report(ReturnStatus.REJECTED, clock.instant(), "the return has no valid records"), 422);
                    }
                    Optional<String> earlier = registry.reserveContent(tally.contentHash, returnId);
                    if (earlier.isPresent()) {
                        tally.earlierReturnId = earlier.get();
                        throw new Aborted(tally.report(ReturnStatus.DUPLICATE, clock.instant(),
                                "this content was already published as return " + earlier.get()), 409);
                    }
                    tally.reserved = true;
                    Map<String, String> busy = registry.reserveSchools(tally.schools, returnId);
                    if (!busy.isEmpty()) {
                        tally.earlierReturnIds = List.copyOf(new TreeSet<>(busy.values()));
                        tally.earlierReturnId = tally.earlierReturnIds.get(0);
                        throw new Aborted(tally.report(ReturnStatus.REPLACEMENT_MISMATCH, clock.instant(), "return "
                                + String.join(", ", tally.earlierReturnIds) + " for " + busy.size() + " of the same schools and census day is being "
                                + "published right now; try again when it is done (naming it in replaces=)"), 409);
                    }
                    tally.schoolsReserved = true;
                    Map<String, String> current = registry.currentReturns(tally.schools, returnId);
                    tally.earlierReturnIds = List.copyOf(new TreeSet<>(current.values()));
                    String mismatch = replacementMismatch(upload, current, tally);
                    if (mismatch != null) {
                        tally.earlierReturnId = tally.earlierReturnIds.isEmpty() ? null : tally.earlierReturnIds.get(0);
                        throw new Aborted(tally.report(ReturnStatus.REPLACEMENT_MISMATCH, clock.instant(), mismatch), 409);
                    }
                    tally.replaces = tally.earlierReturnIds;
                    ReturnReport report = tally.report(ReturnStatus.PUBLISHED, clock.instant(), null);
                    kafka.send(properties.topics().returns(), ReturnRegistry.CONTENT_KEY + tally.contentHash, returnId.getBytes(StandardCharsets.UTF_8));
                    kafka.send(properties.topics().returns(), ReturnRegistry.RETURN_KEY + returnId, registry.encode(report));
                    for (String school : tally.schools) {
                        kafka.send(properties.topics().returns(), ReturnRegistry.SCHOOL_KEY + school, returnId.getBytes(StandardCharsets.UTF_8));
                    }
                    for (String replaced : tally.replaces) {
                        registry.find(replaced).ifPresent(old -> kafka.send(properties.topics().returns(), ReturnRegistry.RETURN_KEY + replaced,
                                registry.encode(old.replacedBy(returnId))));
                    }
                    return report;
                });
                reservedHash = tally.contentHash;
                registry.apply(ReturnRegistry.CONTENT_KEY + published.contentHash(), returnId.getBytes(StandardCharsets.UTF_8));
                registry.apply(ReturnRegistry.RETURN_KEY + returnId, registry.encode(published));
                for (String school : tally.schools) {
                    registry.apply(ReturnRegistry.SCHOOL_KEY + school, returnId.getBytes(StandardCharsets.UTF_8));
                }
                for (String replaced : tally.replaces) {
                    registry.find(replaced).ifPresent(old -> registry.apply(ReturnRegistry.RETURN_KEY + replaced, registry.encode(old.replacedBy(returnId))));
                }
                return finish(published, 201, started);
            }
        } catch (Aborted aborted) {
            if (tally.reserved) {
                reservedHash = tally.contentHash;
            }
            return finish(record(aborted.report), aborted.status, started);
        } catch (WrongLocalAuthority wrong) {
            tally.returnIssue(wrong.issue);
            return finish(record(tally.report(ReturnStatus.REJECTED, clock.instant(), wrong.issue.message())), 422, started);
        } catch (InconsistentTablesException e) {
            e.issues().forEach(tally::returnIssue);
            String detail = "the census tables do not join up: " + e.count() + " problem" + (e.count() == 1 ? "" : "s")
                    + " (table, line and column of each in issues); nothing is published";
            return finish(record(tally.report(ReturnStatus.REJECTED, clock.instant(), detail)), 422, started);
        } catch (CensusFormatException e) {
            String detail = "not a readable census return at " + e.location() + ": " + e.getMessage();
            return finish(record(tally.report(ReturnStatus.MALFORMED, clock.instant(), detail)), 400, started);
        } catch (ReturnTooLargeException e) {
            return finish(record(tally.report(ReturnStatus.MALFORMED, clock.instant(), e.getMessage())), 413, started);
        } catch (UncheckedIOException e) {
            return finish(record(tally.report(ReturnStatus.MALFORMED, clock.instant(), "the upload could not be read: " + e.getMessage())), 400, started);
        } catch (IOException e) {
            return finish(record(tally.report(ReturnStatus.MALFORMED, clock.instant(), "the upload could not be read: " + e.getMessage())), 400, started);
        } finally {
            if (tally.contentHash != null) {
                registry.release(tally.contentHash, returnId);
            }
            if (reservedHash != null) {
                registry.release(reservedHash, returnId);
            }
            if (tally.schoolsReserved) {
                registry.releaseSchools(tally.schools, returnId);
            }
            deleteQuietly(spooled);
        }
    }

    /**
     * Null when the upload's {@code replaces} names exactly the returns already published for its schools and census
     * days (none for a first return); otherwise what is wrong, naming the returns to name.
     */
    private static String replacementMismatch(Upload upload, Map<String, String> current, Tally tally) {
        Set<String> earlier = new TreeSet<>(current.values());
        Set<String> declared = new TreeSet<>(upload.replaces());
        if (earlier.equals(declared)) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        Set<String> undeclared = new TreeSet<>(earlier);
        undeclared.removeAll(declared);
        for (String returnId : undeclared) {
            List<String> schools = current.entrySet().stream().filter(e -> e.getValue().equals(returnId)).map(Map.Entry::getKey).sorted().toList();
            parts.add("return " + returnId + " was already published for " + schools.size() + " of its " + tally.schools.size()
                    + " schools and census day (" + String.join(", ", schools.subList(0, Math.min(3, schools.size())))
                    + (schools.size() > 3 ? ", ..." : "") + ")");
        }
        Set<String> unknown = new TreeSet<>(declared);
        unknown.removeAll(earlier);
        for (String returnId : unknown) {
            parts.add("replaces names " + returnId + ", which is not the latest published return for any of its schools and census day");
        }
        return String.join("; ", parts) + (earlier.isEmpty() ? "; upload without replaces"
                : "; upload again with replaces=" + String.join(",", earlier) + " to publish this return as "
                        + (earlier.size() == 1 ? "its replacement" : "their replacement"));
    }

    /** What an upload of the dry-run return would do, strict mode's refusal first. */
    private static String dryRunVerdict(Upload upload, Tally tally, String replacementMismatch) {
        List<String> refusals = new ArrayList<>();
        if (tally.invalid > 0) {
            refusals.add("strict mode would refuse this return: " + tally.invalid + " of " + tally.records + " records are invalid"
                    + (upload.mode() == Upload.Mode.LENIENT ? " (in lenient mode the " + tally.valid + " valid ones would be published and the invalid"
                            + " ones sent to census.rejected)" : " (mode=lenient would publish the " + tally.valid + " valid ones)"));
        }
        if (tally.valid == 0) {
            refusals.add("it would be refused: it has no valid records");
        }
        if (tally.earlierReturnId != null) {
            refusals.add("it would be refused as a duplicate: the same content was published as " + tally.earlierReturnId);
        }
        if (replacementMismatch != null) {
            refusals.add("it would be refused: " + replacementMismatch);
        }
        return refusals.isEmpty() ? null : String.join("; ", refusals);
    }

    public Optional<ReturnReport> find(String returnId) {
        Optional<ReturnReport> done = registry.find(returnId);
        if (done.isPresent()) {
            return done;
        }
        Tally reading = running.get(returnId);
        return reading == null ? Optional.empty() : Optional.of(reading.progress());
    }

    /** A reader of the recognised format. XML and CSV are read as they arrive; census tables from the spooled zip. */
    private CensusReader open(CensusFormat format, InputStream content, Path spooled, ReturnContext context) {
        return switch (format) {
            case CTF -> new CtfXmlReader(content, context);
            case COLLECT -> new SchoolCensusXmlReader(content, context);
            case CSV -> CensusCsvReader.utf8(content, context);
            case TABLES -> CensusTablesReader.open(spooled, context, properties.tables().limits());
        };
    }

    /** Copies the whole upload to a temporary file, hashed and counted as it goes (the size limit applies). */
    private Path spool(InputStream content) throws IOException {
        Path directory = properties.tables().limits().spoolDirectory();
        Path file = directory == null ? Files.createTempFile("census-upload-", ".zip") : Files.createTempFile(directory, "census-upload-", ".zip");
        try (OutputStream out = Files.newOutputStream(file)) {
            content.transferTo(out);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
        return file;
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A left-over temporary file is not worth failing the upload for; the directory is the operator's to clean.
        }
    }

    private void read(Upload upload, CensusReader reader, String returnId, Tally tally, KafkaOperations<String, byte[]> kafka) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), UK);
        DuplicateUpns duplicates = new DuplicateUpns();
        try (ReadAhead records = new ReadAhead(reader, returnId)) {
            readRecords(upload, records, returnId, tally, kafka, today, duplicates);
        }
    }

    private void readRecords(Upload upload, ReadAhead records, String returnId, Tally tally, KafkaOperations<String, byte[]> kafka, LocalDate today,
                             DuplicateUpns duplicates) {
        for (ParsedRecord record = records.next(); record != null; record = records.next()) {
            if (record.pupil() != null) {
                checkLocalAuthority(record, tally.policy.localAuthority());
            }
            tally.censusDay(record.censusDay());
            List<FieldIssue> issues = new ArrayList<>(record.issues());
            if (record.pupil() != null) {
                issues.addAll(validator.validate(record, today));
            }
            FieldIssue duplicate = duplicates.check(record);
            if (duplicate != null) {
                issues.add(duplicate);
            }
            if (record.pupil() != null) {
                CensusPupil pupil = record.pupil();
                tally.schools.add(ReturnRegistry.schoolKey(pupil.getCensus().getCensusDay(), pupil.getSchool().getLaNumber(),
                        pupil.getSchool().getEstablishmentNumber()));
            }
            byte[] value = null;
            if (issues.isEmpty()) {
                value = pupils.serialize(properties.topics().census(), record.pupil());
                if (value.length > maxRecordBytes) {
                    issues.add(new FieldIssue(record.location(), "record", "record-too-large", "the pupil's record is " + value.length
                            + " bytes; at most " + maxRecordBytes + " are published (pupilflow.ingest.limits.max-record-size)"));
                }
            }
            tally.records++;
            if (issues.isEmpty()) {
                tally.valid++;
                if (kafka == null) {
                    tally.preview(tally.policy.previewEngine().evaluate(record.pupil(), objections.forUpn(record.upn()), clock.instant()));
                } else if (upload.mode() == Upload.Mode.LENIENT || tally.invalid == 0) {
                    kafka.send(properties.topics().census(), record.pupil().getIdentity().getUpn(), value);
                    tally.published++;
                }
            } else {
                tally.invalid(issues);
                if (kafka != null && upload.mode() == Upload.Mode.LENIENT) {
                    kafka.send(properties.topics().rejected(), returnId, rejection(returnId, record, issues));
                    tally.rejectedToTopic++;
                }
            }
        }
    }

    /**
     * Reads the return's records on a thread of its own, up to {@value #AHEAD} ahead of the request thread that checks
     * and publishes them: parsing is three quarters of an upload's CPU time, so the two overlap on two cores. The
     * records, and a failure of the reader (the same exception object, after the records read before it), arrive in
     * the reader's order, so what is published and what is refused are exactly as when one thread did both. Only this
     * thread touches the reader, and {@link #close} waits for it to stop (at the next record boundary at the latest)
     * before the request goes on, so the upload's stream is never read by two threads or after the request.
     */
    private static final class ReadAhead implements AutoCloseable {
        private static final int AHEAD = 256;
        private static final Object END = new Object();

        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD);
        private final Thread thread;
        private volatile boolean stopped;
        private boolean ended;

        private record Failure(Throwable error) {
        }

        ReadAhead(CensusReader reader, String returnId) {
            thread = new Thread(() -> {
                try {
                    for (ParsedRecord record = reader.next(); record != null && !stopped; record = reader.next()) {
                        put(record);
                    }
                    put(END);
                } catch (Throwable e) {
                    put(new Failure(e));
                }
            }, "ingest-read-" + returnId);
            thread.setDaemon(true);
            thread.start();
        }

        /** Waits while the request thread is {@value #AHEAD} records behind; gives up once it has stopped taking them. */
        private void put(Object item) {
            try {
                while (!stopped && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    // the request thread is busy publishing
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The next record in the reader's order, null at the end; a failure of the reader is thrown here, where it happened. */
        ParsedRecord next() {
            if (ended) {
                return null;
            }
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the return", e);
            }
            if (item == END) {
                ended = true;
                return null;
            }
            if (item instanceof Failure failure) {
                ended = true;
                if (failure.error() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (failure.error() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(failure.error());
            }
            return (ParsedRecord) item;
        }

        @Override
        public void close() {
            stopped = true;
            queue.clear();
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A return is shared under this LA's notice only if it is this LA's: a pupil at another LA's school, or a return
     * another LA makes, refuses the whole return (in either mode: it was uploaded to the wrong place, and sharing any of
     * it would disclose another LA's pupils under this LA's notice). A national controller's policy takes any LA's.
     * Where the pupil's UPN was issued is not checked: UPNs move with pupils.
     */
    private void checkLocalAuthority(ParsedRecord record, LocalAuthority policyLa) {
        if (policyLa == null) {
            return;
        }
        CensusPupil pupil = record.pupil();
        String schoolLa = pupil.getSchool().getLaNumber();
        String returnLa = pupil.getCensus().getLaNumber();
        if (!policyLa.code().equals(schoolLa)) {
            throw new WrongLocalAuthority(record, policyLa, record.fields().of(CensusField.SCHOOL_LA), schoolLa, "the pupil's school "
                    + pupil.getSchool().getName() + " (" + schoolLa + "/" + pupil.getSchool().getEstablishmentNumber() + ") is in " + describe(schoolLa));
        }
        if (!policyLa.code().equals(returnLa)) {
            throw new WrongLocalAuthority(record, policyLa, record.fields().of(CensusField.RETURN_LA), returnLa, "the return is made by " + describe(returnLa));
        }
    }

    private String describe(String laNumber) {
        return LocalAuthorityRegister.bundled().find(laNumber).map(la -> la.name() + " (" + la.code() + ")").orElse("LA " + laNumber);
    }

    /** Thrown on the first record of another LA: the return is refused whole. */
    private final class WrongLocalAuthority extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient FieldIssue issue;

        WrongLocalAuthority(ParsedRecord record, LocalAuthority policyLa, String field, String otherLa, String what) {
            super(null, null, false, false);
            this.issue = new FieldIssue(record.location(), field, "wrong-local-authority", "This return belongs to " + describe(otherLa)
                    + ", not to " + describe(policyLa.code()) + " whose policy this service shares under: " + what
                    + ". Nothing is published; upload it to " + describe(otherLa) + "'s PupilFlow.");
        }
    }

    private byte[] rejection(String returnId, ParsedRecord record, List<FieldIssue> issues) {
        Map<String, Object> rejected = new TreeMap<>();
        rejected.put("returnId", returnId);
        rejected.put("location", record.location());
        rejected.put("upn", record.upn());
        rejected.put("issues", issues);
        return json.writeValueAsBytes(rejected);
    }

    private static void drain(LimitedDigestInputStream body) {
        try {
            body.drain();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records the outcome of a return that published nothing, so GET /returns/{id} can answer. */
    private ReturnReport record(ReturnReport report) {
        try {
            transactional.executeInTransaction(kafka -> kafka.send(properties.topics().returns(), ReturnRegistry.RETURN_KEY + report.returnId(), registry.encode(report)));
        } catch (RuntimeException e) {
            // The uploader still gets the report; only the later lookup is lost.
            metrics.registryWriteFailed();
        }
        registry.apply(ReturnRegistry.RETURN_KEY + report.returnId(), registry.encode(report));
        return report;
    }

    private Result finish(ReturnReport report, int status, long startedNanos) {
        metrics.returned(report, System.nanoTime() - startedNanos);
        return new Result(report, status);
    }

    /** Thrown inside the transaction to abort it with a report. */
    private static final class Aborted extends RuntimeException {
        private final ReturnReport report;
        private final int status;

        Aborted(ReturnReport report, int status) {
            super(report.detail(), null, false, false);
            this.report = report;
            this.status = status;
        }
    }

    /**
     * Counts and the first issues of one return. Mutated by the one thread reading the upload; the counts are volatile
     * so {@code GET /returns/{id}} can show them while it runs.
     */
    private static final class Tally {
        final String returnId;
        final Upload upload;
        final Instant receivedAt;
        final int maxIssues;
        volatile CensusFormat format;
        volatile long records;
        volatile long valid;
        volatile long invalid;
        volatile long published;
        volatile long rejectedToTopic;
        long bytes;
        String contentHash;
        String earlierReturnId;
        List<String> earlierReturnIds;
        List<String> replaces;
        boolean reserved;
        boolean schoolsReserved;
        /** The schools and census days of the records: {@link ReturnRegistry#schoolKey}. */
        final Set<String> schools = new TreeSet<>();
        final List<FieldIssue> issues = new ArrayList<>();
        final Map<String, Long> issuesByRule = new TreeMap<>();
        final Map<String, Map<String, Long>> preview = new TreeMap<>();
        final Map<CensusDayChoice, Long> censusDays = new LinkedHashMap<>();

        /** The policy this return is checked (and, in a dry run, previewed) with: the one in force when it was received. */
        final PolicyInForce.Current policy;
        /** Dry runs: the policy in force when reading ended, to flag a change during the preview. */
        volatile PolicyInForce.Current policyInForceAtEnd;

        Tally(String returnId, Upload upload, Instant receivedAt, int maxIssues, PolicyInForce.Current policy) {
            this.policy = policy;
            this.returnId = returnId;
            this.upload = upload;
            this.receivedAt = receivedAt;
            this.maxIssues = maxIssues;
        }

        void invalid(List<FieldIssue> found) {
            invalid++;
            found.forEach(this::issue);
        }

        /** An issue with the return as a whole (wrong LA, tables that do not join up): reported, not counted as an invalid record. */
        void returnIssue(FieldIssue issue) {
            issue(issue);
        }

        private void issue(FieldIssue issue) {
            issuesByRule.merge(issue.rule(), 1L, Long::sum);
            if (issues.size() < maxIssues) {
                issues.add(issue);
            }
        }

        void censusDay(CensusDayChoice choice) {
            if (choice != null && (censusDays.containsKey(choice) || censusDays.size() < CENSUS_DAYS_REPORTED)) {
                censusDays.merge(choice, 1L, Long::sum);
            }
        }

        void preview(Evaluation evaluation) {
            for (Decision decision : evaluation.decisions()) {
                preview.computeIfAbsent(decision.recipient().id(), id -> new TreeMap<>()).merge(decision.outcome().name(), 1L, Long::sum);
            }
            for (RecipientRule rule : evaluation.outOfCohort()) {
                preview.computeIfAbsent(rule.id(), id -> new TreeMap<>()).merge("OUT_OF_COHORT", 1L, Long::sum);
            }
        }

        /** The counts so far, for another thread: no issue lists or census days (the reading thread is changing them). */
        ReturnReport progress() {
            long read = records;
            String summary = "Being read: " + read + " records so far (" + valid + " valid, " + invalid + " invalid, " + published + " sent"
                    + " in the return's transaction, published when it commits)";
            CensusFormat recognised = format;
            return new ReturnReport(summary, returnId, ReturnStatus.PROCESSING, recognised == null ? null : recognised.name(), upload.mode().name(),
                    null, 0, receivedAt, null, List.of(), read, valid, invalid, published, rejectedToTopic, Map.of(), List.of(), null, null, null,
                    upload.replaces().isEmpty() ? null : List.copyOf(upload.replaces()), null, 0, null, policyUsed());
        }

        ReturnReport report(ReturnStatus status, Instant completedAt, String detail) {
            List<CensusDayUsed> days = new ArrayList<>(censusDays.size());
            censusDays.forEach((choice, count) -> days.add(new CensusDayUsed(choice.term(), choice.censusDay(), choice.source().name(),
                    choice.explanation(), count)));
            PolicyUsed policyUsed = policyUsed();
            String summary = summary(status, detail);
            if (policyUsed != null && policyUsed.changedTo() != null) {
                summary = "Policy changed during the dry run, preview again: " + summary;
            }
            return new ReturnReport(summary, returnId, status, format == null ? null : format.name(), upload.mode().name(), contentHash,
                    bytes, receivedAt, completedAt, List.copyOf(days), records, valid, invalid, status == ReturnStatus.PUBLISHED ? published : 0,
                    status == ReturnStatus.PUBLISHED ? rejectedToTopic : 0, Map.copyOf(issuesByRule), List.copyOf(issues),
                    preview.isEmpty() ? null : Map.copyOf(preview), earlierReturnId,
                    earlierReturnIds == null || earlierReturnIds.isEmpty() ? null : earlierReturnIds,
                    replaces == null || replaces.isEmpty() ? null : replaces, null, schools.size(), detail, policyUsed);
        }

        /** The policy used, flagged when another came into force while a dry run was read. */
        PolicyUsed policyUsed() {
            if (policy == null) {
                return null;
            }
            PolicyInForce.Current end = policyInForceAtEnd;
            String used = policy.contentHash();
            if (end == null || end.contentHash().equals(used)) {
                return new PolicyUsed(policy.policy().id(), policy.policy().version(), used, null, null);
            }
            return new PolicyUsed(policy.policy().id(), policy.policy().version(), used, end.contentHash(), "the sharing-router published policy "
                    + end.policy().id() + " " + end.policy().version() + " (SHA-256 " + end.contentHash() + ") at " + end.publication().publishedAt()
                    + " while this dry run was read: its preview is of the policy before (SHA-256 " + used + "), not of what the router applies now;"
                    + " preview again");
        }

        /** The one line at the top of the report. */
        private String summary(ReturnStatus status, String detail) {
            return switch (status) {
                case PUBLISHED -> "Published " + published + " of " + records + " records in one transaction"
                        + (rejectedToTopic > 0 ? "; " + rejectedToTopic + " invalid records went to census.rejected with their reasons" : "")
                        + (replaces == null || replaces.isEmpty() ? "" : "; it replaces " + String.join(", ", replaces));
                case DRY_RUN -> detail == null
                        ? "Dry run: an upload would publish all " + valid + " records" + (replaces == null || replaces.isEmpty() ? ""
                                : ", replacing " + String.join(", ", replaces))
                        : "Dry run: " + detail;
                case REJECTED -> "Not published: " + (invalid > 0 && valid > 0
                        ? invalid + " of " + records + " records are invalid and strict mode publishes nothing (mode=lenient would publish the "
                                + valid + " valid ones)"
                        : detail != null ? detail : "the return has no valid records");
                case PROCESSING -> "Being read";
                default -> "Not published: " + detail;
            };
        }
    }
}
