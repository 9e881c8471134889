package org.pupilflow.ingest.parse;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads returns and prints how many records, pupils and issues they held, and the heap it ran
 * in. Run in a child JVM with a small heap by {@link StreamingMemoryTest}.
 *
 * <p>Arguments: {@code returnId} then pairs of {@code ctf|csv path}.
 */
public final class CountRecords {

    private CountRecords() {
    }

    public static void main(String[] args) throws IOException {
        ReturnContext context = new ReturnContext(args[0], null, null, null);
        for (int i = 1; i + 1 < args.length; i += 2) {
            String format = args[i];
            long records = 0;
            long pupils = 0;
            long issues = 0;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(Path.of(args[i + 1])), 1 << 16);
                 CensusReader reader = format.equals("ctf") ? new CtfXmlReader(in, context)
                         : new CensusCsvReader(new InputStreamReader(in, StandardCharsets.UTF_8), context)) {
                for (ParsedRecord record = reader.next(); record != null; record = reader.next()) {
                    records++;
                    pupils += record.pupil() == null ? 0 : 1;
                    issues += record.issues().size();
                }
            }
            System.out.println(format + " records=" + records + " pupils=" + pupils + " issues=" + issues);
        }
        System.out.println("maxHeapMiB=" + Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }
}
