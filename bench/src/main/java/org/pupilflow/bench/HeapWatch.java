package org.pupilflow.bench;

/** Samples a service's heap in use every 100 ms in the background and keeps the peak. */
final class HeapWatch implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;
    private volatile double peak;

    HeapWatch(String baseUrl) {
        thread = new Thread(() -> {
            while (running) {
                double used = Prometheus.heapUsed(baseUrl);
                if (!Double.isNaN(used)) {
                    peak = Math.max(peak, used);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-watch");
        thread.setDaemon(true);
        thread.start();
    }

    double peakMb() {
        return peak / (1024 * 1024);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
