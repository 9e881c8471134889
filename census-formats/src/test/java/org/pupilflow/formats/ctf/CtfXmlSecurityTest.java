package org.pupilflow.formats.ctf;

import org.pupilflow.formats.Samples;
import org.pupilflow.formats.read.CensusFormatException;
import org.pupilflow.formats.read.FieldIssue;
import org.pupilflow.formats.read.ParsedRecord;
import org.pupilflow.formats.read.ReturnContext;
import org.pupilflow.formats.read.CensusReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/**
 * A return is untrusted input: DTDs and entity references are refused before anything is
 * resolved, malformed or non-CTF documents reject the return with a location, and no single
 * pupil can exhaust memory.
 */
class CtfXmlSecurityTest {

    private static final byte[] XML = Samples.ctf(5);

    @TempDir
    Path dir;

    private String canary;
    private Path secret;
    private HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();

    @BeforeEach
    void plantCanaryAndListen() throws IOException {
        canary = "CANARY-" + UUID.randomUUID();
        secret = dir.resolve("secret.txt");
        Files.writeString(secret, canary);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            fetches.incrementAndGet();
            byte[] body = ("<!ENTITY leak \"" + canary + "\">").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopListening() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private String fileUrl() {
        return secret.toUri().toString();
    }

    /** A CTF with the generated header and a pupil whose surname is {@code surname} (raw XML). */
    private static String ctfWithSurname(String prolog, String surname) {
        String xml = new String(XML, StandardCharsets.UTF_8);
        xml = xml.substring(xml.indexOf("<CTfile>"));
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + prolog + "\n" + xml.replaceFirst("<Surname>[^<]*</Surname>", "<Surname>" + surname + "</Surname>");
    }

    /** Reads everything, returns the exception, and checks nothing anywhere carries the canary. */
    private CensusFormatException rejected(String document) {
        List<ParsedRecord> records = new ArrayList<>();
        CensusFormatException e = catchThrowableOfType(CensusFormatException.class, () -> {
            try (CtfXmlReader reader = new CtfXmlReader(new ByteArrayInputStream(Samples.utf8(document)), Samples.FILE_ONLY)) {
                for (ParsedRecord r = reader.next(); r != null; r = reader.next()) {
                    records.add(r);
                }
            }
        });
        assertThat(e).as("the document must be rejected").isNotNull();
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString() + e.location() + records).doesNotContain(canary);
        return e;
    }

    @Test
    void anExternalEntityIsRefusedAndTheFileItNamesNeverRead() {
        CensusFormatException e = rejected(ctfWithSurname(
                "<!DOCTYPE CTfile [<!ENTITY xxe SYSTEM \"" + fileUrl() + "\">]>", "&xxe;"));

        assertThat(e.getMessage()).startsWith("DTDs are not allowed");
        assertThat(e.location()).startsWith("line 2, column ");
    }

    @Test
    void anExternalEntityOverTheNetworkIsNeverFetched() {
        rejected(ctfWithSurname("<!DOCTYPE CTfile [<!ENTITY xxe SYSTEM \"" + url("/xxe") + "\">]>", "&xxe;"));

        assertThat(fetches).hasValue(0);
    }

    @Test
    void anExternalParameterEntityIsNeverFetched() {
        CensusFormatException e = rejected(ctfWithSurname(
                "<!DOCTYPE CTfile [<!ENTITY % remote SYSTEM \"" + url("/param.dtd") + "\"> %remote; <!ENTITY % local SYSTEM \"" + fileUrl() + "\"> %local;]>",
                "&leak;"));

        assertThat(e.getMessage()).startsWith("DTDs are not allowed");
        assertThat(fetches).hasValue(0);
    }

    @Test
    void anExternalDtdIsNeverFetched() {
        CensusFormatException e = rejected(ctfWithSurname("<!DOCTYPE CTfile SYSTEM \"" + url("/ctf.dtd") + "\">", "Smith"));

        assertThat(e.getMessage()).startsWith("DTDs are not allowed");
        assertThat(fetches).hasValue(0);
    }

    @Test
    void aBillionLaughsDocumentIsRefusedBeforeAnyExpansion() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE CTfile [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 10; i++) {
            String previous = "&lol" + (i - 1) + ";";
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(previous.repeat(10)).append("\">");
        }
        dtd.append("]>");

        long started = System.nanoTime();
        CensusFormatException e = rejected(ctfWithSurname(dtd.toString(), "&lol10;"));

        assertThat(e.getMessage()).startsWith("DTDs are not allowed");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void anEntityReferenceWithoutADtdIsRefused() {
        CensusFormatException e = rejected(ctfWithSurname("", "&xxe;"));

        assertThat(e.getMessage()).isEqualTo("Entity references are not allowed in a census return (found &xxe;)");
        assertThat(e.location()).startsWith("line ");
    }

