package org.pupilflow.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mints HS256 bearer tokens with the local-dev secret, for the local run and for tests. Real
 * deployments get tokens from the LA's identity provider.
 */
public final class LocalDevTokens {

    private LocalDevTokens() {
    }

    public static String mint(String localDevSecret, String subject, Duration validFor, String issuer, String... roles) {
        return mintForAudience(localDevSecret, subject, validFor, issuer, null, roles);
    }

    /** A token for {@code audience} (the {@code aud} claim; none when null), issued now and valid for {@code validFor}. */
    public static String mintForAudience(String localDevSecret, String subject, Duration validFor, String issuer, String audience, String... roles) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = claims(subject, roles)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(validFor)));
        if (issuer != null) {
            claims.issuer(issuer);
        }
        if (audience != null) {
            claims.audience(audience);
        }
        return sign(localDevSecret, claims.build());
    }

    /** The subject and roles claims, for a test that sets the time claims itself. */
    public static JWTClaimsSet.Builder claims(String subject, String... roles) {
        return new JWTClaimsSet.Builder().subject(subject).claim("roles", List.of(roles));
    }

    /** Signs any claims (HS256) with the local-dev secret: for tests of what the services refuse. */
    public static String sign(String localDevSecret, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(localDevSecret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("Cannot sign a local-dev token: " + e.getMessage(), e);
        }
    }

    public static String mint(String localDevSecret, String subject, String... roles) {
        return mint(localDevSecret, subject, Duration.ofHours(1), null, roles);
    }
}
