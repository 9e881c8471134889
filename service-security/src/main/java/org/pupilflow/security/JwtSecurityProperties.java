package org.pupilflow.security;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the services verify bearer tokens ({@code pupilflow.security.*}). Exactly one source of
 * keys is needed: {@code jwk-set-uri} or {@code issuer} (production: the LA's identity provider),
 * or {@code local-dev-secret} (the local run and tests only).
 *
 * <p>Whatever the source, a token is accepted only if it has an expiry ({@code exp}) that has not
 * passed, was not issued in the future ({@code iat} more than {@code clock-skew} ahead), lives no
 * longer than {@code max-token-lifetime} ({@code exp - iat}, or {@code exp - now} without
 * {@code iat}), and, when audiences are configured, names one of them in {@code aud}.
 *
 * @param issuer           expected {@code iss} claim; also where keys are discovered when no JWK set URI is given
 * @param jwkSetUri        the identity provider's JWK set
 * @param localDevSecret   HS256 key for local development and tests, at least 32 bytes; never for real data
 * @param rolesClaim       claim holding the caller's roles, e.g. {@code ["census:upload"]} (default {@code roles})
 * @param audiences        accepted {@code aud} values (this service as the identity provider names it); a token must
 *                         name at least one. Required when tokens come from an identity provider (below)
 * @param requireAudience  refuse to start without {@code audiences}; default: true when an identity provider
 *                         ({@code issuer} or {@code jwk-set-uri}) signs the tokens — production — and false with the
 *                         local-dev secret
 * @param maxTokenLifetime longest a token may be valid from issue to expiry (default 2h: identity providers issue access
 *                         tokens for minutes to about 90 minutes); a longer-lived token is refused
 * @param clockSkew        tolerance between the token issuer's clock and ours, for {@code exp}, {@code nbf} and
 *                         {@code iat} (default 60s, at most 5m)
 */
@Validated
@ConfigurationProperties("pupilflow.security")
public record JwtSecurityProperties(String issuer, String jwkSetUri, String localDevSecret, String rolesClaim, List<String> audiences,
                                    Boolean requireAudience, @NotNull Duration maxTokenLifetime, @NotNull Duration clockSkew) {

    public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofHours(2);
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

    public JwtSecurityProperties {
        rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "roles" : rolesClaim;
        audiences = audiences == null ? List.of() : audiences.stream().filter(audience -> audience != null && !audience.isBlank()).toList();
        maxTokenLifetime = maxTokenLifetime == null ? DEFAULT_MAX_TOKEN_LIFETIME : maxTokenLifetime;
        clockSkew = clockSkew == null ? DEFAULT_CLOCK_SKEW : clockSkew;
        if (maxTokenLifetime.isNegative() || maxTokenLifetime.isZero()) {
            throw new IllegalArgumentException("pupilflow.security.max-token-lifetime must be positive, was " + maxTokenLifetime);
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("pupilflow.security.clock-skew must be between 0 and 5 minutes, was " + clockSkew);
        }
    }

    /** For tests and the local run: keys from a local-dev secret, every other setting at its default. */
    public static JwtSecurityProperties localDev(String secret) {
        return new JwtSecurityProperties(null, null, secret, null, null, null, null, null);
    }

    /** Tokens are signed by an identity provider (production), not the local-dev secret. */
    public boolean identityProvider() {
        return (jwkSetUri != null && !jwkSetUri.isBlank()) || (issuer != null && !issuer.isBlank() && (localDevSecret == null || localDevSecret.isBlank()));
    }

    /** Whether a token must name one of {@link #audiences()}: as configured, else in production. */
    public boolean audienceRequired() {
        return requireAudience != null ? requireAudience : identityProvider();
    }
}
