package org.pupilflow.adapters.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import org.pupilflow.adapters.AdaptersProperties;
import org.pupilflow.adapters.json.WebhookPayloads;
import org.pupilflow.adapters.webhook.RetrySchedule;
import org.pupilflow.adapters.webhook.StandardWebhooks;
import org.pupilflow.adapters.webhook.WebhookResult;
import org.pupilflow.adapters.webhook.WebhookSender;

/**
 * Webhook delivery: one signed POST per record, in order: a disclosure, a deletion request or a
 * deletion-due notice, each as its own JSON payload ({@link WebhookPayloads}). The webhook id is the
 * record's id (disclosure, request or notice id), so a retry after a lost response carries the same id
 * and the receiver can ignore it. A 2xx delivers; a permanent refusal (4xx other than 408 and 429, or
 * a redirect) is final at once; anything else is retried with backoff, later records waiting behind it
 * (order kept), until the recipient's attempt or age limit, when the record is FAILED and dead-lettered.
 */
public final class WebhookChannel implements DeliveryChannel {

    /** Deliveries per {@link #work} call before the worker commits what is done. */
    private static final int BATCH = 100;

    private final String recipientId;
    private final WebhookSender sender;
    private final RetrySchedule schedule;
    private final DeliveryMetrics metrics;
    private final Clock clock;

    public WebhookChannel(String recipientId, AdaptersProperties.Webhook webhook, AdaptersProperties.Retry retry, DeliveryMetrics metrics, Clock clock) {
        this(recipientId, new WebhookSender(webhook.url(), new StandardWebhooks(webhook.secret()), webhook.connectTimeout(), webhook.requestTimeout(), clock),
                retry.schedule(), metrics, clock);
    }

    WebhookChannel(String recipientId, WebhookSender sender, RetrySchedule schedule, DeliveryMetrics metrics, Clock clock) {
        this.recipientId = recipientId;
        this.sender = sender;
        this.schedule = schedule;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public List<Outcome> work(Deque<Pending> queue, Instant now) throws InterruptedException {
        List<Outcome> finished = new ArrayList<>();
        while (finished.size() < BATCH && !queue.isEmpty()) {
            Pending head = queue.peekFirst();
            if (!head.decodable() || !head.due(clock.instant())) {
                break;
            }
            int attempts = head.attempted();
            WebhookResult result = sender.send(head.id(), WebhookPayloads.toJson(head.record()));
            if (result instanceof WebhookResult.Delivered delivered) {
                finished.add(Outcome.delivered(queue.pollFirst(), "HTTP " + delivered.status()));
            } else if (result instanceof WebhookResult.Rejected rejected) {
                finished.add(Outcome.rejected(queue.pollFirst(), rejected.reason()));
            } else if (result instanceof WebhookResult.Retry retry) {
                Instant at = clock.instant();
                if (schedule.giveUp(attempts, head.disclosedAt(), at)) {
                    finished.add(Outcome.failed(queue.pollFirst(), "gave up after " + attempts + " attempts over "
                            + Duration.between(head.disclosedAt(), at).toSeconds() + " s: " + retry.reason()));
                } else {
                    metrics.retried(recipientId, name());
                    head.retryAt(at.plus(schedule.nextDelay(attempts, retry.retryAfter())));
                    break;
                }
            }
        }
        return finished;
    }

    @Override
    public Optional<Instant> wakeUp(Deque<Pending> queue) {
        Pending head = queue.peekFirst();
        return head == null ? Optional.empty() : Optional.of(head.nextAttemptAt().isBefore(Instant.EPOCH) ? Instant.EPOCH : head.nextAttemptAt());
    }

    @Override
    public boolean saturated(Deque<Pending> queue) {
        return queue.size() >= 2 * BATCH;
    }
}
