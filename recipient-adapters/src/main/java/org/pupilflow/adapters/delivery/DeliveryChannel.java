package org.pupilflow.adapters.delivery;

import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * How one recipient's records are delivered (webhook, file drop). The worker keeps the fetched records in
 * a queue in fetch order; the channel works on its head and reports the outcomes of the records it has
 * finished, always a prefix of the queue (so the offsets committed with their receipts never skip a
 * record). Records that are not due yet stay queued, in order.
 */
public interface DeliveryChannel extends AutoCloseable {

    /** The channel's name in receipts and metrics: {@code webhook} or {@code file-drop}. */
    String name();

    /**
     * Delivers what is due at the head of the queue, removing finished records from it; stops at an
     * undecodable record (the worker handles those) and at a record that must wait.
     */
    List<Outcome> work(Deque<Pending> queue, Instant now) throws InterruptedException;

    /** When {@link #work} should run again even if no record arrives: a retry or a batch's deadline. */
    Optional<Instant> wakeUp(Deque<Pending> queue);

    /** Whether the queue holds enough to work on, so fetching should pause until it shrinks. */
    boolean saturated(Deque<Pending> queue);

    @Override
    default void close() {
    }
}
