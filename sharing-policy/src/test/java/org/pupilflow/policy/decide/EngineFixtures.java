package org.pupilflow.policy.decide;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.pupilflow.census.CensusContext;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.census.ObjectionRaisedBy;
import org.pupilflow.census.SchoolPhase;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.fixtures.census.SyntheticCensus;
import org.pupilflow.policy.RecipientRule;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;

/**
 * Shared fixtures for the engine's behaviour tests: the spring 2026 Norfolk census from the
 * generator, the shipped policies, a fixed decision time and objection builders. Pupils always
 * come from the generator; a test changes only the one thing it is about.
 */
final class EngineFixtures {

    /** Spring 2026 census day (third Thursday of January), the default age reference. */
    static final LocalDate CENSUS_DAY = LocalDate.of(2026, 1, 15);
    /** A fixed decision time a little after the census, so no test depends on the clock. */
    static final Instant DECIDED_AT = Instant.parse("2026-02-01T10:00:00Z");
    static final LocalDate DECISION_DATE = LocalDate.of(2026, 2, 1);

    /** The shipped policies, relative to the module directory surefire runs in. */
    static final Path POLICIES = Path.of("..", "policies");

    /** A test key of more than the 32 bytes the pseudonymiser requires. */
    static final byte[] KEY = "pupilflow decide tests: hmac key for pseudonyms, not a secret".getBytes(StandardCharsets.US_ASCII);

    /** The census fields a policy can allow, in schema order. */
    static final List<String> CENSUS_FIELDS = CensusPupil.getClassSchema().getFields().stream().map(Schema.Field::name).toList();

    private static final int SAMPLE_SIZE = 10_000;
    private static List<CensusPupil> sample;

    private EngineFixtures() {
    }

    /**
     * 10,000 generated pupils (about twenty primary and five secondary schools, some with sixth forms,
     * with the generator's edge cases), generated once and shared by every test class in the run.
     */
    static synchronized List<CensusPupil> sample() {
        if (sample == null) {
            sample = census(SAMPLE_SIZE);
        }
        return sample;
    }

    static List<CensusPupil> census(int pupils) {
        return new SyntheticCensus(CensusSpec.of(pupils)).stream().toList();
    }

    static SharingPolicy norfolk() {
        return new PolicyLoader().load(POLICIES.resolve("norfolk.yaml"));
    }

