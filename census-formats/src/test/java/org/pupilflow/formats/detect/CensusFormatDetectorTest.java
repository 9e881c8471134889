package org.pupilflow.formats.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.pupilflow.formats.Samples;
import org.pupilflow.formats.read.CensusFormatException;

class CensusFormatDetectorTest {

    private static CensusFormat detect(byte[] content) throws IOException {
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(content));
        CensusFormat format = CensusFormatDetector.detect(in);
        assertThat(in.readAllBytes()).as("the stream is back at its start").isEqualTo(content);
        return format;
    }

    private static String refused(String content) {
        CensusFormatException e = catchThrowableOfType(CensusFormatException.class, () -> detect(content.getBytes(StandardCharsets.UTF_8)));
        assertThat(e).isNotNull();
        return e.getMessage();
    }

    @Test
    void eachFormatIsRecognisedByItsContent() throws IOException {
        assertThat(detect(Samples.ctf(3))).isEqualTo(CensusFormat.CTF);
        assertThat(detect(Samples.utf8("\ufeff<?xml version=\"1.0\"?>\n<!-- a comment -->\n<Message><Header/></Message>"))).isEqualTo(CensusFormat.COLLECT);
        assertThat(detect(Samples.utf8(Samples.csv(3)))).isEqualTo(CensusFormat.CSV);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("pupilonroll.csv"));
            out.write(Samples.utf8("pupilonrolltableid\n1\n"));
        }
        assertThat(detect(zip.toByteArray())).isEqualTo(CensusFormat.TABLES);
    }

    @Test
    void anythingElseIsRefusedListingTheFormatsPupilFlowReads() {
        assertThat(refused("<html><body/></html>")).startsWith("Not a census file PupilFlow reads: it is XML with the root element <html>.")
                .contains("a DfE Common Transfer File (XML, root CTfile)", "a school census return (COLLECT XML, root Message)",
                        "the LA's school census tables (a zip of CSV files", "PupilFlow's census CSV");
        assertThat(refused("name,address\nA,B\n")).contains("it is CSV whose header has no upn column");
        assertThat(refused("pupilonrolltableid,NativeId,pupilonrollorderseqcolumn,upn\n1,1,1,X\n"))
                .contains("one table of a census table set (pupilonroll); upload all the tables together as one zip");
        assertThat(refused("")).contains("the upload is empty");
        assertThat(refused("\u0000\u0001\u0002binary")).contains("neither XML, a zip nor text");
    }

    @Test
    void aDoctypeIsRefusedAlreadyWhileDetecting() {
        assertThat(refused("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"))
                .startsWith("DTDs are not allowed in a census return");
    }
}
