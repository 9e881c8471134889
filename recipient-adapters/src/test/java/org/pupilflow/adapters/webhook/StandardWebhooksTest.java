package org.pupilflow.adapters.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.pupilflow.adapters.webhook.StandardWebhooks.Verification;

class StandardWebhooksTest {

    // The published test vector of the Standard Webhooks reference implementations: repository
    // standard-webhooks/standard-webhooks, libraries/java/src/test/java/com/standardwebhooks/WebhookTest.java
    // (verifyWebhookSignWorks); the same vector is in the other languages' tests. Matching it is what says a
    // recipient's off-the-shelf Standard Webhooks library will accept our signatures.
    private static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long VECTOR_TIMESTAMP = 1614265330;
    private static final byte[] VECTOR_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static final Instant VECTOR_TIME = Instant.ofEpochSecond(VECTOR_TIMESTAMP);
    private final StandardWebhooks webhooks = new StandardWebhooks(VECTOR_SECRET);

    @Test
    void signsThePublishedTestVectorExactly() {
        assertThat(webhooks.sign(VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY)).isEqualTo(VECTOR_SIGNATURE);
    }

    @Test
    void acceptsTheSecretWithOrWithoutItsWhsecPrefix() {
        StandardWebhooks bare = new StandardWebhooks("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        assertThat(bare.sign(VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY)).isEqualTo(VECTOR_SIGNATURE);
    }

    @Test
    void verifiesThePublishedTestVectorAtItsTimestamp() {
        assertThat(webhooks.verify(VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_TIME)).isEqualTo(Verification.VERIFIED);
    }

    @Test
    void verifiesWhenAnyOfSeveralSpaceSeparatedSignaturesMatchesAsDuringASecretRotation() {
        String header = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v1a,aGVsbG8= " + VECTOR_SIGNATURE + " v2,whatever";

        assertThat(webhooks.verify(VECTOR_ID, "1614265330", header, VECTOR_BODY, VECTOR_TIME)).isEqualTo(Verification.VERIFIED);
    }

    @Test
    void rejectsASignatureMadeWithAnotherSecret() {
        StandardWebhooks other = new StandardWebhooks(StandardWebhooks.newSecret(new SecureRandom()));

        assertThat(other.verify(VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_TIME))
                .isEqualTo(Verification.NO_MATCHING_SIGNATURE);
    }

    @Test
    void rejectsATamperedBodyIdOrTimestamp() {
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);

        assertThat(webhooks.verify(VECTOR_ID, "1614265330", VECTOR_SIGNATURE, tampered, VECTOR_TIME)).isEqualTo(Verification.NO_MATCHING_SIGNATURE);
        assertThat(webhooks.verify("msg_other", "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_TIME)).isEqualTo(Verification.NO_MATCHING_SIGNATURE);
        assertThat(webhooks.verify(VECTOR_ID, "1614265331", VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_TIME)).isEqualTo(Verification.NO_MATCHING_SIGNATURE);
    }

    @Test
    void rejectsTimestampsMoreThanFiveMinutesOldOrAhead() {
        Instant sixMinutesLater = VECTOR_TIME.plus(Duration.ofMinutes(6));
        Instant sixMinutesEarlier = VECTOR_TIME.minus(Duration.ofMinutes(6));
        Instant fiveMinutesLater = VECTOR_TIME.plus(Duration.ofMinutes(5));

        assertThat(webhooks.verify(VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, sixMinutesLater))
                .isEqualTo(Verification.TIMESTAMP_OUT_OF_TOLERANCE);
        assertThat(webhooks.verify(VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, sixMinutesEarlier))
                .isEqualTo(Verification.TIMESTAMP_OUT_OF_TOLERANCE);
        assertThat(webhooks.verify(VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, fiveMinutesLater)).isEqualTo(Verification.VERIFIED);
        assertThat(webhooks.verify(VECTOR_ID, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, sixMinutesLater, Duration.ofMinutes(10)))
                .isEqualTo(Verification.VERIFIED);
    }

    @Test
    void rejectsMissingHeadersMalformedTimestampsAndMalformedSignatures() {
        assertThat(webhooks.verify(null, "1614265330", VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_TIME)).isEqualTo(Verification.MISSING_HEADER);
        assertThat(webhooks.verify(VECTOR_ID, " ", VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_TIME)).isEqualTo(Verification.MISSING_HEADER);
        assertThat(webhooks.verify(VECTOR_ID, "1614265330", null, VECTOR_BODY, VECTOR_TIME)).isEqualTo(Verification.MISSING_HEADER);
        assertThat(webhooks.verify(VECTOR_ID, "2021-02-25T15:02:10Z", VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_TIME))
                .isEqualTo(Verification.MALFORMED_TIMESTAMP);
        assertThat(webhooks.verify(VECTOR_ID, "-9223372036854775808", VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_TIME))
                .isEqualTo(Verification.MALFORMED_TIMESTAMP);
        assertThat(webhooks.verify(VECTOR_ID, "1614265330", "v1,not*base64 garbage v1", VECTOR_BODY, VECTOR_TIME))
                .isEqualTo(Verification.NO_MATCHING_SIGNATURE);
    }

    @Test
    void refusesMalformedSecretsWithoutRepeatingThem() {
        String notBase64 = "whsec_th!s-is-not*base64";
        String tooShort = "whsec_" + Base64.getEncoder().encodeToString(new byte[16]);
        String tooLong = "whsec_" + Base64.getEncoder().encodeToString(new byte[65]);

        assertThatThrownBy(() -> new StandardWebhooks(notBase64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid").hasNoCause().message().doesNotContain("th!s").doesNotContain("*");
        assertThatThrownBy(() -> new StandardWebhooks(tooShort)).hasMessageContaining("16 bytes").message().doesNotContain(tooShort.substring(6));
        assertThatThrownBy(() -> new StandardWebhooks(tooLong)).hasMessageContaining("65 bytes");
        assertThatThrownBy(() -> new StandardWebhooks(" ")).hasMessageContaining("missing");
        assertThat(webhooks.toString()).doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }

    @Test
    void refusesToSignAnIdContainingTheSeparator() {
        assertThatThrownBy(() -> webhooks.sign("msg.1", VECTOR_TIMESTAMP, VECTOR_BODY)).hasMessageContaining("no '.'");
    }

    @Test
    void newSecretsAreAcceptedAndDistinct() {
        SecureRandom random = new SecureRandom();
        String first = StandardWebhooks.newSecret(random);
        String second = StandardWebhooks.newSecret(random);

        assertThat(first).startsWith("whsec_").isNotEqualTo(second);
        StandardWebhooks signer = new StandardWebhooks(first);
        String signature = signer.sign("msg_1", VECTOR_TIMESTAMP, VECTOR_BODY);
        assertThat(signer.verify("msg_1", Long.toString(VECTOR_TIMESTAMP), signature, VECTOR_BODY, VECTOR_TIME)).isEqualTo(Verification.VERIFIED);
    }
}
