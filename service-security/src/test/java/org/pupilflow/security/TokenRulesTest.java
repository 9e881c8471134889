package org.pupilflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import com.nimbusds.jwt.JWTClaimsSet;

/** What a token needs besides a good signature: an expiry, a bounded lifetime, no issue time in the future, the right audience. */
class TokenRulesTest {

    private static final String SECRET = "token-rules-test-signing-key-0123456789abcdef";

    private static JwtDecoder decoder(List<String> audiences, Duration maxLifetime) {
        JwtSecurityProperties properties = new JwtSecurityProperties(null, null, SECRET, null, audiences, null, maxLifetime, null);
        return new JwtSecurityAutoConfiguration().jwtDecoder(properties);
    }

    private static JwtDecoder decoder() {
        return decoder(List.of(), null);
    }

    private static String token(JWTClaimsSet.Builder claims) {
        return LocalDevTokens.sign(SECRET, claims.build());
    }

    private static JWTClaimsSet.Builder valid() {
        Instant now = Instant.now();
        return LocalDevTokens.claims("officer", "census:upload").issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(30))));
    }

    @Test
    void aTokenWithinEveryRuleIsAccepted() {
        Jwt jwt = decoder().decode(token(valid()));

        assertThat(jwt.getSubject()).isEqualTo("officer");
    }

    @Test
    void aTokenWithoutAnExpiryIsRefused() {
        String neverExpires = token(valid().expirationTime(null));

        assertThatThrownBy(() -> decoder().decode(neverExpires)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("the token has no expiry (exp)");
    }

    @Test
    void aTokenIssuedInTheFutureBeyondTheClockSkewIsRefused() {
        Instant inFiveMinutes = Instant.now().plus(Duration.ofMinutes(5));
        String fromTheFuture = token(valid().issueTime(Date.from(inFiveMinutes)).expirationTime(Date.from(inFiveMinutes.plus(Duration.ofMinutes(30)))));

        assertThatThrownBy(() -> decoder().decode(fromTheFuture)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("issued in the future");
    }

    @Test
    void aTokenIssuedWithinTheClockSkewIsAccepted() {
        Instant inTwentySeconds = Instant.now().plusSeconds(20);

        Jwt jwt = decoder().decode(token(valid().issueTime(Date.from(inTwentySeconds))));

        assertThat(jwt.getIssuedAt()).isAfter(Instant.now());
    }

    @Test
    void aTokenThatLivesLongerThanTheMaximumLifetimeIsRefused() {
        Instant now = Instant.now();
        String aWeek = token(valid().expirationTime(Date.from(now.plus(Duration.ofDays(7)))));
        String threeHoursWithoutIat = token(valid().issueTime(null).expirationTime(Date.from(now.plus(Duration.ofHours(3)))));

        assertThatThrownBy(() -> decoder().decode(aWeek)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("at most 120 minutes are accepted (pupilflow.security.max-token-lifetime)");
        assertThatThrownBy(() -> decoder().decode(threeHoursWithoutIat)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("from now");
        assertThat(decoder(List.of(), Duration.ofDays(8)).decode(aWeek).getSubject()).as("a longer configured lifetime").isEqualTo("officer");
    }

    @Test
    void aTokenForAnotherAudienceOrNoneIsRefusedWhenAudiencesAreConfigured() {
        JwtDecoder ingest = decoder(List.of("pupilflow-census-ingest"), null);
        String forAnotherApp = token(valid().audience("payroll"));
        String forNoOne = token(valid());

        assertThatThrownBy(() -> ingest.decode(forAnotherApp)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("not for this service").hasMessageContaining("[payroll]");
        assertThatThrownBy(() -> ingest.decode(forNoOne)).isInstanceOf(JwtValidationException.class).hasMessageContaining("audience (aud) is missing");
        assertThat(ingest.decode(token(valid().audience(List.of("payroll", "pupilflow-census-ingest")))).getAudience()).contains("pupilflow-census-ingest");
    }

    @Test
    void anExpiredTokenIsRefused() {
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        String expired = token(valid().issueTime(Date.from(hourAgo)).expirationTime(Date.from(hourAgo.plus(Duration.ofMinutes(30)))));

        assertThatThrownBy(() -> decoder().decode(expired)).isInstanceOf(JwtValidationException.class).hasMessageContaining("expired");
    }

    @Test
    void withAnIdentityProviderTheAudienceIsRequiredToStart() {
        JwtSecurityProperties production = new JwtSecurityProperties("https://login.example-la.gov.uk/realms/pupilflow", null, null, null, null, null, null, null);
        JwtSecurityProperties optedOut = new JwtSecurityProperties("https://login.example-la.gov.uk/realms/pupilflow", null, null, null, null, false, null, null);

        assertThat(production.audienceRequired()).isTrue();
        assertThatThrownBy(() -> new JwtSecurityAutoConfiguration().jwtDecoder(production)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pupilflow.security.audiences is required");
        assertThat(new JwtSecurityAutoConfiguration().jwtDecoder(optedOut)).as("explicitly opted out").isNotNull();
        assertThat(JwtSecurityProperties.localDev(SECRET).audienceRequired()).as("local development").isFalse();
    }
}
