package org.pupilflow.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pupilflow.ingest.IngestTestSupport.get;
import static org.pupilflow.ingest.IngestTestSupport.post;
import static org.pupilflow.ingest.IngestTestSupport.readAll;
import static org.pupilflow.ingest.IngestTestSupport.token;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.census.Objection;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.ingest.IngestTestSupport;
import org.pupilflow.schemas.kafka.AvroSingleObjectDeserializer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Recording, looking up and withdrawing objections, against a real broker. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "pupilflow.test.published-policy=../policies/norfolk.yaml",
    "pupilflow.ingest.partitions=3",
    "pupilflow.security.local-dev-secret=" + IngestTestSupport.SECRET})
@EmbeddedKafka(count = 1, partitions = 3)
@DirtiesContext
class ObjectionsApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String WRITE = "objections:write";
    private static final String READ = "objections:read";
    private static final List<CensusPupil> CENSUS = IngestTestSupport.pupils(CensusSpec.of(6_000));

    @Value("${local.server.port}")
    private int port;

    private String brokers;

    /** The broker of this test's own context: the system property can name another test's broker by now. */
    @Autowired
    void useBroker(EmbeddedKafkaBroker broker) {
        this.brokers = broker.getBrokersAsString();
    }

    @Test
    void anAcceptedObjectionIsOnTheCompactedTopicKeyedByUpnAndId() {
        CensusPupil pupil = inYear("11", 0);

        HttpResponse<String> response = record(pupil, "post16", "PARENT", "2026-01-20", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String id = JSON.readTree(response.body()).get("objectionId").asString();
        ConsumerRecord<String, byte[]> published = readAll(brokers, "consent.objections", true).stream()
                .filter(r -> r.key().equals(upn(pupil) + "/" + id)).findFirst().orElseThrow();
        Objection objection = new AvroSingleObjectDeserializer<>(Objection.class).deserialize("consent.objections", published.value());
        assertThat(objection.getScope()).isEqualTo("post16");
        assertThat(objection.getEvidenceReference()).isEqualTo("signed letter");
        assertThat(get(port, "/objections?upn=" + upn(pupil), token(READ)).body()).contains(id);
    }

    @Test
    void aWithdrawalIsANewVersionOfTheSameObjection() {
        CensusPupil pupil = inYear("6", 0);
        String id = JSON.readTree(record(pupil, "childrens-centres", "PARENT", "2025-11-03", null).body()).get("objectionId").asString();

        HttpResponse<String> withdrawn = post(port, "/objections/" + id + "/withdraw", "application/json", "{\"withdrawnDate\":\"2026-01-05\",\"withdrawnBy\":\"PARENT\"}", token(WRITE));
        HttpResponse<String> again = post(port, "/objections/" + id + "/withdraw", "application/json", "{\"withdrawnBy\":\"PARENT\"}", token(WRITE));

        assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
        assertThat(JSON.readTree(withdrawn.body()).get("withdrawnDate").asString()).isEqualTo("2026-01-05");
        assertThat(again.statusCode()).isEqualTo(409);
        JsonNode listed = JSON.readTree(get(port, "/objections?upn=" + upn(pupil), token(READ)).body());
        assertThat(listed).singleElement().satisfies(o -> assertThat(o.get("withdrawn").asBoolean()).isTrue());
        assertThat(post(port, "/objections/OBJ-none/withdraw", "application/json", "{\"withdrawnBy\":\"PARENT\"}", token(WRITE)).statusCode()).isEqualTo(404);
    }

    @Test
    void anInvalidUpnAnUnknownScopeOrAFutureDateIsRefusedNamingTheField() {
        CensusPupil pupil = inYear("9", 0);
        String wrongLetter = (upn(pupil).charAt(0) == 'A' ? "B" : "A") + upn(pupil).substring(1);

        assertThat(post(port, "/objections", "application/json", body(wrongLetter, "youth-support", "PARENT", "2026-01-10", null), token(WRITE)))
                .satisfies(r -> assertThat(r.statusCode()).isEqualTo(422)).satisfies(r -> assertThat(r.body()).contains("\"field\":\"upn\"", "check letter"));
        assertThat(record(pupil, "marketing", "PARENT", "2026-01-10", null))
                .satisfies(r -> assertThat(r.statusCode()).isEqualTo(422)).satisfies(r -> assertThat(r.body()).contains("\"field\":\"scope\"", "youth-support"));
        assertThat(record(pupil, "youth-support", "PARENT", LocalDate.now().plusDays(3).toString(), null).statusCode()).isEqualTo(422);
        assertThat(post(port, "/objections", "application/json", "{\"upn\":\"" + upn(pupil) + "\"}", token(WRITE)).statusCode()).isEqualTo(400);
    }

    @Test
    void whoMayObjectFollowsThePolicyWhenTheDateOfBirthIsKnown() {
        CensusPupil pupil = inYear("11", 1);
        LocalDate sixteenth = pupil.getDateOfBirth().plusYears(16);

        assertThat(record(pupil, "youth-support", "PARENT", sixteenth.toString(), pupil.getDateOfBirth()))
                .satisfies(r -> assertThat(r.statusCode()).isEqualTo(422))
                .satisfies(r -> assertThat(r.body()).contains("only the pupil may object"));
        assertThat(record(pupil, "youth-support", "PUPIL", sixteenth.minusDays(1).toString(), pupil.getDateOfBirth()))
                .satisfies(r -> assertThat(r.statusCode()).isEqualTo(422))
                .satisfies(r -> assertThat(r.body()).contains("from age 16"));
        assertThat(record(pupil, "youth-support", "PARENT", sixteenth.minusDays(1).toString(), pupil.getDateOfBirth()).statusCode()).isEqualTo(201);
        assertThat(record(pupil, "youth-support", "PUPIL", sixteenth.toString(), pupil.getDateOfBirth()).statusCode()).isEqualTo(201);
        assertThat(record(pupil, "childrens-centres", "PUPIL", sixteenth.toString(), pupil.getDateOfBirth()))
                .satisfies(r -> assertThat(r.body()).contains("only a parent may object"));
    }

    @Test
    void objectionsNeedTheirRoles() {
        CensusPupil pupil = inYear("10", 0);

        assertThat(post(port, "/objections", "application/json", body(upn(pupil), "post16", "PARENT", "2026-01-10", null), null).statusCode()).isEqualTo(401);
        assertThat(post(port, "/objections", "application/json", body(upn(pupil), "post16", "PARENT", "2026-01-10", null), token(READ)).statusCode()).isEqualTo(403);
        assertThat(get(port, "/objections?upn=" + upn(pupil), token(WRITE)).statusCode()).isEqualTo(403);
        assertThat(get(port, "/objections?upn=" + upn(pupil), null).statusCode()).isEqualTo(401);
    }

    @Test
    void fromTheSixteenthBirthdayOnlyThePupilMayWithdrawAnObjection() {
        CensusPupil pupil = inYear("11", 2);
        LocalDate dateOfBirth = pupil.getDateOfBirth();
        LocalDate sixteenth = dateOfBirth.plusYears(16);
        HttpResponse<String> objected = record(pupil, "youth-support", "PARENT", sixteenth.minusDays(40).toString(), dateOfBirth);
        assertThat(objected.statusCode()).as(objected.body()).isEqualTo(201);
        String id = JSON.readTree(objected.body()).get("objectionId").asString();

        HttpResponse<String> byTheParent = withdraw(id, "PARENT", sixteenth, dateOfBirth);
        HttpResponse<String> byThePupilTooYoung = withdraw(id, "PUPIL", sixteenth.minusDays(1), dateOfBirth);
        HttpResponse<String> byThePupil = withdraw(id, "PUPIL", sixteenth, dateOfBirth);

        assertThat(byTheParent.statusCode()).as(byTheParent.body()).isEqualTo(422);
        assertThat(JSON.readTree(byTheParent.body()).get("field").asString()).isEqualTo("withdrawnBy");
        assertThat(byTheParent.body()).contains("from age 16 only the pupil may withdraw");
        assertThat(byThePupilTooYoung.statusCode()).as(byThePupilTooYoung.body()).isEqualTo(422);
        assertThat(byThePupilTooYoung.body()).contains("until then a parent may");
        assertThat(byThePupil.statusCode()).as(byThePupil.body()).isEqualTo(200);
        JsonNode withdrawn = JSON.readTree(byThePupil.body());
        assertThat(withdrawn.get("withdrawn").asBoolean()).isTrue();
        assertThat(withdrawn.get("ageRuleChecked").asBoolean()).isTrue();
    }

    @Test
    void aParentObjectionWithoutADateOfBirthSaysInItsAnswerThatTheAgeRuleCouldNotBeChecked() {
        CensusPupil pupil = inYear("9", 1);

        HttpResponse<String> unchecked = record(pupil, "youth-support", "PARENT", "2026-01-12", null);
        HttpResponse<String> checked = record(pupil, "youth-support", "PARENT", "2026-01-12", pupil.getDateOfBirth());

        assertThat(unchecked.statusCode()).as(unchecked.body()).isEqualTo(201);
        JsonNode answer = JSON.readTree(unchecked.body());
        assertThat(answer.get("ageRuleChecked").asBoolean()).isFalse();
        assertThat(answer.get("notes")).singleElement().satisfies(note -> assertThat(note.asString())
                .contains("no dateOfBirth was given", "age rule", "could not be checked", "16th birthday"));
        JsonNode checkedAnswer = JSON.readTree(checked.body());
        assertThat(checkedAnswer.get("ageRuleChecked").asBoolean()).isTrue();
        assertThat(checkedAnswer.has("notes")).isFalse();
        assertThat(JSON.readTree(get(port, "/objections?upn=" + upn(pupil), token(READ)).body()).get(0).has("ageRuleChecked"))
                .as("listings do not pretend to know").isFalse();
    }

    private HttpResponse<String> withdraw(String objectionId, String by, LocalDate on, LocalDate dateOfBirth) {
        return post(port, "/objections/" + objectionId + "/withdraw", "application/json",
                "{\"withdrawnBy\":\"" + by + "\",\"withdrawnDate\":\"" + on + "\",\"dateOfBirth\":\"" + dateOfBirth + "\"}", token(WRITE));
    }

    private HttpResponse<String> record(CensusPupil pupil, String scope, String raisedBy, String received, LocalDate dateOfBirth) {
        return post(port, "/objections", "application/json", body(upn(pupil), scope, raisedBy, received, dateOfBirth), token(WRITE));
    }

    private static String body(String upn, String scope, String raisedBy, String received, LocalDate dateOfBirth) {
        return "{\"upn\":\"" + upn + "\",\"scope\":\"" + scope + "\",\"raisedBy\":\"" + raisedBy + "\",\"receivedDate\":\"" + received
                + "\",\"evidenceReference\":\"signed letter\"" + (dateOfBirth == null ? "" : ",\"dateOfBirth\":\"" + dateOfBirth + "\"") + "}";
    }

    private static CensusPupil inYear(String ncYear, int skip) {
        return CENSUS.stream().filter(p -> p.getEnrolment().getNcYearActual().equals(ncYear)).skip(skip).findFirst().orElseThrow();
    }

    private static String upn(CensusPupil pupil) {
        return pupil.getIdentity().getUpn();
    }
}