    @Test
    void aDocumentWhoseRootIsNotCtfileIsRefused() {
        CensusFormatException e = rejected("<?xml version=\"1.0\"?>\n<ATfile><Header/></ATfile>");

        assertThat(e.getMessage()).contains("<ATfile>").contains("<CTfile>");
        assertThat(e.location()).startsWith("line 2");
    }

    @Test
    void malformedXmlIsRefusedWithItsLineAndColumn() {
        String xml = new String(XML, StandardCharsets.UTF_8);
        int third = xml.indexOf("<Pupil>", xml.indexOf("<Pupil>", xml.indexOf("<Pupil>") + 1) + 1);
        String broken = xml.substring(0, third) + xml.substring(third).replaceFirst("</Forename>", "</Forname>");
        int line = CtfDocument.lineOfPupil(XML, 2);

        try (CtfXmlReader reader = new CtfXmlReader(new ByteArrayInputStream(Samples.utf8(broken)), Samples.FILE_ONLY)) {
            assertThat(reader.next()).as("pupils before the fault stream out").isNotNull();
            assertThat(reader.next()).isNotNull();
            CensusFormatException e = catchThrowableOfType(CensusFormatException.class, reader::next);
            assertThat(e.location()).startsWith("line " + line + ", column ");
            assertThat(e.getMessage()).startsWith("Malformed XML: ").contains("Forename");
            assertThatThrownBy(reader::next).as("a refused file stays refused").isSameAs(e);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aTruncatedDocumentIsRefused() {
        byte[] truncated = java.util.Arrays.copyOf(XML, XML.length / 2);

        CensusFormatException e = rejected(new String(truncated, StandardCharsets.UTF_8));

        assertThat(e.getMessage()).containsAnyOf("Malformed XML", "ends unexpectedly");
    }

    @Test
    void contentAfterTheRootIsRefused() {
        CensusFormatException e = rejected(new String(XML, StandardCharsets.UTF_8) + "<CTfile/>");

        assertThat(e.getMessage()).startsWith("Malformed XML: ");
    }

    @Test
    void somethingThatIsNotXmlAtAllIsRefused() {
        assertThat(rejected(Samples.csv(2)).getMessage()).startsWith("Malformed XML: ");
        assertThat(rejected("").location()).isNotBlank();
    }

    @Test
    void aPupilLargerThanTheLimitIsRefusedBeforeItFillsTheHeap() {
        String huge = ctfWithSurname("", "x".repeat(300_000));

        CensusFormatException e = catchThrowableOfType(CensusFormatException.class,
                () -> Samples.readAll(new CtfXmlReader(new ByteArrayInputStream(Samples.utf8(huge)), Samples.FILE_ONLY, 64 * 1024, 1_000)));

        assertThat(e.getMessage()).isEqualTo("Pupil[1] or what follows it is larger than 65536 bytes; a record that large is not a pupil");
    }

    @Test
    void theDefaultLimitAdmitsRealPupilsButNotAHugeOne() {
        // The parser reads ahead a block at a time, so the limit holds to within a block.
        String huge = ctfWithSurname("", "x".repeat((int) CtfXmlReader.MAX_REGION_BYTES + 64 * 1024));

        CensusFormatException e = rejected(huge);

        assertThat(e.getMessage()).contains("is larger than " + CtfXmlReader.MAX_REGION_BYTES + " bytes");
    }

    @Test
    void aPupilWithTooManyElementsIsRefused() {
        String many = ctfWithSurname("", "Smith</Surname>" + "<X/>".repeat(50) + "<Surname>Smith");

        CensusFormatException e = catchThrowableOfType(CensusFormatException.class,
                () -> Samples.readAll(new CtfXmlReader(new ByteArrayInputStream(Samples.utf8(many)), Samples.FILE_ONLY, 1 << 20, 120)));

        assertThat(e.getMessage()).isEqualTo("<Pupil> has more than 120 elements");
    }

    @Test
    void deeplyNestedElementsAreRefused() {
        CensusFormatException e = rejected(ctfWithSurname("", "Smith</Surname>" + "<a>".repeat(100) + "</a>".repeat(100) + "<Surname>Smith"));

        assertThat(e.getMessage()).startsWith("Elements are nested more than");
    }

    @Test
    void aFailureOfTheUnderlyingStreamIsNotMistakenForABadFile() {
        IllegalStateException tooLarge = new IllegalStateException("upload over the size limit");
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(Samples.ctf(200))) {
            private int read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if ((read += len) > 100_000) {
                    throw tooLarge;
                }
                return super.read(b, off, len);
            }
        };

        assertThatThrownBy(() -> Samples.readAll(new CtfXmlReader(failing, Samples.FILE_ONLY))).isSameAs(tooLarge);
    }

    @Test
    void closingTheReaderLeavesTheCallersStreamOpen() throws IOException {
        AtomicInteger closes = new AtomicInteger();
        InputStream in = new FilterInputStream(new ByteArrayInputStream(XML)) {
            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };

        Samples.readAll(new CtfXmlReader(in, Samples.FILE_ONLY));

        assertThat(closes).hasValue(0);
    }
}
