package org.pupilflow.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the services verify bearer tokens ({@code pupilflow.security.*}). Exactly one source of
 * keys is needed: {@code jwk-set-uri} or {@code issuer} (production: the LA's identity provider),
 * or {@code local-dev-secret} (the local run and tests only).
 *
 * @param issuer          expected {@code iss} claim; also where keys are discovered when no JWK set URI is given
 * @param jwkSetUri       the identity provider's JWK set
 * @param localDevSecret  HS256 key for local development and tests, at least 32 bytes; never for real data
 * @param rolesClaim      claim holding the caller's roles, e.g. {@code ["census:upload"]} (default {@code roles})
 */
@ConfigurationProperties("pupilflow.security")
public record JwtSecurityProperties(String issuer, String jwkSetUri, String localDevSecret, String rolesClaim) {

    public JwtSecurityProperties {
        rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "roles" : rolesClaim;
    }
}
