package org.pupilflow.audit;

import java.time.Duration;
import java.time.Instant;

import org.pupilflow.audit.anchor.ChainHeadPublisher;
import org.pupilflow.audit.retention.RetentionJob;
import org.pupilflow.audit.verify.VerificationService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** The background jobs: publishing chain heads, verifying the trail, retention. Each logs and survives its own failures. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class Schedules implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(Schedules.class);

    private final AuditProperties properties;
    private final ChainHeadPublisher anchors;
    private final VerificationService verification;
    private final RetentionJob retention;

    Schedules(AuditProperties properties, ChainHeadPublisher anchors, VerificationService verification, RetentionJob retention) {
        this.properties = properties;
        this.anchors = anchors;
        this.verification = verification;
        this.retention = retention;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        every(registrar, properties.anchorInterval(), properties.anchorInterval(), "publishing chain heads", anchors::publishHeads);
        // The first verification soon after a start, so pupilflow_audit_chain_intact is not unknown for an hour.
        Duration verify = properties.verifyInterval();
        every(registrar, verify, verify.compareTo(FIRST_VERIFICATION) < 0 ? verify : FIRST_VERIFICATION, "verifying the audit trail", verification::verifyAll);
        if (properties.retention().enabled()) {
            every(registrar, properties.retention().interval(), properties.retention().interval(), "retention", () -> retention.run(Instant.now()));
        }
    }

    private static final Duration FIRST_VERIFICATION = Duration.ofMinutes(1);

    private static void every(ScheduledTaskRegistrar registrar, Duration interval, Duration first, String what, Runnable job) {
        if (interval.isZero() || interval.isNegative()) {
            log.info("Not scheduling {}: interval {}", what, interval);
            return;
        }
        registrar.addFixedDelayTask(new FixedDelayTask(() -> {
            try {
                job.run();
            } catch (RuntimeException e) {
                log.error("Failed {} (will try again in {}): {}", what, interval, e.getMessage(), e);
            }
        }, interval, first));
    }
}
