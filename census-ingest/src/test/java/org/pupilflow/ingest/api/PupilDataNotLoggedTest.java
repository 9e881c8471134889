package org.pupilflow.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pupilflow.ingest.IngestTestSupport.ownCensus;
import static org.pupilflow.ingest.IngestTestSupport.post;
import static org.pupilflow.ingest.IngestTestSupport.token;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.fixtures.census.CensusSpec;
import org.pupilflow.ingest.IngestApiTest;
import org.pupilflow.ingest.IngestTestSupport;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;

/**
 * No UPN or name reaches the log at the default level (INFO) while returns are refused: a strict-mode rejection and a
 * refused replacement abort transactions holding hundreds of records keyed by UPN, and bad objections are refused.
 */
@IngestApiTest
class PupilDataNotLoggedTest {

    @Value("${local.server.port}")
    private int port;

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private Level level;

    @BeforeEach
    void captureTheLogAtTheDefaultLevel() {
        level = root.getLevel();
        root.setLevel(Level.INFO);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void restoreTheLog() {
        root.detachAppender(captured);
        root.setLevel(level);
    }

    @Test
    void refusedReturnsAndObjectionsLogNoUpnOrName() throws Exception {
        CensusSpec spec = ownCensus(3_000, 501);
        List<CensusPupil> pupils = IngestTestSupport.pupils(spec);
        String xml = IngestTestSupport.ctf(spec);
        int lastSex = xml.lastIndexOf("<Sex>");
        String invalidLast = xml.substring(0, lastSex) + "<Sex>Q</Sex>" + xml.substring(xml.indexOf("</Sex>", lastSex) + 6);

        HttpResponse<String> rejected = post(port, "/returns", "application/xml", invalidLast, token("census:upload"));
        HttpResponse<String> published = post(port, "/returns", "application/xml", xml, token("census:upload"));
        HttpResponse<String> undeclared = post(port, "/returns", "application/xml", xml.replaceFirst("<Forename>([^<]*)</Forename>", "<Forename>$1e</Forename>"),
                token("census:upload"));
        HttpResponse<String> badObjection = post(port, "/objections", "application/json", "{\"upn\":\"" + pupils.get(0).getIdentity().getUpn()
                + "\",\"scope\":\"youth-support\",\"raisedBy\":\"UNCLE\",\"receivedDate\":\"2026-01-10\",\"evidenceReference\":\"letter from "
                + pupils.get(0).getNames().getLegalSurname() + "\"}", token("objections:write"));
        Thread.sleep(500); // producer callbacks of the aborted transactions log on the producer's thread

        assertThat(List.of(rejected.statusCode(), published.statusCode(), undeclared.statusCode(), badObjection.statusCode()))
                .containsExactly(422, 201, 409, 400);
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(captured.list)) {
            lines.add(event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getMessage()));
        }
        for (CensusPupil pupil : pupils) {
            String upn = pupil.getIdentity().getUpn();
            assertThat(lines).as("log lines with the UPN of a pupil").noneMatch(line -> line.contains(upn));
            java.util.regex.Pattern surname = java.util.regex.Pattern.compile("\\b" + java.util.regex.Pattern.quote(pupil.getNames().getLegalSurname()) + "\\b");
            assertThat(lines).as("log lines with a pupil's surname").noneMatch(line -> surname.matcher(line).find());
        }
    }
}
