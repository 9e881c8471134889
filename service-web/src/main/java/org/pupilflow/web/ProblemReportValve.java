package org.pupilflow.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.Container;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;

import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's error report for requests it refuses before they reach the application (a URL it
 * will not route, an illegal character in the request line): a problem document instead of
 * Tomcat's HTML page. Never shows a stack trace or the server's version.
 */
final class ProblemReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();

    ProblemReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        ProblemDetail problem = ProblemType.forStatus(status).problem(status < 500
                ? "The request was refused before it reached the application (malformed URL, request line or header)"
                : "An unexpected error occurred; the service log has the details");
        problem.setStatus(status);
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away; nothing more to say
        }
    }

    /** Puts this valve in place of every other error report valve of the host, before it starts. */
    static void install(Container host) {
        host.addLifecycleListener(event -> {
            if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve && !(valve instanceof ProblemReportValve)) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.getPipeline().addValve(new ProblemReportValve());
                if (host instanceof org.apache.catalina.core.StandardHost standard) {
                    standard.setErrorReportValveClass(ProblemReportValve.class.getName());
                }
            }
        });
    }
}
