package org.pupilflow.kafka.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness: can this service log in to the broker as its own principal? Down, with the
 * principal and the broker's reason, when the broker refuses the credentials; an unreachable
 * broker is not this check's concern (the services wait for it). The result is kept for
 * {@code interval}, so probes do not open a connection each time; a refusal is logged once.
 */
public final class BrokerLoginHealthIndicator implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(BrokerLoginHealthIndicator.class);

    private final Map<String, Object> clientConfig;
    private final Duration interval;
    private final Clock clock;
    private Health last;
    private Instant checkedAt = Instant.MIN;
    private boolean refusalLogged;

    public BrokerLoginHealthIndicator(Map<String, Object> adminClientConfig, Duration interval, Clock clock) {
        this.clientConfig = new HashMap<>(adminClientConfig);
        this.clientConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        this.clientConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        this.clientConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "broker-login-check");
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    public synchronized Health health() {
        Instant now = clock.instant();
        if (last == null || Duration.between(checkedAt, now).compareTo(interval) >= 0) {
            last = check();
            checkedAt = now;
        }
        return last;
    }

    private Health check() {
        String principal = BrokerLogin.principal(clientConfig);
        try (Admin admin = Admin.create(clientConfig)) {
            admin.describeCluster().clusterId().get(6, TimeUnit.SECONDS);
            refusalLogged = false;
            return Health.up().withDetail("principal", principal).build();
        } catch (ExecutionException e) {
            if (BrokerLogin.isRefusal(e)) {
                String reason = BrokerLogin.describeRefusal(e, clientConfig);
                if (!refusalLogged) {
                    log.error("{}; this service cannot work until its credentials are fixed", reason);
                    refusalLogged = true;
                }
                return Health.down().withDetail("principal", principal).withDetail("reason", reason).build();
            }
            return Health.up().withDetail("principal", principal).withDetail("broker", "not reachable: " + e.getCause().getMessage()).build();
        } catch (java.util.concurrent.TimeoutException e) {
            return Health.up().withDetail("principal", principal).withDetail("broker", "not reachable within 6s").build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().build();
        } catch (RuntimeException e) {
            return Health.up().withDetail("principal", principal).withDetail("broker", "check failed: " + e.getMessage()).build();
        }
    }
}