    static byte[] norfolkBytes() {
        try {
            return Files.readAllBytes(POLICIES.resolve("norfolk.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every policy file shipped in policies/, whatever is there when the test runs. */
    static List<Path> shippedPolicies() {
        try (Stream<Path> files = Files.list(POLICIES)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SharingPolicy policy(String fileName, String yaml) {
        return new PolicyLoader().parse(fileName, yaml.getBytes(StandardCharsets.UTF_8));
    }

    static SharingEngine engine(SharingPolicy policy) {
        return new SharingEngine(policy, new Pseudonymiser(KEY));
    }

    /** The first generated pupil matching {@code test}; fails the test (rather than skipping it) if there is none. */
    static CensusPupil first(String description, Predicate<CensusPupil> test) {
        return first(sample(), description, test);
    }

    static CensusPupil first(List<CensusPupil> pupils, String description, Predicate<CensusPupil> test) {
        return pupils.stream().filter(test).findFirst()
                .orElseThrow(() -> new AssertionError("the generated census has no " + description));
    }

    static Predicate<CensusPupil> secondary(String ncYear) {
        return p -> p.getSchool().getPhase() == SchoolPhase.SECONDARY && p.getEnrolment().getNcYearActual().equals(ncYear);
    }

    static Predicate<CensusPupil> primary(String ncYear) {
        return p -> p.getSchool().getPhase() == SchoolPhase.PRIMARY && p.getEnrolment().getNcYearActual().equals(ncYear);
    }

    static CensusPupil bornOn(CensusPupil pupil, LocalDate dateOfBirth) {
        return CensusPupil.newBuilder(pupil).setDateOfBirth(dateOfBirth).build();
    }

    static CensusPupil withCensusDay(CensusPupil pupil, LocalDate censusDay) {
        return CensusPupil.newBuilder(pupil)
                .setCensus(CensusContext.newBuilder(pupil.getCensus()).setCensusDay(censusDay).build())
                .build();
    }

    static String upn(CensusPupil pupil) {
        return pupil.getIdentity().getUpn();
    }

    static Objection objection(String id, CensusPupil pupil, String scope, ObjectionRaisedBy raisedBy, LocalDate received) {
        return Objection.newBuilder()
                .setObjectionId(id)
                .setUpn(upn(pupil))
                .setScope(scope)
                .setRaisedBy(raisedBy)
                .setReceivedDate(received)
                .setEvidenceReference("signed letter " + received)
                .setWithdrawn(false)
                .setWithdrawnDate(null)
                .build();
    }

    static Objection withdrawnOn(Objection objection, LocalDate withdrawnDate) {
        return Objection.newBuilder(objection).setWithdrawn(true).setWithdrawnDate(withdrawnDate).build();
    }

    static Instant at(LocalDate date) {
        return date.atTime(12, 0).atZone(SharingEngine.DECISION_ZONE).toInstant();
    }

    static Optional<Decision> find(Evaluation evaluation, String recipientId) {
        return evaluation.decisions().stream().filter(d -> d.recipient().id().equals(recipientId)).findFirst();
    }

    static Decision decision(Evaluation evaluation, String recipientId) {
        return find(evaluation, recipientId).orElseGet(() -> fail("no decision for " + recipientId + "; out of cohort: "
                + ids(evaluation.outOfCohort()) + ", not in force: " + ids(evaluation.notInForce())));
    }

    static List<String> ids(List<RecipientRule> rules) {
        return rules.stream().map(RecipientRule::id).toList();
    }

    /**
     * Objections for about {@code rate} of pupils (one, sometimes two), the way an LA's objection
     * store looks: any scope of the policy or "all", raised by a parent or the pupil, received
     * some time in the last five years, a few of them withdrawn (before or after the decision).
     */
    static List<Objection> randomObjections(SplittableRandom random, CensusPupil pupil, List<String> scopes, LocalDate decisionDate, double rate) {
        if (random.nextDouble() >= rate) {
            return List.of();
        }
        int count = random.nextInt(4) == 0 ? 2 : 1;
        List<Objection> objections = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String scope = scopes.get(random.nextInt(scopes.size()));
            ObjectionRaisedBy raisedBy = random.nextBoolean() ? ObjectionRaisedBy.PARENT : ObjectionRaisedBy.PUPIL;
            LocalDate received = decisionDate.minusDays(random.nextInt(5 * 365 + 1));
            Objection objection = objection("OBJ-" + upn(pupil) + "-" + i, pupil, scope, raisedBy, received);
            if (random.nextDouble() < 0.1) {
                // Withdrawn up to 60 days after the decision date: both sides of "withdrawn by the decision date".
                long span = decisionDate.plusDays(60).toEpochDay() - received.toEpochDay();
                objection = withdrawnOn(objection, received.plusDays(random.nextLong(span + 1)));
            }
            objections.add(objection);
        }
        return objections;
    }

    /** The recipient ids of a policy plus "all": every scope an objection can have. */
    static List<String> scopes(SharingPolicy policy) {
        List<String> scopes = new ArrayList<>(policy.recipients().stream().map(RecipientRule::id).toList());
        scopes.add("all");
        return scopes;
    }

    /**
     * Whole years from {@code dateOfBirth} to {@code date}, counted independently of the engine: a
     * birthday not yet reached this year takes one off, and 29 February is reached on 1 March in
     * non-leap years.
     */
    static int age(LocalDate dateOfBirth, LocalDate date) {
        int years = date.getYear() - dateOfBirth.getYear();
        LocalDate birthday;
        if (dateOfBirth.getMonthValue() == 2 && dateOfBirth.getDayOfMonth() == 29 && !date.isLeapYear()) {
            birthday = LocalDate.of(date.getYear(), 3, 1);
        } else {
            birthday = dateOfBirth.withYear(date.getYear());
        }
        return date.isBefore(birthday) ? years - 1 : years;
    }
}
