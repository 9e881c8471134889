package org.pupilflow.kafka.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class BrokerLoginTest {

    private static final Map<String, Object> ROUTER = Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"sharing-router\" password=\"s3cr\\\"et\";");

    @Test
    void thePrincipalIsTheSaslUsernameAndNeverThePassword() {
        assertThat(BrokerLogin.principal(ROUTER)).isEqualTo("User:sharing-router");
        assertThat(BrokerLogin.principal(Map.of("bootstrap.servers", "x:9092"))).contains("unauthenticated");
    }

    @Test
    void aRefusalIsFoundAnywhereInTheCauseChainAndATimeoutIsNotOne() {
        Exception wrapped = new StreamsException(new ExecutionException(new SaslAuthenticationException("invalid credentials")));

        assertThat(BrokerLogin.isRefusal(wrapped)).isTrue();
        assertThat(BrokerLogin.isRefusal(new TopicAuthorizationException("Not authorized to access topics: [census.pupil-records]"))).isTrue();
        assertThat(BrokerLogin.isRefusal(new StreamsException(new TimeoutException("broker down")))).isFalse();
    }

    @Test
    void theDescriptionNamesThePrincipalAndTheBrokersReasonButNotThePassword() {
        String description = BrokerLogin.describeRefusal(new StreamsException(new SaslAuthenticationException("invalid credentials")), ROUTER);

        assertThat(description).isEqualTo("The Kafka broker refused the login of User:sharing-router: invalid credentials").doesNotContain("s3cr");
    }
}
