package org.pupilflow.ingest.api;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;

import org.apache.kafka.common.KafkaException;
import org.pupilflow.ingest.kafka.RecordTooLargeForKafkaException;
import org.pupilflow.ingest.policy.NoPolicyInForceException;
import org.pupilflow.ingest.objections.FieldTooLongException;
import org.pupilflow.ingest.objections.ObjectionRefusedException;
import org.pupilflow.ingest.requests.DisclosureRequestException;
import org.pupilflow.web.ApiProblems;
import org.pupilflow.web.ProblemType;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * census-ingest's own refusals as RFC 9457 problem documents naming the field and the rule; every
 * other error is answered by service-web's {@link ApiProblems}. Never a stack trace, never a 500
 * for something the client can fix.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ApiErrors {

    private final ApiProblems problems;

    ApiErrors(ApiProblems problems) {
        this.problems = problems;
    }

    @ExceptionHandler(ObjectionRefusedException.class)
    ResponseEntity<ProblemDetail> refused(ObjectionRefusedException e, HttpServletRequest request) {
        ProblemType type = switch (e.status()) {
            case 404 -> IngestProblems.OBJECTION_NOT_FOUND;
            case 409 -> IngestProblems.OBJECTION_WITHDRAWN;
            default -> IngestProblems.OBJECTION_REFUSED;
        };
        ProblemDetail problem = type.problem(e.getMessage());
        problem.setStatus(e.status());
        problem.setProperty("field", e.field());
        return respond(problem, request);
    }

    @ExceptionHandler(DisclosureRequestException.class)
    ResponseEntity<ProblemDetail> disclosureRequest(DisclosureRequestException e, HttpServletRequest request) {
        ProblemType type = switch (e.kind()) {
            case INVALID -> IngestProblems.DISCLOSURE_REQUEST_INVALID;
            case NOT_FOUND -> IngestProblems.DISCLOSURE_REQUEST_NOT_FOUND;
            case NOT_PENDING -> IngestProblems.DISCLOSURE_REQUEST_NOT_PENDING;
            case OWN_APPROVAL -> IngestProblems.DISCLOSURE_REQUEST_OWN_APPROVAL;
        };
        ProblemDetail problem = type.problem(e.getMessage());
        if (e.field() != null) {
            problem.setProperty("field", e.field());
        }
        return respond(problem, request);
    }

    @ExceptionHandler(NoPolicyInForceException.class)
    ResponseEntity<ProblemDetail> noPolicy(NoPolicyInForceException e, HttpServletRequest request) {
        ProblemDetail problem = IngestProblems.NO_POLICY_IN_FORCE.problem(e.getMessage());
        problem.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).header("Retry-After", "30").body(problem);
    }

    @ExceptionHandler(PolicyChangedException.class)
    ResponseEntity<ProblemDetail> policyChanged(PolicyChangedException e, HttpServletRequest request) {
        ProblemDetail problem = IngestProblems.POLICY_CHANGED.problem(e.getMessage());
        problem.setProperty("previewedPolicy", e.previewed());
        problem.setProperty("policyInForce", e.inForce());
        return respond(problem, request);
    }

    @ExceptionHandler(FieldTooLongException.class)
    ResponseEntity<ProblemDetail> tooLong(FieldTooLongException e, HttpServletRequest request) {
        ProblemDetail problem = IngestProblems.FIELD_TOO_LONG.problem(e.getMessage());
        problem.setProperty("field", e.field());
        problem.setProperty("limit", e.limit());
        problem.setProperty("setting", e.setting());
        return respond(problem, request);
    }

    @ExceptionHandler(RecordTooLargeForKafkaException.class)
    ResponseEntity<ProblemDetail> recordTooLarge(RecordTooLargeForKafkaException e, HttpServletRequest request) {
        return respond(IngestProblems.RECORD_TOO_LARGE.problem(e.getMessage()), request);
    }

    /** Kafka failed under a request: a record too large is the client's to fix (413), anything else is an outage (503). */
    @ExceptionHandler(KafkaException.class)
    ResponseEntity<ProblemDetail> kafka(KafkaException e, HttpServletRequest request) {
        if (RecordTooLargeForKafkaException.isCause(e)) {
            return respond(IngestProblems.RECORD_TOO_LARGE.problem("The record this request would publish is larger than Kafka accepts; nothing was published"),
                    request);
        }
        return problems.unavailable("Kafka is not answering (" + e.getClass().getSimpleName() + "); nothing was published", request);
    }

    @ExceptionHandler(org.springframework.kafka.KafkaException.class)
    ResponseEntity<ProblemDetail> springKafka(org.springframework.kafka.KafkaException e, HttpServletRequest request) {
        if (RecordTooLargeForKafkaException.isCause(e)) {
            return respond(IngestProblems.RECORD_TOO_LARGE.problem("The record this request would publish is larger than Kafka accepts; nothing was published"),
                    request);
        }
        return problems.unavailable("Kafka is not answering; nothing was published", request);
    }

    static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpServletRequest request) {
        problem.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
