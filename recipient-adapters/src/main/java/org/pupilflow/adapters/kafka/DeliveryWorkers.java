package org.pupilflow.adapters.kafka;

import java.util.ArrayList;
import java.util.List;

import org.springframework.context.SmartLifecycle;

/** Runs one {@link RecipientWorker} thread per delivered recipient, from start until the service stops. */
public final class DeliveryWorkers implements SmartLifecycle {

    private final List<RecipientWorker> workers;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public DeliveryWorkers(List<RecipientWorker> workers) {
        this.workers = List.copyOf(workers);
    }

    public List<RecipientWorker> workers() {
        return workers;
    }

    @Override
    public synchronized void start() {
        for (RecipientWorker worker : workers) {
            Thread thread = new Thread(worker, "deliver-" + worker.route().recipientId());
            thread.setDaemon(false);
            thread.start();
            threads.add(thread);
        }
        running = true;
    }

    @Override
    public synchronized void stop() {
        workers.forEach(RecipientWorker::close);
        for (Thread thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.clear();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
