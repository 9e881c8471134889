package org.pupilflow.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

/** The JWT decoder and role mapping every PupilFlow service uses; services declare only which role each endpoint needs. */
@AutoConfiguration
@EnableConfigurationProperties(JwtSecurityProperties.class)
public class JwtSecurityAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(JwtSecurityAutoConfiguration.class);

    /** Shortest HS256 key accepted: the key must be at least as long as the hash. */
    public static final int MINIMUM_SECRET_BYTES = 32;

    @Bean
    @ConditionalOnMissingBean
    JwtDecoder jwtDecoder(JwtSecurityProperties properties) {
        if (properties.audienceRequired() && properties.audiences().isEmpty()) {
            throw new IllegalStateException("pupilflow.security.audiences is required when tokens come from an identity provider ("
                    + (properties.jwkSetUri() != null && !properties.jwkSetUri().isBlank() ? "jwk-set-uri" : "issuer")
                    + " is set): name this service as the provider puts it in the tokens' aud claim, so a token issued for another "
                    + "application is refused (pupilflow.security.require-audience=false accepts any audience: not for real pupil data)");
        }
        if (properties.jwkSetUri() != null && !properties.jwkSetUri().isBlank()) {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri()).build();
            decoder.setJwtValidator(validator(properties));
            decoder.setClaimSetConverter(TokenRules.claimSetConverter());
            return decoder;
        }
        if (properties.issuer() != null && !properties.issuer().isBlank() && (properties.localDevSecret() == null || properties.localDevSecret().isBlank())) {
            // Discovery needs the provider to be up; deferring it keeps a provider outage from stopping the service starting.
            return new SupplierJwtDecoder(() -> {
                NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(properties.issuer()).build();
                decoder.setJwtValidator(validator(properties));
                decoder.setClaimSetConverter(TokenRules.claimSetConverter());
                return decoder;
            });
        }
        if (properties.localDevSecret() != null && !properties.localDevSecret().isBlank()) {
            byte[] secret = properties.localDevSecret().getBytes(StandardCharsets.UTF_8);
            if (secret.length < MINIMUM_SECRET_BYTES) {
                throw new IllegalStateException("pupilflow.security.local-dev-secret must be at least " + MINIMUM_SECRET_BYTES + " bytes");
            }
            log.warn("Verifying tokens with pupilflow.security.local-dev-secret: for local development and tests only, never for real pupil data");
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256")).macAlgorithm(MacAlgorithm.HS256).build();
            decoder.setJwtValidator(validator(properties));
            decoder.setClaimSetConverter(TokenRules.claimSetConverter());
            return decoder;
        }
        throw new IllegalStateException("No way to verify bearer tokens: set pupilflow.security.jwk-set-uri or pupilflow.security.issuer "
                + "(production), or run with the local-dev profile");
    }

    @Bean
    @ConditionalOnMissingBean
    JwtAuthenticationConverter jwtAuthenticationConverter(JwtSecurityProperties properties) {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> roles(jwt, properties.rolesClaim()));
        return converter;
    }

    /** Roles as authorities named exactly as granted ({@code census:upload}), from the roles claim or the standard scope claims. */
    static Collection<GrantedAuthority> roles(Jwt jwt, String rolesClaim) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        Object roles = jwt.getClaims().get(rolesClaim);
        if (roles instanceof Collection<?> list) {
            list.forEach(role -> authorities.add(new SimpleGrantedAuthority(String.valueOf(role))));
        } else if (roles instanceof String text) {
            for (String role : text.split("[\\s,]+")) {
                if (!role.isBlank()) {
                    authorities.add(new SimpleGrantedAuthority(role));
                }
            }
        }
        for (String scopeClaim : List.of("scope", "scp")) {
            Object scopes = jwt.getClaims().get(scopeClaim);
            if (scopes instanceof String text) {
                for (String scope : text.split("\\s+")) {
                    if (!scope.isBlank()) {
                        authorities.add(new SimpleGrantedAuthority(scope));
                    }
                }
            } else if (scopes instanceof Collection<?> list) {
                list.forEach(scope -> authorities.add(new SimpleGrantedAuthority(String.valueOf(scope))));
            }
        }
        return authorities;
    }

    /**
     * Signature aside, what a token must satisfy: not expired or not yet valid (within the clock skew), the
     * issuer when one is configured, and {@link TokenRules}: an expiry, no issue time in the future, a lifetime
     * within the maximum, an accepted audience.
     */
    static OAuth2TokenValidator<Jwt> validator(JwtSecurityProperties properties) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTimestampValidator(properties.clockSkew()));
        if (properties.issuer() != null && !properties.issuer().isBlank()) {
            validators.add(new JwtIssuerValidator(properties.issuer()));
        }
        validators.add(TokenRules.of(properties));
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    /** Builds each service's filter chain from its roles table; 401 and 403 answered as problem documents. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    ApiSecurity apiSecurity(JwtAuthenticationConverter roles, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        return new ApiSecurity(roles, resolver);
    }

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    SecurityProblems securityProblems(ObjectProvider<EndpointRoles> endpoints) {
        return new SecurityProblems(endpoints);
    }

    /** The API reference (where a service publishes one): the bearer scheme, and per operation the role it needs and its 401 / 403. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springdoc.core.customizers.OpenApiCustomizer")
    static class ApiReference {
        @Bean
        org.springdoc.core.customizers.OpenApiCustomizer rolesInApiReference(ObjectProvider<EndpointRoles> endpoints) {
            return new RolesOpenApiCustomizer(endpoints);
        }
    }
}
