package org.pupilflow.ingest.returns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.pupilflow.ingest.IngestProperties;
import org.pupilflow.web.ServiceUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads answered at once ({@code Prefer: respond-async}): the body is spooled to a file (within
 * the return size limit), the return is made known as {@code PROCESSING}, and it is read,
 * validated and published in the background, exactly as a synchronous upload is, while
 * {@code GET /returns/{id}} shows its counts. The spooled file is deleted when the return is done.
 * A return still queued or being read when the service stops is not resumed (its transaction is
 * aborted, nothing is published): upload it again.
 */
public final class AsyncReturns implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AsyncReturns.class);

    private final ReturnIngestion ingestion;
    private final Path spool;
    private final long maxBytes;
    private final ThreadPoolExecutor readers;

    public AsyncReturns(ReturnIngestion ingestion, IngestProperties properties) {
        this.ingestion = ingestion;
        this.spool = Path.of(properties.async().spoolDirectory());
        this.maxBytes = properties.maxReturnBytes();
        AtomicInteger threads = new AtomicInteger();
        int concurrency = properties.async().concurrency();
        this.readers = new ThreadPoolExecutor(concurrency, concurrency, 1, TimeUnit.MINUTES,
                new ArrayBlockingQueue<>(Math.max(1, properties.async().maxQueued())), runnable -> {
                    Thread thread = new Thread(runnable, "return-reader-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        readers.allowCoreThreadTimeOut(true);
    }

    /**
     * Spools {@code body} and queues the return for reading; returns its report as it is now ({@code PROCESSING}).
     *
     * @throws ReturnTooLargeException     when the body passes {@code pupilflow.ingest.max-return-bytes}
     * @throws ServiceUnavailableException when the background queue is full
     */
    public ReturnReport submit(String returnId, InputStream body, Upload upload) {
        Path file = spool(returnId, body);
        Upload spooled;
        try {
            spooled = new Upload(Files.newInputStream(file), upload.mode(), upload.dryRun(), upload.term(), upload.censusDay(), upload.laNumber(),
                    upload.replaces());
        } catch (IOException e) {
            delete(file);
            throw new UncheckedIOException(e);
        }
        ReturnReport accepted = ingestion.accept(returnId, spooled);
        try {
            readers.execute(() -> {
                try (InputStream in = spooled.body()) {
                    ingestion.ingest(returnId, spooled);
                } catch (IOException | RuntimeException e) {
                    log.error("Reading return {} in the background failed", returnId, e);
                } finally {
                    delete(file);
                }
            });
        } catch (RejectedExecutionException full) {
            ingestion.abandon(returnId);
            try {
                spooled.body().close();
            } catch (IOException ignored) {
                // closing a file we are about to delete
            }
            delete(file);
            throw new ServiceUnavailableException(readers.getQueue().size() + " returns are already waiting to be read"
                    + " (pupilflow.ingest.async.max-queued); nothing was published", full);
        }
        return accepted;
    }

    private Path spool(String returnId, InputStream body) {
        try {
            Files.createDirectories(spool);
            Path file = Files.createTempFile(spool, "pupilflow-" + returnId + "-", ".upload");
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                long total = 0;
                for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                    total += n;
                    if (total > maxBytes) {
                        out.close();
                        delete(file);
                        throw new ReturnTooLargeException(maxBytes);
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException | RuntimeException e) {
                delete(file);
                throw e;
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete the spooled upload {}: {}", file, e.toString());
        }
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }
}
