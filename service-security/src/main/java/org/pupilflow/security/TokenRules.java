package org.pupilflow.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;

/**
 * The rules every PupilFlow service applies to a bearer token besides its signature, issuer and
 * expiry: it must have an expiry ({@code exp}), must not claim to be issued in the future
 * ({@code iat} more than the clock skew ahead), must not live longer than the maximum lifetime,
 * and must name one of the accepted audiences when any are configured. Each refusal says which
 * rule, in the {@code WWW-Authenticate} header and the 401 problem document.
 */
public final class TokenRules implements OAuth2TokenValidator<Jwt> {

    private static final String RFC_6750 = "https://tools.ietf.org/html/rfc6750#section-3.1";

    private final Duration maxLifetime;
    private final Duration clockSkew;
    private final List<String> audiences;
    private final Clock clock;

    public TokenRules(Duration maxLifetime, Duration clockSkew, List<String> audiences, Clock clock) {
        this.maxLifetime = maxLifetime;
        this.clockSkew = clockSkew;
        this.audiences = List.copyOf(audiences);
        this.clock = clock;
    }

    public static TokenRules of(JwtSecurityProperties properties) {
        return new TokenRules(properties.maxTokenLifetime(), properties.clockSkew(), properties.audiences(), Clock.systemUTC());
    }

    /**
     * Spring's claim conversion fills a missing {@code iat} with {@code exp} minus a second; this
     * converter remembers that it was missing ({@link #IAT_ABSENT}), so the lifetime is measured from now.
     */
    public static Converter<Map<String, Object>, Map<String, Object>> claimSetConverter() {
        MappedJwtClaimSetConverter standard = MappedJwtClaimSetConverter.withDefaults(Map.of());
        return claims -> {
            Map<String, Object> converted = standard.convert(claims);
            if (!claims.containsKey(JwtClaimNames.IAT) && converted != null) {
                Map<String, Object> marked = new HashMap<>(converted);
                marked.put(IAT_ABSENT, true);
                return marked;
            }
            return converted;
        };
    }

    /** Claim added by {@link #claimSetConverter()} when the token had no {@code iat}. */
    static final String IAT_ABSENT = "pupilflow:iat-absent";

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        List<OAuth2Error> errors = new ArrayList<>();
        Instant now = clock.instant();
        Instant expires = token.getExpiresAt();
        Instant issued = Boolean.TRUE.equals(token.getClaims().get(IAT_ABSENT)) ? null : token.getIssuedAt();
        if (expires == null) {
            errors.add(invalid("the token has no expiry (exp); tokens that never expire are refused"));
        }
        if (issued != null && issued.isAfter(now.plus(clockSkew))) {
            errors.add(invalid("the token was issued in the future (iat " + issued + " is more than " + clockSkew.toSeconds()
                    + " s after this service's clock)"));
        }
        if (expires != null) {
            Instant from = issued != null ? issued : now;
            Duration lifetime = Duration.between(from, expires);
            if (lifetime.compareTo(maxLifetime.plus(clockSkew)) > 0) {
                errors.add(invalid("the token is valid for " + lifetime.toMinutes() + " minutes" + (issued == null ? " from now" : "")
                        + "; at most " + maxLifetime.toMinutes() + " minutes are accepted (pupilflow.security.max-token-lifetime)"));
            }
        }
        if (!audiences.isEmpty()) {
            List<String> named = token.getAudience() == null ? List.of() : token.getAudience();
            if (named.stream().noneMatch(audiences::contains)) {
                errors.add(invalid("the token is not for this service: its audience (aud) " + (named.isEmpty() ? "is missing" : "is " + named)
                        + "; accepted: " + audiences));
            }
        }
        return errors.isEmpty() ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(errors);
    }

    private static OAuth2Error invalid(String description) {
        return new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, RFC_6750);
    }
}
